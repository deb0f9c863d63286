/**
 * Two Lotse nodes on one real Redis, as behind a load balancer without sticky sessions: a chat lives on the node that
 * started it, and its visitor's and advisor's sockets may reach either node (`src/server/cluster/`). Each step is
 * checked on both screens: the events in order, once each.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createClient } from '@redis/client';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
const PROBE = 'Zwei-Knoten-7Qx';
const open: Harness[] = [];
let redis: TestRedis | undefined;

afterEach(async () => {
  // The last one checks that nothing at all is left running; the others would find it still running.
  const harnesses = open.splice(0);
  for (const [index, harness] of harnesses.entries()) {
    await harness.close({ checkHandles: index === harnesses.length - 1 });
  }
  await redis?.close();
  redis = undefined;
});

async function twoNodes(): Promise<[Harness, Harness, TestRedis]> {
  const shared = (redis = await startRedis());
  const a = await startServer({ redis: { url: shared.url } });
  open.push(a);
  const b = await startServer({ redis: { url: shared.url } });
  open.push(b);
  return [a, b, shared];
}

async function keysOf(url: string, part: string): Promise<string[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      const value = type === 'list' ? (await client.lRange(key, 0, -1)).join('\n') : String(await client.get(key));
      if (key.includes(part) || value.includes(part)) keys.push(key);
    }
    return keys;
  } finally {
    await client.close();
  }
}

test('a chat started on node A: its visitor and advisor come back on node B and go on, in order, once each', async () => {
  const [a, b, shared] = await twoNodes();
  const advisor = await a.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await a.visitor();
  visitor.send({
    type: 'chat.start',
    nickname: `Gast ${PROBE}`,
    termsVersion: TERMS,
    lang: 'de',
    startId: 'start-one-1',
  });
  const started = await visitor.next('chat.started');
  visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Hallo' });
  assert.equal((await visitor.next('chat.event')).seq, 1);
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  assert.equal((await advisor.next('chat.assigned')).events.length, 2);
  assert.equal((await visitor.next('chat.event')).event.kind, 'joined');
  await visitor.close();

  // The visitor's next page reached node B: its resume goes to node A, which owns the chat.
  const back = await b.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  assert.deepEqual(
    (await back.next('chat.resumed')).events.map(({ seq, event }) => [seq, event.kind]),
    [[2, 'joined']],
  );
  back.send({ type: 'chat.message', id: 'visitor-2', text: 'Von Knoten B' });
  const relayed = await advisor.next('chat.event');
  assert.deepEqual([relayed.seq, relayed.event.kind], [3, 'message']);
  assert.equal((await back.next('chat.event')).seq, 3, 'the echo comes back through node B');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Antwort von A' });
  assert.equal((await back.next('chat.event')).seq, 4);
  back.send({ type: 'chat.typing', typing: true });
  assert.equal((await advisor.next('chat.typing')).typing, true);

  // The advisor's console reconnects to node B: node A answers its hello for the chat it holds.
  await advisor.close();
  const console2 = await b.advisor('adv-a', 'Anna');
  console2.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 3 }] });
  await console2.next('advisor.welcome');
  const assigned = await console2.next('chat.assigned');
  assert.deepEqual(
    assigned.events.map(({ seq }) => seq),
    [4],
  );
  console2.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-2', text: 'Jetzt von B' });
  const fromB = await back.next('chat.event');
  assert.deepEqual([fromB.seq, fromB.event.kind], [5, 'message']);
  assert.equal((await console2.next('chat.event')).seq, 5);
  back.send({ type: 'chat.typing', typing: false });
  assert.equal((await console2.next('chat.typing')).typing, false, "the advisor's socket on B hears the visitor");

  // A repeated start with the same start id on node B names the same chat (owned by A).
  const again = await b.visitor();
  again.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de', startId: 'start-one-1' });
  assert.equal((await again.next('chat.started')).chatId, started.chatId);
  assert.equal((await back.closed).code, 4002, 'the older socket is replaced, as on one node');

  again.send({ type: 'chat.end' });
  const ended = await console2.next('chat.event');
  assert.deepEqual([ended.seq, ended.event.kind], [6, 'ended']);
  assert.equal((await again.next('chat.event')).event.kind, 'message', 'the replayed events first');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(await keysOf(shared.url, started.chatId), [], 'nothing of the chat is left in Redis');
  assert.deepEqual(await keysOf(shared.url, PROBE), []);
  assert.deepEqual(shared.files(), [], 'no RDB, no AOF');
});

test('an advisor on node B accepts a chat waiting on node A and writes to it', async () => {
  const [a, b] = await twoNodes();
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  const advisor = await b.advisor('adv-b', 'Bernd');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  const assigned = await advisor.next('chat.assigned');
  assert.equal(assigned.chatId, started.chatId);
  assert.equal((await visitor.next('chat.event')).event.kind, 'joined');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Guten Tag' });
  assert.equal((await visitor.next('chat.event')).event.kind, 'message');
  // A second advisor on node A is too late.
  const other = await a.advisor('adv-c', 'Clara');
  other.send({ type: 'advisor.hello', chats: [] });
  await other.next('advisor.welcome');
  other.send({ type: 'queue.accept', chatId: started.chatId });
  assert.equal((await other.next('error')).code, 'LOTSE_ERR_ALREADY_TAKEN');
  advisor.send({ type: 'chat.end', chatId: started.chatId });
  assert.equal((await visitor.next('chat.event')).event.kind, 'ended');
});

test('a chat whose owner is gone: a resume on another node is told the chat is unknown, at once', async () => {
  const [, b, shared] = await twoNodes();
  const client = createClient({ url: shared.url });
  await client.connect();
  await client.set('lotse:chat:lost-chat:owner', 'a-node-that-died', { PX: 60_000 });
  await client.close();
  const visitor = await b.visitor();
  visitor.send({ type: 'chat.resume', chatId: 'lost-chat', resumeToken: 'x'.repeat(32), lastSeq: 0 });
  assert.equal((await visitor.next('error')).code, 'LOTSE_ERR_UNKNOWN_CHAT');
  assert.ok(b.logs.some((line) => line.includes('"node.gone"')));
});
