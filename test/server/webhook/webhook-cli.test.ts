/**
 * `lotse webhooks` and `lotse webhook-retry` as an operator runs them: the CLI on real storage, each case in this
 * process, the table through the real bin (its stdout and exit status).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../../src/server/store/index.js';
import { lotseBin, lotseInProcess } from '../cli/run-lotse.js';
import { describeDrivers } from '../store/store-helpers.js';
import { MEMBER, MESSAGE_TEXTS, deliveryRow, freshStore, seedChat } from './webhook-helpers.js';

describeDrivers('lotse webhooks / webhook-retry', (ctx) => {
  test('lists deliveries as a table without content, and makes undelivered ones due now', async () => {
    const { db, storage } = await freshStore(ctx);
    const now = Date.now();
    const later = now + 3600_000;
    await seedChat(db, { chatId: 'chat-pending-1', endedAt: now - 3000, nextAttemptAt: later });
    await seedChat(db, {
      chatId: 'chat-failing-1',
      endedAt: now - 2000,
      status: 'failing',
      attempts: 5,
      lastError: 'ECONNREFUSED',
      nextAttemptAt: later,
    });
    await seedChat(db, {
      chatId: 'chat-failing-2',
      endedAt: now - 1500,
      status: 'failing',
      attempts: 9,
      lastError: 'HTTP 404',
      nextAttemptAt: later,
    });
    await seedChat(db, {
      chatId: 'chat-done-0001',
      endedAt: now - 1000,
      status: 'delivered',
      attempts: 1,
      nextAttemptAt: null,
    });
    await db.close();

    const env = {
      ...process.env,
      LOTSE_STORAGE_DRIVER: storage.driver,
      LOTSE_DATA_DIR: storage.dataDir,
      LOTSE_DATABASE_URL: storage.url ?? '',
      LOTSE_LOG_LEVEL: 'silent',
    };
    const cli = (...args: string[]) => lotseInProcess(env, ...args);

    const table = (await lotseBin(env, 'webhooks')).stdout.trimEnd().split('\n');
    assert.match(table[0] ?? '', /^CHAT\s+STATUS\s+ATTEMPTS\s+NEXT ATTEMPT\s+LAST ERROR\s+DELIVERED\s+PURGE AFTER$/);
    assert.deepEqual(
      table.slice(1).map((line) => line.split(/\s+/).slice(0, 3)),
      [
        ['chat-done-0001', 'delivered', '1'],
        ['chat-failing-2', 'failing', '9'],
        ['chat-failing-1', 'failing', '5'],
        ['chat-pending-1', 'pending', '0'],
      ],
    );
    assert.match(table[3] ?? '', /\sECONNREFUSED\s/);
    for (const secret of [MEMBER.name, MEMBER.insuranceNumber, ...MESSAGE_TEXTS])
      assert.ok(!table.join('\n').includes(secret));

    const failing = (await cli('webhooks', '--status', 'failing')).stdout.trimEnd().split('\n');
    assert.deepEqual(
      failing.slice(1).map((line) => line.split(/\s+/)[0]),
      ['chat-failing-2', 'chat-failing-1'],
    );
    await assert.rejects(cli('webhooks', '--status', 'lost'), /--status must be one of pending, delivered, failing/);

    const before = Date.now();
    assert.match(
      (await cli('webhook-retry', 'chat-pending-1')).stdout,
      /^1 delivery\(ies\) due now: chat-pending-1\n$/,
    );
    assert.match(
      (await cli('webhook-retry', '--all-failing')).stdout,
      /^2 delivery\(ies\) due now: chat-failing-1, chat-failing-2\n$/,
    );
    await assert.rejects(cli('webhook-retry', 'chat-done-0001'), /no undelivered transcript for chat chat-done-0001/);
    await assert.rejects(cli('webhook-retry'), /webhook-retry needs a chat id or --all-failing/);
    await assert.rejects(
      cli('webhook-retry', 'chat-pending-1', '--all-failing'),
      /webhook-retry needs a chat id or --all-failing/,
    );

    const check = await openStore(storage);
    try {
      for (const chatId of ['chat-pending-1', 'chat-failing-1', 'chat-failing-2']) {
        const row = await deliveryRow(check, chatId);
        const due = new Date(row?.next_attempt_at ?? 0).getTime();
        assert.ok(due >= before - 1000 && due <= Date.now(), `${chatId} is due now`);
      }
      // Retrying changes when, nothing else: the count and state stay as they were.
      assert.deepEqual(
        [(await deliveryRow(check, 'chat-failing-2'))?.attempts, (await deliveryRow(check, 'chat-failing-2'))?.status],
        [9, 'failing'],
      );
      assert.equal((await deliveryRow(check, 'chat-done-0001'))?.next_attempt_at, null);
    } finally {
      await check.close();
    }

    const help = (await cli('--help')).stdout;
    assert.match(help, /webhooks \[--status failing\|pending\|delivered\]/);
    assert.match(help, /webhook-retry <CHAT_ID\|--all-failing>/);
  });
});
