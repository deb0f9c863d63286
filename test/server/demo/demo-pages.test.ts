/** Demo mode over HTTP: its pages, and the advisor token for this machine only; none of it outside demo mode. */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, afterEach, before, test } from 'node:test';
import { verifyAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { assertSecurityHeaders, rawRequest, servedFiles } from '../http-helpers.js';
import type { Reply, ServedFiles } from '../http-helpers.js';

/** A raw GET (or another method), so that paths like /lotse/../x reach the server unnormalised. */
const get = (base: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> =>
  rawRequest(base, path, { method, headers });

let served: ServedFiles | undefined;
let harness: Harness | undefined;

before(() => {
  served = servedFiles('lotse-demo-pages-');
});

after(() => served?.remove());

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const paths = () => served!.paths;

test('demo endpoints are 404 outside demo mode', async () => {
  const h = (harness = await startServer({}, paths()));
  for (const path of ['/', '/advisor.html', '/demo/advisor-token', '/index.html']) {
    const reply = await get(h.url, path);
    assert.equal(reply.status, 404, path);
    assertSecurityHeaders(reply);
  }
});

test('demo mode serves the pages with a strict CSP and a demo advisor token', async () => {
  const h = (harness = await startServer({ demo: true }, paths()));
  const index = await get(h.url, '/');
  assert.equal(index.status, 200);
  assert.match(index.body, /Demo/);
  const csp = String(index.headers['content-security-policy']);
  for (const part of [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ]) {
    assert.ok(csp.includes(part), part);
  }
  assert.ok(csp.includes("connect-src 'self'"));
  assert.ok(!csp.includes(new URL(h.url).host), 'the CSP never echoes the Host header');
  assertSecurityHeaders(index);
  assert.equal((await get(h.url, '/advisor.html')).status, 200);
  const tokenReply = await get(h.url, '/demo/advisor-token');
  assert.equal(tokenReply.headers['cache-control'], 'no-store');
  const { token } = JSON.parse(tokenReply.body) as { token: string };
  const advisor = await verifyAdvisorToken(token, h.server.config);
  assert.deepEqual({ id: advisor.id, name: advisor.name }, { id: 'demo-advisor', name: 'Demo-Beraterin' });
});

test('the demo advisor token: only for a loopback peer that names this server by a loopback name and its port', async () => {
  const h = (harness = await startServer({ demo: true }, paths()));
  const { port } = new URL(h.url);
  const status = async (headers: Record<string, string>) =>
    (await get(h.url, '/demo/advisor-token', 'GET', headers)).status;
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
    assert.equal(await status({ Host: host }), 200, host);
  }
  // DNS rebinding: a page on another name that now resolves to 127.0.0.1 still sends its own name.
  for (const host of [
    `evil.example:${port}`,
    'evil.example',
    `localhost:${Number(port) + 1}`,
    'localhost',
    `127.0.0.1.evil.example:${port}`,
  ]) {
    assert.equal(await status({ Host: host }), 403, host);
  }
  for (const [name, value] of [
    ['X-Forwarded-For', '198.51.100.7'],
    ['Forwarded', 'for=198.51.100.7'],
    ['X-Real-IP', '198.51.100.7'],
    ['Via', '1.1 proxy'],
    ['X-Forwarded-Host', 'kasse.example'],
  ]) {
    assert.equal(
      await status({ Host: `localhost:${port}`, [name as string]: value as string }),
      403,
      `through a proxy (${name})`,
    );
  }
  assert.equal((await get(h.url, '/')).status, 200, 'the demo pages themselves are served');
});

test('the demo advisor token is refused to a peer on another machine', async (t) => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((item) => item !== undefined && !item.internal && item.family === 'IPv4')?.address;
  if (external === undefined) {
    t.skip('no non-loopback IPv4 interface to connect from');
    return;
  }
  const h = (harness = await startServer({ demo: true, host: '0.0.0.0' }, paths()));
  const { port } = new URL(h.url);
  // Connected to the machine's own external address, the peer is that address: not loopback.
  const reply = await get(`http://${external}:${port}`, '/demo/advisor-token', 'GET', { Host: `localhost:${port}` });
  assert.equal(reply.status, 403);
  assert.ok(!reply.body.includes('token'));
  assert.equal(await get(`http://127.0.0.1:${port}`, '/demo/advisor-token').then((r) => r.status), 200);
  // Demo mode on a public address says so, loudly, at start.
  assert.ok(
    h.logs.some((line) => JSON.parse(line).event === 'server.demo_exposed' && JSON.parse(line).level === 'warn'),
  );
});

test('demo mode on a loopback address does not warn', async () => {
  const h = (harness = await startServer({ demo: true }, paths()));
  assert.ok(!h.logs.some((line) => JSON.parse(line).event === 'server.demo_exposed'));
});
