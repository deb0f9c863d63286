import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_EVENTS_PER_CHAT } from '../../../src/protocol/limits.js';
import type { Outgoing } from '../../../src/protocol/parse.js';
import type { ChatEvent, ServerToVisitor } from '../../../src/protocol/messages.js';
import type { AdvisorPeer, Chat, VisitorPeer } from '../../../src/server/chat/chat.js';
import { createChatPart } from '../../../src/server/app/chat-part.js';
import { createLogger } from '../../../src/server/log.js';
import { MemoryAdvisorPresence } from '../../../src/server/state/advisor-presence.js';
import { MemoryChatEventLog } from '../../../src/server/state/chat-event-log.js';
import { MemoryQueueStore } from '../../../src/server/state/queue-store.js';
import { startChat, testConfig } from '../helpers.js';

/** A visitor socket that only records what it was sent. */
function fakeVisitor(): VisitorPeer & { sent: Outgoing<ServerToVisitor>[]; closes: number[] } {
  const sent: Outgoing<ServerToVisitor>[] = [];
  const closes: number[] = [];
  return { sent, closes, send: (message) => void sent.push(message), close: (code) => void closes.push(code) };
}

test(`a chat is ended by the server at ${MAX_EVENTS_PER_CHAT} events`, async () => {
  const events = new MemoryChatEventLog();
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }), state: { events } });
  const { hub } = part;
  const peer = fakeVisitor();
  hub.sockets.visitorConnected(peer);
  const chat = await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
  let result: string = 'added';
  let written = 0;
  while (result === 'added') result = await hub.addMessage(chat, 'visitor', `client-id-${written++}`, 'x');
  assert.equal(result, 'full');
  const sent = peer.sent.flatMap((message) => (message.type === 'chat.event' ? [message] : []));
  assert.equal(sent.length, MAX_EVENTS_PER_CHAT);
  const last = sent.at(-1);
  assert.deepEqual(last && { seq: last.seq, kind: last.event.kind, by: last.event.kind === 'ended' && last.event.by }, {
    seq: MAX_EVENTS_PER_CHAT,
    kind: 'ended',
    by: 'server',
  });
  assert.equal(hub.chats.size, 0);
  assert.equal(chat.lastSeq, 0, 'content wiped');
  assert.equal(events.size, 0, 'the event log holds nothing of it');
  await part.close();
});

test('close() is idempotent and leaves no timers', async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub } = part;
  const peer = fakeVisitor();
  hub.sockets.visitorConnected(peer);
  const chat = await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
  hub.sockets.visitorDisconnected(peer);
  assert.notEqual(chat.abandonTimer, undefined);
  await part.close();
  await part.close();
  assert.equal(chat.abandonTimer, undefined);
  assert.equal(chat.idleTimer, undefined);
  assert.equal(hub.chats.size, 0);
});

test('the queue order and the advisors’ presence are kept in the state stores handed in', async () => {
  const queue = new MemoryQueueStore();
  const advisorPresence = new MemoryAdvisorPresence();
  const part = createChatPart(testConfig(), {
    log: createLogger({ level: 'silent' }),
    state: { queue, advisorPresence },
  });
  const { hub } = part;
  const visitors = [fakeVisitor(), fakeVisitor()];
  const chats: Chat[] = [];
  for (const [i, peer] of visitors.entries()) {
    hub.sockets.visitorConnected(peer);
    chats.push(await startChat(hub, peer, { kind: 'anonymous', nickname: `Gast ${i}` }));
  }
  const order = async (): Promise<string[]> => (await queue.first(10)).map((item) => item.chatId);
  assert.deepEqual(
    await order(),
    chats.map((chat) => chat.id),
  );
  assert.equal(await hub.queue.waitingCount(), 2);

  const advisor: AdvisorPeer = {
    advisor: { id: 'a', name: 'Anna', roles: [] },
    send: () => undefined,
    close: () => undefined,
  };
  hub.sockets.advisorConnected(advisor);
  assert.equal(await advisorPresence.get('a'), undefined, 'no presence before hello');
  await hub.advisors.markReady(advisor);
  assert.deepEqual(await advisorPresence.get('a'), { presence: 'available', name: 'Anna' });
  await hub.advisors.setPresence('a', 'away');
  assert.equal(await advisorPresence.anyAvailable(), false);

  assert.equal(await hub.assign(chats[0]!, { id: 'a', name: 'Anna' }), true);
  assert.deepEqual(await order(), [chats[1]!.id], 'taken: out of the queue');
  await hub.requeue(chats[0]!);
  assert.deepEqual(await order(), [chats[1]!.id, chats[0]!.id], 'back: behind the one that waits longer');
  await hub.end(chats[1]!, 'visitor');
  assert.deepEqual((await queue.places([chats[0]!.id])).positions, [1]);

  hub.sockets.advisorDisconnected(advisor);
  assert.equal(advisorPresence.size, 0, 'its last socket gone: its presence too');
  await part.close();
  assert.equal(queue.length, 0);
});

/** The memory log, failing the appends `failing` says to fail (a store that timed out). */
class FailingLog extends MemoryChatEventLog {
  failing: (event: ChatEvent) => boolean = () => false;
  override append(chatId: string, event: ChatEvent): Promise<number> {
    if (this.failing(event)) return Promise.reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    return super.append(chatId, event);
  }
}

test('a message the event log failed to take is appended when the client sends it again, not taken for a repeat', async () => {
  const events = new FailingLog();
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }), state: { events } });
  const { hub } = part;
  const peer = fakeVisitor();
  hub.sockets.visitorConnected(peer);
  const chat = await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
  events.failing = (event) => event.kind === 'message';
  await assert.rejects(hub.addMessage(chat, 'visitor', 'visitor-msg-1', 'Hallo'), { name: 'TimeoutError' });
  events.failing = () => false;
  assert.equal(await hub.addMessage(chat, 'visitor', 'visitor-msg-1', 'Hallo'), 'added');
  assert.equal(await hub.addMessage(chat, 'visitor', 'visitor-msg-1', 'Hallo'), 'duplicate');
  assert.deepEqual(
    (await events.after(chat.id, 0)).map((e) => e.seq),
    [1],
  );
  await part.close();
});

test('a chat ends even when the event log fails to take its end: both sides told, nothing of it kept', async () => {
  const events = new FailingLog();
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }), state: { events } });
  const { hub } = part;
  const ended: string[] = [];
  part.lifecycle.subscribe({ on: { 'chat.ended': ({ by }) => void ended.push(by) } });
  const peer = fakeVisitor();
  hub.sockets.visitorConnected(peer);
  const chat = await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
  await hub.addMessage(chat, 'visitor', 'visitor-msg-1', 'Hallo');
  events.failing = (event) => event.kind === 'ended';
  await hub.end(chat, 'timeout');
  const last = peer.sent.at(-1);
  assert.deepEqual(last?.type === 'chat.event' && [last.seq, last.event.kind], [2, 'ended']);
  assert.deepEqual(ended, ['timeout']);
  assert.equal(hub.chats.size, 0);
  assert.equal(events.size, 0, 'what the log had of it is dropped');
  await part.close();
});

test("an advisor's message or end at its turn is refused once the chat was re-queued or taken by another", async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub } = part;
  const peer = fakeVisitor();
  hub.sockets.visitorConnected(peer);
  const chat = await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
  assert.equal(await hub.assign(chat, { id: 'adv-a', name: 'Anna' }), true);
  // Asked for while adv-a held it; its turn comes after the re-queue and bernd's accept.
  const requeued = hub.requeue(chat);
  const late = hub.addMessage(chat, 'advisor', 'advisor-msg-1', 'Noch da?', 'adv-a');
  const lateEnd = hub.end(chat, 'advisor', { heldBy: 'adv-a' });
  const taken = hub.assign(chat, { id: 'adv-b', name: 'Bernd' });
  await requeued;
  assert.equal(await late, 'ended');
  await lateEnd;
  assert.equal(await taken, true);
  assert.equal(chat.state, 'active', 'not ended by the advisor who let it go');
  assert.equal(await hub.addMessage(chat, 'advisor', 'advisor-msg-2', 'Guten Tag', 'adv-b'), 'added');
  const kinds = peer.sent.flatMap((m) => (m.type === 'chat.event' ? [m.event.kind] : []));
  assert.deepEqual(kinds, ['joined', 'left', 'joined', 'message']);
  await part.close();
});

test('a message to an active chat is appended at once, unless an earlier operation of the chat is pending', async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub } = part;
  const peer = fakeVisitor();
  hub.sockets.visitorConnected(peer);
  const chat = await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
  assert.equal(hub.addMessageNow(chat, 'visitor', 'visitor-msg-0', 'Hallo'), undefined, 'waiting: addMessage');
  assert.equal(await hub.assign(chat, { id: 'adv-a', name: 'Anna' }), true);
  const seqs = (): number[] => peer.sent.flatMap((m) => (m.type === 'chat.event' ? [m.seq] : []));
  assert.equal(hub.addMessageNow(chat, 'visitor', 'visitor-msg-1', 'Hallo'), 'added');
  assert.deepEqual(seqs(), [1, 2], 'sent before anything was awaited');
  assert.equal(hub.addMessageNow(chat, 'visitor', 'visitor-msg-1', 'Hallo'), 'duplicate');
  assert.equal(hub.addMessageNow(chat, 'advisor', 'advisor-msg-1', 'Guten Tag', 'adv-b'), 'ended');
  // An operation asked for earlier and not settled yet: the message must not overtake it.
  const earlier = hub.addMessage(chat, 'advisor', 'advisor-msg-1', 'Guten Tag', 'adv-a');
  assert.equal(hub.addMessageNow(chat, 'visitor', 'visitor-msg-2', 'Noch da?'), undefined);
  assert.equal(await earlier, 'added');
  assert.equal(hub.addMessageNow(chat, 'visitor', 'visitor-msg-2', 'Noch da?'), 'added');
  assert.deepEqual(seqs(), [1, 2, 3, 4]);
  // The message that fills the chat ends it, and the sender hears that after the end: addMessage.
  chat.lastSeq = MAX_EVENTS_PER_CHAT - 2;
  assert.equal(hub.addMessageNow(chat, 'visitor', 'visitor-msg-3', 'Hallo?'), undefined);
  await part.close();
});

test('a resume right behind the end of a chat whose visitor was away gets its last events from the tombstone', async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub, endpoints } = part;
  const first = fakeVisitor();
  endpoints.visitorConnected(first, '127.0.0.1', { key: 'k', keys: ['k'] });
  const chat = await startChat(hub, first, { kind: 'anonymous', nickname: 'Gast' });
  const { id: chatId, resumeToken } = chat;
  await hub.assign(chat, { id: 'adv-a', name: 'Anna' });
  endpoints.visitorDisconnected(first);
  // The advisor ends the chat, and the visitor's page comes back before that end had its turn.
  const ending = hub.end(chat, 'advisor');
  const back = fakeVisitor();
  endpoints.visitorConnected(back, '127.0.0.1', { key: 'k', keys: ['k'] });
  endpoints.visitorMessage(back, { v: 1, type: 'chat.resume', chatId, resumeToken, lastSeq: 1 });
  await ending;
  await new Promise((resolve) => setImmediate(resolve));
  const resumed = back.sent.find((m) => m.type === 'chat.resumed');
  assert.deepEqual(
    resumed?.type === 'chat.resumed' && resumed.events.map((e) => [e.seq, e.event.kind]),
    [[2, 'ended']],
    JSON.stringify(back.sent),
  );
  assert.equal(hub.chats.endedSize, 0, 'the tombstone was taken');
  await part.close();
});
