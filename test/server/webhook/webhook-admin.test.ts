/**
 * `GET /admin/webhooks` on a real server with real storage (both drivers): the same authentication as
 * `/admin/audit` (401, 403, failed login recorded), the status filter, and nothing of a transcript in its output.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ADMIN_ROLE, mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { createLotseServer } from '../../../src/server/app/server.js';
import type { LotseServer } from '../../../src/server/app/server.js';
import type { DeliveryInfo } from '../../../src/server/webhook/deliveries.js';
import { sql } from '../../../src/server/store/sql.js';
import type { Db } from '../../../src/server/store/sql.js';
import { assertNoHandles } from '../helpers.js';
import { describeDrivers } from '../store/store-helpers.js';
import { MEMBER, MESSAGE_TEXTS, collectingLog, freshStore, seedChat, webhookServerConfig } from './webhook-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await assertNoHandles();
});

describeDrivers('GET /admin/webhooks', (ctx) => {
  async function start(): Promise<{ db: Db; server: LotseServer; url: string }> {
    const { db } = await freshStore(ctx);
    cleanups.push(() => db.close());
    const now = Date.now();
    const later = now + 3600_000; // nothing is due: no deliverer runs here anyway (no webhook configured)
    await seedChat(db, { chatId: 'chat-pending-1', endedAt: now - 3000, nextAttemptAt: later });
    await seedChat(db, {
      chatId: 'chat-failing-1',
      endedAt: now - 2000,
      status: 'failing',
      attempts: 6,
      lastError: 'HTTP 503',
      nextAttemptAt: later,
    });
    await seedChat(db, {
      chatId: 'chat-done-0001',
      endedAt: now - 1000,
      status: 'delivered',
      attempts: 1,
      nextAttemptAt: null,
    });
    const server = createLotseServer(webhookServerConfig(), { log: collectingLog().log, store: db });
    cleanups.push(() => server.close());
    const { port } = await server.listen();
    return { db, server, url: `http://127.0.0.1:${port}/admin/webhooks` };
  }

  test('401 without or with a bad token (recorded), 403 without the admin role, 400 for an unknown status', async () => {
    const { db, server, url } = await start();
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const bad = await fetch(url, { headers: { Authorization: 'Bearer not.a.token' } });
    assert.equal(bad.status, 401);
    const advisor = await mintAdvisorToken({ id: 'advisor-b', name: 'Bernd' }, server.config, 600);
    const forbidden = await fetch(url, { headers: { Authorization: `Bearer ${advisor}` } });
    assert.equal(forbidden.status, 403);
    const admin = await mintAdvisorToken({ id: 'admin-1', name: 'Ada', roles: [ADMIN_ROLE] }, server.config, 600);
    const unknown = await fetch(`${url}?status=lost`, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /status must be one of pending, delivered, failing/);
    const post = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(post.status, 405);
    await server.audit.flush();
    const failed = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events
      WHERE kind = 'advisor.login_failed' AND detail->>'via' = 'admin'`);
    assert.equal(Number(failed[0]?.n), 1);
  });

  test('200 for an admin: every delivery or those of one status, state and times only', async () => {
    const { server, url } = await start();
    const admin = await mintAdvisorToken({ id: 'admin-1', name: 'Ada', roles: [ADMIN_ROLE] }, server.config, 600);
    const headers = { Authorization: `Bearer ${admin}` };
    const all = await fetch(url, { headers });
    assert.equal(all.status, 200);
    assert.equal(all.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(all.headers.get('cache-control'), 'no-store');
    assert.equal(all.headers.get('access-control-allow-origin'), null);
    const text = await all.text();
    const { deliveries } = JSON.parse(text) as { deliveries: DeliveryInfo[] };
    assert.deepEqual(
      deliveries.map((d) => [d.chatId, d.status]),
      [
        ['chat-done-0001', 'delivered'],
        ['chat-failing-1', 'failing'],
        ['chat-pending-1', 'pending'],
      ],
    );
    for (const secret of [MEMBER.name, MEMBER.insuranceNumber, MEMBER.sub, ...MESSAGE_TEXTS, 'Anna Beraterin']) {
      assert.ok(!text.includes(secret), `${secret} is not in the output`);
    }

    const failing = await fetch(`${url}?status=failing`, { headers });
    const only = (await failing.json()) as { deliveries: DeliveryInfo[] };
    assert.equal(only.deliveries.length, 1);
    const [row] = only.deliveries;
    assert.deepEqual(Object.keys(row ?? {}).sort(), [
      'attempts',
      'chatId',
      'createdAt',
      'deliveredAt',
      'idempotencyKey',
      'lastAttemptAt',
      'lastError',
      'nextAttemptAt',
      'purgeAfter',
      'status',
    ]);
    assert.equal(row?.attempts, 6);
    assert.equal(row?.lastError, 'HTTP 503');
    assert.equal(row?.idempotencyKey, 'lotse-transcript-chat-failing-1');
  });
});
