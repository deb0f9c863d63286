/** The in-memory limit state: bounded, never forgetting a live entry; full of live ones, it refuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitStoreFullError, MemoryLimitStore } from '../../../src/server/state/limit-store.js';
import { limitStoreContract } from './contracts.js';

limitStoreContract('in-memory', () => new MemoryLimitStore());

test('counters lapse after their window, which runs from the first count (INCRBY + PEXPIRE NX)', async () => {
  let now = 0;
  const store = new MemoryLimitStore({ now: () => now, maxEntries: 10 });
  assert.equal(await store.increment('a', 1, 1000), 1);
  now = 600;
  assert.equal(await store.increment('a', 1, 1000), 2, 'a later count does not extend the window');
  assert.equal(await store.increment('a', -1, 1000), 1);
  assert.equal(await store.get('a'), 1);
  now = 1000;
  assert.equal(await store.get('a'), 0);
  assert.equal(await store.increment('a', 1, 1000), 1, 'a lapsed counter starts again');
});

test('a key is claimed once until it lapses (SET NX PX)', async () => {
  let now = 0;
  const store = new MemoryLimitStore({ now: () => now, maxEntries: 10 });
  assert.equal(await store.claim('t', 500), true);
  assert.equal(await store.claim('t', 500), false);
  now = 499;
  assert.equal(await store.claim('t', 500), false);
  now = 500;
  assert.equal(await store.claim('t', 500), true);
});

test('full: lapsed entries make room, live ones never do; with none lapsed it refuses', async () => {
  let now = 0;
  const store = new MemoryLimitStore({ now: () => now, maxEntries: 3 });
  await store.increment('locked', 5, 15_000);
  await store.increment('b', 1, 1000);
  await store.increment('c', 1, 1000);
  // 10,050 others: every one refused, the lock untouched.
  for (let i = 0; i < 10_050; i++) await assert.rejects(store.increment(`other-${i}`, 1, 1000), LimitStoreFullError);
  await assert.rejects(store.claim('token', 1000), LimitStoreFullError);
  assert.equal(await store.get('locked'), 5);
  now = 1000;
  assert.equal(await store.increment('d', 1, 1000), 1, 'b and c lapsed: room again');
  assert.equal(store.size, 2);
  assert.equal(await store.get('locked'), 5, 'the live lock stays');
  now = 15_000;
  assert.equal(await store.get('locked'), 0);
});

test('a released claim can be claimed again at once, and makes room (DEL)', async () => {
  const store = new MemoryLimitStore({ now: () => 0, maxEntries: 1 });
  assert.equal(await store.claim('token', 60_000), true);
  await assert.rejects(store.claim('other', 60_000), LimitStoreFullError);
  await store.release('token');
  assert.equal(await store.claim('token', 60_000), true);
  await store.release('never-there');
});
