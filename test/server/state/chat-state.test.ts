/**
 * The in-memory chat state behind the `state/` interfaces (the seam for a shared store): who holds each chat, each
 * chat's sequence numbers, each client's waiting chats, and single-use codes that lapse.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryChatClaims } from '../../../src/server/state/chat-claims.js';
import { MemoryChatSequences } from '../../../src/server/state/chat-sequences.js';
import { MemoryCodeStore } from '../../../src/server/state/code-store.js';
import { MemoryWaitingClients } from '../../../src/server/state/waiting-clients.js';

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

test('sequence numbers run 1, 2, 3 per chat, without gaps, and start again once dropped (INCR / DEL)', () => {
  const sequences = new MemoryChatSequences();
  assert.equal(sequences.last('c1'), 0);
  assert.deepEqual(
    [sequences.next('c1'), sequences.next('c1'), sequences.next('c2'), sequences.next('c1')],
    [1, 2, 1, 3],
  );
  assert.equal(sequences.last('c1'), 3);
  sequences.drop('c1');
  assert.equal(sequences.last('c1'), 0);
  assert.equal(sequences.size, 1);
  sequences.clear();
  assert.equal(sequences.size, 0);
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

test('a code names its value once, until taken or lapsed (SET NX PX / GETDEL)', () => {
  let now = 0;
  const codes = new MemoryCodeStore<string>(() => now);
  assert.equal(codes.put('123456', 's1', 1000), true);
  assert.equal(codes.put('123456', 's2', 1000), false, 'a code in use is not given out again');
  assert.equal(codes.has('123456'), true);
  assert.equal(codes.take('123456'), 's1');
  assert.equal(codes.take('123456'), undefined, 'once only');
  assert.equal(codes.has('123456'), false);

  assert.equal(codes.put('654321', 's3', 1000), true);
  now = 999;
  assert.equal(codes.has('654321'), true);
  now = 1000;
  assert.equal(codes.take('654321'), undefined, 'lapsed');
  assert.equal(codes.put('654321', 's4', 1000), true, 'a lapsed code is free again');
  codes.delete('654321');
  assert.equal(codes.has('654321'), false);
  codes.put('111111', 's5', 10);
  codes.clear();
  assert.equal(codes.size, 0);
});
