/**
 * The demo receiver: on its own behind a real HTTP server (signature, deduplication, limits), and inside a demo
 * server that files a transcript to itself (both drivers) and shows it to this machine only.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import {
  DEMO_RECEIVER_KEEP,
  DEMO_WEBHOOK_PATH,
  DemoReceiver,
  MAX_WEBHOOK_BODY_BYTES,
} from '../../../src/server/demo/webhook-receiver.js';
import type { ReceivedDelivery } from '../../../src/server/demo/webhook-receiver.js';
import { signatureHeader } from '../../../src/server/webhook/signature.js';
import { createLotseServer } from '../../../src/server/app/server.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { createRouter } from '../../../src/server/transport/router.js';
import { assertNoHandles } from '../helpers.js';
import { describeDrivers } from '../store/store-helpers.js';
import {
  MEMBER,
  MESSAGE_TEXTS,
  WEBHOOK_SECRET,
  collectingLog,
  deliveryRow,
  freshStore,
  seedChat,
  webhookServerConfig,
} from '../webhook/webhook-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await assertNoHandles();
});

function transcript(key: string): string {
  const at = new Date().toISOString();
  return JSON.stringify({
    id: key,
    chatId: 'chat-demo-0001',
    member: MEMBER,
    startedAt: at,
    endedAt: at,
    endedBy: 'visitor',
    advisor: { id: 'advisor-a', name: 'Anna Beraterin' },
    messages: [{ seq: 2, at, from: 'member', text: MESSAGE_TEXTS[0] }],
    events: [
      { seq: 1, at, kind: 'joined', advisor: 'Anna Beraterin' },
      { seq: 3, at, kind: 'ended', by: 'visitor' },
    ],
  });
}

/** A GET with a chosen Host header (fetch does not let one set it). */
function get(port: number, host: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: DEMO_WEBHOOK_PATH, headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('demo receiver', () => {
  async function mount(): Promise<{ receiver: DemoReceiver; url: string; port: number }> {
    const receiver = new DemoReceiver({ secret: WEBHOOK_SECRET });
    const server = createServer(
      createRouter(receiver.routes(), { config: { trustProxy: false, http: defaults.http }, onError: () => {} }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });
    const { port } = server.address() as AddressInfo;
    return { receiver, url: `http://127.0.0.1:${port}${DEMO_WEBHOOK_PATH}`, port };
  }

  function post(
    url: string,
    body: string,
    key: string,
    signature = signatureHeader(WEBHOOK_SECRET, body),
  ): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, 'Lotse-Signature': signature },
      body,
    });
  }

  test('accepts a signed delivery once (a repeat is acknowledged, not kept twice) and refuses a bad signature', async () => {
    const { receiver, url } = await mount();
    const body = transcript('lotse-transcript-one');
    assert.equal((await post(url, body, 'lotse-transcript-one')).status, 204);
    assert.equal((await post(url, body, 'lotse-transcript-one')).status, 204);
    assert.equal(receiver.deliveries.length, 1);

    const other = transcript('lotse-transcript-two');
    assert.equal(
      (await post(url, other, 'lotse-transcript-two', signatureHeader('wrong-secret-0123456789-abcdefghijklmn', other)))
        .status,
      401,
    );
    assert.equal(
      (await post(url, other, 'lotse-transcript-two', signatureHeader(WEBHOOK_SECRET, body))).status,
      401,
      'signature of another body',
    );
    assert.equal(
      (await post(url, other, 'lotse-transcript-two', signatureHeader(WEBHOOK_SECRET, other, Date.now() - 600_000)))
        .status,
      401,
      'too old',
    );
    assert.equal((await post(url, other, 'lotse-transcript-two', '')).status, 401);
    assert.equal((await post(url, other, 'lotse-transcript-zwei')).status, 400, 'key and body id differ');
    const unsigned = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: other });
    assert.equal(unsigned.status, 415);
    assert.equal(receiver.deliveries.length, 1);
    assert.equal(receiver.deliveries[0]?.transcript.member.name, MEMBER.name);
  });

  test('refuses a body over its limit (16 MiB), and keeps only the last 20 deliveries, newest first', async () => {
    const { receiver, url } = await mount();
    const big = `{"pad":"${'x'.repeat(MAX_WEBHOOK_BODY_BYTES)}"}`;
    assert.equal((await post(url, big, 'lotse-transcript-big')).status, 413);
    for (let i = 0; i < DEMO_RECEIVER_KEEP + 2; i++) {
      const key = `lotse-transcript-${i}`;
      assert.equal((await post(url, transcript(key), key)).status, 204);
    }
    assert.equal(receiver.deliveries.length, DEMO_RECEIVER_KEEP);
    assert.equal(receiver.deliveries[0]?.idempotencyKey, `lotse-transcript-${DEMO_RECEIVER_KEEP + 1}`);
    assert.equal(receiver.deliveries.at(-1)?.idempotencyKey, 'lotse-transcript-2');
  });

  test('shows what arrived to this machine only, never cached; other methods get 405', async () => {
    const { url, port } = await mount();
    await post(url, transcript('lotse-transcript-show'), 'lotse-transcript-show');
    const local = await get(port, `127.0.0.1:${port}`);
    assert.equal(local.status, 200);
    assert.equal(local.headers['cache-control'], 'no-store');
    const shown = JSON.parse(local.body) as { deliveries: ReceivedDelivery[] };
    assert.deepEqual(
      shown.deliveries.map((d) => d.transcript.messages[0]?.text),
      [MESSAGE_TEXTS[0]],
    );
    const rebound = await get(port, `evil.example:${port}`);
    assert.equal(rebound.status, 403);
    assert.ok(!rebound.body.includes(MEMBER.name));
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 405);
  });

  test('outside demo mode there is no receiver', async () => {
    const server = createLotseServer(webhookServerConfig(), { log: collectingLog().log, store: null });
    cleanups.push(() => server.close());
    const { port } = await server.listen();
    const response = await fetch(`http://127.0.0.1:${port}${DEMO_WEBHOOK_PATH}`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 404, 'no route has the path');
    assert.equal((await get(port, `127.0.0.1:${port}`)).status, 404);
  });
});

describeDrivers('demo server files transcripts to its own receiver', (ctx) => {
  test('a filed chat arrives at /demo/member-webhook, verified, and shows there', async () => {
    const { db } = await freshStore(ctx);
    cleanups.push(() => db.close());
    await seedChat(db, { chatId: 'chat-demo-filed', endedAt: Date.now() });
    const logs = collectingLog();
    const server = createLotseServer(webhookServerConfig({ demo: true }), { log: logs.log, store: db });
    cleanups.push(() => server.close());
    const { port } = await server.listen();
    const delivered = await logs.next((line) => line['event'] === 'webhook.delivered');
    assert.deepEqual([delivered['chatId'], delivered['status']], ['chat-demo-filed', 204]);
    assert.equal((await deliveryRow(db, 'chat-demo-filed'))?.status, 'delivered');

    const shown = await get(port, `localhost:${port}`);
    assert.equal(shown.status, 200);
    const { deliveries } = JSON.parse(shown.body) as { deliveries: ReceivedDelivery[] };
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0]?.idempotencyKey, 'lotse-transcript-chat-demo-filed');
    assert.deepEqual(deliveries[0]?.transcript.member, MEMBER);
    assert.deepEqual(
      deliveries[0]?.transcript.messages.map((m) => m.text),
      [...MESSAGE_TEXTS],
    );

    // Someone else posting to it without the generated secret gets nowhere.
    const body = transcript('lotse-transcript-forged');
    const forged = await fetch(`http://127.0.0.1:${port}${DEMO_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': 'lotse-transcript-forged',
        'Lotse-Signature': signatureHeader(WEBHOOK_SECRET, body),
      },
      body,
    });
    assert.equal(forged.status, 401);
    const logged = JSON.stringify(logs.lines);
    for (const secret of [MEMBER.name, MEMBER.insuranceNumber, MESSAGE_TEXTS[0]])
      assert.ok(!logged.includes(secret), secret);
  });
});
