/**
 * Member chats on real storage, each driver: the transcript rows a chat through the real server leaves, its end
 * written at shutdown too, the delivery row and the filing callback, the purge after the retention (and not
 * before), and the audit records under a pseudonym with nothing of the member's identity in them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import type { SequencedEvent } from '../../../src/protocol/messages.js';
import { startPurgeJob } from '../../../src/server/audit/audit-purge.js';
import { createChatPart } from '../../../src/server/app/chat-part.js';
import type { VisitorPeer } from '../../../src/server/chat/chat.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { createLogger } from '../../../src/server/log.js';
import { UNENDED_GRACE_MS, purgeTranscripts, transcriptPurgeTask } from '../../../src/server/member/member-purge.js';
import { createMemberVerifier } from '../../../src/server/member/token.js';
import { TranscriptStore } from '../../../src/server/member/transcripts.js';
import { openStore, sql } from '../../../src/server/store/index.js';
import type { Db } from '../../../src/server/store/sql.js';
import { startServer, testConfig } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from './member-keys.js';
import { describeDrivers, everyStoredRow } from '../store/store-helpers.js';

const DAY = 24 * 3600_000;
const TERMS = defaults.terms.version;
const IDENTITY = ['member-4711', 'Erika', 'Mustermann', 'A123456780'];
const area = await createMemberArea();
const memberTokens = { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] };

interface ChatRow {
  id: string;
  member_sub: string;
  member_name: string;
  insurance_number: string;
  started_at: Date | string;
  ended_at: Date | string | null;
  ended_by: string | null;
  advisor_id: string | null;
  advisor_name: string | null;
  purge_after: Date | string;
}
const ms = (value: Date | string | null): number => new Date(value ?? Number.NaN).getTime();

function storeOf(h: Harness): Db {
  const db = h.server.audit.db;
  assert.ok(db !== null, 'the server opened its store');
  return db;
}

async function storedEvents(db: Db, chatId: string): Promise<SequencedEvent[]> {
  const rows = await db.query<{ seq: number; at: Date | string; event: unknown }>(
    sql`SELECT seq, at, event FROM member_messages WHERE chat_id = ${chatId} ORDER BY seq`,
  );
  return rows.map((row) => {
    const event = (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as SequencedEvent['event'];
    assert.equal(ms(row.at), event.at, 'the row time is the event time');
    return { seq: row.seq, event };
  });
}

function memberServer(storage: ConfigOverrides['storage'], overrides: ConfigOverrides = {}): Promise<Harness> {
  return startServer({ storage, member: { tokens: memberTokens }, ...overrides }, { store: undefined });
}

describeDrivers('member chat storage', (ctx) => {
  test('a member chat leaves its transcript row by row, and audit start/end under a pseudonym only', async () => {
    const h = await memberServer(await ctx.storage());
    let chatId: string;
    let seen: SequencedEvent[];
    try {
      const advisor = await h.advisor('adv-m', 'Maria Beraterin');
      advisor.send({ type: 'advisor.hello', chats: [] });
      await advisor.next('advisor.welcome');
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', memberToken: await area.mint(), termsVersion: TERMS, lang: 'de' });
      chatId = (await visitor.next('chat.started')).chatId;
      visitor.send({ type: 'chat.message', id: 'm-store-1', text: 'Meine Frage zur Zahnreinigung' });
      await visitor.next('chat.event');
      advisor.send({ type: 'queue.accept', chatId });
      await advisor.next('chat.assigned');
      await visitor.next('chat.event');
      advisor.send({ type: 'chat.message', chatId, id: 'a-store-1', text: 'Die Antwort der Beraterin' });
      await visitor.next('chat.event');
      visitor.send({ type: 'chat.end' });
      await visitor.next('chat.event');
      seen = visitor.history.flatMap((m) => (m.type === 'chat.event' ? [{ seq: m.seq, event: m.event }] : []));
      await h.server.transcripts.flush();
      await h.server.audit.flush();

      const db = storeOf(h);
      const [chat, ...others] = await db.query<ChatRow>(sql`SELECT * FROM member_chats`);
      assert.deepEqual(others, []);
      assert.deepEqual(
        [
          chat?.id,
          chat?.member_sub,
          chat?.member_name,
          chat?.insurance_number,
          chat?.ended_by,
          chat?.advisor_id,
          chat?.advisor_name,
        ],
        [chatId, 'member-4711', 'Erika Mustermann', 'A123456780', 'visitor', 'adv-m', 'Maria Beraterin'],
      );
      const ended = seen.at(-1)?.event;
      assert.equal(ms(chat?.ended_at ?? null), ended?.at);
      assert.equal(ms(chat?.purge_after ?? null) - ms(chat?.ended_at ?? null), 14 * DAY, 'kept 14 days from the end');
      assert.deepEqual(
        seen.map((e) => e.event.kind),
        ['message', 'joined', 'message', 'ended'],
      );
      assert.deepEqual(await storedEvents(db, chatId), seen, 'the rows are exactly the events both sides saw');
      assert.deepEqual(
        await db.query(sql`SELECT chat_id FROM webhook_deliveries`),
        [],
        'no webhook configured: nothing to deliver',
      );

      const audit = await db.query<{ kind: string; actor: string; ip_hash: string | null; detail: unknown }>(
        sql`SELECT kind, actor, ip_hash, detail FROM audit_events WHERE kind LIKE 'member_chat.%' ORDER BY id`,
      );
      assert.deepEqual(
        audit.map((row) => row.kind),
        ['member_chat.start', 'member_chat.end'],
      );
      const [start, end] = audit;
      assert.match(start?.actor ?? '', /^m_[0-9a-f]{24}$/, 'a keyed pseudonym');
      assert.equal(end?.actor, start?.actor, 'the same member has the same pseudonym');
      assert.match(start?.ip_hash ?? '', /^[A-Za-z0-9_-]{43}$/, 'the pseudonymised address of the visitor');
      const detail = (value: unknown): Record<string, unknown> =>
        (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
      assert.deepEqual(detail(start?.detail), { chatId });
      assert.deepEqual(Object.keys(detail(end?.detail)).sort(), ['chatId', 'durationMs', 'endedBy']);
      assert.equal(detail(end?.detail)['endedBy'], 'visitor');

      const auditRows = (await everyStoredRow(db)).filter((row) => /^(audit_events|last_transactions): /.test(row));
      for (const secret of IDENTITY) {
        assert.deepEqual(
          auditRows.filter((row) => row.includes(secret)),
          [],
          `no audit row contains "${secret}"`,
        );
      }
    } finally {
      await h.close();
    }
    for (const secret of [...IDENTITY, 'Zahnreinigung', 'Antwort der Beraterin']) {
      assert.deepEqual(
        h.logs.filter((line) => line.includes(secret)),
        [],
        `no log line contains "${secret}"`,
      );
    }
  });

  test('a member chat running at shutdown: its end (by server) is written before the store closes', async () => {
    const storage = await ctx.storage();
    const h = await memberServer(storage);
    let chatId: string;
    try {
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', memberToken: await area.mint(), termsVersion: TERMS, lang: 'de' });
      chatId = (await visitor.next('chat.started')).chatId;
      visitor.send({ type: 'chat.message', id: 'm-shutdown-1', text: 'Kurz vor dem Neustart' });
      await visitor.next('chat.event');
    } finally {
      await h.close();
    }
    const db = await openStore(storage);
    try {
      const [chat] = await db.query<ChatRow>(sql`SELECT * FROM member_chats WHERE id = ${chatId}`);
      assert.equal(chat?.ended_by, 'server');
      assert.equal(chat?.advisor_id, null);
      const events = await storedEvents(db, chatId);
      assert.deepEqual(
        events.map((e) => [e.seq, e.event.kind]),
        [
          [1, 'message'],
          [2, 'ended'],
        ],
      );
      const ends = await db.query(sql`SELECT actor FROM audit_events WHERE kind = 'member_chat.end'`);
      assert.equal(ends.length, 1);
    } finally {
      await db.close();
    }
  });

  test('with a webhook: the end and its delivery row in one go, then the filing callback', async () => {
    const storage = await ctx.storage();
    const db = await openStore(storage);
    const filed: { chatId: string; deliveries: number }[] = [];
    const config = testConfig({
      storage,
      member: {
        tokens: memberTokens,
        webhook: { url: 'https://backend.example-kasse.de/lotse', secret: 'w'.repeat(40) },
      },
    });
    const sent: unknown[] = [];
    const peer: VisitorPeer = { send: (message) => sent.push(message), close: () => {} };
    const part = createChatPart(config, {
      log: createLogger({ level: 'silent' }),
      memberVerifier: createMemberVerifier(config.member.tokens),
      fileTranscripts: true,
      onMemberChatFiled: (chatId) => {
        filed.push({ chatId, deliveries: -1 });
        void db
          .query<{ n: number }>(sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE chat_id = ${chatId}`)
          .then(([row]) => {
            const entry = filed.find((f) => f.chatId === chatId);
            if (entry) entry.deliveries = row?.n ?? 0;
          });
      },
    });
    const { hub, transcripts, endpoints } = part;
    transcripts.useStore(db);
    try {
      endpoints.visitorConnected(peer, '127.0.0.1', { key: '', keys: [''] });
      endpoints.visitorMessage(peer, {
        v: 1,
        type: 'chat.start',
        memberToken: await area.mint(),
        termsVersion: TERMS,
        lang: 'de',
      });
      const until = Date.now() + 5000;
      while (hub.chats.size === 0 && Date.now() < until) await new Promise((resolve) => setImmediate(resolve));
      const chat = hub.sockets.chatOfVisitor(peer);
      assert.ok(typeof chat === 'object', `a chat was started: ${JSON.stringify(sent)}`);
      const chatId = chat.id;
      endpoints.visitorMessage(peer, { v: 1, type: 'chat.message', id: 'm-hook-1', text: 'Bitte ablegen' });
      endpoints.visitorMessage(peer, { v: 1, type: 'chat.end' });
      assert.equal(filed.length, 0, 'not filed before the commit');
      await transcripts.flush();
      assert.deepEqual(
        filed.map((f) => f.chatId),
        [chatId],
      );
      const [delivery] = await db.query<{
        idempotency_key: string;
        status: string;
        attempts: number;
        next_attempt_at: Date | string;
        created_at: Date | string;
      }>(
        sql`SELECT idempotency_key, status, attempts, next_attempt_at, created_at FROM webhook_deliveries WHERE chat_id = ${chatId}`,
      );
      assert.deepEqual(
        [delivery?.idempotency_key, delivery?.status, delivery?.attempts],
        [`lotse-transcript-${chatId}`, 'pending', 0],
      );
      assert.equal(ms(delivery?.next_attempt_at ?? null), ms(delivery?.created_at ?? null), 'due at once');
      const until2 = Date.now() + 5000;
      while (filed[0]?.deliveries === -1 && Date.now() < until2) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(filed[0]?.deliveries, 1, 'the delivery row was committed when the callback ran');
      assert.ok(!sent.some((m) => (m as { type: string }).type === 'error'), JSON.stringify(sent));
    } finally {
      await part.close();
      await part.lifecycle.drain();
      await db.close();
    }
  });

  test('purge: a transcript goes when its retention has passed (injected clock), not a moment before', async () => {
    const db = await openStore(await ctx.storage());
    const log = createLogger({ level: 'silent' });
    const T0 = Date.parse('2026-03-02T09:00:00Z');
    const transcripts = new TranscriptStore({ db, log, retentionDays: 14, deliveries: true, now: () => T0 });
    try {
      const write = (chatId: string, startedAt: number, messages: number, endedAt?: number): void => {
        transcripts.started({
          chatId,
          sub: `sub-${chatId}`,
          name: 'Erika Mustermann',
          insuranceNumber: 'A123456780',
          startedAt,
        });
        for (let seq = 1; seq <= messages; seq++) {
          transcripts.appended(chatId, seq, {
            kind: 'message',
            id: `m-${seq}-xxxxxxxx`,
            from: 'visitor',
            text: `Text ${seq}`,
            at: startedAt + seq,
          });
        }
        if (endedAt !== undefined)
          transcripts.ended({ chatId, endedAt, endedBy: 'advisor', advisor: { id: 'adv-p', name: 'Paula' } });
      };
      write('chat-ended-early', T0, 3, T0 + 60_000);
      write('chat-never-ended', T0, 2);
      write('chat-ended-later', T0, 4, T0 + DAY);
      await transcripts.flush();
      const count = async (table: 'member_chats' | 'member_messages' | 'webhook_deliveries'): Promise<number> =>
        Number((await db.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM ${table}`, values: [] }))[0]?.n);
      assert.deepEqual(
        [await count('member_chats'), await count('member_messages'), await count('webhook_deliveries')],
        [3, 9, 2],
      );

      assert.deepEqual(
        await purgeTranscripts(db, T0 + 14 * DAY + 60_000 - 1),
        { chats: 0, messages: 0 },
        'not a moment before',
      );
      assert.deepEqual(
        await purgeTranscripts(db, T0 + 14 * DAY + 60_000),
        { chats: 1, messages: 3 },
        '14 days from its end',
      );
      const left = await db.query<{ id: string }>(sql`SELECT id FROM member_chats ORDER BY id`);
      // A chat without an end may still be running (a long chat can outlast the retention): it stays.
      assert.deepEqual(
        left.map((row) => row.id),
        ['chat-ended-later', 'chat-never-ended'],
      );
      assert.deepEqual(
        [await count('member_messages'), await count('webhook_deliveries')],
        [6, 1],
        'messages and delivery went with their chat',
      );
      // One that never ended (the server died) goes after the grace that outlasts the longest possible chat.
      assert.deepEqual(
        await purgeTranscripts(db, T0 + 14 * DAY + UNENDED_GRACE_MS - 1),
        { chats: 1, messages: 4 },
        'the ended one, not the unended',
      );
      assert.deepEqual(
        await purgeTranscripts(db, T0 + 14 * DAY + UNENDED_GRACE_MS),
        { chats: 1, messages: 2 },
        'the unended one, after its grace',
      );
      write('chat-ended-later', T0, 0, T0 + DAY);
      write('chat-never-ended', T0, 0);

      // The hourly job runs it too, after the audit purge, and logs count and duration only.
      const lines: string[] = [];
      const jobLog = createLogger({ level: 'debug', write: (line) => lines.push(line) });
      await transcripts.flush();
      const job = startPurgeJob({
        db,
        retentionDays: 180,
        log: jobLog,
        now: () => T0 + 15 * DAY,
        also: [transcriptPurgeTask(jobLog)],
      });
      await job.running;
      await job.close();
      assert.deepEqual(
        (await db.query<{ id: string }>(sql`SELECT id FROM member_chats`)).map((row) => row.id),
        ['chat-never-ended'],
      );
      const purged = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line['event'] === 'member.transcripts_purged');
      assert.deepEqual([purged?.['count'], purged?.['events'], typeof purged?.['durationMs']], [1, 0, 'number']);
    } finally {
      await transcripts.close();
      await db.close();
    }
  });

  test('an expired token on start stores nothing', async () => {
    const h = await memberServer(await ctx.storage());
    try {
      const visitor = await h.visitor();
      visitor.send({
        type: 'chat.start',
        memberToken: await area.mint({ iatOffset: -900, lifetime: 120 }),
        termsVersion: TERMS,
        lang: 'de',
      });
      assert.equal((await visitor.next('error')).code, ErrorCode.TokenExpired);
      await h.server.transcripts.flush();
      await h.server.audit.flush();
      const db = storeOf(h);
      assert.deepEqual(await db.query(sql`SELECT id FROM member_chats`), []);
      assert.deepEqual(await db.query(sql`SELECT id FROM audit_events WHERE kind LIKE 'member_chat.%'`), []);
    } finally {
      await h.close();
    }
  });
});
