/**
 * Canned responses on real storage (both drivers): the store's bounds and owners, `/admin/snippets` on a real
 * server (the admin authentication, add, update, remove, 409, 400), an advisor's socket reading the team's and
 * writing their own, and the same socket without a store (`available: false`).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ADMIN_ROLE, mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import {
  SnippetRefusedError,
  TEAM,
  addSnippet,
  listSnippets,
  removeSnippet,
  updateSnippet,
} from '../../../src/server/snippets/snippet-store.js';
import { snippetsDefaults } from '../../../src/server/config/snippets.js';
import { openStore } from '../../../src/server/store/index.js';
import { sql } from '../../../src/server/store/sql.js';
import type { Db } from '../../../src/server/store/sql.js';
import { assertNoHandles, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { describeDrivers } from '../store/store-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await assertNoHandles();
});

const limits = { ...snippetsDefaults, maxPerAdvisor: 2, maxTeam: 3, maxTextLength: 40 };
const GRUSS = { shortcut: 'gruss', lang: 'de', text: 'Guten Tag {{visitor}}!' } as const;

async function refused(promise: Promise<unknown>, reason: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof SnippetRefusedError && error.reason === reason);
}

describeDrivers('snippets', (ctx) => {
  async function store(): Promise<Db> {
    const db = await openStore(await ctx.storage());
    cleanups.push(() => db.close());
    return db;
  }

  test('migration 3 is recorded; team and personal snippets stay apart, bounded, unique per language', async () => {
    const db = await store();
    const migrations = await db.query<{ id: number; name: string }>(sql`SELECT id, name FROM lotse_migrations
      WHERE id = 3`);
    assert.deepEqual(migrations, [{ id: 3, name: 'snippets' }]);
    const anna = { advisorId: 'advisor-a' };
    const bernd = { advisorId: 'advisor-b' };
    const team = await addSnippet(db, TEAM, GRUSS, limits);
    await addSnippet(db, TEAM, { ...GRUSS, lang: 'en', text: 'Hello {{visitor}}!' }, limits);
    await refused(addSnippet(db, TEAM, { ...GRUSS, text: 'again' }, limits), 'exists');
    const own = await addSnippet(db, anna, GRUSS, limits);
    await addSnippet(db, anna, { ...GRUSS, shortcut: 'tschuess', text: 'Tschüss' }, limits);
    await refused(addSnippet(db, anna, { ...GRUSS, shortcut: 'third', text: 'x' }, limits), 'limit');
    await refused(addSnippet(db, bernd, { ...GRUSS, text: 'x'.repeat(41) }, limits), 'too_long');
    assert.deepEqual(
      (await listSnippets(db, TEAM)).map((s) => `${s.lang}/${s.shortcut}`),
      ['de/gruss', 'en/gruss'],
    );
    assert.deepEqual(
      (await listSnippets(db, anna)).map((s) => s.shortcut),
      ['gruss', 'tschuess'],
    );
    assert.deepEqual(await listSnippets(db, bernd), []);
    // Nobody changes or removes another's: not Bernd Anna's, not an advisor the team's.
    await refused(updateSnippet(db, bernd, own.id, { ...GRUSS, text: 'mine now' }, limits), 'unknown');
    assert.equal(await removeSnippet(db, bernd, own.id), false);
    assert.equal(await removeSnippet(db, anna, team.id), false);
    const updated = await updateSnippet(db, anna, own.id, { ...GRUSS, text: 'Hallo {{visitor}}' }, limits);
    assert.equal(updated.text, 'Hallo {{visitor}}');
    await refused(updateSnippet(db, anna, own.id, { ...GRUSS, shortcut: 'tschuess' }, limits), 'exists');
    assert.equal(await removeSnippet(db, anna, own.id), true);
    assert.deepEqual(
      (await listSnippets(db, anna)).map((s) => s.shortcut),
      ['tschuess'],
    );
  });

  test('the bound holds for inserts racing on one database', async () => {
    const db = await store();
    const results = await Promise.allSettled(
      ['a1', 'a2', 'a3', 'a4', 'a5'].map((shortcut) => addSnippet(db, TEAM, { ...GRUSS, shortcut }, limits)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    assert.equal((await listSnippets(db, TEAM)).length, 3);
  });

  async function server(): Promise<{ harness: Harness; db: Db; admin: string; advisor: string }> {
    const db = await store();
    const harness = await startServer({ snippets: limits }, { store: db });
    cleanups.push(() => harness.close({ checkHandles: false }));
    const admin = await mintAdvisorToken(
      { id: 'admin-1', name: 'Ada', roles: [ADMIN_ROLE] },
      harness.server.config,
      600,
    );
    const advisor = await mintAdvisorToken({ id: 'advisor-a', name: 'Anna' }, harness.server.config, 600);
    return { harness, db, admin, advisor };
  }

  test('/admin/snippets: 401, 403; an admin lists, adds, updates and removes team snippets; 400, 404, 409', async () => {
    const { harness, db, admin, advisor } = await server();
    const url = `${harness.url}/admin/snippets`;
    const as = (token: string, init: RequestInit = {}) =>
      fetch(url + ((init as { path?: string }).path ?? ''), {
        ...init,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      });
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { Authorization: 'Bearer not.a.token' } })).status, 401);
    assert.equal((await as(advisor)).status, 403);
    assert.equal((await as(advisor, { method: 'POST', body: JSON.stringify(GRUSS) })).status, 403);
    const empty = await as(admin);
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await empty.json(), { snippets: [] });

    const added = await as(admin, { method: 'POST', body: JSON.stringify({ ...GRUSS, shortcut: ' Gruss ' }) });
    assert.equal(added.status, 201);
    const snippet = (await added.json()) as { id: string; shortcut: string };
    assert.equal(snippet.shortcut, 'gruss');
    const again = await as(admin, { method: 'POST', body: JSON.stringify(GRUSS) });
    assert.equal(again.status, 409);
    const bad = await as(admin, { method: 'POST', body: JSON.stringify({ ...GRUSS, lang: 'fr' }) });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /lang must be "de" or "en"/);
    assert.equal((await as(admin, { method: 'POST', body: '{' })).status, 400);
    const long = await as(admin, {
      method: 'POST',
      body: JSON.stringify({ ...GRUSS, shortcut: 'x', text: 'y'.repeat(41) }),
    });
    assert.equal(long.status, 400);

    const put = await fetch(`${url}/${snippet.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${admin}` },
      body: JSON.stringify({ ...GRUSS, text: 'Moin {{visitor}}' }),
    });
    assert.equal(put.status, 200);
    const listed = (await (await as(admin)).json()) as { snippets: { text: string }[] };
    assert.deepEqual(
      listed.snippets.map((s) => s.text),
      ['Moin {{visitor}}'],
    );
    const del = await fetch(`${url}/${snippet.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${admin}` },
    });
    assert.equal(del.status, 204);
    const gone = await fetch(`${url}/${snippet.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${admin}` },
    });
    assert.equal(gone.status, 404);

    await harness.server.audit.flush();
    const audited = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events
      WHERE kind = 'snippets.change' AND actor = 'admin-1'`);
    assert.equal(Number(audited[0]?.n), 3);
    const failed = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events
      WHERE kind = 'advisor.login_failed'`);
    assert.equal(Number(failed[0]?.n), 1);
  });

  test("an advisor's socket: the team's and their own; saves and deletes only their own, within the bounds", async () => {
    const { harness, db } = await server();
    await addSnippet(db, TEAM, GRUSS, limits);
    await addSnippet(db, { advisorId: 'advisor-b' }, { ...GRUSS, shortcut: 'bernd' }, limits);
    const anna = await harness.advisor('advisor-a', 'Anna');
    anna.send({ type: 'advisor.hello', chats: [] });
    anna.send({ type: 'snippets.get' });
    const first = await anna.next('snippets.list');
    assert.equal(first.available, true);
    assert.deepEqual(
      first.team.map((s) => s.shortcut),
      ['gruss'],
    );
    assert.deepEqual(first.personal, []);
    assert.deepEqual(first.limits, { maxTextLength: 40, maxPersonal: 2 });

    anna.send({ type: 'snippets.save', shortcut: 'mein', lang: 'en', text: 'Hi {{visitor}}, {{advisor}} here.' });
    const saved = await anna.next('snippets.list');
    assert.deepEqual(
      saved.personal.map((s) => `${s.lang}/${s.shortcut}`),
      ['en/mein'],
    );
    const id = saved.personal[0]?.id ?? '';
    anna.send({ type: 'snippets.save', id, shortcut: 'mein', lang: 'en', text: 'Hello {{visitor}}' });
    assert.equal((await anna.next('snippets.list')).personal[0]?.text, 'Hello {{visitor}}');
    anna.send({ type: 'snippets.save', shortcut: 'long', lang: 'de', text: 'z'.repeat(41) });
    const error = await anna.next('error');
    assert.equal(error.code, 'LOTSE_ERR_SNIPPET_REFUSED');
    assert.equal(error.ref, 'snippets.save');
    await anna.next('snippets.list');
    // Bernd's snippet is not Anna's to delete: nothing happens to it.
    const [bernds] = await listSnippets(db, { advisorId: 'advisor-b' });
    anna.send({ type: 'snippets.delete', id: bernds?.id ?? '' });
    await anna.next('snippets.list');
    assert.equal((await listSnippets(db, { advisorId: 'advisor-b' })).length, 1);
    anna.send({ type: 'snippets.delete', id });
    assert.deepEqual((await anna.next('snippets.list')).personal, []);
  });
});

test('without a store, the list says unavailable and a save is refused', async () => {
  const harness = await startServer();
  try {
    const anna = await harness.advisor('advisor-a', 'Anna');
    anna.send({ type: 'advisor.hello', chats: [] });
    anna.send({ type: 'snippets.get' });
    const list = await anna.next('snippets.list');
    assert.equal(list.available, false);
    anna.send({ type: 'snippets.save', shortcut: 'x', lang: 'de', text: 'x' });
    assert.equal((await anna.next('error')).code, 'LOTSE_ERR_SNIPPET_REFUSED');
    const admin = await mintAdvisorToken(
      { id: 'admin-1', name: 'Ada', roles: [ADMIN_ROLE] },
      harness.server.config,
      600,
    );
    const answer = await fetch(`${harness.url}/admin/snippets`, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(answer.status, 503);
  } finally {
    await harness.close();
  }
});
