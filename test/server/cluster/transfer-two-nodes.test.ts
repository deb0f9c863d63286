/**
 * Topics and transfers across two nodes on one real Redis: a chat's topic travels with its queue item and record,
 * a transfer from an advisor on one node reaches a colleague on the other (through the chat's owner), and a chat
 * handed to a topic stands at the front of the shared queue for the advisors of every node. The internal note is
 * nowhere in Redis and never on the visitor's socket.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { parseServerToAdvisor } from '../../../src/protocol/parse.js';
import type { AdvisorToServer, ServerToAdvisor } from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { dumpRedis } from '../../helpers/redis.js';
import { Client, ORIGIN } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { useNodes } from './nodes.js';

const TERMS = defaults.terms.version;
const NOTE = 'Notiz-nur-intern-9Zq';
const TOPICS = [
  { id: 'leistungen', label: { de: 'Leistungen', en: 'Benefits' } },
  { id: 'beitraege', label: { de: 'Beiträge', en: 'Contributions' } },
];
const nodes = useNodes();

async function advisorOn(node: Harness, id: string, name: string, topics: string[] = []) {
  const token = await mintAdvisorToken({ id, name, topics }, node.server.config, 3600);
  const client = await Client.connect<ServerToAdvisor, AdvisorToServer>(
    `${node.wsUrl}/ws/advisor`,
    parseServerToAdvisor,
    { origin: ORIGIN, protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`] },
  );
  client.send({ type: 'advisor.hello', chats: [] });
  await client.next('advisor.welcome');
  return client;
}

/** The first queue snapshot (from now on) that `match`es. */
async function snapshotWhere(
  advisor: Client<ServerToAdvisor, AdvisorToServer>,
  match: (items: Extract<ServerToAdvisor, { type: 'queue.snapshot' }>['items']) => boolean,
) {
  for (;;) {
    const { items } = await advisor.next('queue.snapshot');
    if (match(items)) return items;
  }
}

test('a transfer from node A reaches a colleague on node B; back to a topic, the front of the queue on both', async () => {
  const [a, b, redis] = await nodes.two({ chat: { topics: TOPICS } });
  const anna = await advisorOn(a, 'adv-a', 'Anna');
  const bernd = await advisorOn(b, 'adv-b', 'Bernd');

  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de', topic: 'leistungen' });
  const { chatId } = await visitor.next('chat.started');
  // Node B's advisor sees the chat with its topic (the queue item in Redis carries it).
  const items = await snapshotWhere(bernd, (list) => list.some((item) => item.chatId === chatId));
  assert.equal(items.find((item) => item.chatId === chatId)?.topic, 'leistungen');

  anna.send({ type: 'queue.accept', chatId });
  await anna.next('chat.assigned');
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Eine Frage' });
  await anna.next('chat.event');

  anna.send({ type: 'advisor.colleagues' });
  assert.deepEqual((await anna.next('advisor.colleagues')).advisors, [{ id: 'adv-b', name: 'Bernd' }]);
  anna.send({ type: 'chat.transfer', chatId, to: { advisor: 'adv-b' }, note: NOTE });
  assert.equal((await anna.next('chat.transferred')).to, 'Bernd');
  const assigned = await bernd.next('chat.assigned');
  assert.equal(assigned.handover?.note, NOTE);
  assert.deepEqual(
    assigned.events.map(({ event }) => event.kind),
    ['joined', 'message', 'transferred', 'joined'],
  );
  // Bernd's messages on node B reach the chat on node A.
  bernd.send({ type: 'chat.message', chatId, id: 'advisor-b-msg-1', text: 'Hier Bernd' });
  let event = await visitor.next('chat.event');
  while (!(event.event.kind === 'message' && event.event.from === 'advisor')) event = await visitor.next('chat.event');

  // Bernd hands it to a topic: the front of the shared queue, seen on node A too; Clara on node A accepts.
  const waiting = await b.visitor();
  waiting.send({ type: 'chat.start', nickname: 'Zweiter', termsVersion: TERMS, lang: 'de' });
  const second = await waiting.next('chat.started');
  const clara = await advisorOn(a, 'adv-c', 'Clara', ['beitraege']);
  bernd.send({ type: 'chat.transfer', chatId, to: { topic: 'beitraege' }, note: NOTE });
  assert.equal((await bernd.next('chat.transferred')).topic, 'beitraege');
  const queue = await snapshotWhere(clara, (list) => list.some((item) => item.chatId === chatId));
  assert.deepEqual(
    queue.map((item) => [item.chatId, item.topic, item.transferred]),
    [
      [chatId, 'beitraege', true],
      [second.chatId, undefined, undefined],
    ],
  );
  const dump = [...(await dumpRedis(redis.url))].map(([key, value]) => `${key} ${value}`).join('\n');
  assert.ok(!dump.includes(NOTE), 'the note is not in Redis');
  clara.send({ type: 'queue.accept', chatId });
  const taken = await clara.next('chat.assigned');
  assert.deepEqual(taken.handover, { from: 'Bernd', note: NOTE });
  assert.equal(taken.topic, 'beitraege');
  assert.ok(!visitor.frames.some((frame) => frame.includes(NOTE)), 'the note never reaches the visitor');
});
