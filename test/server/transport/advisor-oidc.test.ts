import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { UnsecuredJWT, SignJWT, generateKeyPair } from 'jose';
import { ConfigError, defaults } from '../../../src/server/config/lotse-config.js';
import { loadConfig } from '../../../src/server/config/load.js';
import type { OidcConfig } from '../../../src/server/config/oidc.js';
import { mintAdvisorToken, verifyAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { OidcVerifier, discoveryUrl } from '../../../src/server/transport/advisor-oidc.js';
import type { OidcSettings } from '../../../src/server/transport/advisor-oidc.js';
import { startKeyServer } from '../../helpers/oidc-keys.js';
import type { KeyServer } from '../../helpers/oidc-keys.js';

const SECRET = 'x'.repeat(40);
const CLIENT = 'lotse-console';
let keys: KeyServer;

before(async () => {
  keys = await startKeyServer();
});
after(() => keys.close());

function settings(over: Partial<OidcConfig> = {}): OidcSettings {
  return {
    ...defaults.oidc,
    algorithms: [...defaults.oidc.algorithms],
    issuer: keys.issuer,
    clientId: CLIENT,
    ...over,
  };
}

/** A whole token configuration, as the upgrade and `/admin/*` pass it; a fresh `oidc` object: a fresh key cache. */
function config(over: Partial<OidcConfig> = {}) {
  return {
    advisorTokens: { secret: SECRET, issuer: 'lotse', audience: 'lotse-advisor', maxLifetimeSeconds: 3600 },
    oidc: settings(over),
  };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  iss: keys.issuer,
  aud: CLIENT,
  sub: 'u-1',
  name: 'Anna Beraterin',
  iat: now(),
  exp: now() + 300,
  ...over,
});

test('RS256 and ES256 tokens of the provider sign in; id, name, roles and topics from the claims', async () => {
  const cfg = config();
  for (const alg of ['RS256', 'ES256'] as const) {
    const token = await keys.sign(claims({ roles: ['advisor'], topics: ['leistungen', 'beitraege'] }), { alg });
    const advisor = await verifyAdvisorToken(token, cfg);
    assert.equal(advisor.id, 'u-1');
    assert.equal(advisor.name, 'Anna Beraterin');
    assert.deepEqual(advisor.roles, ['advisor']);
    assert.deepEqual(advisor.topics, ['leistungen', 'beitraege']);
    assert.ok(Math.abs(advisor.expiresAt - (Date.now() + 300_000)) < 2000);
  }
  // Discovery once, keys once: both kept for the next tokens.
  assert.equal(keys.hits.get('/.well-known/openid-configuration'), 1);
  assert.equal(keys.hits.get('/jwks'), 1);
});

test('configured claims: nested roles, another id claim, a single string, preferred_username for the name', async () => {
  const cfg = config({ rolesClaim: 'realm_access.roles', topicsClaim: 'lotse_topic', idClaim: 'oid' });
  const token = await keys.sign(
    claims({
      name: undefined,
      preferred_username: 'anna',
      oid: 'object-7',
      realm_access: { roles: ['admin', 42, 'advisor'] },
      lotse_topic: 'leistungen',
      roles: ['ignored'],
    }),
  );
  const advisor = await verifyAdvisorToken(token, cfg);
  assert.deepEqual(
    { id: advisor.id, name: advisor.name, roles: advisor.roles, topics: advisor.topics },
    { id: 'object-7', name: 'anna', roles: ['admin', 'advisor'], topics: ['leistungen'] },
  );
  // Without roles or topics: empty lists. Without any name: refused.
  const bare = await verifyAdvisorToken(await keys.sign(claims()), config());
  assert.deepEqual([bare.roles, bare.topics], [[], []]);
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ name: undefined })), config()), /name/);
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ name: 'A\u202Eb' })), config()), /name/);
});

test('HS256 and none are refused for the provider; HS256 advisor tokens of the secret still work beside it', async () => {
  const cfg = config();
  const secret = new TextEncoder().encode(SECRET);
  const hs = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  await assert.rejects(verifyAdvisorToken(hs, cfg));
  // Unsigned: refused by the algorithm list.
  const none = new UnsecuredJWT(claims()).encode();
  await assert.rejects(verifyAdvisorToken(none, cfg));
  const hs512 = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512' }).sign(secret);
  await assert.rejects(verifyAdvisorToken(hs512, cfg));
  // An algorithm the operator did not allow.
  await assert.rejects(
    verifyAdvisorToken(await keys.sign(claims(), { alg: 'ES256' }), config({ algorithms: ['RS256'] })),
  );
  // `lotse mint-advisor-token` keeps working while OIDC is on.
  const minted = await mintAdvisorToken({ id: 'adv-9', name: 'Demo' }, cfg, 600);
  assert.deepEqual((await verifyAdvisorToken(minted, cfg)).topics, []);
  assert.equal((await verifyAdvisorToken(minted, cfg)).id, 'adv-9');
});

test('wrong issuer, audience or key are refused', async () => {
  const cfg = config();
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ iss: 'https://idp.example' })), cfg));
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ aud: 'other-client' })), cfg));
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ sub: undefined })), cfg));
  const stranger = await generateKeyPair('RS256');
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims(), { key: stranger.privateKey }), cfg));
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims(), { key: stranger.privateKey, kid: 'x' }), cfg));
  // `oidc.audience` for access tokens of an API, instead of the client id.
  const api = config({ audience: 'lotse-api' });
  assert.equal((await verifyAdvisorToken(await keys.sign(claims({ aud: ['lotse-api', 'x'] })), api)).id, 'u-1');
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims()), api));
});

test('the lifetime caps of advisor tokens hold for the provider too', async () => {
  const cfg = { ...config(), advisorTokens: { ...config().advisorTokens, adminMaxLifetimeSeconds: 600 } };
  // Living longer than advisorTokens.maxLifetimeSeconds (3600): refused, however fresh.
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ exp: now() + 3601 })), cfg), /lifetime/);
  // Issued longer ago than the cap: expired, whatever `exp` says.
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ iat: now() - 3700, exp: now() + 60 })), cfg));
  // Expired; `iat` in the future beyond the tolerance; no `iat` or `exp`.
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ iat: now() - 400, exp: now() - 100 })), cfg));
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ iat: now() + 120 })), cfg));
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ iat: undefined })), cfg));
  await assert.rejects(verifyAdvisorToken(await keys.sign(claims({ exp: undefined })), cfg));
  // An admin at /admin/*: the admin cap (600 s).
  const admin = await keys.sign(claims({ roles: ['admin'], exp: now() + 1800 }));
  assert.deepEqual((await verifyAdvisorToken(admin, cfg)).roles, ['admin']);
  await assert.rejects(verifyAdvisorToken(admin, cfg, 'admin'), /lifetime/);
  assert.ok(await verifyAdvisorToken(await keys.sign(claims({ roles: ['admin'], exp: now() + 600 })), cfg, 'admin'));
});

test('discovery: the document must name its issuer; failures are not kept; a hanging provider times out', async () => {
  assert.equal(
    discoveryUrl('https://idp.example/realms/x/').href,
    'https://idp.example/realms/x/.well-known/openid-configuration',
  );
  const original = keys.discovery;
  try {
    keys.discovery = { ...original, issuer: 'https://evil.example' };
    const verifier = new OidcVerifier(settings({ timeoutSeconds: 0.5 }));
    await assert.rejects(verifier.discovery(), /issuer differs/);
    keys.discovery = { ...original, jwks_uri: 'http://keys.example/jwks' };
    await assert.rejects(verifier.discovery(), /jwks_uri/);
    keys.discovery = original;
    assert.equal((await verifier.discovery()).tokenEndpoint, `${keys.issuer}/token`);

    keys.hang = true;
    const slow = new OidcVerifier(settings({ timeoutSeconds: 0.3 }));
    const started = Date.now();
    // Two at once share one request.
    const before = keys.hits.get('/.well-known/openid-configuration') ?? 0;
    const results = await Promise.allSettled([slow.discovery(), slow.discovery()]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'rejected'],
    );
    assert.equal(keys.hits.get('/.well-known/openid-configuration'), before + 1);
    assert.ok(Date.now() - started < 2000);
    // A token meanwhile is refused, not held.
    await assert.rejects(verifyAdvisorToken(await keys.sign(claims()), config({ timeoutSeconds: 0.3 })));
  } finally {
    keys.hang = false;
    keys.discovery = original;
  }
});

test('oidc.* from the environment: defaults, lists, and the checks across fields', () => {
  const env = { LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de', LOTSE_ADVISOR_TOKEN_SECRET: SECRET };
  assert.equal(loadConfig({ env }).oidc.issuer, undefined);
  const on = loadConfig({
    env: {
      ...env,
      LOTSE_OIDC_ISSUER: 'https://login.example-kasse.de/realms/beratung',
      LOTSE_OIDC_CLIENT_ID: 'lotse-console',
      LOTSE_OIDC_ROLES_CLAIM: 'realm_access.roles',
      LOTSE_OIDC_ALGORITHMS: 'RS256,ES256',
    },
  }).oidc;
  assert.deepEqual(
    { ...on },
    {
      issuer: 'https://login.example-kasse.de/realms/beratung',
      clientId: 'lotse-console',
      scope: 'openid profile',
      algorithms: ['RS256', 'ES256'],
      idClaim: 'sub',
      nameClaim: 'name',
      rolesClaim: 'realm_access.roles',
      topicsClaim: 'topics',
      timeoutSeconds: 5,
    },
  );
  const refused = (over: Record<string, string>): string => {
    try {
      loadConfig({ env: { ...env, ...over } });
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    assert.fail('accepted');
  };
  assert.match(refused({ LOTSE_OIDC_ISSUER: 'http://idp.example' }), /LOTSE_OIDC_ISSUER.*https/);
  assert.match(refused({ LOTSE_OIDC_ISSUER: 'https://idp.example' }), /oidc\.audience.*required/);
  assert.match(refused({ LOTSE_OIDC_CLIENT_ID: 'c' }), /oidc\.issuer.*required/);
  assert.match(
    refused({ LOTSE_OIDC_ISSUER: 'https://i.example', LOTSE_OIDC_AUDIENCE: 'a', LOTSE_OIDC_ALGORITHMS: 'HS256' }),
    /HS256.*not allowed/,
  );
  assert.match(
    refused({ LOTSE_OIDC_ISSUER: 'https://i.example', LOTSE_OIDC_CLIENT_ID: 'c', LOTSE_OIDC_SCOPE: 'profile' }),
    /openid/,
  );
});
