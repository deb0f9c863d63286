/**
 * Topics and transfers on one node: a page's topic on the queue item (an unknown one files nothing, and is no
 * error), the advisor's topics at hello, a transfer to an available colleague (history along, the note to the
 * colleague only, the visitor told "Sie werden mit … verbunden"), one refused to an away colleague, and one to a
 * topic's queue (at its front; the note goes to whoever accepts it). The member audit is `transfer-audit.test.ts`'s.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { parseServerToAdvisor } from '../../../src/protocol/parse.js';
import type { AdvisorToServer, ServerToAdvisor } from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { Client, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
const NOTE = 'Interne Notiz: Widerspruch läuft, Az 4711';
export const TOPICS = [
  { id: 'leistungen', label: { de: 'Leistungen', en: 'Benefits' } },
  { id: 'beitraege', label: { de: 'Beiträge', en: 'Contributions' } },
];
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function advisorWith(h: Harness, id: string, name: string, topics: string[] = []) {
  const token = await mintAdvisorToken({ id, name, topics }, h.server.config, 3600);
  const client = await Client.connect<ServerToAdvisor, AdvisorToServer>(`${h.wsUrl}/ws/advisor`, parseServerToAdvisor, {
    origin: 'http://localhost:1234',
    protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
  });
  client.send({ type: 'advisor.hello', chats: [] });
  const welcome = await client.next('advisor.welcome');
  await client.next('queue.snapshot');
  return { client, welcome };
}

async function visitorChat(h: Harness, topic?: string) {
  const visitor = await h.visitor();
  visitor.send({
    type: 'chat.start',
    nickname: 'Nick-T1',
    termsVersion: TERMS,
    lang: 'de',
    ...(topic === undefined ? {} : { topic }),
  });
  const started = await visitor.next('chat.started');
  return { visitor, chatId: started.chatId };
}

test('a page topic reaches the queue item; an unknown one is the general queue, no error; topics at hello', async () => {
  const h = (harness = await startServer({ chat: { topics: TOPICS } }));
  const { client: a, welcome } = await advisorWith(h, 'adv-a', 'Anna', ['beitraege', 'unbekannt']);
  assert.deepEqual(welcome.advisor.topics, ['beitraege']);
  assert.deepEqual(welcome.topics, TOPICS);
  const first = await visitorChat(h, 'leistungen');
  const second = await visitorChat(h, 'gibtesnicht');
  await a.sync();
  let items = a.take('queue.snapshot').at(-1)?.items ?? [];
  while (items.length < 2) items = (await a.next('queue.snapshot')).items;
  assert.equal(items.find((item) => item.chatId === first.chatId)?.topic, 'leistungen');
  assert.equal(items.find((item) => item.chatId === second.chatId)?.topic, undefined);
  assert.equal(second.visitor.take('error').length, 0);
});

test('transfer to a colleague: history along, note to the colleague only, the visitor told', async () => {
  const h = (harness = await startServer({ chat: { topics: TOPICS } }));
  const { client: a } = await advisorWith(h, 'adv-a', 'Anna');
  const { client: b } = await advisorWith(h, 'adv-b', 'Bernd');
  const { visitor, chatId } = await visitorChat(h);
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Frage zum Widerspruch' });
  a.send({ type: 'queue.accept', chatId });
  await a.next('chat.assigned');

  a.send({ type: 'advisor.colleagues' });
  const colleagues = await a.next('advisor.colleagues');
  assert.deepEqual(colleagues.advisors, [{ id: 'adv-b', name: 'Bernd' }]);
  assert.deepEqual(colleagues.topics, TOPICS);

  a.send({ type: 'chat.transfer', chatId, to: { advisor: 'adv-b' }, note: NOTE });
  const done = await a.next('chat.transferred');
  assert.deepEqual({ chatId: done.chatId, to: done.to }, { chatId, to: 'Bernd' });
  const assigned = await b.next('chat.assigned');
  assert.equal(assigned.chatId, chatId);
  assert.deepEqual(assigned.handover, { from: 'Anna', note: NOTE });
  assert.deepEqual(
    assigned.events.map(({ event }) => event.kind),
    ['message', 'joined', 'transferred', 'joined'],
  );

  // The visitor hears of the transfer, and of the note nothing.
  let kinds: string[] = [];
  while (!kinds.includes('joined') || kinds.filter((kind) => kind === 'joined').length < 2) {
    const event = await visitor.next('chat.event');
    kinds = [...kinds, event.event.kind];
    if (event.event.kind === 'transferred') assert.equal(event.event.to, 'Bernd');
  }
  assert.ok(!visitor.frames.some((frame) => frame.includes('Widerspruch läuft')), 'the note never reaches the visitor');

  // The colleague holds the chat now; the one who handed it on does not.
  b.send({ type: 'chat.message', chatId, id: 'advisor-b-msg-1', text: 'Guten Tag, hier Bernd.' });
  assert.equal((await visitor.next('chat.event')).event.kind, 'message');
  a.send({ type: 'chat.message', chatId, id: 'advisor-a-msg-9', text: 'noch da?' });
  assert.equal((await a.next('error')).code, ErrorCode.UnknownChat);

  // A reconnect of the colleague's console gets the note again (memory of this node only).
  b.send({ type: 'advisor.hello', chats: [{ chatId, lastSeq: 0 }] });
  await b.next('advisor.welcome');
  const again = await b.next('chat.assigned');
  assert.equal(again.handover?.note, NOTE);
});

test('transfer to an away colleague, or to no such topic, is refused and the chat stays', async () => {
  const h = (harness = await startServer({ chat: { topics: TOPICS } }));
  const { client: a } = await advisorWith(h, 'adv-a', 'Anna');
  const { client: b } = await advisorWith(h, 'adv-b', 'Bernd');
  b.send({ type: 'advisor.presence', status: 'away' });
  await b.next('advisor.presence');
  const { chatId } = await visitorChat(h);
  a.send({ type: 'queue.accept', chatId });
  await a.next('chat.assigned');
  a.send({ type: 'advisor.colleagues' });
  assert.deepEqual((await a.next('advisor.colleagues')).advisors, []);
  a.send({ type: 'chat.transfer', chatId, to: { advisor: 'adv-b' } });
  assert.equal((await a.next('error')).code, ErrorCode.Unavailable);
  a.send({ type: 'chat.transfer', chatId, to: { advisor: 'adv-a' } });
  assert.equal((await a.next('error')).code, ErrorCode.Unavailable);
  a.send({ type: 'chat.transfer', chatId, to: { topic: 'reha' } });
  assert.equal((await a.next('error')).code, ErrorCode.Unavailable);
  a.send({ type: 'chat.message', chatId, id: 'advisor-a-msg-1', text: 'Ich bleibe bei Ihnen.' });
  assert.equal((await a.next('chat.event')).event.kind, 'message');
});

test('transfer to a topic: back to the queue at its front, the note to whoever accepts it', async () => {
  const h = (harness = await startServer({ chat: { topics: TOPICS } }));
  const { client: a } = await advisorWith(h, 'adv-a', 'Anna');
  const waiting = await visitorChat(h, 'beitraege');
  const { visitor, chatId } = await visitorChat(h);
  a.send({ type: 'queue.accept', chatId });
  await a.next('chat.assigned');
  a.send({ type: 'chat.transfer', chatId, to: { topic: 'leistungen' }, note: NOTE });
  const done = await a.next('chat.transferred');
  assert.deepEqual({ to: done.to, topic: done.topic }, { to: 'Leistungen', topic: 'leistungen' });
  let items = (await a.next('queue.snapshot')).items;
  while (items.length < 2) items = (await a.next('queue.snapshot')).items;
  assert.deepEqual(
    items.map((item) => [item.chatId, item.topic, item.transferred]),
    [
      [chatId, 'leistungen', true],
      [waiting.chatId, 'beitraege', undefined],
    ],
  );
  let told = await visitor.next('chat.event');
  while (told.event.kind !== 'transferred') told = await visitor.next('chat.event');
  assert.deepEqual(
    { kind: told.event.kind, to: 'to' in told.event ? told.event.to : '' },
    { kind: 'transferred', to: 'Leistungen' },
  );

  const { client: c } = await advisorWith(h, 'adv-c', 'Carla', ['leistungen']);
  c.send({ type: 'queue.accept', chatId });
  const assigned = await c.next('chat.assigned');
  assert.deepEqual(assigned.handover, { from: 'Anna', note: NOTE });
  assert.equal(assigned.topic, 'leistungen');
  assert.ok(!visitor.frames.some((frame) => frame.includes('Widerspruch läuft')));
});
