/**
 * The audit log on both drivers, through the real server and real ws clients: login, failed login, co-browse
 * start and end, last transaction, no raw IP anywhere, purge after the retention, export formats, admin endpoint.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { AuditLog } from '../../../src/server/audit/audit-log.js';
import { CSV_HEADER, exportAudit } from '../../../src/server/audit/export.js';
import { purgeAudit } from '../../../src/server/audit/audit-purge.js';
import { lastTransactionOf, listEntries } from '../../../src/server/audit/records.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { createLogger } from '../../../src/server/log.js';
import { openStore, sql } from '../../../src/server/store/index.js';
import type { Db } from '../../../src/server/store/sql.js';
import { liveSession, readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import { refusedStatus, startServer } from '../helpers.js';
import { describeDrivers, everyStoredRow } from '../store/store-helpers.js';

const DAY = 24 * 3600_000;

function storeOf(db: Db | null): Db {
  assert.ok(db !== null, 'the server opened its store');
  return db;
}

describeDrivers('audit', (ctx) => {
  test('login, failed login, co-browse start and end are recorded; last transaction; no raw IP anywhere', async () => {
    // The server opens the configured store and closes it (so that the harness finds nothing left running).
    const h = await startServer({ storage: await ctx.storage() }, { store: undefined });
    const db = storeOf(h.server.audit.db);
    try {
      const advisor = await readyAdvisor(h, 'adv-audit', 'Anna Beraterin');
      const forged = await mintAdvisorToken(
        { id: 'adv-forged', name: 'X' },
        { advisorTokens: { ...h.server.config.advisorTokens, secret: 'x'.repeat(40) } },
        60,
      );
      assert.equal(
        await refusedStatus(`${h.wsUrl}/ws/advisor`, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${forged}`]),
        401,
      );
      assert.equal(
        await refusedStatus(`${h.wsUrl}/ws/advisor`, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}not-a-jwt`]),
        401,
      );
      const live = await liveSession(h, { advisor });
      live.visitor.send({ type: 'cobrowse.end', sessionId: live.sessionId });
      await live.advisor.next('cobrowse.ended');
      await h.server.audit.flush();

      const rows = await listEntries(db, {}, 0, 100);
      const kinds = rows.map((row) => [row.kind, row.actor]);
      assert.deepEqual(kinds, [
        ['advisor.login', 'adv-audit'],
        // Whatever a refused token claims is not recorded; two failures of one client in a window: the first now,
        // the second in the window's summary (written at its end, or when the server closes).
        ['advisor.login_failed', 'unverified'],
        ['cobrowse.start', 'adv-audit'],
        ['cobrowse.end', 'adv-audit'],
      ]);
      const [login, failed] = rows;
      assert.match(login?.ipHash ?? '', /^[A-Za-z0-9_-]{43}$/, 'a keyed hash, not an address');
      assert.equal(failed?.ipHash, login?.ipHash, 'the same client under the same day key');
      assert.deepEqual(rows[3]?.detail, {
        sessionId: live.sessionId,
        durationMs: rows[3]?.detail['durationMs'],
        endedBy: 'visitor',
        reached: 'live',
      });
      const last = await lastTransactionOf(db, 'adv-audit');
      assert.equal(last?.kind, 'cobrowse.end');
      assert.equal(
        await lastTransactionOf(db, 'adv-forged'),
        undefined,
        'a failed login is no transaction of that user',
      );

      const everything = (await everyStoredRow(db)).join('\n');
      for (const raw of ['127.0.0.1', '::1', 'Anna', live.webcode, live.startCode]) {
        assert.ok(!everything.includes(raw), `nothing stored contains "${raw}"`);
      }
      assert.ok(!h.logs.join('\n').includes('127.0.0.1'), 'no log line holds the address');
      assert.ok(
        !h.logs.some((line) => line.includes('adv-audit') && line.includes('cobrowse.session')),
        'the co-browse log line names no advisor',
      );
    } finally {
      await h.close();
    }
  });

  test('last transaction: one row per actor, upserted to the latest; an older write never wins', async () => {
    const db = await openStore(await ctx.storage());
    let now = Date.parse('2026-04-01T08:00:00Z');
    const audit = new AuditLog({ db, log: createLogger({ level: 'silent' }), trustProxy: false, now: () => now });
    try {
      audit.advisorLogin('adv-1', 'hash-a');
      now += 60_000;
      audit.cobrowseStarted('adv-1', 'sess-1');
      audit.memberChatStarted('member-pseudonym-1', 'chat-1', null);
      await audit.flush();
      const rows = await db.query<{ actor: string }>(sql`SELECT actor FROM last_transactions ORDER BY actor`);
      assert.deepEqual(
        rows.map((row) => row.actor),
        ['adv-1', 'member-pseudonym-1'],
      );
      assert.deepEqual(await lastTransactionOf(db, 'adv-1'), {
        actor: 'adv-1',
        at: '2026-04-01T08:01:00.000Z',
        kind: 'cobrowse.start',
        ipHash: null,
      });
      now -= 3_600_000;
      audit.memberChatEnded('adv-1', 'chat-x', { durationMs: 1, endedBy: 'advisor' });
      await audit.flush();
      assert.equal(
        (await lastTransactionOf(db, 'adv-1'))?.kind,
        'cobrowse.start',
        'an older record does not replace a newer one',
      );
    } finally {
      await audit.close();
      await db.close();
    }
  });

  test('purge deletes events and last transactions older than the retention, and nothing newer', async () => {
    const db = await openStore(await ctx.storage());
    const now = Date.parse('2026-06-30T12:00:00Z');
    let at = now - 181 * DAY;
    const audit = new AuditLog({ db, log: createLogger({ level: 'silent' }), trustProxy: false, now: () => at });
    try {
      audit.advisorLogin('adv-old', 'h1');
      at = now - 179 * DAY;
      audit.advisorLogin('adv-new', 'h2');
      await audit.flush();
      const result = await purgeAudit(db, 180, now);
      assert.deepEqual([result.events, result.lastTransactions], [1, 1]);
      assert.deepEqual(
        (await listEntries(db, {}, 0, 10)).map((row) => row.actor),
        ['adv-new'],
      );
      assert.equal(await lastTransactionOf(db, 'adv-old'), undefined);
      assert.deepEqual([(await purgeAudit(db, 180, now)).events], [0]);
    } finally {
      await audit.close();
      await db.close();
    }
  });

  test('export: JSON lines and CSV, filtered by since/until, formula cells defused', async () => {
    const db = await openStore(await ctx.storage());
    let at = Date.parse('2026-04-01T08:00:00Z');
    const audit = new AuditLog({ db, log: createLogger({ level: 'silent' }), trustProxy: false, now: () => at });
    try {
      audit.advisorLogin('adv-1', 'hash-1');
      at += DAY;
      audit.loginFailed('@evil', 'ws');
      await audit.flush();
      const out = async (range: { since?: Date; until?: Date }, format: 'jsonl' | 'csv'): Promise<string> => {
        let text = '';
        await exportAudit(db, range, format, (chunk) => void (text += chunk));
        return text;
      };
      const lines = (await out({}, 'jsonl'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        lines.map((line) => [line['at'], line['kind'], line['actor'], line['ipHash']]),
        [
          ['2026-04-01T08:00:00.000Z', 'advisor.login', 'adv-1', 'hash-1'],
          ['2026-04-02T08:00:00.000Z', 'advisor.login_failed', 'unverified', '@evil'],
        ],
      );
      const since = await out({ since: new Date('2026-04-02T00:00:00Z') }, 'jsonl');
      assert.equal(since.trim().split('\n').length, 1);
      assert.equal(await out({ until: new Date('2026-04-01T00:00:00Z') }, 'jsonl'), '');
      const csv = (await out({}, 'csv')).trim().split('\n');
      assert.equal(csv[0], CSV_HEADER);
      assert.match(
        csv[1] ?? '',
        /^\d+,2026-04-01T08:00:00\.000Z,advisor\.login,adv-1,hash-1,"\{""""?\}"?|^\d+,2026-04-01T08:00:00\.000Z,advisor\.login,adv-1,hash-1,\{\}$/,
      );
      assert.match(csv[2] ?? '', /,advisor\.login_failed,unverified,'@evil,"\{.*""count"":1.*\}"$/);
      assert.match(csv[2] ?? '', /""via"":""ws""/);
    } finally {
      await audit.close();
      await db.close();
    }
  });

  test('GET /admin/audit: 401 without or with a bad token, 403 without the admin role, 200 with it; no CORS', async () => {
    // The server opens the configured store and closes it (so that the harness finds nothing left running).
    const h = await startServer({ storage: await ctx.storage() }, { store: undefined });
    const db = storeOf(h.server.audit.db);
    try {
      const get = (headers: Record<string, string>, query = '') =>
        fetch(`${h.url}/admin/audit${query}`, { headers: { Origin: 'https://elsewhere.example', ...headers } });
      assert.equal((await get({})).status, 401);
      assert.equal((await get({ Authorization: 'Bearer nonsense' })).status, 401);
      const plain = await mintAdvisorToken({ id: 'adv-plain', name: 'P' }, h.server.config, 60);
      assert.equal((await get({ Authorization: `Bearer ${plain}` })).status, 403);
      const admin = await mintAdvisorToken({ id: 'adv-admin', name: 'A', roles: ['admin'] }, h.server.config, 60);
      assert.equal((await get({ Authorization: `Bearer ${admin}` }, '?since=yesterday')).status, 400);
      // Audit writes are queued so that they never hold up a socket: let the refused ones reach the store first.
      await h.server.audit.flush();
      const ok = await get({ Authorization: `Bearer ${admin}` }, '?since=2000-01-01');
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('access-control-allow-origin'), null);
      assert.equal(ok.headers.get('cache-control'), 'no-store');
      const records = (await ok.text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; detail: { via?: string } });
      assert.deepEqual(
        records.map((r) => [r.kind, r.detail.via]),
        [['advisor.login_failed', 'admin']],
      );
      const csv = await get({ Authorization: `Bearer ${admin}` }, '?format=csv');
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal((await csv.text()).split('\n')[0], CSV_HEADER);
      await h.server.audit.flush();
      assert.equal(
        (await lastTransactionOf(db, 'adv-admin'))?.kind,
        'audit.export',
        'reading the audit is a transaction',
      );
    } finally {
      await h.close();
    }
  });
});
