/**
 * Team snippets pushed live on two nodes sharing one Redis and one store: an admin's change through
 * `/admin/snippets` on one node reaches the open consoles on that node and on the other at once (`snippets.list`,
 * unasked; node bus topic `snippets`), each with that advisor's own snippets beside the team's.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { storageDefaults } from '../../../src/server/config/store.js';
import { snippetsDefaults } from '../../../src/server/config/snippets.js';
import { addSnippet } from '../../../src/server/snippets/snippet-store.js';
import { openStore } from '../../../src/server/store/index.js';
import type { Db } from '../../../src/server/store/sql.js';
import { ADMIN_ROLE, mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { embeddedTemplate } from '../../helpers/postgres.js';
import { useNodes } from './nodes.js';

const nodes = useNodes();
let db: Db;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotse-snippets-nodes-'));
  const dataDir = join(dir, 'data');
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
});

after(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

test(
  "an admin's change to the team snippets reaches the open consoles on every node",
  { timeout: 30_000 },
  async () => {
    const a = await nodes.node({}, { store: db });
    const b = await nodes.node({}, { store: db });
    await addSnippet(
      db,
      { advisorId: 'adv-ben' },
      { shortcut: 'ben', lang: 'de', text: 'Ben hier.' },
      snippetsDefaults,
    );
    const onA = await a.advisor('adv-anna', 'Anna Beraterin');
    const onB = await b.advisor('adv-ben', 'Ben Berater');
    for (const advisor of [onA, onB]) {
      advisor.send({ type: 'advisor.hello', chats: [] });
      advisor.send({ type: 'snippets.get' });
      assert.deepEqual((await advisor.next('snippets.list')).team, []);
    }
    const admin = await mintAdvisorToken({ id: 'admin-1', name: 'Ada', roles: [ADMIN_ROLE] }, a.server.config, 600);
    const added = await fetch(`${a.url}/admin/snippets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ shortcut: 'gruss', lang: 'de', text: 'Guten Tag {{visitor}}!' }),
    });
    assert.equal(added.status, 201);
    const [here, there] = await Promise.all([onA.next('snippets.list'), onB.next('snippets.list')]);
    for (const list of [here, there]) {
      assert.equal(list.available, true);
      assert.deepEqual(
        list.team.map((s) => s.shortcut),
        ['gruss'],
      );
    }
    assert.deepEqual(here.personal, [], "Anna's own: none");
    assert.deepEqual(
      there.personal.map((s) => s.shortcut),
      ['ben'],
      "Ben's own beside the team's",
    );

    // Removed on the other node: both hear it again.
    const { id } = (await added.json()) as { id: string };
    const removed = await fetch(`${b.url}/admin/snippets/${id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${admin}` },
    });
    assert.equal(removed.status, 204);
    const lists = await Promise.all([onA.next('snippets.list'), onB.next('snippets.list')]);
    assert.deepEqual(
      lists.map((list) => list.team.length),
      [0, 0],
    );
    // Closed here: the store they share stays open until the file's end, so the nodes' own check would find it.
    for (const node of [a, b]) {
      nodes.forget(node);
      await node.close({ checkHandles: false });
    }
  },
);
