/**
 * The transcript deliverer against a real HTTP receiver and real storage (both drivers): the signed body, retries
 * with growing backoff across a 500, a timeout and a refused connection, `failing` after five failures with the
 * transcript kept, and the retention purge taking the delivery with the chat.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../../../src/server/log.js';
import { startWebhookDeliverer } from '../../../src/server/webhook/webhook.js';
import type { WebhookDeliverer } from '../../../src/server/webhook/webhook.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verifySignature } from '../../../src/server/webhook/signature.js';
import type { Transcript } from '../../../src/server/webhook/deliveries.js';
import { sql } from '../../../src/server/store/sql.js';
import type { Db } from '../../../src/server/store/sql.js';
import { describeDrivers } from '../store/store-helpers.js';
import {
  MEMBER,
  MESSAGE_TEXTS,
  Receiver,
  WEBHOOK_SECRET,
  countRows,
  deliveryRow,
  freshStore,
  seedChat,
} from './webhook-helpers.js';

const T0 = Date.UTC(2026, 4, 4, 9, 0, 0);

interface Setup {
  db: Db;
  receiver: Receiver;
  deliverer: WebhookDeliverer;
  clock: { now: number };
  logs: Record<string, unknown>[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describeDrivers('webhook delivery', (ctx) => {
  /** Storage with `seed`, a receiver answering with `answer`, and a deliverer started on them (it runs at once). */
  async function setup(
    seed: { chatId: string; retentionDays?: number }[],
    answer: Receiver['answer'] = () => 204,
    timeoutSeconds = 10,
  ): Promise<Setup> {
    const { db } = await freshStore(ctx);
    cleanups.push(() => db.close());
    for (const chat of seed) await seedChat(db, { endedAt: T0, ...chat });
    const receiver = new Receiver();
    receiver.answer = answer;
    await receiver.listen();
    cleanups.push(() => receiver.close());
    const clock = { now: T0 };
    const logs: Record<string, unknown>[] = [];
    const deliverer = startWebhookDeliverer({
      db,
      target: { url: receiver.url, secret: WEBHOOK_SECRET, timeoutSeconds },
      log: createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
      now: () => clock.now,
      random: () => 0.5,
      pollIntervalMs: 0,
    });
    cleanups.push(() => deliverer.close());
    return { db, receiver, deliverer, clock, logs };
  }

  /** Moves the clock to the row's next attempt and runs the deliverer once. */
  async function nextAttempt(s: Setup, chatId: string): Promise<void> {
    const row = await deliveryRow(s.db, chatId);
    assert.ok(row?.next_attempt_at, 'a next attempt is scheduled');
    s.clock.now = new Date(row.next_attempt_at).getTime();
    s.deliverer.kick();
    await s.deliverer.idle();
  }

  test('posts the transcript signed, with its idempotency key, once, and records the delivery', async () => {
    const s = await setup([{ chatId: 'chat-signed' }]);
    await s.deliverer.idle();
    assert.equal(s.receiver.requests.length, 1);
    const [request] = s.receiver.requests;
    assert.ok(request);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers[IDEMPOTENCY_HEADER.toLowerCase()], 'lotse-transcript-chat-signed');
    const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
    assert.match(String(header), new RegExp(`^t=${Math.floor(T0 / 1000)},v1=[0-9a-f]{64}$`));
    assert.equal(verifySignature({ secret: WEBHOOK_SECRET, body: request.body, header, now: T0 }), true);
    assert.equal(
      verifySignature({ secret: 'another-secret-0123456789-abcdefghijklmno', body: request.body, header, now: T0 }),
      false,
    );
    assert.equal(verifySignature({ secret: WEBHOOK_SECRET, body: `${request.body} `, header, now: T0 }), false);

    const body = JSON.parse(request.body) as Transcript;
    assert.equal(body.id, 'lotse-transcript-chat-signed');
    assert.equal(body.chatId, 'chat-signed');
    assert.deepEqual(body.member, MEMBER);
    assert.deepEqual(body.advisor, { id: 'advisor-a', name: 'Anna Beraterin' });
    assert.equal(body.endedAt, new Date(T0).toISOString());
    assert.equal(body.endedBy, 'advisor');
    assert.deepEqual(
      body.messages.map((m) => [m.seq, m.from, m.text]),
      [
        [2, 'member', MESSAGE_TEXTS[0]],
        [3, 'advisor', MESSAGE_TEXTS[1]],
      ],
    );
    assert.deepEqual(
      body.events.map((e) => [e.seq, e.kind]),
      [
        [1, 'joined'],
        [4, 'ended'],
      ],
    );

    const row = await deliveryRow(s.db, 'chat-signed');
    assert.equal(row?.status, 'delivered');
    assert.equal(row?.attempts, 1);
    assert.equal(new Date(row?.delivered_at ?? 0).getTime(), T0);
    const delivered = s.logs.find((line) => line['event'] === 'webhook.delivered');
    assert.deepEqual([delivered?.['chatId'], delivered?.['attempts'], delivered?.['status']], ['chat-signed', 1, 204]);

    // Delivered is final: another run sends nothing.
    s.clock.now = T0 + 3600_000;
    s.deliverer.kick();
    await s.deliverer.idle();
    assert.equal(s.receiver.requests.length, 1);
  });

  test('a 500, a hang past the timeout and a refused connection are retried with growing backoff; delivered once', async () => {
    const answers: ('hang' | number)[] = [500, 'hang', 204];
    const s = await setup([{ chatId: 'chat-retry' }], () => answers.shift() ?? 204, 0.3);

    await s.deliverer.idle(); // attempt 1: 500
    let row = await deliveryRow(s.db, 'chat-retry');
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['pending', 1, 'HTTP 500']);
    const waits = [new Date(row?.next_attempt_at ?? 0).getTime() - T0];

    await nextAttempt(s, 'chat-retry'); // attempt 2: no answer within 0.3 s
    row = await deliveryRow(s.db, 'chat-retry');
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['pending', 2, 'timeout']);
    waits.push(new Date(row?.next_attempt_at ?? 0).getTime() - s.clock.now);

    await s.receiver.close(); // attempt 3: connection refused
    await nextAttempt(s, 'chat-retry');
    row = await deliveryRow(s.db, 'chat-retry');
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['pending', 3, 'ECONNREFUSED']);
    waits.push(new Date(row?.next_attempt_at ?? 0).getTime() - s.clock.now);

    await s.receiver.listen(); // attempt 4: 204
    await nextAttempt(s, 'chat-retry');
    row = await deliveryRow(s.db, 'chat-retry');
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['delivered', 4, null]);

    // Full jitter at 0.5 of a cap of 30 s · 2^(n−1): 15 s, 30 s, 60 s.
    assert.deepEqual(waits, [15_000, 30_000, 60_000]);
    assert.equal(s.receiver.requests.length, 3, 'the refused attempt never arrived');
    const keys = new Set(s.receiver.requests.map((r) => r.headers[IDEMPOTENCY_HEADER.toLowerCase()]));
    assert.deepEqual([...keys], ['lotse-transcript-chat-retry']);
    assert.equal(s.logs.filter((line) => line['event'] === 'webhook.delivered').length, 1);
    const failed = s.logs.filter((line) => line['event'] === 'webhook.failed');
    assert.deepEqual(
      failed.map((line) => [line['attempts'], line['reason'], line['status'] ?? null]),
      [
        [1, 'http', 500],
        [2, 'timeout', null],
        [3, 'network', null],
      ],
    );
    assert.ok(failed.every((line) => line['level'] === 'info'));
  });

  test('turns failing after five failures, keeps retrying and keeps the transcript; the purge removes both', async () => {
    // First a redirect (not followed: a failure like any other), then a receiver that is down.
    let answered = 0;
    const s = await setup([{ chatId: 'chat-failing', retentionDays: 1 }], () => (++answered === 1 ? 302 : 503));
    await s.deliverer.idle();
    for (let attempt = 2; attempt <= 7; attempt++) await nextAttempt(s, 'chat-failing');
    const row = await deliveryRow(s.db, 'chat-failing');
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['failing', 7, 'HTTP 503']);
    assert.equal(s.receiver.requests.length, 7, 'still retried after turning failing');
    assert.ok(
      s.receiver.requests.every((request) => request.path === '/transcripts'),
      'the redirect was not followed',
    );
    const failed = s.logs.filter((line) => line['event'] === 'webhook.failed');
    assert.deepEqual(
      failed.map((line) => line['level']),
      ['info', 'info', 'info', 'info', 'warn', 'warn', 'warn'],
    );
    assert.deepEqual(
      failed.map((line) => line['status']),
      [302, 503, 503, 503, 503, 503, 503],
    );
    assert.equal(await countRows(s.db, 'member_chats'), 1);
    assert.equal(await countRows(s.db, 'member_messages'), 4);
    // Nothing of the response body or the transcript reaches the row or the log.
    const stored = JSON.stringify(await s.db.query(sql`SELECT * FROM webhook_deliveries`));
    const logged = JSON.stringify(s.logs);
    for (const secret of ['Interner Fehler', MEMBER.name, MEMBER.insuranceNumber, MESSAGE_TEXTS[0]]) {
      assert.ok(!stored.includes(secret) && !logged.includes(secret), secret);
    }

    // Past its retention the transcript is no longer sent, even while the purge has not run yet …
    s.clock.now = T0 + 24 * 3600_000 + 1;
    await s.db.query(sql`UPDATE webhook_deliveries SET next_attempt_at = ${new Date(s.clock.now)}`);
    s.deliverer.kick();
    await s.deliverer.idle();
    assert.equal(s.receiver.requests.length, 7);
    // … and the retention purge deleting the chat takes its messages and its delivery with it.
    await s.db.query(sql`DELETE FROM member_chats WHERE purge_after <= ${new Date(s.clock.now)}`);
    assert.equal(await countRows(s.db, 'webhook_deliveries'), 0);
    assert.equal(await countRows(s.db, 'member_messages'), 0);
  });

  test('close() waits for an attempt in flight and records it', async () => {
    let release: () => void = () => {};
    const answered = new Promise<number>((resolve) => {
      release = () => resolve(204);
    });
    let arrive: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const s = await setup([{ chatId: 'chat-close' }], () => {
      arrive();
      return answered;
    });
    await arrived;
    const closing = s.deliverer.close();
    release();
    await closing;
    assert.equal((await deliveryRow(s.db, 'chat-close'))?.status, 'delivered');
    s.deliverer.kick(); // after close: nothing happens
    await s.deliverer.idle();
    assert.equal(s.receiver.requests.length, 1);
  });
});
