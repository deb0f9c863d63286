/**
 * `lotse purge` as an operator runs it: the CLI (in this process; the bin itself in the other store commands' tests)
 * also deletes member transcripts past their retention.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../../src/server/log.js';
import { TranscriptStore } from '../../../src/server/member/transcripts.js';
import { openStore, sql } from '../../../src/server/store/index.js';
import { lotseInProcess } from '../cli/run-lotse.js';
import { describeDrivers } from '../store/store-helpers.js';

const DAY = 24 * 3600_000;

describeDrivers('lotse purge: member transcripts', (ctx) => {
  test('deletes the transcripts whose retention has passed, with their messages, and says how many', async () => {
    const storage = await ctx.storage();
    const db = await openStore(storage);
    const transcripts = new TranscriptStore({
      db,
      log: createLogger({ level: 'silent' }),
      retentionDays: 14,
      deliveries: true,
    });
    const chat = (chatId: string, endedAt: number, messages: number): void => {
      transcripts.started({
        chatId,
        sub: `sub-${chatId}`,
        name: 'Erika Mustermann',
        insuranceNumber: 'A123456780',
        startedAt: endedAt - 60_000,
      });
      for (let seq = 1; seq <= messages; seq++) {
        transcripts.appended(chatId, seq, {
          kind: 'message',
          id: `m-${seq}-xxxxxxxx`,
          from: 'advisor',
          text: `Text ${seq}`,
          at: endedAt - 1000 + seq,
        });
      }
      transcripts.ended({ chatId, endedAt, endedBy: 'advisor', advisor: undefined });
    };
    chat('chat-15-days-ago', Date.now() - 15 * DAY, 3);
    chat('chat-13-days-ago', Date.now() - 13 * DAY, 2);
    await transcripts.close();
    await db.close();

    const env = {
      ...process.env,
      LOTSE_STORAGE_DRIVER: storage.driver,
      LOTSE_DATA_DIR: storage.dataDir,
      LOTSE_DATABASE_URL: storage.url ?? '',
      LOTSE_LOG_LEVEL: 'silent',
    };
    const { stdout } = await lotseInProcess(env, 'purge');
    assert.match(
      stdout,
      /^purged 1 member chat transcript\(s\) with 3 message\(s\) past their retention \(14 days\)$/m,
    );

    const after = await openStore(storage);
    try {
      assert.deepEqual(
        (await after.query<{ id: string }>(sql`SELECT id FROM member_chats`)).map((row) => row.id),
        ['chat-13-days-ago'],
      );
      assert.deepEqual(
        (await after.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM member_messages`))[0]?.n,
        2,
      );
      assert.deepEqual(
        (await after.query<{ chat_id: string }>(sql`SELECT chat_id FROM webhook_deliveries`)).map((row) => row.chat_id),
        ['chat-13-days-ago'],
      );
    } finally {
      await after.close();
    }
  });
});
