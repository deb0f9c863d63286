/**
 * Satisfaction ratings on a real server and both storage drivers: the single-use ticket at a chat's end, `POST
 * /rating`, the stored counts (nothing that names a chat), `GET /admin/ratings`, the per-client limit and
 * `lotse ratings`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { MemoryCodeStore } from '../../../src/server/state/code-store.js';
import { openStore } from '../../../src/server/store/index.js';
import { listRatings, recordRating } from '../../../src/server/rating/ratings-store.js';
import { RatingTickets } from '../../../src/server/rating/tickets.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { lotseBin, lotseInProcess } from '../cli/run-lotse.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { describeDrivers, everyStoredRow } from '../store/store-helpers.js';

const NICK = 'Bewerter-Q9z';

/** A chat an advisor accepted, with one message each way; the visitor then ends it. The ticket it was handed. */
async function ratedChat(h: Harness, options: { accept?: boolean } = {}) {
  const advisor = await h.advisor('adv-r', 'Rita');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: defaults.terms.version, lang: 'de' });
  const { chatId } = await visitor.next('chat.started');
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Meine Frage' });
  await visitor.next('chat.event');
  if (options.accept !== false) {
    advisor.send({ type: 'queue.accept', chatId });
    await advisor.next('chat.assigned');
    assert.equal((await visitor.next('chat.event')).event.kind, 'joined');
  }
  visitor.send({ type: 'chat.end' });
  let ended = await visitor.next('chat.event');
  while (ended.event.kind !== 'ended') ended = await visitor.next('chat.event');
  const index = (type: string) => visitor.history.findIndex((message) => message.type === type);
  const rating = visitor.history.find((message) => message.type === 'chat.rating');
  const ticket = rating?.type === 'chat.rating' ? rating.ticket : undefined;
  if (ticket !== undefined) {
    const endedAt = visitor.history.findIndex((m) => m.type === 'chat.event' && m.event.kind === 'ended');
    assert.ok(index('chat.rating') < endedAt, 'the ticket comes before the ended event (the client closes on it)');
  }
  return { chatId, ticket };
}

function rate(h: Harness, body: unknown): Promise<Response> {
  return fetch(`${h.url}/rating`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', Origin: 'https://insurer.example' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describeDrivers('ratings', (ctx) => {
  test('the store keeps counts per day, topic and score, and nothing else', async () => {
    const db = await openStore(await ctx.storage());
    try {
      const columns = await db.query<{ name: string }>({
        text: "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'ratings' ORDER BY ordinal_position",
        values: [],
      });
      assert.deepEqual(
        columns.map((c) => c.name),
        ['day', 'topic', 'score', 'count'],
      );
      await recordRating(db, { day: '2026-12-01', topic: undefined }, 5);
      await recordRating(db, { day: '2026-12-01', topic: undefined }, 5);
      await recordRating(db, { day: '2026-12-01', topic: 'leistungen' }, 2);
      await recordRating(db, { day: '2026-12-03', topic: undefined }, 1);
      await assert.rejects(recordRating(db, { day: '2026-12-03', topic: undefined }, 6), RangeError);
      assert.deepEqual(await listRatings(db, {}), [
        { day: '2026-12-01', topic: null, score: 5, count: 2 },
        { day: '2026-12-01', topic: 'leistungen', score: 2, count: 1 },
        { day: '2026-12-03', topic: null, score: 1, count: 1 },
      ]);
      assert.deepEqual(
        (await listRatings(db, { from: '2026-12-02', to: '2026-12-03' })).map((r) => r.day),
        ['2026-12-03'],
      );
      assert.deepEqual(await listRatings(db, { to: '2026-11-30' }), []);
    } finally {
      await db.close();
    }
  });

  test('a rated chat: one ticket before the end, used once, counted without a link to the chat; admin and CLI see it', async () => {
    const storage = await ctx.storage();
    const h = await startServer({ storage, ratings: { perClientPerHour: 3 } }, { store: undefined });
    try {
      assert.equal((await ratedChat(h, { accept: false })).ticket, undefined, 'no advisor joined: no rating');
      const { chatId, ticket } = await ratedChat(h);
      assert.ok(ticket !== undefined, 'a chat an advisor held offers a rating');

      assert.equal((await rate(h, { ticket, score: 9 })).status, 400);
      assert.equal((await rate(h, 'not json')).status, 400);
      const counted = await rate(h, { ticket, score: 4 });
      assert.equal(counted.status, 204);
      assert.equal(counted.headers.get('access-control-allow-origin'), '*');
      assert.equal((await rate(h, { ticket, score: 1 })).status, 404, 'a ticket counts once');
      // The fourth attempt of this client within the hour (bodies refused as malformed do not count) is refused.
      assert.equal((await rate(h, { ticket: 'x'.repeat(32), score: 3 })).status, 404);
      assert.equal((await rate(h, { ticket: 'y'.repeat(32), score: 3 })).status, 429);

      const db = h.server.audit.db;
      assert.ok(db !== null);
      // The audit log has the advisor's login, as always; nothing stored has the chat, its visitor or the ticket.
      const stored = (await everyStoredRow(db)).join('\n');
      for (const secret of [chatId, NICK, ticket, 'Meine Frage']) {
        assert.ok(!stored.includes(secret), `nothing stored names the chat (${secret})`);
      }
      const ratingRows = (await everyStoredRow(db)).filter((row) => row.startsWith('ratings:'));
      assert.equal(ratingRows.length, 1);
      assert.match(ratingRows[0] ?? '', /^ratings: \(\d{4}-\d{2}-\d{2},"",4,1\)$/);
      const logs = h.logs.join('\n');
      assert.ok(!logs.includes(ticket), 'no log line carries the ticket');

      const url = `${h.url}/admin/ratings`;
      assert.equal((await fetch(url)).status, 401);
      const plain = await mintAdvisorToken({ id: 'adv-p', name: 'P' }, h.server.config, 60);
      assert.equal((await fetch(url, { headers: { Authorization: `Bearer ${plain}` } })).status, 403);
      const admin = await mintAdvisorToken({ id: 'adv-admin', name: 'A', roles: ['admin'] }, h.server.config, 60);
      const auth = { headers: { Authorization: `Bearer ${admin}` } };
      assert.equal((await fetch(`${url}?from=2026-13-01`, auth)).status, 400);
      const answer = await fetch(url, auth);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
      const { ratings } = (await answer.json()) as {
        ratings: { topic: string | null; score: number; count: number }[];
      };
      assert.deepEqual(
        ratings.map(({ topic, score, count }) => ({ topic, score, count })),
        [{ topic: null, score: 4, count: 1 }],
      );
      assert.deepEqual(((await (await fetch(`${url}?to=2000-01-01`, auth)).json()) as { ratings: [] }).ratings, []);
    } finally {
      await h.close();
    }

    const env = {
      ...process.env,
      LOTSE_STORAGE_DRIVER: storage.driver,
      LOTSE_DATA_DIR: storage.dataDir,
      LOTSE_DATABASE_URL: storage.url ?? '',
      LOTSE_LOG_LEVEL: 'silent',
    };
    // The table through the real bin; the other cases in this process (a process start costs ~2 s).
    const cli = (...args: string[]) => lotseInProcess(env, ...args);
    const table = (await lotseBin(env, 'ratings')).stdout.split('\n');
    assert.match(table[0] ?? '', /^day\s+topic\s+1\s+2\s+3\s+4\s+5\s+total\s+mean$/);
    assert.match(table[1] ?? '', /^\d{4}-\d{2}-\d{2}\s+-\s+0\s+0\s+0\s+1\s+0\s+1\s+4\.00$/);
    const json = (await cli('ratings', '--json', '--from', '2000-01-01')).stdout.trim();
    assert.deepEqual(JSON.parse(json), { ...JSON.parse(json), topic: null, score: 4, count: 1 });
    assert.equal((await cli('ratings', '--to', '2000-01-01')).stdout, 'no ratings\n');
    assert.match((await cli('ratings', '--help')).stdout, /Usage: lotse ratings \[--from YYYY-MM-DD\]/);
    await assert.rejects(cli('ratings', '--from', 'gestern'), (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr ?? '', /--from must be a day as YYYY-MM-DD/);
      return true;
    });
  });
});

test('no ticket with ratings off, nor from a storeless server (it could not count it), which answers 503', async () => {
  const h = await startServer();
  try {
    assert.equal((await ratedChat(h)).ticket, undefined, 'no store: no rating offered');
    assert.equal((await rate(h, { ticket: 'z'.repeat(32), score: 5 })).status, 503);
  } finally {
    await h.close({ checkHandles: false });
  }
  const off = await startServer({ ratings: { enabled: false } });
  try {
    assert.equal((await ratedChat(off)).ticket, undefined);
    assert.equal((await rate(off, { ticket: 'z'.repeat(32), score: 5 })).status, 404);
  } finally {
    await off.close();
  }
});

test('tickets: single use, lapse, and name only the day and topic', async () => {
  let now = Date.parse('2026-12-07T23:30:00Z');
  const store = new MemoryCodeStore(() => now);
  const tickets = new RatingTickets(store, { ttlMs: 60_000, timeZone: 'Europe/Berlin', now: () => now });
  const ticket = await tickets.issue('leistungen');
  assert.ok(ticket !== undefined);
  assert.match(ticket, /^[A-Za-z0-9_-]{32}$/);
  // 23:30 UTC is already the next day in Berlin.
  assert.deepEqual(await tickets.redeem(ticket), { day: '2026-12-08', topic: 'leistungen' });
  assert.equal(await tickets.redeem(ticket), undefined);
  const late = await tickets.issue(undefined);
  now += 61_000;
  assert.equal(await tickets.redeem(late ?? ''), undefined);
  assert.equal(await tickets.redeem('../../etc'), undefined);
});
