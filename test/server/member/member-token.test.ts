/** Member token verification with real keys (jose), and a real JWKS server on loopback. */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import type { MemberTokenConfig } from '../../../src/server/config/member.js';
import { DEMO_MEMBER, createDemoMemberIssuer } from '../../../src/server/demo/member-issuer.js';
import { MemberTokenError, createMemberVerifier, verifyMemberToken } from '../../../src/server/member/token.js';
import type { MemberTokenErrorKind, MemberTokenReason, MemberVerifier } from '../../../src/server/member/token.js';
import { assertNoHandles } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea, mintWith, startJwksServer } from './member-keys.js';
import type { MemberArea, MemberClaims } from './member-keys.js';

function tokens(overrides: Partial<MemberTokenConfig> = {}): MemberTokenConfig {
  return {
    ...defaults.member.tokens,
    algorithms: [...defaults.member.tokens.algorithms],
    issuer: MEMBER_ISSUER,
    audience: MEMBER_AUDIENCE,
    ...overrides,
  };
}

function localVerifier(
  area: MemberArea,
  overrides: Partial<MemberTokenConfig> = {},
  now?: () => number,
): MemberVerifier {
  return createMemberVerifier(tokens({ publicKeys: [area.publicJwk], ...overrides }), now === undefined ? {} : { now });
}

async function refused(
  token: Promise<string> | string,
  verifier: MemberVerifier,
): Promise<{ kind: MemberTokenErrorKind; reason: MemberTokenReason }> {
  try {
    await verifyMemberToken(await token, verifier);
  } catch (error) {
    assert.ok(error instanceof MemberTokenError, String(error));
    assert.doesNotMatch(error.message, /Erika|A123456780|member-4711/, 'an error never carries a claim');
    return { kind: error.kind, reason: error.reason };
  }
  assert.fail('the token was accepted');
}

const area = await createMemberArea();

test('a good token gives sub, name and insurance number from its claims, and its expiry', async () => {
  const verifier = localVerifier(area);
  const before = Date.now();
  const member = await verifyMemberToken(await area.mint({ lifetime: 300 }), verifier);
  assert.equal(member.sub, 'member-4711');
  assert.equal(member.name, 'Erika Mustermann');
  assert.equal(member.insuranceNumber, 'A123456780');
  assert.ok(member.expiresAt >= Math.floor(before / 1000) * 1000 + 299_000 && member.expiresAt <= Date.now() + 301_000);
});

test('configured claim names are read instead of the defaults', async () => {
  const verifier = localVerifier(area, { nameClaim: 'display_name', insuranceNumberClaim: 'kvnr' });
  const member = await verifyMemberToken(
    await area.mint({ display_name: 'Max Muster', kvnr: 'B987654321', name: undefined, insurance_number: undefined }),
    verifier,
  );
  assert.deepEqual([member.name, member.insuranceNumber], ['Max Muster', 'B987654321']);
  assert.deepEqual(await refused(area.mint(), verifier), { kind: 'invalid', reason: 'claims' });
});

test('expired: exp passed beyond the tolerance; inside the tolerance it still counts', async () => {
  const verifier = localVerifier(area);
  assert.deepEqual(await refused(area.mint({ iatOffset: -200, lifetime: 120 }), verifier), {
    kind: 'expired',
    reason: 'expired',
  });
  // exp 10 s ago, tolerance 30 s.
  const late = await verifyMemberToken(await area.mint({ iatOffset: -130, lifetime: 120 }), verifier);
  assert.equal(late.sub, 'member-4711');
  assert.deepEqual(
    await refused(area.mint({ iatOffset: -130, lifetime: 120 }), localVerifier(area, { clockToleranceSeconds: 0 })),
    {
      kind: 'expired',
      reason: 'expired',
    },
  );
});

test('expired by the injected clock: the same token, five minutes later', async () => {
  let now = Date.now();
  const verifier = localVerifier(area, {}, () => now);
  const token = await area.mint({ lifetime: 120 });
  await verifyMemberToken(token, verifier);
  now += 5 * 60_000;
  assert.deepEqual(await refused(token, verifier), { kind: 'expired', reason: 'expired' });
});

test('a lifetime above maxLifetimeSeconds is refused as invalid (a fresh one would be too)', async () => {
  assert.deepEqual(await refused(area.mint({ lifetime: 3600 }), localVerifier(area)), {
    kind: 'invalid',
    reason: 'lifetime',
  });
  assert.deepEqual(await refused(area.mint({ lifetime: 200 }), localVerifier(area, { maxLifetimeSeconds: 120 })), {
    kind: 'invalid',
    reason: 'lifetime',
  });
});

test('an iat in the future beyond the tolerance is invalid; within it, fine', async () => {
  assert.deepEqual(await refused(area.mint({ iatOffset: 120, lifetime: 120 }), localVerifier(area)), {
    kind: 'invalid',
    reason: 'claims',
  });
  assert.equal(
    (await verifyMemberToken(await area.mint({ iatOffset: 20, lifetime: 120 }), localVerifier(area))).sub,
    'member-4711',
  );
});

test('wrong issuer or audience', async () => {
  assert.deepEqual(await refused(area.mint({ iss: 'https://evil.example' }), localVerifier(area)), {
    kind: 'invalid',
    reason: 'claims',
  });
  assert.deepEqual(await refused(area.mint({ aud: 'another-app' }), localVerifier(area)), {
    kind: 'invalid',
    reason: 'claims',
  });
});

test('signed with another key (same kid), or a kid nobody published', async () => {
  const forger = await createMemberArea(area.kid);
  assert.deepEqual(await refused(forger.mint(), localVerifier(area)), { kind: 'invalid', reason: 'signature' });
  const stranger = await createMemberArea('unknown-kid');
  assert.deepEqual(await refused(stranger.mint(), localVerifier(area)), { kind: 'invalid', reason: 'signature' });
});

test('alg none, and HS256 keyed with the public key, are refused', async () => {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: 'member-4711',
    name: 'Erika Mustermann',
    insurance_number: 'A123456780',
    iss: MEMBER_ISSUER,
    aud: MEMBER_AUDIENCE,
    iat: now,
    exp: now + 120,
  };
  const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
  assert.equal((await refused(unsigned, localVerifier(area))).kind, 'invalid');
  const withFakeSignature = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.${encode({ x: 1 })}`;
  assert.equal((await refused(withFakeSignature, localVerifier(area))).kind, 'invalid');
  // The classic confusion: the verifier's public key used as an HMAC secret.
  const pem = createPublicKey({ key: area.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  for (const secret of [pem, JSON.stringify(area.publicJwk)]) {
    const confused = await mintWith(new TextEncoder().encode(String(secret)), { alg: 'HS256', kid: area.kid });
    assert.deepEqual(await refused(confused, localVerifier(area)), { kind: 'invalid', reason: 'algorithm' });
  }
  // Even an allow-list that names RS256 does not let an ES256 token through.
  assert.deepEqual(await refused(area.mint(), localVerifier(area, { algorithms: ['RS256'] })), {
    kind: 'invalid',
    reason: 'algorithm',
  });
});

test('missing or malformed claims', async () => {
  const verifier = localVerifier(area);
  const cases: MemberClaims[] = [
    { sub: undefined },
    { sub: '' },
    { name: undefined },
    { name: '   ' },
    { name: 'Erika\u0000Mustermann' },
    { name: 'Erika \u202EnnamretsuM' },
    { name: 'x'.repeat(201) },
    { insurance_number: undefined },
    { insurance_number: 'A123-456' },
    { insurance_number: 'A'.repeat(33) },
    { insurance_number: 1234567890 as unknown as string },
  ];
  for (const claims of cases) {
    assert.deepEqual(
      await refused(area.mint(claims), verifier),
      { kind: 'invalid', reason: 'claims' },
      JSON.stringify(claims),
    );
  }
  const noIat = await new (await import('jose')).SignJWT({
    sub: 'm',
    name: 'N',
    insurance_number: 'A1',
    iss: MEMBER_ISSUER,
    aud: MEMBER_AUDIENCE,
  })
    .setProtectedHeader({ alg: 'ES256', kid: area.kid })
    .setExpirationTime('2m')
    .sign(area.privateKey);
  assert.equal((await refused(noIat, verifier)).kind, 'invalid');
  assert.equal((await refused('not.a.token', verifier)).kind, 'invalid');
});

test('JWKS URL: keys fetched once and cached; an unknown kid refetches (rotation); an unreachable URL is invalid', async () => {
  const second = await createMemberArea('kasse-2');
  const jwks = await startJwksServer([area.publicJwk]);
  try {
    const verifier = createMemberVerifier(tokens({ jwksUrl: jwks.url }), { remote: { cooldownMs: 0 } });
    assert.equal((await verifyMemberToken(await area.mint(), verifier)).sub, 'member-4711');
    await verifyMemberToken(await area.mint({ sub: 'member-2' }), verifier);
    assert.equal(jwks.fetches, 1, 'a known kid is served from the cache');
    // The member area rotates to a new key: its tokens carry a kid the cache does not know.
    jwks.setKeys([second.publicJwk]);
    assert.equal((await verifyMemberToken(await second.mint({ sub: 'member-3' }), verifier)).sub, 'member-3');
    assert.equal(jwks.fetches, 2, 'the unknown kid made exactly one refetch');
    // The old key is gone from the set now: a token signed with it no longer verifies.
    assert.equal((await refused(area.mint(), verifier)).kind, 'invalid');
  } finally {
    await jwks.close();
  }
  const gone = createMemberVerifier(tokens({ jwksUrl: jwks.url }), { remote: { timeoutMs: 1000 } });
  assert.deepEqual(await refused(area.mint(), gone), { kind: 'invalid', reason: 'keys' });
  await assertNoHandles();
});

test('the demo issuer mints five-minute tokens for Erika Mustermann that its own settings verify', async () => {
  const demo = createDemoMemberIssuer(tokens());
  assert.equal(demo.publicJwk.kty, 'EC');
  assert.equal('d' in demo.publicJwk, false, 'only the public half is exposed');
  const token = await demo.mint();
  const member = await verifyMemberToken(token, createMemberVerifier(demo.tokens));
  assert.deepEqual({ sub: member.sub, name: member.name, insuranceNumber: member.insuranceNumber }, DEMO_MEMBER);
  assert.ok(member.expiresAt - Date.now() <= 300_000 && member.expiresAt - Date.now() > 290_000);
  // Another demo server's tokens are not accepted here.
  const other = createDemoMemberIssuer(tokens());
  assert.equal((await refused(other.mint(), createMemberVerifier(demo.tokens))).kind, 'invalid');
});
