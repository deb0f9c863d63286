/**
 * Issue 12, item 7: refused advisor tokens never name their claimed subject in the audit log, and a flood of them
 * from one client adds a couple of rows, not one per attempt. Real server, real store, both drivers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { listEntries } from '../../../src/server/audit/records.js';
import type { AuditRow } from '../../../src/server/audit/records.js';
import { refusedStatus, startServer } from '../helpers.js';
import { describeDrivers } from '../store/store-helpers.js';

/** A token claiming to be a.schmidt (with the admin role), signed with a key the server does not know. */
function forged(n: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: 'Anna Schmidt', roles: ['admin'], n })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('a.schmidt')
    .setIssuer('lotse')
    .setAudience('lotse-advisor')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
}

async function allRows(db: Parameters<typeof listEntries>[0]): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for (let after = 0; ;) {
    const page = await listEntries(db, {}, after, 1000);
    if (page.length === 0) return rows;
    rows.push(...page);
    after = page[page.length - 1]?.id ?? after;
  }
}

describeDrivers('audit of forged tokens', (ctx) => {
  test('3,000 forged upgrades as a.schmidt: no row names a.schmidt, one client adds two rows with the count', async () => {
    // The server opens the configured store and closes it (so that the harness finds nothing left running).
    const h = await startServer({ storage: await ctx.storage() }, { store: undefined });
    const db = h.server.audit.db;
    assert.ok(db !== null);
    try {
      const attempts = 3000;
      for (let start = 0; start < attempts; start += 100) {
        const statuses = await Promise.all(
          Array.from({ length: 100 }, async (_, i) =>
            refusedStatus(`${h.wsUrl}/ws/advisor`, [
              SUBPROTOCOL,
              `${AUTH_SUBPROTOCOL_PREFIX}${await forged(start + i)}`,
            ]),
          ),
        );
        assert.ok(statuses.every((status) => status === 401));
      }
      // Forged at the admin endpoint as well, from the same client.
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${h.url}/admin/audit`, {
          headers: { Authorization: `Bearer ${await forged(i)}` },
        });
        assert.equal(response.status, 401);
      }
      // The window's summaries are written at its end, or when the audit log closes (as the server's close does).
      await h.server.audit.close();
      const failed = (await allRows(db)).filter((row) => row.kind === 'advisor.login_failed');
      const naming = failed.filter((row) => row.actor === 'a.schmidt').length;
      console.log(
        JSON.stringify({
          figure: 'audit rows after 3,000 forged upgrades (+20 forged admin requests)',
          rows: failed.length,
          naming,
          actors: [...new Set(failed.map((row) => row.actor))],
        }),
      );
      assert.equal(naming, 0);
      assert.ok(failed.every((row) => row.actor === 'unverified'));
      assert.ok(
        failed.every((row) => /^[A-Za-z0-9_-]{43}$/.test(row.ipHash ?? '')),
        'each names the client by its keyed hash',
      );
      // Windows are fixed (multiples of 300 s): a flood that runs across a window's end is two windows, at most.
      const counts = (via: string) =>
        failed.filter((row) => row.detail['via'] === via).map((row) => Number(row.detail['count']));
      const sum = (list: number[]) => list.reduce((total, n) => total + n, 0);
      assert.equal(sum(counts('ws')), attempts, 'every refused upgrade is counted once');
      assert.equal(sum(counts('admin')), 20);
      assert.ok(
        counts('ws').length <= 4 && counts('admin').length <= 4,
        `a handful of rows: ${JSON.stringify(counts('ws'))}`,
      );
      assert.equal(counts('ws')[0], 1, 'the first failure is written at once');
      assert.ok(!JSON.stringify(failed).includes('Schmidt'));
    } finally {
      await h.close();
    }
  });

  test('a short window: each window of one client is its own pair of rows', async () => {
    const h = await startServer(
      { storage: await ctx.storage(), audit: { failedLoginWindowSeconds: 0.2 } },
      { store: undefined },
    );
    const db = h.server.audit.db;
    assert.ok(db !== null);
    try {
      const bad = `${AUTH_SUBPROTOCOL_PREFIX}${await forged(0)}`;
      for (let i = 0; i < 3; i++) assert.equal(await refusedStatus(`${h.wsUrl}/ws/advisor`, [SUBPROTOCOL, bad]), 401);
      await h.server.audit.flush();
      // The first window's summary is written by its own timer; wait for it (no assumption on timing).
      for (;;) {
        const rows = (await allRows(db)).filter((row) => row.kind === 'advisor.login_failed');
        if (rows.reduce((sum, row) => sum + Number(row.detail['count']), 0) >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(await refusedStatus(`${h.wsUrl}/ws/advisor`, [SUBPROTOCOL, bad]), 401);
      await h.server.audit.close();
      const rows = (await allRows(db)).filter((row) => row.kind === 'advisor.login_failed');
      assert.equal(
        rows.reduce((sum, row) => sum + Number(row.detail['count']), 0),
        4,
        'every failure counted once',
      );
      assert.ok(rows.length >= 2 && rows.length <= 4);
    } finally {
      await h.close();
    }
  });
});
