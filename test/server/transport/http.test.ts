import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { packageRoot, safeJoin } from '../../../src/server/transport/static.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET, so that paths like /lotse/../x reach the server unnormalised. */
function get(base: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir = '';
let harness: Harness | undefined;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotse-http-'));
  mkdirSync(join(dir, 'cdn', 'chunks'), { recursive: true });
  mkdirSync(join(dir, 'demo'));
  writeFileSync(join(dir, 'cdn', 'lotse.js'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'cdn', 'chunks', 'a.css'), 'p{}');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  writeFileSync(join(dir, 'demo', 'index.html'), '<!doctype html><title>Demo</title>');
  writeFileSync(join(dir, 'demo', 'advisor.html'), '<!doctype html><title>Advisor</title>');
});

after(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const paths = () => ({ paths: { cdnDir: join(dir, 'cdn'), demoDir: join(dir, 'demo') } });

function assertSecurityHeaders(reply: Reply): void {
  assert.equal(reply.headers['x-content-type-options'], 'nosniff');
  assert.equal(reply.headers['referrer-policy'], 'no-referrer');
  assert.equal(reply.headers['set-cookie'], undefined);
}

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
