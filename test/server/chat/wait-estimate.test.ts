// The expected wait a waiting visitor is told: only from enough recent data, never while nobody can take the chat,
// and growing while the queue stalls. Then through the real queue: a visitor hears the estimate once there is one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdvisorRegistry } from '../../../src/server/chat/advisors.js';
import { createChat } from '../../../src/server/chat/chat.js';
import type { AdvisorPeer, VisitorPeer } from '../../../src/server/chat/chat.js';
import { MemoryChatDirectory } from '../../../src/server/state/chat-directory.js';
import { MemoryChatEventLog } from '../../../src/server/state/chat-event-log.js';
import { ChatRegistry } from '../../../src/server/chat/registry.js';
import { ChatQueue } from '../../../src/server/chat/queue.js';
import { WaitEstimator, waitSecondsOf } from '../../../src/server/chat/wait-estimate.js';

const MINUTE = 60_000;

/** An estimator on a hand-moved clock, with `count` accepts each after `busyMs` of a non-empty queue. */
function withAccepts(count: number, busyMs: number, idleMs = 0, maxMs = 60 * MINUTE) {
  let now = 0;
  const estimator = new WaitEstimator(() => now, { windowMs: 30 * MINUTE, minAccepts: 5, maxMs });
  for (let i = 0; i < count; i++) {
    now += idleMs;
    estimator.waiting(1);
    now += busyMs;
    estimator.accepted();
    estimator.waiting(0);
  }
  return { estimator, tick: (ms: number) => (now += ms) };
}

test('no estimate with fewer accepts than the minimum, or with no advisor available', () => {
  assert.equal(withAccepts(4, 20_000).estimator.estimate(1, true), undefined);
  assert.equal(withAccepts(5, 20_000).estimator.estimate(1, false), undefined);
  assert.notEqual(withAccepts(5, 20_000).estimator.estimate(1, true), undefined);
});

test('the estimate is busy time per accept times the position; idle time between chats does not count', () => {
  const { estimator } = withAccepts(6, 20_000, 5 * MINUTE);
  assert.equal(estimator.estimate(1, true), 20_000);
  assert.equal(estimator.estimate(3, true), 60_000);
});

test('a queue that stalls raises the estimate; accepts older than the window are forgotten', () => {
  const { estimator, tick } = withAccepts(6, 20_000);
  estimator.waiting(2);
  tick(3 * MINUTE); // nobody accepts for three minutes while two wait
  assert.equal(estimator.estimate(1, true), 3 * MINUTE);
  tick(30 * MINUTE);
  assert.equal(estimator.estimate(1, true), undefined);
});

test('no estimate above the maximum', () => {
  const { estimator } = withAccepts(5, 5 * MINUTE, 0, 12 * MINUTE);
  assert.equal(estimator.estimate(2, true), 10 * MINUTE);
  assert.equal(estimator.estimate(3, true), undefined);
});

test('what the visitor is told is rounded so that it does not change on every tick', () => {
  assert.deepEqual([1, 14_000, 15_001, 59_000, 119_000].map(waitSecondsOf), [15, 15, 30, 60, 120]);
  assert.deepEqual([150_000, 179_000, 181_000, 30 * MINUTE].map(waitSecondsOf), [180, 180, 180, 1800]);
});

test('the queue tells each waiting visitor its place, and the estimate once five accepts give one', async () => {
  let now = 1_000_000;
  const advisors = new AdvisorRegistry();
  const advisorPeer: AdvisorPeer = {
    advisor: { id: 'a', name: 'Anna', roles: [] },
    send: () => undefined,
    close: () => undefined,
  };
  advisors.add(advisorPeer);
  await advisors.markReady(advisorPeer);
  const chats = new ChatRegistry({
    events: new MemoryChatEventLog(),
    directory: new MemoryChatDirectory(),
    onExpire: () => undefined,
    onError: () => undefined,
  });
  const queue = new ChatQueue({ chats, advisors, now: () => now, onError: (error) => assert.fail(String(error)) });
  const heard: { position: number; waitSeconds?: number }[] = [];
  const peer = (sink?: typeof heard): VisitorPeer => ({
    send: (message) => {
      if (message.type === 'chat.queue' && sink !== undefined)
        sink.push({
          position: message.position,
          ...(message.waitSeconds === undefined ? {} : { waitSeconds: message.waitSeconds }),
        });
    },
    close: () => undefined,
  });
  const flush = () => new Promise((resolve) => setTimeout(resolve, 80));
  try {
    // Five chats come and are taken after 30 s each.
    for (let i = 0; i < 5; i++) {
      const chat = createChat({ kind: 'anonymous', nickname: `Gast ${i}` }, peer(), now);
      chats.add(chat);
      await queue.enter(chat);
      queue.push();
      now += 30_000;
      chat.state = 'active';
      await queue.leave(chat, true);
      queue.push();
      await flush();
    }
    const waiting = createChat({ kind: 'anonymous', nickname: 'Wartend' }, peer(heard), now);
    chats.add(waiting);
    await queue.enter(waiting);
    queue.push();
    await flush();
    assert.deepEqual(heard, [{ position: 1, waitSeconds: 30 }]);
    // Unchanged: nothing sent again.
    queue.push();
    await flush();
    assert.equal(heard.length, 1);
    // Every advisor away: the estimate is withdrawn, the place stays.
    await advisors.setPresence('a', 'away');
    queue.push();
    await flush();
    assert.deepEqual(heard.at(-1), { position: 1 });
  } finally {
    queue.close();
  }
});
