/**
 * Rating tickets across nodes: two Lotse nodes on one real Redis and one store. The ticket handed out by the node
 * that ended the chat is used on the other node, once; the Redis key names no chat.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { storageDefaults } from '../../../src/server/config/store.js';
import { listRatings } from '../../../src/server/rating/ratings-store.js';
import { openStore } from '../../../src/server/store/index.js';
import { embeddedTemplate } from '../../helpers/postgres.js';
import { dumpRedis } from '../../helpers/redis.js';
import { useNodes } from '../cluster/nodes.js';

const nodes = useNodes();
const dir = mkdtempSync(join(tmpdir(), 'lotse-ratings-nodes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a ticket handed out on node A is used once on node B', async () => {
  const dataDir = join(dir, 'data');
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  const store = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
  const a = await nodes.node({}, { store });
  const b = await nodes.node({}, { store });
  // The nodes leave a store they were given open: closed here after them (their Redis after the test).
  const closeAll = async (): Promise<void> => {
    for (const node of [b, a]) {
      nodes.forget(node);
      await node.close({ checkHandles: false });
    }
    await store.close();
  };
  try {
    const advisor = await a.advisor('adv-n', 'Nora');
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('advisor.welcome');
    const visitor = await a.visitor();
    visitor.send({ type: 'chat.start', nickname: 'Knoten-Gast', termsVersion: defaults.terms.version, lang: 'de' });
    const { chatId } = await visitor.next('chat.started');
    advisor.send({ type: 'queue.accept', chatId });
    await advisor.next('chat.assigned');
    advisor.send({ type: 'chat.end', chatId });
    const { ticket } = await visitor.next('chat.rating');

    const shared = await dumpRedis((await nodes.redis()).url);
    const entries = [...shared].filter(([key]) => key.includes(ticket));
    assert.equal(entries.length, 1, 'the ticket is in Redis');
    assert.ok(!entries[0]?.[1].includes(chatId) && !entries[0]?.[1].includes('Knoten-Gast'));

    const post = (url: string) =>
      fetch(`${url}/rating`, { method: 'POST', body: JSON.stringify({ ticket, score: 5 }) });
    assert.equal((await post(b.url)).status, 204);
    assert.equal((await post(a.url)).status, 404, 'used on B, gone on A too');
    assert.deepEqual(
      (await listRatings(store, {})).map(({ score, count }) => [score, count]),
      [[5, 1]],
    );
  } finally {
    await closeAll();
  }
});
