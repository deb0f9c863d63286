/** The `member` section of the configuration: defaults, environment variables, one clear message per mistake. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, redactConfig } from '../../../src/server/config/lotse-config.js';
import { loadConfig } from '../../../src/server/config/load.js';
import { memberChatConfigured } from '../../../src/server/config/member.js';

const SECRET = 'a-very-long-secret-with-more-than-32-characters';
const BASE_ENV = { LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de', LOTSE_ADVISOR_TOKEN_SECRET: SECRET };
const WEBHOOK_SECRET = 'webhook-secret-with-more-than-32-characters-xyz';
const MEMBER_ENV = {
  ...BASE_ENV,
  LOTSE_MEMBER_TOKEN_ISSUER: 'https://mitglieder.example-kasse.de',
  LOTSE_MEMBER_TOKEN_AUDIENCE: 'lotse',
  LOTSE_MEMBER_JWKS_URL: 'https://mitglieder.example-kasse.de/.well-known/jwks.json',
};
const PUBLIC_KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  kid: 'k1',
};

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  assert.fail('expected a ConfigError');
}

function withFile(content: unknown, run: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-member-config-'));
  try {
    const file = join(dir, 'lotse.config.json');
    writeFileSync(file, JSON.stringify(content));
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('defaults: member chat off, 14 days, asymmetric algorithms, 300 s at most, 30 s skew', () => {
  const config = loadConfig({ env: BASE_ENV });
  assert.deepEqual(config.member, {
    tokens: {
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      maxLifetimeSeconds: 300,
      clockToleranceSeconds: 30,
      nameClaim: 'name',
      insuranceNumberClaim: 'insurance_number',
    },
    transcriptRetentionDays: 14,
    webhook: { timeoutSeconds: 10 },
  });
  assert.equal(memberChatConfigured(config.member), false);
});

test('environment variables set every member field; the secret is redacted when printed', () => {
  const config = loadConfig({
    env: {
      ...MEMBER_ENV,
      LOTSE_MEMBER_TOKEN_ALGORITHMS: 'ES256, EdDSA',
      LOTSE_MEMBER_TOKEN_MAX_LIFETIME_SECONDS: '120',
      LOTSE_MEMBER_TOKEN_CLOCK_TOLERANCE_SECONDS: '10',
      LOTSE_MEMBER_NAME_CLAIM: 'display_name',
      LOTSE_MEMBER_INSURANCE_NUMBER_CLAIM: 'kvnr',
      LOTSE_MEMBER_TRANSCRIPT_RETENTION_DAYS: '7',
      LOTSE_MEMBER_WEBHOOK_URL: 'https://backend.example-kasse.de/lotse/transcripts',
      LOTSE_MEMBER_WEBHOOK_SECRET: WEBHOOK_SECRET,
      LOTSE_MEMBER_WEBHOOK_TIMEOUT_SECONDS: '5',
    },
  });
  assert.equal(memberChatConfigured(config.member), true);
  assert.deepEqual(config.member.tokens, {
    issuer: 'https://mitglieder.example-kasse.de',
    audience: 'lotse',
    jwksUrl: 'https://mitglieder.example-kasse.de/.well-known/jwks.json',
    algorithms: ['ES256', 'EdDSA'],
    maxLifetimeSeconds: 120,
    clockToleranceSeconds: 10,
    nameClaim: 'display_name',
    insuranceNumberClaim: 'kvnr',
  });
  assert.equal(config.member.transcriptRetentionDays, 7);
  assert.deepEqual(config.member.webhook, {
    url: 'https://backend.example-kasse.de/lotse/transcripts',
    secret: WEBHOOK_SECRET,
    timeoutSeconds: 5,
  });
  const printed = JSON.stringify(redactConfig(config));
  assert.ok(!printed.includes(WEBHOOK_SECRET), 'the webhook secret is never printed');
  assert.equal(redactConfig(config).member.webhook.secret, '[redacted]');
});

test('public keys from the config file; member chat is on with them instead of a JWKS URL', () => {
  withFile({ member: { tokens: { issuer: 'kasse', audience: 'lotse', publicKeys: [PUBLIC_KEY] } } }, (file) => {
    const config = loadConfig({ file, env: BASE_ENV });
    assert.equal(memberChatConfigured(config.member), true);
    assert.deepEqual(config.member.tokens.publicKeys, [PUBLIC_KEY]);
  });
});

test('every member mistake at once, one clear message each, naming field and env var', () => {
  const issues = issuesOf(() =>
    loadConfig({
      env: {
        ...BASE_ENV,
        LOTSE_MEMBER_TOKEN_ISSUER: 'kasse',
        LOTSE_MEMBER_JWKS_URL: 'http://keys.example-kasse.de/jwks.json',
        LOTSE_MEMBER_TOKEN_ALGORITHMS: 'ES256,HS256,none',
        LOTSE_MEMBER_TOKEN_MAX_LIFETIME_SECONDS: '3600',
        LOTSE_MEMBER_TRANSCRIPT_RETENTION_DAYS: '0',
        LOTSE_MEMBER_WEBHOOK_URL: 'ftp://backend.example-kasse.de/x',
        LOTSE_MEMBER_WEBHOOK_SECRET: 'too-short-secret',
      },
    }),
  );
  const expected = [
    /^member\.tokens\.jwksUrl \(env LOTSE_MEMBER_JWKS_URL\): must be an https:\/\/ URL without credentials \(http:\/\/ only for a loopback host/,
    /^member\.tokens\.algorithms \(env LOTSE_MEMBER_TOKEN_ALGORITHMS\): "HS256" is not allowed: asymmetric algorithms only/,
    /^member\.tokens\.algorithms \(env LOTSE_MEMBER_TOKEN_ALGORITHMS\): "none" is not allowed: asymmetric algorithms only/,
    /^member\.tokens\.maxLifetimeSeconds \(env LOTSE_MEMBER_TOKEN_MAX_LIFETIME_SECONDS\): must be 1 to 300 \(member tokens are short-lived\)$/,
    /^member\.transcriptRetentionDays \(env LOTSE_MEMBER_TRANSCRIPT_RETENTION_DAYS\): must be greater than 0$/,
    /^member\.webhook\.url \(env LOTSE_MEMBER_WEBHOOK_URL\): must be an https:\/\/ URL/,
    /^member\.webhook\.secret \(env LOTSE_MEMBER_WEBHOOK_SECRET\): must be at least 32 characters long$/,
  ];
  for (const pattern of expected)
    assert.ok(
      issues.some((issue) => pattern.test(issue)),
      `${pattern} in\n${issues.join('\n')}`,
    );
  assert.equal(issues.length, expected.length, issues.join('\n'));
  assert.ok(!issues.join('\n').includes('too-short-secret'), 'the webhook secret is never echoed');
});

test('issuer, audience and a key source only together', () => {
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: { ...BASE_ENV, LOTSE_MEMBER_TOKEN_ISSUER: 'kasse' } })),
    [
      'member.tokens.audience (env LOTSE_MEMBER_TOKEN_AUDIENCE): required (member tokens need issuer, audience and jwksUrl or publicKeys together)',
      'member.tokens.jwksUrl (env LOTSE_MEMBER_JWKS_URL): required, or member.tokens.publicKeys in the config file (member tokens need issuer, audience and jwksUrl or publicKeys together)',
    ],
  );
  assert.deepEqual(
    issuesOf(() =>
      loadConfig({ env: { ...BASE_ENV, LOTSE_MEMBER_JWKS_URL: 'https://keys.example-kasse.de/jwks.json' } }),
    ),
    [
      'member.tokens.issuer (env LOTSE_MEMBER_TOKEN_ISSUER): required (member tokens need issuer, audience and jwksUrl or publicKeys together)',
      'member.tokens.audience (env LOTSE_MEMBER_TOKEN_AUDIENCE): required (member tokens need issuer, audience and jwksUrl or publicKeys together)',
    ],
  );
  withFile({ member: { tokens: { publicKeys: [PUBLIC_KEY] } } }, (file) => {
    const issues = issuesOf(() => loadConfig({ file, env: MEMBER_ENV }));
    assert.deepEqual(issues, [
      'member.tokens.publicKeys (config file only): set either member.tokens.jwksUrl or member.tokens.publicKeys, not both',
    ]);
  });
});

test('webhook URL and secret only together; a webhook without member chat is pointed out', () => {
  assert.deepEqual(
    issuesOf(() =>
      loadConfig({ env: { ...MEMBER_ENV, LOTSE_MEMBER_WEBHOOK_URL: 'https://backend.example-kasse.de/t' } }),
    ),
    [
      'member.webhook.secret (env LOTSE_MEMBER_WEBHOOK_SECRET): required when member.webhook.url is set (at least 32 characters)',
    ],
  );
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: { ...MEMBER_ENV, LOTSE_MEMBER_WEBHOOK_SECRET: WEBHOOK_SECRET } })),
    ['member.webhook.url (env LOTSE_MEMBER_WEBHOOK_URL): required when member.webhook.secret is set'],
  );
  const withoutMember = {
    ...BASE_ENV,
    LOTSE_MEMBER_WEBHOOK_URL: 'https://backend.example-kasse.de/t',
    LOTSE_MEMBER_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: withoutMember })),
    [
      'member.webhook.url (env LOTSE_MEMBER_WEBHOOK_URL): has no effect while member chat is off (configure member.tokens first)',
    ],
  );
  // Demo mode brings its own member area, so a webhook is meaningful there.
  assert.equal(
    loadConfig({ argv: ['--demo'], env: withoutMember }).member.webhook.url,
    'https://backend.example-kasse.de/t',
  );
});

test('URLs: https anywhere, http only on loopback, no credentials', () => {
  for (const url of [
    'http://127.0.0.1:9000/jwks',
    'http://localhost/jwks',
    'http://[::1]:8443/jwks',
    'https://keys.example-kasse.de/jwks',
  ]) {
    assert.equal(loadConfig({ env: { ...MEMBER_ENV, LOTSE_MEMBER_JWKS_URL: url } }).member.tokens.jwksUrl, url);
  }
  for (const url of [
    'http://10.0.0.5/jwks',
    'http://localhost.example.com/jwks',
    'https://user:pw@keys.example-kasse.de/jwks',
    'keys.example-kasse.de',
  ]) {
    const issues = issuesOf(() => loadConfig({ env: { ...MEMBER_ENV, LOTSE_MEMBER_JWKS_URL: url } }));
    assert.equal(issues.length, 1, `${url}: ${issues.join('\n')}`);
    assert.match(issues[0] ?? '', /^member\.tokens\.jwksUrl \(env LOTSE_MEMBER_JWKS_URL\): must be an https:\/\/ URL/);
    assert.ok(!(issues[0] ?? '').includes('pw@'), 'credentials are never echoed');
  }
});

test('public keys: no private key, no symmetric key, an asymmetric alg; named without echoing the key', () => {
  const privateKey = { ...PUBLIC_KEY, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' };
  withFile(
    {
      member: {
        tokens: {
          issuer: 'kasse',
          audience: 'lotse',
          publicKeys: [privateKey, { kty: 'oct', k: 'c2VjcmV0' }, { ...PUBLIC_KEY, alg: 'HS256' }],
        },
      },
    },
    (file) => {
      const issues = issuesOf(() => loadConfig({ file, env: BASE_ENV }));
      const text = issues.join('\n');
      assert.ok(
        issues.some((issue) =>
          /^member\.tokens\.publicKeys \(config file only\): must hold public keys only: a key has private members/.test(
            issue,
          ),
        ),
        text,
      );
      assert.ok(
        issues.some((issue) =>
          /^member\.tokens\.publicKeys\.1\.kty \(config file only\): each key needs kty "RSA", "EC" or "OKP"/.test(
            issue,
          ),
        ),
        text,
      );
      assert.ok(
        issues.some((issue) =>
          /^member\.tokens\.publicKeys\.2\.alg \(config file only\): alg must be an asymmetric algorithm/.test(issue),
        ),
        text,
      );
      assert.ok(!text.includes(privateKey.d), 'the private key is never echoed');
    },
  );
  withFile({ member: { tokens: { issuer: 'kasse', audience: 'lotse', publicKeys: [] } } }, (file) => {
    assert.deepEqual(
      issuesOf(() => loadConfig({ file, env: BASE_ENV })),
      ['member.tokens.publicKeys (config file only): must hold at least one key (or leave it out)'],
    );
  });
});

test('unknown member settings are named', () => {
  withFile({ member: { tokens: { issuer: 'kasse', secret: 'x' }, retentionDays: 3 } }, (file) => {
    const issues = issuesOf(() => loadConfig({ file, env: BASE_ENV }));
    assert.ok(issues.includes('member.tokens.secret (unknown field): is not a known setting'), issues.join('\n'));
    assert.ok(issues.includes('member.retentionDays (unknown field): is not a known setting'), issues.join('\n'));
  });
});
