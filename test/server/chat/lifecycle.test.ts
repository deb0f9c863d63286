/**
 * The chat lifecycle bus (`chat/lifecycle.ts`): typed events delivered synchronously, in order, to every subscriber;
 * a subscriber that throws breaks neither the chat nor the others; `drain()` waits for each subscriber's work. And
 * the hub as its emitter: one chat's events, in the order they happened, with their payloads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Outgoing } from '../../../src/protocol/parse.js';
import type { ServerToAdvisor, ServerToVisitor } from '../../../src/protocol/messages.js';
import { createChatPart } from '../../../src/server/app/chat-part.js';
import type { AdvisorPeer, VisitorPeer } from '../../../src/server/chat/chat.js';
import { ChatLifecycle } from '../../../src/server/chat/lifecycle.js';
import type {
  ChatLifecycleEvent,
  ChatLifecycleEvents,
  LifecycleSubscriber,
} from '../../../src/server/chat/lifecycle.js';
import { createLogger } from '../../../src/server/log.js';
import { startChat, testConfig } from '../helpers.js';

const ENDED: ChatLifecycleEvents['chat.ended'] = {
  chatId: 'c1',
  member: undefined,
  by: 'visitor',
  startedAt: 0,
  endedAt: 5,
  events: 2,
  advisor: undefined,
};

function fakeVisitor(): VisitorPeer & { sent: Outgoing<ServerToVisitor>[] } {
  const sent: Outgoing<ServerToVisitor>[] = [];
  return { sent, send: (message) => void sent.push(message), close: () => {} };
}

function fakeAdvisor(id: string, name: string): AdvisorPeer & { sent: Outgoing<ServerToAdvisor>[] } {
  const sent: Outgoing<ServerToAdvisor>[] = [];
  return { advisor: { id, name }, sent, send: (message) => void sent.push(message), close: () => {} };
}

/** A subscriber to every event that records each as `[type, payload]`. */
function recorder(): LifecycleSubscriber & { seen: [ChatLifecycleEvent, unknown][] } {
  const seen: [ChatLifecycleEvent, unknown][] = [];
  const on = (type: ChatLifecycleEvent) => (payload: unknown) => void seen.push([type, payload]);
  return {
    seen,
    on: {
      'chat.started': on('chat.started'),
      'chat.assigned': on('chat.assigned'),
      'chat.appended': on('chat.appended'),
      'chat.presence': on('chat.presence'),
      'chat.requeued': on('chat.requeued'),
      'chat.transferred': on('chat.transferred'),
      'chat.ended': on('chat.ended'),
    },
  };
}

test('each event reaches every subscriber in subscription order, before emit returns; unsubscribed ones no more', () => {
  const bus = new ChatLifecycle(() => assert.fail('no subscriber fails'));
  const order: string[] = [];
  bus.subscribe({ on: { 'chat.ended': ({ chatId }) => order.push(`first:${chatId}`) } });
  const unsubscribe = bus.subscribe({ on: { 'chat.ended': ({ by }) => order.push(`second:${by}`) } });
  bus.subscribe({ on: { 'chat.started': () => order.push('never') } });
  bus.emit('chat.ended', ENDED);
  assert.deepEqual(order, ['first:c1', 'second:visitor']);
  unsubscribe();
  bus.emit('chat.ended', ENDED);
  assert.deepEqual(order, ['first:c1', 'second:visitor', 'first:c1']);
});

test('a subscriber that throws is reported and skipped: the others still hear the event, and later ones too', () => {
  const failures: [string, unknown][] = [];
  const bus = new ChatLifecycle((type, error) => failures.push([type, error]));
  const heard: string[] = [];
  bus.subscribe({
    on: {
      'chat.ended': () => {
        throw new Error('broken subscriber');
      },
    },
  });
  bus.subscribe({ on: { 'chat.ended': ({ chatId }) => heard.push(chatId) } });
  bus.emit('chat.ended', ENDED);
  bus.emit('chat.ended', { ...ENDED, chatId: 'c2' });
  assert.deepEqual(heard, ['c1', 'c2']);
  assert.deepEqual(
    failures.map(([type]) => type),
    ['chat.ended', 'chat.ended'],
  );
  // A failing report changes nothing either.
  const quiet = new ChatLifecycle(() => {
    throw new Error('the report fails too');
  });
  quiet.subscribe({
    on: {
      'chat.ended': () => {
        throw new Error('broken');
      },
    },
  });
  assert.doesNotThrow(() => quiet.emit('chat.ended', ENDED));
});

test("drain() waits for each subscriber's work in order; one that fails does not stop the rest", async () => {
  const failures: string[] = [];
  const bus = new ChatLifecycle((type) => failures.push(type));
  const done: string[] = [];
  let release: () => void = () => {};
  const slow = new Promise<void>((resolve) => (release = resolve));
  bus.subscribe({
    on: {},
    drain: async () => {
      await slow;
      done.push('slow');
    },
  });
  bus.subscribe({ on: {}, drain: () => Promise.reject(new Error('drain failed')) });
  bus.subscribe({ on: {}, drain: async () => void done.push('last') });
  bus.subscribe({ on: {} });
  let drained = false;
  const draining = bus.drain().then(() => (drained = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(drained, false, 'the slow subscriber is waited for');
  release();
  await draining;
  assert.deepEqual(done, ['slow', 'last']);
  assert.deepEqual(failures, ['drain']);
});

test("the hub tells one chat's life in order: started, appended, presence, assigned, requeued, ended", async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub } = part;
  const seen = recorder();
  part.lifecycle.subscribe(seen);
  try {
    const visitor = fakeVisitor();
    hub.sockets.visitorConnected(visitor, '127.0.0.1', { key: 'client-a', keys: ['client-a'] });
    const chat = await startChat(hub, visitor, { kind: 'anonymous', nickname: 'Gast' });
    await hub.addMessage(chat, 'visitor', 'm1', 'Hallo');
    hub.sockets.visitorDisconnected(visitor);
    const back = fakeVisitor();
    hub.sockets.visitorConnected(back, '127.0.0.1', { key: 'client-a', keys: ['client-a'] });
    hub.sockets.attachVisitor(chat, back);
    const advisor = fakeAdvisor('adv-a', 'Anna');
    hub.sockets.advisorConnected(advisor);
    assert.equal(await hub.assign(chat, advisor.advisor), true);
    assert.equal(await hub.assign(chat, { id: 'adv-b', name: 'Bernd' }), false, 'a chat taken is not taken twice');
    await hub.requeue(chat);
    await hub.end(chat, 'visitor');

    const types = seen.seen.map(([type]) => type);
    assert.deepEqual(types, [
      'chat.started',
      'chat.appended',
      'chat.presence',
      'chat.presence',
      'chat.appended',
      'chat.assigned',
      'chat.appended',
      'chat.requeued',
      'chat.appended',
      'chat.ended',
    ]);
    const [, started] = seen.seen[0] ?? [];
    assert.deepEqual(
      { ...(started as object), startedAt: 0 },
      {
        chatId: chat.id,
        member: undefined,
        startedAt: 0,
        visitor: { kind: 'anonymous', nickname: 'Gast' },
        addressHash: undefined,
        live: 1,
      },
    );
    const appended = seen.seen
      .filter(([type]) => type === 'chat.appended')
      .map(([, p]) => p as ChatLifecycleEvents['chat.appended']);
    assert.deepEqual(
      appended.map((p) => [p.seq, p.event.kind]),
      [
        [1, 'message'],
        [2, 'joined'],
        [3, 'left'],
        [4, 'ended'],
      ],
    );
    assert.deepEqual(
      seen.seen.filter(([type]) => type === 'chat.presence').map(([, p]) => (p as { present: boolean }).present),
      [false, true],
    );
    const [, ended] = seen.seen.at(-1) ?? [];
    const end = ended as ChatLifecycleEvents['chat.ended'];
    assert.deepEqual([end.by, end.events, end.advisor], ['visitor', 4, { id: 'adv-a', name: 'Anna' }]);
  } finally {
    await part.close();
  }
});

test('a subscriber that throws on every event breaks no chat: both sides get every event, the others hear all', async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub } = part;
  part.lifecycle.subscribe({
    on: {
      'chat.started': () => {
        throw new Error('broken');
      },
      'chat.appended': () => {
        throw new Error('broken');
      },
      'chat.assigned': () => {
        throw new Error('broken');
      },
      'chat.ended': () => {
        throw new Error('broken');
      },
    },
  });
  const seen = recorder();
  part.lifecycle.subscribe(seen);
  try {
    const visitor = fakeVisitor();
    hub.sockets.visitorConnected(visitor);
    const chat = await startChat(hub, visitor, { kind: 'anonymous', nickname: 'Gast' });
    const advisor = fakeAdvisor('adv-a', 'Anna');
    hub.sockets.advisorConnected(advisor);
    await hub.advisors.markReady(advisor);
    assert.equal(await hub.assign(chat, advisor.advisor), true);
    assert.equal(await hub.addMessage(chat, 'advisor', 'a1', 'Guten Tag', 'adv-a'), 'added');
    await hub.end(chat, 'advisor');
    const kinds = visitor.sent.flatMap((m) => (m.type === 'chat.event' ? [m.event.kind] : []));
    assert.deepEqual(kinds, ['joined', 'message', 'ended']);
    assert.equal(advisor.sent.filter((m) => m.type === 'chat.event').length, 2, 'message and ended');
    assert.equal(hub.chats.size, 0, 'the chat ended and was dropped');
    assert.deepEqual(
      seen.seen.map(([type]) => type),
      ['chat.started', 'chat.appended', 'chat.assigned', 'chat.appended', 'chat.appended', 'chat.ended'],
    );
  } finally {
    await part.close();
  }
});

test("a subscriber's failure is logged with the event and the error's name, never its message", async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'error',
    write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const part = createChatPart(testConfig(), { log });
  part.lifecycle.subscribe({
    on: {
      'chat.ended': () => {
        throw new TypeError('Geheimer Text');
      },
    },
    drain: () => Promise.reject(new RangeError('Geheimer Text')),
  });
  try {
    part.lifecycle.emit('chat.ended', ENDED);
    await part.lifecycle.drain();
    assert.deepEqual(
      lines.map(({ event, lifecycleEvent, errorName }) => ({ event, lifecycleEvent, errorName })),
      [
        { event: 'chat.subscriber_failed', lifecycleEvent: 'chat.ended', errorName: 'TypeError' },
        { event: 'chat.subscriber_failed', lifecycleEvent: 'drain', errorName: 'RangeError' },
      ],
    );
    assert.ok(!JSON.stringify(lines).includes('Geheim'));
  } finally {
    await part.close();
  }
});
