/**
 * Deliverers on one database never send one delivery twice: on postgres as two servers would (two connection pools)
 * claiming with `FOR UPDATE SKIP LOCKED` and a lease; on the embedded store (one process owns it) sharing one store.
 * (Without the row lock this test sees duplicates on postgres: claims then collide.)
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLogger } from '../../../src/server/log.js';
import { startWebhookDeliverer } from '../../../src/server/webhook/webhook.js';
import { openStore } from '../../../src/server/store/index.js';
import { describeDrivers } from '../store/store-helpers.js';
import { Receiver, WEBHOOK_SECRET, countRows, freshStore, seedChat } from './webhook-helpers.js';

const CHATS = 60;
/** Deliverers started at once; on postgres they alternate between two connection pools (two servers). */
const DELIVERERS = 4;

describeDrivers('webhook delivery, several deliverers', (ctx) => {
  test('every transcript is sent exactly once, and the deliverers share the work', async () => {
    const { db, storage } = await freshStore(ctx);
    const second = storage.driver === 'postgres' ? await openStore(storage) : db;
    const receiver = new Receiver();
    after(async () => {
      await receiver.close();
      if (second !== db) await second.close();
      await db.close();
    });
    const now = Date.now();
    for (let i = 0; i < CHATS; i++)
      await seedChat(db, { chatId: `chat-parallel-${String(i).padStart(2, '0')}`, endedAt: now });
    // Immediate answers: the deliverers go back to claiming at once, so their claims keep colliding.
    receiver.answer = () => 204;
    await receiver.listen();

    const byDeliverer = Array.from({ length: DELIVERERS }, () => 0);
    const stores = byDeliverer.map((_, index) => (index % 2 === 0 ? db : second));
    const deliverers = stores.map((store, index) =>
      startWebhookDeliverer({
        db: store,
        target: { url: receiver.url, secret: WEBHOOK_SECRET, timeoutSeconds: 10 },
        log: createLogger({
          level: 'info',
          write: (line) => {
            if (line.includes('"webhook.delivered"')) byDeliverer[index] = (byDeliverer[index] ?? 0) + 1;
          },
        }),
        pollIntervalMs: 0,
      }),
    );
    await Promise.all(deliverers.map((deliverer) => deliverer.idle()));
    await Promise.all(deliverers.map((deliverer) => deliverer.close()));

    const keys = receiver.requests.map((request) => String(request.headers['idempotency-key']));
    assert.equal(keys.length, CHATS, 'one request per transcript');
    assert.equal(new Set(keys).size, CHATS, 'no transcript sent twice');
    const [{ n } = { n: -1 }] = await db.query<{ n: number }>({
      text: "SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 1",
      values: [],
    });
    assert.equal(n, CHATS);
    assert.equal(await countRows(db, 'webhook_deliveries'), CHATS);
    assert.equal(
      byDeliverer.reduce((a, b) => a + b, 0),
      CHATS,
    );
    assert.ok(byDeliverer.filter((count) => count > 0).length > 1, `the work was shared: ${byDeliverer.join(' + ')}`);
  });
});
