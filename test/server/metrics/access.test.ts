/**
 * Who may scrape `/metrics`: without a token this machine only (loopback, no proxy, a loopback Host; with
 * `trustProxy` the forwarded address), with a token whoever sends it. Refusals carry nothing but their status.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { rawRequest } from '../http-helpers.js';

const TOKEN = 'metrics-token-0123456789abcdef';
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function statusOf(h: Harness, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const reply = await rawRequest(h.url, '/metrics', { headers });
  return { status: reply.status, body: reply.status === 200 ? '' : reply.body };
}

test('without a token: a scraper on this machine, addressing it by a loopback name, and nothing proxied', async () => {
  const h = (harness = await startServer());
  assert.equal((await statusOf(h)).status, 200);
  assert.equal((await statusOf(h, { Host: `localhost:${new URL(h.url).port}` })).status, 200);
  // Relayed by a proxy on this machine: it came from elsewhere.
  assert.deepEqual(await statusOf(h, { 'X-Forwarded-For': '203.0.113.9' }), { status: 403, body: '' });
  assert.deepEqual(await statusOf(h, { 'X-Forwarded-For': '127.0.0.1' }), { status: 403, body: '' });
  assert.deepEqual(await statusOf(h, { Forwarded: 'for=203.0.113.9' }), { status: 403, body: '' });
  // DNS rebinding: a page of another name that resolves to 127.0.0.1.
  assert.deepEqual(await statusOf(h, { Host: 'evil.example' }), { status: 403, body: '' });
  // A bearer token means nothing when none is configured.
  assert.equal((await statusOf(h, { Authorization: `Bearer ${TOKEN}`, Host: 'evil.example' })).status, 403);
});

test('without a token, with trustProxy: a proxied request counts by the address the proxy forwarded', async () => {
  const h = (harness = await startServer({ trustProxy: true }));
  assert.equal((await statusOf(h)).status, 200);
  assert.equal((await statusOf(h, { 'X-Forwarded-For': '127.0.0.1', Host: 'chat.example' })).status, 200);
  assert.equal((await statusOf(h, { 'X-Forwarded-For': '203.0.113.9, 127.0.0.1' })).status, 200);
  // The proxy appends the real client: a forged first entry does not help.
  assert.deepEqual(await statusOf(h, { 'X-Forwarded-For': '127.0.0.1, 203.0.113.9' }), { status: 403, body: '' });
  assert.deepEqual(await statusOf(h, { 'X-Forwarded-For': '2001:db8::1' }), { status: 403, body: '' });
});

test('with a token: the bearer token is required, from anywhere', async () => {
  const h = (harness = await startServer({ metrics: { token: TOKEN } }));
  const unauthorized = await rawRequest(h.url, '/metrics');
  assert.equal(unauthorized.status, 401);
  assert.equal(unauthorized.body, '');
  assert.equal(unauthorized.headers['www-authenticate'], 'Bearer');
  assert.equal((await statusOf(h, { Authorization: `Bearer ${TOKEN}x` })).status, 401);
  assert.equal((await statusOf(h, { Authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status, 401);
  assert.equal((await statusOf(h, { Authorization: `Basic ${TOKEN}` })).status, 401);
  assert.equal((await statusOf(h, { Authorization: `Bearer ${TOKEN}` })).status, 200);
  assert.equal(
    (await statusOf(h, { Authorization: `Bearer ${TOKEN}`, 'X-Forwarded-For': '203.0.113.9', Host: 'chat.example' }))
      .status,
    200,
  );
});

test('metrics.enabled false: no /metrics at all; /readyz and /healthz stay', async () => {
  const h = (harness = await startServer({ metrics: { enabled: false } }));
  assert.equal((await rawRequest(h.url, '/metrics')).status, 404);
  assert.equal((await rawRequest(h.url, '/readyz')).status, 200);
  assert.equal((await rawRequest(h.url, '/healthz')).status, 200);
});
