/**
 * Issue 12, item 5: advisor and admin tokens have a bounded lifetime, `iat` and `exp` are required, and an `iat` in
 * the future is refused; on a real server, at `/ws/advisor` and at `/admin/audit`. Tokens are signed here with the
 * server's own secret, so only their claims are wrong.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { ORIGIN, SECRET, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const YEAR = 365 * 24 * 3600;

/** An HS256 token with the server's secret, issuer and audience; `iat`/`exp` as given (seconds, `undefined`: left out). */
function signed(claims: { iat?: number | undefined; exp?: number | undefined; roles?: string[] }): Promise<string> {
  const payload: Record<string, unknown> = { name: 'Anna', ...(claims.roles ? { roles: claims.roles } : {}) };
  if (claims.iat !== undefined) payload['iat'] = claims.iat;
  if (claims.exp !== undefined) payload['exp'] = claims.exp;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('a.schmidt')
    .setIssuer('lotse')
    .setAudience('lotse-advisor')
    .sign(new TextEncoder().encode(SECRET));
}

/** 101 (accepted) or the refusal status of an advisor upgrade with `token`. */
function upgradeStatus(h: Harness, token: string): Promise<number> {
  const ws = new WebSocket(`${h.wsUrl}/ws/advisor`, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`], {
    origin: ORIGIN,
  });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('error', () => undefined);
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
  });
}

const auditStatus = async (h: Harness, token: string): Promise<number> =>
  (await fetch(`${h.url}/admin/audit`, { headers: { Authorization: `Bearer ${token}` } })).status;

test('an advisor token living until 2999, or issued a year ahead, or without iat, is refused; 12 h is fine', async () => {
  const h = (harness = await startServer());
  const now = Math.floor(Date.now() / 1000);
  const cases = {
    'exp in 2999': await signed({ iat: now, exp: Math.floor(Date.UTC(2999, 0, 1) / 1000) }),
    'iat a year ahead': await signed({ iat: now + YEAR, exp: now + YEAR + 3600 }),
    'iat 5 minutes ahead': await signed({ iat: now + 300, exp: now + 3600 }),
    'no iat': await signed({ exp: now + 3600 }),
    'no exp': await signed({ iat: now }),
    '13 hours': await signed({ iat: now, exp: now + 13 * 3600 }),
    'issued 13 hours ago, exp ahead': await signed({ iat: now - 13 * 3600, exp: now + 3600 }),
  };
  const statuses = Object.fromEntries(
    await Promise.all(Object.entries(cases).map(async ([name, token]) => [name, await upgradeStatus(h, token)])),
  );
  console.log(JSON.stringify({ figure: 'advisor upgrade status per token', statuses }));
  assert.deepEqual(statuses, Object.fromEntries(Object.keys(cases).map((name) => [name, 401])));

  assert.equal(await upgradeStatus(h, await signed({ iat: now, exp: now + 12 * 3600 })), 101, 'the 12 h cap itself');
  assert.equal(
    await upgradeStatus(h, await signed({ iat: now + 20, exp: now + 3600 })),
    101,
    'within the 30 s clock tolerance',
  );
  assert.equal(
    await upgradeStatus(h, await mintAdvisorToken({ id: 'adv-1', name: 'Anna' }, h.server.config, 8 * 3600)),
    101,
  );
  await assert.rejects(mintAdvisorToken({ id: 'adv-1', name: 'Anna' }, h.server.config, 13 * 3600), /at most 43200/);
});

test('an admin token: exp in 2999 cannot read /admin/audit; over 1 h is refused there (401); 1 h reads it', async () => {
  const h = (harness = await startServer());
  const now = Math.floor(Date.now() / 1000);
  const admin = ['admin'];
  const forever = await signed({ iat: now, exp: Math.floor(Date.UTC(2999, 0, 1) / 1000), roles: admin });
  const future = await signed({ iat: now + YEAR, exp: now + YEAR + 600, roles: admin });
  const twoHours = await signed({ iat: now, exp: now + 2 * 3600, roles: admin });
  const figures = {
    forever: await auditStatus(h, forever),
    future: await auditStatus(h, future),
    twoHours: await auditStatus(h, twoHours),
  };
  console.log(JSON.stringify({ figure: 'GET /admin/audit status per admin token', figures }));
  assert.deepEqual(figures, { forever: 401, future: 401, twoHours: 401 });
  // Without storage the export answers 503 after authorisation: the token itself was accepted.
  assert.equal(await auditStatus(h, await signed({ iat: now, exp: now + 3600, roles: admin })), 503);
  assert.equal(await upgradeStatus(h, twoHours), 101, 'a 2 h admin token still signs in to the console (advisor cap)');
  assert.equal(
    await auditStatus(h, await signed({ iat: now, exp: now + 2 * 3600 })),
    403,
    'no admin role: 403 as before',
  );
});

test('the caps are configuration', async () => {
  const h = (harness = await startServer({ advisorTokens: { maxLifetimeSeconds: 600, adminMaxLifetimeSeconds: 300 } }));
  const now = Math.floor(Date.now() / 1000);
  assert.equal(await upgradeStatus(h, await signed({ iat: now, exp: now + 900 })), 401);
  assert.equal(await upgradeStatus(h, await signed({ iat: now, exp: now + 600 })), 101);
  assert.equal(await auditStatus(h, await signed({ iat: now, exp: now + 600, roles: ['admin'] })), 401);
  assert.equal(await auditStatus(h, await signed({ iat: now, exp: now + 300, roles: ['admin'] })), 503);
});
