/**
 * The one route table (`transport/router.ts`) on a real server: exact before prefix, the longest prefix first, HEAD
 * by GET, 404, 405 with Allow, 400 for a URL that does not parse, 500 when a handler throws, and the security headers
 * on every one of those answers.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { createRouter, sendJson, sendText } from '../../../src/server/transport/router.js';
import type { Route, RouteRequest } from '../../../src/server/transport/router.js';
import { rawRequest } from '../http-helpers.js';
import type { Reply } from '../http-helpers.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  if (server !== undefined) await once(server, 'close');
  server = undefined;
});

async function serve(
  routes: readonly Route[],
  onError = () => {},
): Promise<(path: string, method?: string) => Promise<Reply>> {
  server = createServer(createRouter(routes, { config: { trustProxy: false, http: defaults.http }, onError }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return (path, method = 'GET') => rawRequest(`http://127.0.0.1:${port}`, path, { method });
}

/** A route that answers with what it was given. */
const echo =
  (name: string, method: Route['method'] = 'GET') =>
  (path: string): Route => ({
    method,
    path,
    handle: ({ response, url, rest }: RouteRequest) =>
      sendJson(response, 200, { name, path: url.pathname, rest, q: url.searchParams.get('q') }),
  });

function assertSecurityHeaders(reply: Reply, what: string): void {
  assert.equal(reply.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(reply.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(reply.headers['x-frame-options'], 'DENY', what);
  assert.equal(reply.headers['cross-origin-opener-policy'], 'same-origin', what);
  assert.match(String(reply.headers['permissions-policy']), /camera=\(\)/, what);
}

test('exact paths before prefixes, the longest prefix first, in any order given; the URL parsed once for the handler', async () => {
  const get = await serve([
    echo('all')('/*'),
    echo('lotse')('/lotse/*'),
    echo('terms')('/lotse/terms.js'),
    echo('deep')('/lotse/chunks/*'),
  ]);
  const body = async (path: string) => JSON.parse((await get(path)).body) as Record<string, string | null>;
  assert.deepEqual(await body('/lotse/terms.js?q=1'), { name: 'terms', path: '/lotse/terms.js', rest: '', q: '1' });
  assert.deepEqual(await body('/lotse/a.js'), { name: 'lotse', path: '/lotse/a.js', rest: 'a.js', q: null });
  assert.deepEqual(await body('/lotse/chunks/b.js'), {
    name: 'deep',
    path: '/lotse/chunks/b.js',
    rest: 'b.js',
    q: null,
  });
  assert.deepEqual(await body('/lotse'), { name: 'all', path: '/lotse', rest: 'lotse', q: null });
  assert.deepEqual(await body('/'), { name: 'all', path: '/', rest: '', q: null });
});

test("HEAD is answered by the GET route without a body; 404 and 405 (with Allow) are the table's, with the security headers", async () => {
  const get = await serve([echo('page')('/page'), echo('hook', 'POST')('/hook'), echo('hook')('/hook')]);
  const head = await get('/page', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers['content-length'], String(Buffer.byteLength((await get('/page')).body)));
  assertSecurityHeaders(head, 'HEAD');

  const missing = await get('/nothing');
  assert.deepEqual([missing.status, missing.body, missing.headers['cache-control']], [404, 'Not Found', 'no-store']);
  assertSecurityHeaders(missing, '404');
  assert.equal((await get('/nothing', 'POST')).status, 404, 'a path no route has is not found, whatever the method');

  const refused = await get('/page', 'DELETE');
  assert.deepEqual([refused.status, refused.headers['allow']], [405, 'GET, HEAD']);
  assertSecurityHeaders(refused, '405');
  assert.equal((await get('/hook', 'PUT')).headers['allow'], 'GET, HEAD, POST');
  assert.equal((await get('/hook', 'POST')).status, 200);
});

test('a URL that does not parse is a 400; a handler that throws or rejects is a 500, reported once each', async () => {
  let errors = 0;
  const get = await serve(
    [
      {
        method: 'GET',
        path: '/throws',
        handle: () => {
          throw new Error('boom');
        },
      },
      {
        method: 'GET',
        path: '/rejects',
        handle: async () => {
          throw new Error('boom');
        },
      },
      { method: 'GET', path: '/ok', handle: ({ response }) => sendText(response, 204, '') },
    ],
    () => errors++,
  );
  const bad = await get('http://[');
  assert.equal(bad.status, 400);
  assertSecurityHeaders(bad, '400');
  for (const path of ['/throws', '/rejects']) {
    const reply = await get(path);
    assert.deepEqual([reply.status, reply.body], [500, 'Internal Server Error'], path);
    assert.ok(!reply.body.includes('boom'));
    assertSecurityHeaders(reply, path);
  }
  assert.equal(errors, 2);
  assert.equal((await get('/ok')).status, 204);
});

test('a method and path mounted twice, or a path without its leading slash, is refused when the table is built', () => {
  const options = { config: { trustProxy: false, http: defaults.http }, onError: () => {} };
  assert.throws(() => createRouter([echo('a')('/x'), echo('b')('/x')], options), /mounted twice: GET \/x/);
  assert.throws(() => createRouter([echo('a')('/x/*'), echo('b')('/x/*')], options), /mounted twice/);
  assert.throws(() => createRouter([echo('a')('x')], options), /must start with/);
  assert.doesNotThrow(() => createRouter([echo('a')('/x'), echo('b', 'POST')('/x'), echo('c')('/x/*')], options));
});
