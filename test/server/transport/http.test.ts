import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { packageRoot, safeJoin } from '../../../src/server/transport/static.js';
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
  served = servedFiles('lotse-http-');
});

after(() => served?.remove());

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const paths = () => served!.paths;

test('/healthz and /lotse/terms.js', async () => {
  const h = (harness = await startServer({}, paths()));
  const health = await get(h.url, '/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(JSON.parse(health.body), { ok: true });
  assertSecurityHeaders(health);

  const terms = await get(h.url, '/lotse/terms.js');
  assert.equal(terms.status, 200);
  assert.equal(terms.headers['content-type'], 'text/javascript; charset=utf-8');
  assertSecurityHeaders(terms);
  const module = (await import(`data:text/javascript;base64,${Buffer.from(terms.body).toString('base64')}`)) as {
    default: { version: string; text: { de: string; en: string } };
  };
  assert.deepEqual(module.default, { version: h.server.config.terms.version, text: h.server.config.terms.text });
  assert.match(module.default.text.de, /unwiderruflich gelöscht/);
  assert.match(module.default.text.de, /\n\n/);
  assert.ok(!module.default.text.de.includes('DAK'));

  // What the widget asks for: one language only, so a visitor loads only their own.
  for (const lang of ['de', 'en'] as const) {
    const one = await get(h.url, `/lotse/terms.js?lang=${lang}&load=2`);
    const loaded = (await import(`data:text/javascript;base64,${Buffer.from(one.body).toString('base64')}`)) as {
      default: { version: string; text: string };
    };
    assert.deepEqual(loaded.default, {
      version: h.server.config.terms.version,
      text: h.server.config.terms.text[lang],
    });
    assert.ok(one.body.length < terms.body.length * 0.7, 'about half of both languages');
  }
});

test('/lotse/* serves bundles with types and caching, and nothing outside its directory', async () => {
  const h = (harness = await startServer({}, paths()));
  const js = await get(h.url, '/lotse/lotse.js');
  assert.equal(js.status, 200);
  assert.equal(js.body, 'export const x = 1;\n');
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers['access-control-allow-origin'], '*');
  assert.match(String(js.headers['cache-control']), /max-age/);
  assertSecurityHeaders(js);
  assert.equal((await get(h.url, '/lotse/chunks/a.css')).headers['content-type'], 'text/css; charset=utf-8');
  assert.equal((await get(h.url, '/lotse/lotse.js', 'HEAD')).body, '');
  for (const path of [
    '/lotse/../secret.txt',
    '/lotse/%2e%2e/secret.txt',
    '/lotse/..%2fsecret.txt',
    '/lotse/chunks/..%5c..%5csecret.txt',
    '/lotse/%00',
    '/lotse/missing.js',
    '/lotse/chunks',
  ]) {
    assert.equal((await get(h.url, path)).status, 404, path);
  }
  assert.equal((await get(h.url, '/lotse/lotse.js', 'POST')).status, 405);
});

test('static helpers: package root and safe joins', () => {
  const root = packageRoot();
  assert.equal((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name, 'lotse');
  assert.equal(safeJoin('/srv/x', '../etc/passwd'), undefined);
  assert.equal(safeJoin('/srv/x', '%2e%2e/etc/passwd'), undefined);
  assert.equal(safeJoin('/srv/x', '.env'), undefined);
  assert.equal(safeJoin('/srv/x', 'a/b.js'), '/srv/x/a/b.js');
});
