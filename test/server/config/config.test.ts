import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_CONNECTIONS } from '../../../src/protocol/limits.js';
import { ConfigError, defaults, redactConfig } from '../../../src/server/config/lotse-config.js';
import { loadConfig, resolveConfig } from '../../../src/server/config/load.js';
import { assetOriginsOf } from '../../../src/server/config/cobrowse.js';

const SECRET = 'a-very-long-secret-with-more-than-32-characters';
const BASE_ENV = { LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de', LOTSE_ADVISOR_TOKEN_SECRET: SECRET };

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  assert.fail('expected a ConfigError');
}

test('defaults plus the two required settings', () => {
  const config = loadConfig({ env: BASE_ENV });
  assert.equal(config.port, 8080);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.demo, false);
  assert.deepEqual(config.allowedOrigins, ['https://www.example-kasse.de']);
  assert.deepEqual(config.advisorTokens, {
    secret: SECRET,
    issuer: 'lotse',
    audience: 'lotse-advisor',
    maxLifetimeSeconds: 43_200,
    adminMaxLifetimeSeconds: 3600,
  });
  assert.deepEqual(config.chat, { abandonAfterSeconds: 120, advisorGraceSeconds: 60, idleMinutes: 30, topics: [] });
  assert.equal(config.heartbeatSeconds, 30);
  assert.equal(config.terms.version, defaults.terms.version);
  assert.equal(redactConfig(config).advisorTokens.secret, '[redacted]');
});

test('every mistake is reported at once, naming the field and the env var', () => {
  const issues = issuesOf(() =>
    loadConfig({
      env: {
        PORT: 'eighty',
        LOTSE_ALLOWED_ORIGINS: 'https://ok.example, https://bad.example/path,foo',
        LOTSE_ADVISOR_TOKEN_SECRET: 'short',
        LOTSE_CHAT_IDLE_MINUTES: '-1',
        LOTSE_HEARTBEAT_SECONDS: '0',
        LOTSE_DEMO: 'maybe',
      },
    }),
  );
  const expected = [
    /^port \(env PORT\): must be a number, got "eighty"$/,
    /^demo \(env LOTSE_DEMO\): must be 1\/true or 0\/false/,
    /^allowedOrigins \(env LOTSE_ALLOWED_ORIGINS\): "https:\/\/bad.example\/path" is not an exact origin/,
    /^allowedOrigins \(env LOTSE_ALLOWED_ORIGINS\): "foo" is not an exact origin/,
    /^advisorTokens.secret \(env LOTSE_ADVISOR_TOKEN_SECRET\): must be at least 32 characters long$/,
    /^chat.idleMinutes \(env LOTSE_CHAT_IDLE_MINUTES\): must be greater than 0$/,
    /^heartbeatSeconds \(env LOTSE_HEARTBEAT_SECONDS\): must be greater than 0$/,
  ];
  assert.equal(issues.length, expected.length, issues.join('\n'));
  for (const pattern of expected)
    assert.ok(
      issues.some((issue) => pattern.test(issue)),
      `${pattern} in\n${issues.join('\n')}`,
    );
  assert.ok(!issues.join('\n').includes('short'), 'the secret is never echoed');
});

test('outside demo mode, origins and the secret are required', () => {
  const issues = issuesOf(() => loadConfig({ env: {} }));
  assert.deepEqual(issues, [
    'allowedOrigins (env LOTSE_ALLOWED_ORIGINS): required outside demo mode (comma-separated exact origins)',
    'advisorTokens.secret (env LOTSE_ADVISOR_TOKEN_SECRET): required outside demo mode (at least 32 characters)',
  ]);
});

test('demo mode: localhost origins for the port and a generated secret', () => {
  const { config, secretGenerated } = resolveConfig({ argv: ['--demo'], env: { PORT: '9000' } });
  assert.equal(config.demo, true);
  assert.equal(config.host, '127.0.0.1', 'a demo listens on loopback unless told otherwise');
  assert.deepEqual(config.allowedOrigins, ['http://localhost:9000', 'http://127.0.0.1:9000']);
  assert.equal(secretGenerated, true);
  assert.ok(config.advisorTokens.secret.length >= 32);
  assert.notEqual(loadConfig({ env: { LOTSE_DEMO: '1' } }).advisorTokens.secret, config.advisorTokens.secret);
});

test('a config file, overridden by env; unknown and wrong fields in the file are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-config-'));
  try {
    const file = join(dir, 'lotse.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 7000,
        allowedOrigins: ['https://a.example'],
        advisorTokens: { secret: SECRET, issuer: 'kasse' },
        chat: { abandonAfterSeconds: 0.5 },
        terms: { version: '2027-01', text: { de: 'Bedingungen', en: 'Terms' } },
      }),
    );
    const config = loadConfig({ argv: ['--config', file], env: { PORT: '7001' } });
    assert.equal(config.port, 7001);
    assert.equal(config.advisorTokens.issuer, 'kasse');
    assert.equal(config.chat.abandonAfterSeconds, 0.5);
    assert.equal(config.chat.idleMinutes, 30);
    assert.deepEqual(config.terms, { version: '2027-01', text: { de: 'Bedingungen', en: 'Terms' } });
    assert.equal(loadConfig({ env: { LOTSE_CONFIG: file } }).port, 7000);

    writeFileSync(
      file,
      JSON.stringify({ prot: 1, chat: { idleMinutes: 'x' }, terms: { text: { de: '' } }, demo: true }),
    );
    const issues = issuesOf(() => loadConfig({ file, env: {} }));
    assert.ok(issues.includes('prot (unknown field): is not a known setting'), issues.join('\n'));
    assert.ok(issues.includes('chat.idleMinutes (env LOTSE_CHAT_IDLE_MINUTES): must be a number'), issues.join('\n'));
    assert.ok(issues.includes('terms.text.de (config file only): must not be empty'), issues.join('\n'));

    writeFileSync(file, '{ not json');
    assert.deepEqual(
      issuesOf(() => loadConfig({ file, env: BASE_ENV })),
      [`config file ${file}: is not valid JSON`],
    );
    assert.match(
      issuesOf(() => loadConfig({ file: join(dir, 'missing.json'), env: BASE_ENV }))[0] ?? '',
      /cannot be read \(ENOENT\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('port 0 is allowed (tests), 70000 is not', () => {
  assert.equal(loadConfig({ env: { ...BASE_ENV, PORT: '0' } }).port, 0);
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: { ...BASE_ENV, PORT: '70000' } })),
    ['port (env PORT): must be 0 to 65535'],
  );
});

test('demo mode: an explicit host still wins (env or file); outside demo mode the default is 0.0.0.0', () => {
  assert.equal(resolveConfig({ argv: ['--demo'], env: { LOTSE_HOST: '0.0.0.0' } }).config.host, '0.0.0.0');
  const dir = mkdtempSync(join(tmpdir(), 'lotse-config-'));
  try {
    const file = join(dir, 'lotse.json');
    writeFileSync(file, JSON.stringify({ host: '::' }));
    assert.equal(resolveConfig({ argv: ['--demo'], file, env: {} }).config.host, '::');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(loadConfig({ env: BASE_ENV }).host, '0.0.0.0');
});

test('limits.maxConnections: default, env, and checked', () => {
  assert.equal(loadConfig({ env: BASE_ENV }).limits.maxConnections, MAX_CONNECTIONS);
  assert.equal(loadConfig({ env: { ...BASE_ENV, LOTSE_MAX_CONNECTIONS: '100' } }).limits.maxConnections, 100);
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: { ...BASE_ENV, LOTSE_MAX_CONNECTIONS: '0' } })),
    ['limits.maxConnections (env LOTSE_MAX_CONNECTIONS): must be at least 1'],
  );
});

test('http: the public origin, source maps and HSTS from the environment, checked', () => {
  const config = loadConfig({
    env: {
      ...BASE_ENV,
      LOTSE_PUBLIC_ORIGIN: 'https://chat.example-kasse.de',
      LOTSE_SOURCE_MAPS: 'true',
      LOTSE_HSTS_MAX_AGE_SECONDS: '600',
    },
  });
  assert.deepEqual(config.http, {
    publicOrigin: 'https://chat.example-kasse.de',
    sourceMaps: true,
    hstsMaxAgeSeconds: 600,
  });
  assert.deepEqual(loadConfig({ env: BASE_ENV }).http, { sourceMaps: false, hstsMaxAgeSeconds: 31_536_000 });
  const issues = issuesOf(() =>
    loadConfig({
      env: { ...BASE_ENV, LOTSE_PUBLIC_ORIGIN: 'https://chat.example-kasse.de/', LOTSE_HSTS_MAX_AGE_SECONDS: '-1' },
    }),
  );
  assert.ok(
    issues.some((issue) => issue.includes('LOTSE_PUBLIC_ORIGIN') && issue.includes('not an exact origin')),
    issues.join('\n'),
  );
  assert.ok(
    issues.some((issue) => issue.includes('LOTSE_HSTS_MAX_AGE_SECONDS')),
    issues.join('\n'),
  );
});

test('cobrowse.assetOrigins: the allowed page origins unless set; a list, "none", checked', () => {
  assert.equal(loadConfig({ env: BASE_ENV }).cobrowse.assetOrigins, undefined);
  assert.deepEqual(assetOriginsOf(loadConfig({ env: BASE_ENV })), ['https://www.example-kasse.de']);
  const set = loadConfig({
    env: { ...BASE_ENV, LOTSE_COBROWSE_ASSET_ORIGINS: 'https://cdn.example-kasse.de, https://www.example-kasse.de' },
  });
  assert.deepEqual(assetOriginsOf(set), ['https://cdn.example-kasse.de', 'https://www.example-kasse.de']);
  assert.deepEqual(assetOriginsOf(loadConfig({ env: { ...BASE_ENV, LOTSE_COBROWSE_ASSET_ORIGINS: 'none' } })), []);
  const issues = issuesOf(() =>
    loadConfig({ env: { ...BASE_ENV, LOTSE_COBROWSE_ASSET_ORIGINS: 'https://cdn.example-kasse.de/, *' } }),
  );
  assert.equal(issues.length, 1);
  assert.match(issues[0] ?? '', /^cobrowse\.assetOrigins \(env LOTSE_COBROWSE_ASSET_ORIGINS\): .*exact origin/);
});

test('limits against one client and idle sockets: defaults, env, and checked', () => {
  const limits = loadConfig({ env: BASE_ENV }).limits;
  assert.deepEqual(
    {
      waiting: limits.maxWaitingChatsPerClient,
      reserved: limits.advisorReservedConnections,
      idle: limits.visitorIdleSeconds,
    },
    { waiting: 2, reserved: 100, idle: 30 },
  );
  const set = loadConfig({
    env: {
      ...BASE_ENV,
      LOTSE_MAX_WAITING_CHATS_PER_CLIENT: '3',
      LOTSE_ADVISOR_RESERVED_CONNECTIONS: '250',
      LOTSE_VISITOR_IDLE_SECONDS: '12.5',
    },
  }).limits;
  assert.deepEqual(
    [set.maxWaitingChatsPerClient, set.advisorReservedConnections, set.visitorIdleSeconds],
    [3, 250, 12.5],
  );
  // A small budget keeps a tenth for advisors unless the share is configured; a share as large as the budget is refused.
  assert.equal(
    loadConfig({ env: { ...BASE_ENV, LOTSE_MAX_CONNECTIONS: '100' } }).limits.advisorReservedConnections,
    10,
  );
  assert.deepEqual(
    issuesOf(() =>
      loadConfig({
        env: {
          ...BASE_ENV,
          LOTSE_MAX_CONNECTIONS: '100',
          LOTSE_ADVISOR_RESERVED_CONNECTIONS: '100',
          LOTSE_MAX_WAITING_CHATS_PER_CLIENT: '0',
          LOTSE_VISITOR_IDLE_SECONDS: '0',
        },
      }),
    ),
    [
      'limits.maxWaitingChatsPerClient (env LOTSE_MAX_WAITING_CHATS_PER_CLIENT): must be at least 1',
      'limits.visitorIdleSeconds (env LOTSE_VISITOR_IDLE_SECONDS): must be greater than 0',
    ],
  );
  assert.deepEqual(
    issuesOf(() =>
      loadConfig({ env: { ...BASE_ENV, LOTSE_MAX_CONNECTIONS: '100', LOTSE_ADVISOR_RESERVED_CONNECTIONS: '100' } }),
    ),
    [
      'limits.advisorReservedConnections (env LOTSE_ADVISOR_RESERVED_CONNECTIONS): must be less than limits.maxConnections (100), or visitors could never connect',
    ],
  );
});

test('the limits of issue 12: defaults, env, and checked', () => {
  const config = loadConfig({ env: BASE_ENV });
  assert.equal(config.limits.stateEntries, 100_000);
  assert.equal(config.audit.failedLoginWindowSeconds, 300);
  assert.deepEqual(
    [
      config.cobrowse.webcodeMaxWrong,
      config.cobrowse.webcodeLockoutMinutes,
      config.cobrowse.webcodeWrongBudgetPerMinute,
      config.cobrowse.webcodeSlowdownMs,
      config.cobrowse.webcodeSlowQueue,
    ],
    [5, 15, 20, 3000, 10],
  );
  const env = {
    ...BASE_ENV,
    LOTSE_ADVISOR_TOKEN_MAX_LIFETIME_SECONDS: '3600',
    LOTSE_ADMIN_TOKEN_MAX_LIFETIME_SECONDS: '600',
    LOTSE_LIMIT_STATE_ENTRIES: '5000',
    LOTSE_COBROWSE_WEBCODE_MAX_WRONG: '3',
    LOTSE_COBROWSE_WEBCODE_LOCKOUT_MINUTES: '30',
    LOTSE_COBROWSE_WEBCODE_WRONG_BUDGET_PER_MINUTE: '50',
    LOTSE_COBROWSE_WEBCODE_SLOWDOWN_MS: '500',
    LOTSE_COBROWSE_WEBCODE_SLOW_QUEUE: '4',
    LOTSE_AUDIT_FAILED_LOGIN_WINDOW_SECONDS: '60',
  };
  const set = loadConfig({ env });
  assert.deepEqual(
    [set.advisorTokens.maxLifetimeSeconds, set.advisorTokens.adminMaxLifetimeSeconds, set.limits.stateEntries],
    [3600, 600, 5000],
  );
  assert.deepEqual(
    [
      set.cobrowse.webcodeMaxWrong,
      set.cobrowse.webcodeLockoutMinutes,
      set.cobrowse.webcodeWrongBudgetPerMinute,
      set.cobrowse.webcodeSlowdownMs,
      set.cobrowse.webcodeSlowQueue,
      set.audit.failedLoginWindowSeconds,
    ],
    [3, 30, 50, 500, 4, 60],
  );
  assert.deepEqual(
    issuesOf(() =>
      loadConfig({
        env: {
          ...BASE_ENV,
          LOTSE_ADVISOR_TOKEN_MAX_LIFETIME_SECONDS: '1000000',
          LOTSE_COBROWSE_WEBCODE_MAX_WRONG: '0',
        },
      }),
    ),
    [
      'advisorTokens.maxLifetimeSeconds (env LOTSE_ADVISOR_TOKEN_MAX_LIFETIME_SECONDS): must be 60 to 604800',
      'cobrowse.webcodeMaxWrong (env LOTSE_COBROWSE_WEBCODE_MAX_WRONG): must be 1 to 100',
    ],
  );
});

test('chat.topics: LOTSE_TOPICS as id:Label DE:Label EN, objects in the file; demo has three; bad ids refused', () => {
  const env = { LOTSE_ADVISOR_TOKEN_SECRET: SECRET, LOTSE_ALLOWED_ORIGINS: 'https://www.example.de' };
  const config = loadConfig({ env: { ...env, LOTSE_TOPICS: 'leistungen:Leistungen:Benefits, reha:Reha' } });
  assert.deepEqual(config.chat.topics, [
    { id: 'leistungen', label: { de: 'Leistungen', en: 'Benefits' } },
    { id: 'reha', label: { de: 'Reha', en: 'Reha' } },
  ]);
  assert.deepEqual(
    loadConfig({ env, demo: true }).chat.topics.map((topic) => topic.id),
    ['leistungen', 'beitraege', 'mitgliedschaft'],
  );
  assert.throws(() => loadConfig({ env: { ...env, LOTSE_TOPICS: 'Bad Id:X' } }), /chat\.topics\.0\.id/);
  assert.throws(() => loadConfig({ env: { ...env, LOTSE_TOPICS: 'a:A,a:B' } }), /unique/);
});
