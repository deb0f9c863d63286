/**
 * The delayed echo (`transport/held-echoes.ts`) across two nodes on one real Redis: a socket whose chat another node
 * owns gets its echo from the owner through Redis, and its own node (the edge) holds it as it holds any other: the
 * next frame to the socket, from whichever node, takes it along after it; a node that stops (its chats handed to the
 * other) sends what it holds before it closes its sockets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloseCode } from '../../../src/protocol/errors.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { useNodes } from './nodes.js';

const TERMS = defaults.terms.version;
const nodes = useNodes();

const order = (history: { type: string; seq?: number }[]): (number | string)[] =>
  history.filter((m) => m.type === 'chat.event' || m.type === 'chat.typing').map((m) => m.seq ?? m.type);

test('an echo held on the edge node, for a chat another node owns, stays in order and leaves before a stop', async () => {
  const [a, b] = await nodes.two({ echoDelayMs: 500 });
  const visitor = await a.visitor(); // the chat lives on node A
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  const advisor = await b.advisor('adv-b', 'Bernd'); // its advisor on node B
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  await visitor.next('chat.event'); // joined, seq 1

  // The advisor's message: node A numbers it (seq 2), node B holds its echo until the visitor's typing mark.
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Guten Tag' });
  await visitor.next('chat.event');
  visitor.send({ type: 'chat.typing', typing: true });
  await advisor.next('chat.typing');
  assert.deepEqual(order(advisor.history), [2, 'chat.typing']);

  // The visitor's message: held on node A until the advisor's answer comes back from node B.
  visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Hallo' });
  await advisor.next('chat.event');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-2', text: 'Ja?' });
  await visitor.next('chat.event');
  await visitor.next('chat.event');
  assert.deepEqual(order(visitor.history), [1, 2, 3, 4]);

  // Node A stops (a rolling update: its chats go on on node B) while it holds the echo of the visitor's next
  // message (held in the turn that sent the message on to node B): it leaves before the close.
  await advisor.next('chat.event'); // the echo of advisor-2
  visitor.send({ type: 'chat.message', id: 'visitor-2', text: 'Danke' });
  await advisor.next('chat.event');
  await a.server.close();
  assert.equal((await visitor.closed).code, CloseCode.ServerShutdown);
  assert.deepEqual(order(visitor.history), [1, 2, 3, 4, 5]);
});
