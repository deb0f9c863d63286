/**
 * The security headers of every response (issue 12, item 13): HSTS over TLS only (directly or through a trusted
 * proxy, here a real nginx terminating TLS), Permissions-Policy, COOP and CORP fitting each resource, framing
 * refused, a CSP built from configuration and never from the Host header, no source maps unless configured, and a
 * `Host` with a leading-zero port not taken for loopback.
 */
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, afterEach, before, test } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { isLocalRequest } from '../../../src/server/transport/loopback.js';
import { hasNginx, startNginx } from '../../helpers/nginx.js';
import type { Nginx } from '../../helpers/nginx.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { rawRequest, servedFiles } from '../http-helpers.js';
import type { Reply, ServedFiles } from '../http-helpers.js';

const get = (base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> =>
  rawRequest(base, path, { method, headers });

function getTls(base: string, path: string, ca: string): Promise<Pick<Reply, 'status' | 'headers'>> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: url.hostname, port: url.port, path, ca, servername: 'localhost', agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let served: ServedFiles | undefined;
let harness: Harness | undefined;
let nginx: Nginx | undefined;

before(() => {
  served = servedFiles('lotse-headers-', {
    'cdn/lotse.js': 'export const x = 1;\n//# sourceMappingURL=lotse.js.map\n',
    'cdn/lotse.js.map': '{"version":3,"sources":["../../src/visitor/lotse.ts"],"mappings":""}',
  });
});

after(() => served?.remove());

afterEach(async () => {
  await nginx?.close();
  nginx = undefined;
  await harness?.close();
  harness = undefined;
});

const paths = () => served!.paths;

/** Every response, whatever route answered it (or none). */
const EVERY = [
  '/healthz',
  '/availability',
  '/lotse/lotse.js',
  '/lotse/terms.js',
  '/lotse/missing.js',
  '/nothing',
  '/admin/audit',
  '/',
  '/advisor.html',
  '/demo/advisor-token',
];
/** What the insurer's pages load from another origin. */
const CROSS_ORIGIN = new Set(['/availability', '/lotse/lotse.js', '/lotse/terms.js']);

test('every response: Permissions-Policy, COOP, framing refused, and CORP fitting the resource', async () => {
  const h = (harness = await startServer({ demo: true }, paths()));
  for (const path of EVERY) {
    const reply = await get(h.url, path);
    assert.match(
      String(reply.headers['permissions-policy']),
      /camera=\(\), .*geolocation=\(\), .*microphone=\(\)/,
      path,
    );
    assert.equal(reply.headers['cross-origin-opener-policy'], 'same-origin', path);
    assert.equal(reply.headers['x-frame-options'], 'DENY', path);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff', path);
    const corp = CROSS_ORIGIN.has(path) ? 'cross-origin' : 'same-origin';
    assert.equal(reply.headers['cross-origin-resource-policy'], corp, `${path} (status ${reply.status})`);
    // Plain HTTP: HSTS would be ignored by the browser and wrong to send.
    assert.equal(reply.headers['strict-transport-security'], undefined, path);
  }
  // A method the server refuses still carries them.
  const refused = await get(h.url, '/lotse/lotse.js', {}, 'DELETE');
  assert.equal(refused.status, 405);
  assert.equal(refused.headers['x-frame-options'], 'DENY');
  for (const page of ['/', '/advisor.html']) {
    const csp = String((await get(h.url, page)).headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'none'/, page);
  }
});

test("the pages' CSP is built from the configured public origin and never echoes the Host header", async () => {
  const h = (harness = await startServer({ demo: true }, paths()));
  const { port } = new URL(h.url);
  const plain = String((await get(h.url, '/', { Host: `evil.example:${port}` })).headers['content-security-policy']);
  assert.ok(!plain.includes('evil.example'), plain);
  assert.match(plain, /connect-src 'self'(;|$)/);
  await h.close();
  const configured = (harness = await startServer(
    { demo: true, http: { publicOrigin: 'https://chat.example-kasse.de' } },
    paths(),
  ));
  const csp = String((await get(configured.url, '/', { Host: 'evil.example' })).headers['content-security-policy']);
  assert.match(csp, /connect-src 'self' https:\/\/chat\.example-kasse\.de wss:\/\/chat\.example-kasse\.de;/);
  assert.ok(!csp.includes('evil.example'), csp);
  // The console's page: inline styles for the replay, and the page's assets from the co-browse asset origins only.
  const consoleCsp = String(
    (await get(configured.url, '/advisor.html', { Host: 'evil.example' })).headers['content-security-policy'],
  );
  for (const origin of configured.server.config.allowedOrigins) {
    assert.ok(consoleCsp.includes(`img-src 'self' data: ${origin}`), consoleCsp);
    assert.ok(consoleCsp.includes(`font-src 'self' data: ${origin}`), consoleCsp);
  }
  assert.match(consoleCsp, /style-src 'self' 'unsafe-inline'/);
  assert.ok(!consoleCsp.includes('evil.example'), consoleCsp);
  assert.doesNotMatch(csp, /unsafe-inline/, 'the visitor pages keep a strict style-src');
});

test('source maps are served only when configured', async () => {
  const h = (harness = await startServer({}, paths()));
  assert.equal((await get(h.url, '/lotse/lotse.js.map')).status, 404);
  assert.equal((await get(h.url, '/lotse/LOTSE.JS.MAP')).status, 404);
  // Other spellings of the same file: encoded dot, trailing slash, doubled slashes, a dot segment.
  for (const path of [
    '/lotse/lotse.js%2emap',
    '/lotse/lotse.js%2Emap',
    '/lotse/lotse.js.map/',
    '/lotse//lotse.js.map',
    '/lotse/./lotse.js.map',
    '/lotse/lotse.js.m%61p',
  ]) {
    assert.equal((await get(h.url, path)).status, 404, path);
  }
  assert.equal((await get(h.url, '/lotse/lotse.js')).status, 200);
  await h.close();
  const withMaps = (harness = await startServer({ http: { sourceMaps: true } }, paths()));
  assert.equal((await get(withMaps.url, '/lotse/lotse.js.map')).status, 200);
});

test('HSTS only for a request that came over TLS, and X-Forwarded-Proto only from a trusted proxy', async () => {
  const direct = (harness = await startServer({}, paths()));
  // Without trustProxy the header is the client's own word, and proves nothing.
  assert.equal(
    (await get(direct.url, '/healthz', { 'X-Forwarded-Proto': 'https' })).headers['strict-transport-security'],
    undefined,
  );
  await direct.close();
  const h = (harness = await startServer({ trustProxy: true }, paths()));
  assert.equal(
    (await get(h.url, '/healthz', { 'X-Forwarded-Proto': 'https' })).headers['strict-transport-security'],
    'max-age=31536000',
  );
  // The proxy appends its own entry last; what the client wrote before it does not count.
  assert.equal(
    (await get(h.url, '/healthz', { 'X-Forwarded-Proto': 'https, http' })).headers['strict-transport-security'],
    undefined,
  );
  assert.equal((await get(h.url, '/healthz')).headers['strict-transport-security'], undefined);
  await h.close();
  const off = (harness = await startServer({ trustProxy: true, http: { hstsMaxAgeSeconds: 0 } }, paths()));
  assert.equal(
    (await get(off.url, '/healthz', { 'X-Forwarded-Proto': 'https' })).headers['strict-transport-security'],
    undefined,
  );
});

test(
  'HSTS through a real nginx terminating TLS',
  { skip: !hasNginx() && !process.env['CI'] && 'nginx is not installed (apt-get install -y nginx)' },
  async () => {
    const h = (harness = await startServer({ trustProxy: true }, paths()));
    nginx = await startNginx(Number(new URL(h.url).port));
    for (const path of ['/healthz', '/lotse/lotse.js', '/nothing']) {
      const reply = await getTls(nginx.url, path, nginx.ca);
      assert.equal(reply.headers['strict-transport-security'], 'max-age=31536000', path);
      assert.equal(
        reply.headers['cross-origin-resource-policy'],
        path === '/lotse/lotse.js' ? 'cross-origin' : 'same-origin',
        path,
      );
    }
    // The same server reached over plain HTTP says nothing of TLS.
    assert.equal((await get(h.url, '/healthz')).headers['strict-transport-security'], undefined);
  },
);

test("a Host with a leading-zero port is not this server's loopback name", async () => {
  // The issue's case, a server on a four-digit port (the test servers' own ports have five digits).
  const local = (host: string): boolean =>
    isLocalRequest({
      socket: { remoteAddress: '127.0.0.1', localPort: 8080 },
      headers: { host },
    } as unknown as IncomingMessage);
  assert.equal(local('localhost:8080'), true);
  for (const host of ['localhost:08080', 'localhost:008080', '127.0.0.1:08080', '[::1]:08080', 'localhost:8080 ']) {
    assert.equal(local(host), false, host);
  }
  const h = (harness = await startServer({ demo: true }, paths()));
  const { port } = new URL(h.url);
  assert.equal((await get(h.url, '/demo/advisor-token', { Host: `localhost:${port}` })).status, 200);
  for (const host of [`localhost:0${port}`, `localhost:00${port}`, `127.0.0.1:0${port}`]) {
    assert.equal((await get(h.url, '/demo/advisor-token', { Host: host })).status, 403, host);
  }
});
