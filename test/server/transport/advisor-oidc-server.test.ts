/**
 * OIDC advisor tokens on a real server: at the WebSocket upgrade (`lotse.bearer.<jwt>`), at `/admin/*`, and the
 * console's settings at `/advisor/config`. Keys from a real key server over HTTP (`test/helpers/oidc-keys.ts`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { refusedStatus, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { startKeyServer } from '../../helpers/oidc-keys.js';
import type { KeyServer } from '../../helpers/oidc-keys.js';

let keys: KeyServer;
let h: Harness;

before(async () => {
  keys = await startKeyServer();
  h = await startServer({ oidc: { issuer: keys.issuer, clientId: 'lotse-console' } });
});
after(async () => {
  await h.close({ checkHandles: false });
  await keys.close();
});

const now = () => Math.floor(Date.now() / 1000);
const token = (over: Record<string, unknown> = {}) =>
  keys.sign({
    iss: keys.issuer,
    aud: 'lotse-console',
    sub: 'u-1',
    name: 'Olga Oidc',
    iat: now(),
    exp: now() + 300,
    ...over,
  });

test('an OIDC token opens the advisor socket; a wrong one gets 401 before any socket exists', async () => {
  const advisor = await h.advisor('ignored', 'ignored', {
    protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${await token({ topics: ['leistungen'] })}`],
  });
  advisor.send({ type: 'advisor.hello', chats: [] });
  assert.deepEqual((await advisor.next('advisor.welcome')).advisor, { id: 'u-1', name: 'Olga Oidc' });
  const url = `${h.wsUrl}/ws/advisor`;
  assert.equal(await refusedStatus(url, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${await token({ aud: 'x' })}`]), 401);
  assert.equal(await refusedStatus(url, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}not.a.jwt`]), 401);
  // The HS256 advisor tokens of the secret still sign in beside OIDC.
  const minted = await mintAdvisorToken({ id: 'adv-2', name: 'Demo' }, h.server.config, 600);
  const second = await h.advisor('x', 'x', { protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${minted}`] });
  second.send({ type: 'advisor.hello', chats: [] });
  assert.equal((await second.next('advisor.welcome')).advisor.id, 'adv-2');
});

test('/admin/* takes OIDC tokens: the admin role from the claim, the admin lifetime cap', async () => {
  const ask = async (bearer: string) =>
    (await fetch(`${h.url}/admin/audit`, { headers: { authorization: `Bearer ${bearer}` } })).status;
  // No store in this test: 503 means the admin got through.
  assert.equal(await ask(await token({ roles: ['admin'] })), 503);
  assert.equal(await ask(await token({ roles: ['advisor'] })), 403);
  // An admin token living longer than advisorTokens.adminMaxLifetimeSeconds (1 h): refused at /admin/*.
  assert.equal(await ask(await token({ roles: ['admin'], exp: now() + 7200 })), 401);
  assert.equal(await ask(await token({ roles: ['admin'], iss: 'https://other.example' })), 401);
});

test("/advisor/config names the provider's logout page when its discovery document has one", async () => {
  const plain = keys.discovery;
  keys.discovery = { ...plain, end_session_endpoint: `${keys.issuer}/session/end` };
  const server = await startServer({ oidc: { issuer: keys.issuer, clientId: 'lotse-console' } });
  try {
    const body = (await (await fetch(`${server.url}/advisor/config`)).json()) as { oidc: Record<string, unknown> };
    assert.equal(body.oidc['endSessionEndpoint'], `${keys.issuer}/session/end`);
  } finally {
    keys.discovery = plain;
    await server.close({ checkHandles: false });
  }
});

test('/advisor/config tells the console the provider, its client id and endpoints', async () => {
  const response = await fetch(`${h.url}/advisor/config`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await response.json(), {
    oidc: {
      issuer: keys.issuer,
      clientId: 'lotse-console',
      scope: 'openid profile',
      authorizationEndpoint: `${keys.issuer}/auth`,
      tokenEndpoint: `${keys.issuer}/token`,
    },
  });
  const plain = await startServer();
  try {
    assert.deepEqual(await (await fetch(`${plain.url}/advisor/config`)).json(), { oidc: null });
  } finally {
    await plain.close({ checkHandles: false });
  }
  keys.hang = true;
  const hanging = await startServer({ oidc: { issuer: keys.issuer, clientId: 'c', timeoutSeconds: 0.3 } });
  try {
    const logged = hanging.nextLog((line) => line['event'] === 'oidc.unavailable');
    assert.equal((await fetch(`${hanging.url}/advisor/config`)).status, 503);
    const { level, event, reason } = await logged;
    assert.deepEqual({ level, event, reason }, { level: 'warn', event: 'oidc.unavailable', reason: 'keys' });
    // A token meanwhile: 401 at the upgrade, and the log line not repeated within 30 s.
    const url = `${hanging.wsUrl}/ws/advisor`;
    assert.equal(
      await refusedStatus(url, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${await token({ aud: 'c' })}`]),
      401,
    );
    assert.equal(hanging.logs.filter((line) => line.includes('oidc.unavailable')).length, 1);
  } finally {
    keys.hang = false;
    await hanging.close({ checkHandles: false });
  }
});
