/**
 * The transcript writer on each driver: many chats' appends batched into few transactions and kept in order; a
 * failing store retried until it works, logged without content; at close a store that keeps failing gets a few
 * last tries and what is lost is logged as lost, never silently dropped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatLifecycle } from '../../../src/server/chat/lifecycle.js';
import { createLogger } from '../../../src/server/log.js';
import { transcriptWriter } from '../../../src/server/member/transcript-writer.js';
import { TranscriptStore } from '../../../src/server/member/transcripts.js';
import { openStore, sql } from '../../../src/server/store/index.js';
import type { Db } from '../../../src/server/store/sql.js';
import { assertNoHandles } from '../helpers.js';
import { describeDrivers } from '../store/store-helpers.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');

/**
 * The real store, with a count of transactions and a switch that makes the next `failures` of them fail; while
 * failures are left, plain queries fail too (the store is down, as far as a probe can tell).
 */
function instrumented(db: Db): Db & { transactions: number; failures: number } {
  const wrapper = {
    ...db,
    driver: db.driver,
    transactions: 0,
    failures: 0,
    query: <Row extends object>(query: Parameters<Db['query']>[0]) =>
      wrapper.failures > 0 ? Promise.reject(new Error('connection terminated')) : db.query<Row>(query),
    transaction: <T>(work: Parameters<Db['transaction']>[0]) => {
      wrapper.transactions += 1;
      if (wrapper.failures > 0) {
        wrapper.failures -= 1;
        return Promise.reject(new Error('connection terminated: Geheimer Text'));
      }
      return db.transaction(work) as Promise<T>;
    },
  };
  return wrapper as Db & { transactions: number; failures: number };
}

function collector(): { lines: Record<string, unknown>[]; raw: string[]; log: ReturnType<typeof createLogger> } {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'debug',
    write: (line) => {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { lines, raw, log };
}

function writeChats(store: TranscriptStore, chats: number, perChat: number): void {
  for (let c = 0; c < chats; c++) {
    store.started({
      chatId: `chat-${c}`,
      sub: `sub-${c}`,
      name: `Mitglied ${c}`,
      insuranceNumber: `A${c}`,
      startedAt: T0,
    });
  }
  // Interleaved, as many chats write at once.
  for (let seq = 1; seq <= perChat; seq++) {
    for (let c = 0; c < chats; c++) {
      store.appended(`chat-${c}`, seq, {
        kind: 'message',
        id: `m-${c}-${seq}-xxxx`,
        from: 'visitor',
        text: `Geheimer Text ${c}/${seq}`,
        at: T0 + seq,
      });
    }
  }
  for (let c = 0; c < chats; c++)
    store.ended({ chatId: `chat-${c}`, endedAt: T0 + 60_000, endedBy: 'visitor', advisor: undefined });
}

describeDrivers('member transcript writer', (ctx) => {
  test('a burst from 40 chats is written in a few transactions, every row in order', async () => {
    const db = await openStore(await ctx.storage());
    const counted = instrumented(db);
    const filed: string[] = [];
    const store = new TranscriptStore({
      db: counted,
      log: createLogger({ level: 'silent' }),
      retentionDays: 14,
      deliveries: true,
      onFiled: (id) => filed.push(id),
    });
    try {
      writeChats(store, 40, 50);
      assert.equal(store.pending, 40 + 40 * 50 + 40);
      await store.flush();
      assert.equal(store.pending, 0);
      assert.ok(counted.transactions <= 2, `${counted.transactions} transactions for 2,080 operations`);
      const rows = await db.query<{ chat_id: string; seq: number; text: string }>(
        sql`SELECT chat_id, seq, event->>'text' AS text FROM member_messages ORDER BY chat_id, seq`,
      );
      assert.equal(rows.length, 2000);
      const chat7 = rows.filter((row) => row.chat_id === 'chat-7');
      assert.deepEqual(
        chat7.map((row) => row.seq),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      assert.equal(chat7[49]?.text, 'Geheimer Text 7/50');
      const ended = await db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM member_chats WHERE ended_by = 'visitor'`,
      );
      assert.equal(ended[0]?.n, 40);
      assert.equal(filed.length, 40);
    } finally {
      await store.close();
      await db.close();
    }
  });

  test('a failing store: logged without content, retried with backoff, nothing lost; filed only once written', async () => {
    const db = await openStore(await ctx.storage());
    const counted = instrumented(db);
    const { lines, raw, log } = collector();
    const filed: string[] = [];
    const store = new TranscriptStore({
      db: counted,
      log,
      retentionDays: 14,
      deliveries: true,
      onFiled: (id) => filed.push(id),
      retryMs: { first: 5, max: 20 },
    });
    try {
      counted.failures = 3;
      writeChats(store, 2, 5);
      await store.flush();
      // The batch fails, then its first operation alone, twice; then it goes through (the first alone, the rest together).
      assert.equal(counted.transactions, 5, 'three failures, then the writes');
      assert.deepEqual(
        lines.filter((line) => line['event'] === 'member.transcript_write_failed').map((line) => line['count']),
        [14, 1, 1],
      );
      assert.ok(
        !lines.some((line) => line['event'] === 'member.transcript_refused'),
        'nothing set aside for an outage',
      );
      assert.ok(!raw.some((line) => /Geheim|Mitglied|sub-/.test(line)), 'no content in the log');
      const [row] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM member_messages`);
      assert.equal(row?.n, 10);
      assert.deepEqual(filed, ['chat-0', 'chat-1']);
      // A retried batch that had been committed changes nothing (the writes are idempotent).
      writeChats(store, 2, 5);
      await store.flush();
      const [again] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM member_messages`);
      assert.equal(again?.n, 10);
    } finally {
      await store.close();
      await db.close();
    }
  });

  test('at close, a store that keeps failing gets a few last tries; what is lost is logged as lost', async () => {
    const db = await openStore(await ctx.storage());
    const counted = instrumented(db);
    const { lines, log } = collector();
    const store = new TranscriptStore({
      db: counted,
      log,
      retentionDays: 14,
      deliveries: false,
      retryMs: { first: 60_000, max: 60_000 },
    });
    try {
      counted.failures = 1_000;
      writeChats(store, 1, 3);
      const flushed = store.flush();
      // The first failure waits a minute before retrying: close cuts that short.
      while (counted.transactions === 0) await new Promise((resolve) => setImmediate(resolve));
      await store.close();
      await flushed;
      assert.ok(counted.transactions <= 4, `${counted.transactions} tries`);
      const lost = lines.find((line) => line['event'] === 'member.transcript_lost');
      assert.equal(lost?.['count'], 5);
      store.started({ chatId: 'after-close', sub: 's', name: 'n', insuranceNumber: 'A1', startedAt: T0 });
      assert.equal(store.pending, 0, 'nothing is taken after close');
    } finally {
      await db.close();
    }
    await assertNoHandles();
  });

  test('one operation the store refuses (a lone surrogate in jsonb) is set aside; the other chats are written', async () => {
    const db = await openStore(await ctx.storage());
    const { lines, raw, log } = collector();
    const filed: string[] = [];
    const store = new TranscriptStore({
      db,
      log,
      retentionDays: 14,
      deliveries: true,
      onFiled: (id) => filed.push(id),
      retryMs: { first: 1, max: 5 },
    });
    try {
      // Past the protocol (which refuses it now): the writer must not depend on every caller being right.
      store.started({ chatId: 'poisoned', sub: 'sub-p', name: 'Mitglied P', insuranceNumber: 'A1', startedAt: T0 });
      store.appended('poisoned', 1, {
        kind: 'message',
        id: 'm-poison-xxxx',
        from: 'visitor',
        text: 'Geheim \ud800',
        at: T0 + 1,
      });
      store.appended('poisoned', 2, {
        kind: 'message',
        id: 'm-after-xxxxx',
        from: 'visitor',
        text: 'Geheim danach',
        at: T0 + 2,
      });
      writeChats(store, 2, 3);
      await store.flush();
      assert.equal(store.pending, 0);
      const rows = await db.query<{ chat_id: string; seq: number }>(
        sql`SELECT chat_id, seq FROM member_messages ORDER BY chat_id, seq`,
      );
      assert.deepEqual(
        rows.map((row) => `${row.chat_id}/${row.seq}`),
        ['chat-0/1', 'chat-0/2', 'chat-0/3', 'chat-1/1', 'chat-1/2', 'chat-1/3', 'poisoned/2'],
      );
      assert.deepEqual(filed, ['chat-0', 'chat-1']);
      assert.equal(lines.filter((line) => line['event'] === 'member.transcript_refused').length, 1);
      assert.ok(!raw.some((line) => /Geheim|Mitglied|sub-/.test(line)), 'no content in the log');
    } finally {
      await store.close();
      await db.close();
    }
  });

  test('an end whose chat row is gone files nothing and does not hold up the writer', async () => {
    const db = await openStore(await ctx.storage());
    const filed: string[] = [];
    const store = new TranscriptStore({
      db,
      log: createLogger({ level: 'silent' }),
      retentionDays: 14,
      deliveries: true,
      onFiled: (id) => filed.push(id),
      retryMs: { first: 1, max: 5 },
    });
    try {
      store.ended({ chatId: 'never-started', endedAt: T0, endedBy: 'visitor', advisor: undefined });
      writeChats(store, 1, 1);
      await store.flush();
      assert.deepEqual(filed, ['chat-0']);
      const deliveries = await db.query<{ chat_id: string }>(sql`SELECT chat_id FROM webhook_deliveries`);
      assert.deepEqual(
        deliveries.map((row) => row.chat_id),
        ['chat-0'],
      );
    } finally {
      await store.close();
      await db.close();
    }
  });

  test("the lifecycle's drain waits for what is queued and leaves the store open: later events are still written", async () => {
    const db = await openStore(await ctx.storage());
    const store = new TranscriptStore({
      db,
      log: createLogger({ level: 'silent' }),
      retentionDays: 14,
      deliveries: false,
    });
    const bus = new ChatLifecycle(() => assert.fail('no subscriber fails'));
    bus.subscribe(transcriptWriter(store));
    const member = { sub: 'sub-1', pseudonym: 'p-1' };
    const message = (seq: number) =>
      bus.emit('chat.appended', {
        chatId: 'chat-1',
        member,
        seq,
        event: { kind: 'message', id: `m-${seq}-xxxxxx`, from: 'visitor', text: `Text ${seq}`, at: T0 + seq },
      });
    try {
      bus.emit('chat.started', {
        chatId: 'chat-1',
        member,
        startedAt: T0,
        visitor: { kind: 'member', name: 'Mitglied', insuranceNumber: 'A1' },
        addressHash: undefined,
        live: 1,
      });
      message(1);
      await bus.drain();
      assert.equal(store.pending, 0);
      message(2);
      bus.emit('chat.ended', {
        chatId: 'chat-1',
        member,
        by: 'visitor',
        startedAt: T0,
        endedAt: T0 + 60_000,
        events: 3,
        advisor: undefined,
      });
      await bus.drain();
      const rows = await db.query<{ seq: number }>(
        sql`SELECT seq FROM member_messages WHERE chat_id = 'chat-1' ORDER BY seq`,
      );
      assert.deepEqual(
        rows.map((row) => row.seq),
        [1, 2],
      );
      const ended = await db.query<{ ended_by: string }>(sql`SELECT ended_by FROM member_chats WHERE id = 'chat-1'`);
      assert.equal(ended[0]?.ended_by, 'visitor');
    } finally {
      await store.close();
      await db.close();
    }
  });

  test('without a store nothing is queued and flush resolves at once', async () => {
    const store = new TranscriptStore({
      db: null,
      log: createLogger({ level: 'silent' }),
      retentionDays: 14,
      deliveries: true,
    });
    writeChats(store, 2, 2);
    assert.equal(store.pending, 0);
    await store.flush();
    await store.close();
  });
});
