/**
 * The in-memory chat state behind the `state/` interfaces (the seam for a shared store): who holds each chat, each
 * chat's events with their sequence numbers, each client's waiting chats, single-use codes that lapse, the queue's order, and the
 * advisors' presence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryAdvisorPresence } from '../../../src/server/state/advisor-presence.js';
import { MemoryChatClaims } from '../../../src/server/state/chat-claims.js';
import { MemoryChatDirectory } from '../../../src/server/state/chat-directory.js';
import { MemoryChatEventLog } from '../../../src/server/state/chat-event-log.js';
import { MemoryCodeStore } from '../../../src/server/state/code-store.js';
import { MemoryQueueOrder } from '../../../src/server/state/queue-order.js';
import { MemoryWaitingClients } from '../../../src/server/state/waiting-clients.js';
import { chatDirectoryContract, chatEventLogContract, codeStoreContract } from './contracts.js';

test('a chat is claimed by the first advisor only, until it is released (SET NX / DEL)', () => {
  const claims = new MemoryChatClaims();
  assert.equal(claims.claim('c1', 'adv-a'), true);
  assert.equal(claims.claim('c1', 'adv-b'), false, 'a second advisor does not get it');
  assert.equal(claims.claim('c1', 'adv-a'), false, 'nor does the same advisor twice');
  assert.equal(claims.holder('c1'), 'adv-a');
  assert.equal(claims.claim('c2', 'adv-b'), true, 'another chat is free');
  claims.release('c1');
  assert.equal(claims.holder('c1'), undefined);
  assert.equal(claims.claim('c1', 'adv-b'), true, 'back in the queue, it can be claimed again');
  claims.release('unknown');
  claims.clear();
  assert.equal(claims.size, 0);
});

chatEventLogContract('in-memory', () => new MemoryChatEventLog());

test('the in-memory chat event log wipes what it drops, and holds nothing of a chat it never saw', async () => {
  const log = new MemoryChatEventLog();
  await log.append('c1', { kind: 'left', at: 0 });
  const kept = await log.after('c1', 0);
  await log.retain('unknown', 20);
  assert.equal(log.size, 1, 'no list made for an unknown chat');
  await log.drop('c1');
  assert.equal(kept.length, 1, 'what a reader holds stays its own');
  assert.equal(log.size, 0);
  await log.append('c2', { kind: 'left', at: 0 });
  log.clear();
  assert.equal(log.size, 0);
});

test('waiting chats count per client; a chat counted or forgotten twice does not unbalance it (SADD / SREM)', () => {
  const waiting = new MemoryWaitingClients();
  waiting.add('k1', 'c1');
  waiting.add('k1', 'c1');
  waiting.add('k1', 'c2');
  waiting.add('k2', 'c3');
  assert.equal(waiting.count('k1'), 2);
  waiting.remove('k1', 'c1');
  waiting.remove('k1', 'c1');
  assert.equal(waiting.count('k1'), 1);
  waiting.remove('k9', 'c9');
  waiting.clear();
  assert.equal(waiting.count('k2'), 0);
});

codeStoreContract('in-memory', () => new MemoryCodeStore());
chatDirectoryContract('in-memory', () => new MemoryChatDirectory());

test('the in-memory code store drops a lapsed code when it next looks at it', async () => {
  let now = 0;
  const codes = new MemoryCodeStore(() => now);
  assert.equal(await codes.put('654321', 's3', 1000), true);
  now = 999;
  assert.equal(await codes.has('654321'), true);
  now = 1000;
  assert.equal(await codes.take('654321'), undefined, 'lapsed');
  assert.equal(codes.size, 0);
  await codes.put('111111', 's5', 10);
  codes.clear();
  assert.equal(codes.size, 0);
});

test('the queue orders chats by the time they entered it, ties in the order added (ZADD / ZRANK / ZRANGE)', () => {
  const order = new MemoryQueueOrder();
  order.add('c1', 300);
  order.add('c2', 100);
  order.add('c3', 300);
  order.add('c4', 200);
  order.add('c5', 100);
  assert.deepEqual(order.first(10), ['c2', 'c5', 'c4', 'c1', 'c3']);
  assert.deepEqual(order.first(2), ['c2', 'c5']);
  assert.deepEqual(order.first(0), []);
  assert.equal(order.size(), 5);
  assert.equal(order.position('c2'), 1);
  assert.equal(order.position('c3'), 5);
  assert.equal(order.position('unknown'), undefined);

  order.add('c2', 400);
  assert.deepEqual(order.first(10), ['c5', 'c4', 'c1', 'c3', 'c2'], 'back in the queue: at its new time, once');
  order.remove('c4');
  order.remove('c4');
  order.remove('unknown');
  assert.deepEqual(order.first(10), ['c5', 'c1', 'c3', 'c2']);
  assert.equal(order.position('c1'), 2);
  order.clear();
  assert.equal(order.size(), 0);
  assert.deepEqual(order.first(10), []);
});

test('advisor presence: each choice, and whether anyone is available (HSET / HDEL, SADD / SREM / SCARD)', () => {
  const presence = new MemoryAdvisorPresence();
  assert.equal(presence.anyAvailable(), false);
  assert.equal(presence.get('a'), undefined);
  presence.set('a', 'available', 'Anna');
  presence.set('b', 'away', 'Ben');
  assert.deepEqual(presence.get('a'), { presence: 'available', name: 'Anna' });
  assert.deepEqual(presence.get('b'), { presence: 'away', name: 'Ben' });
  assert.equal(presence.anyAvailable(), true);
  presence.set('a', 'away', 'Anna');
  assert.equal(presence.anyAvailable(), false, 'away does not count');
  presence.set('b', 'available', 'Ben');
  assert.equal(presence.anyAvailable(), true);
  presence.remove('b');
  presence.remove('b');
  presence.remove('unknown');
  assert.equal(presence.anyAvailable(), false, 'gone does not count');
  assert.equal(presence.get('b'), undefined);
  assert.equal(presence.size, 1);
  presence.remove('a');
  assert.equal(presence.size, 0);
});
