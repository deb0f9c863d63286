/**
 * What every implementation of a `state/` interface must do, written once and run against each: the in-memory
 * stores (`chat-state.test.ts`) and the Redis ones against a real Redis (`redis-state.test.ts`). Times are real and
 * short (a TTL of tens of milliseconds), so that Redis's own expiry is what is tested.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatDirectory, ChatRecord } from '../../../src/server/state/chat-directory.js';
import type { ChatEventLog } from '../../../src/server/state/chat-event-log.js';
import type { CodeStore } from '../../../src/server/state/code-store.js';
import type { LimitStore } from '../../../src/server/state/limit-store.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A fresh name per test, so that tests against one Redis never see each other's keys. */
const fresh = (name: string): string => `${name}-${Math.random().toString(36).slice(2, 10)}`;

export function chatEventLogContract(kind: string, make: () => ChatEventLog): void {
  test(`${kind} chat event log: numbers each chat's events 1, 2, 3 without gaps, reads after a number`, async () => {
    const log = make();
    const [c1, c2] = [fresh('c1'), fresh('c2')];
    const at = 1_700_000_000_000;
    assert.equal(await log.count(c1), 0);
    const seqs = await Promise.all([
      log.append(c1, { kind: 'message', id: 'visitor-1', from: 'visitor', text: 'Grüß Gott 👋 "quoted"', at }),
      log.append(c1, { kind: 'joined', advisor: 'Anna', at }),
      log.append(c2, { kind: 'message', id: 'visitor-2', from: 'visitor', text: 'anderer Chat', at }),
      log.append(c1, { kind: 'left', at }),
    ]);
    assert.deepEqual(seqs, [1, 2, 1, 3], 'in the order asked for, per chat');
    assert.equal(await log.count(c1), 3);
    const all = await log.after(c1, 0);
    assert.deepEqual(all[0], {
      seq: 1,
      event: { kind: 'message', id: 'visitor-1', from: 'visitor', text: 'Grüß Gott 👋 "quoted"', at },
    });
    assert.deepEqual(
      (await log.after(c1, 1)).map(({ seq, event }) => [seq, event.kind]),
      [
        [2, 'joined'],
        [3, 'left'],
      ],
    );
    assert.deepEqual(await log.after(c1, 3), [], 'nothing after the last');
    assert.deepEqual(await log.after(c1, 99), [], 'a number past the last reads nothing');
    assert.equal((await log.after(c1, -5)).length, 3, 'a negative number reads all');
    assert.deepEqual(await log.after(fresh('unknown'), 0), []);
    await log.drop(c1);
    assert.equal(await log.count(c1), 0, 'dropped: forgotten');
    assert.equal(await log.append(c1, { kind: 'left', at }), 1, 'a dropped chat starts again at 1');
    await log.drop(c1);
    await log.drop(c2);
  });

  test(`${kind} chat event log: a retained chat's events are gone when their time is over`, async () => {
    const log = make();
    const chat = fresh('c');
    await log.append(chat, { kind: 'ended', by: 'advisor', at: 0 });
    await log.retain(chat, 400);
    assert.equal(await log.count(chat), 1, 'still there within its time');
    await sleep(900);
    assert.equal(await log.count(chat), 0);
  });
}

export function codeStoreContract(kind: string, make: () => CodeStore): void {
  test(`${kind} code store: a code names its value once, until taken, deleted or lapsed`, async () => {
    const codes = make();
    const [a, b] = [fresh('123456'), fresh('654321')];
    assert.equal(await codes.put(a, 's1', 10_000), true);
    assert.equal(await codes.put(a, 's2', 10_000), false, 'a code in use is not given out again');
    assert.equal(await codes.has(a), true);
    const takes = await Promise.all([codes.take(a), codes.take(a)]);
    assert.deepEqual(takes, ['s1', undefined], 'once only, also when taken twice at once');
    assert.equal(await codes.has(a), false);
    assert.equal(await codes.put(a, 's3', 10_000), true, 'a taken code is free again');
    await codes.delete(a);
    assert.equal(await codes.take(a), undefined, 'deleted');

    assert.equal(await codes.put(b, 's4', 300), true);
    await sleep(800);
    assert.equal(await codes.has(b), false, 'lapsed');
    assert.equal(await codes.take(b), undefined);
    assert.equal(await codes.put(b, 's5', 10_000), true, 'a lapsed code is free again');
    await codes.delete(b);
  });
}

export function limitStoreContract(kind: string, make: () => LimitStore): void {
  test(`${kind} limit store: counters add up in a window that runs from the first count; a claim holds once`, async () => {
    const store = make();
    const [counter, key] = [fresh('count'), fresh('claim')];
    assert.equal(await store.get(counter), 0);
    assert.deepEqual(await Promise.all([store.increment(counter, 1, 800), store.increment(counter, 1, 800)]), [1, 2]);
    await sleep(100);
    assert.equal(await store.increment(counter, 3, 10_000), 5, 'a later count does not extend the window');
    await sleep(1200);
    assert.equal(await store.get(counter), 0, 'the window ran from the first count');
    assert.equal(await store.increment(counter, 1, 10_000), 1, 'a new window');
    await store.release(counter);

    assert.deepEqual(await Promise.all([store.claim(key, 10_000), store.claim(key, 10_000)]), [true, false]);
    await store.release(key);
    assert.equal(await store.claim(key, 300), true, 'given back: free again');
    await sleep(800);
    assert.equal(await store.claim(key, 10_000), true, 'lapsed: free again');
    await store.release(key);
  });
}

export function chatDirectoryContract(kind: string, make: () => ChatDirectory): void {
  test(`${kind} chat directory: each chat's owner and its start id, until the chat ends`, async () => {
    const directory = make();
    const [chat, other, start] = [fresh('chat'), fresh('other'), fresh('start')];
    assert.equal(await directory.ownerOf(chat), undefined, 'unknown');
    const record: ChatRecord = {
      resumeToken: 'r'.repeat(32),
      startId: start,
      startedAt: 1_700_000_000_000,
      visitor: { kind: 'anonymous', nickname: 'Gast' },
      state: 'waiting',
      waitingSince: 1_700_000_000_000,
      clientKey: 'client-1',
    };
    await directory.add(chat, 'node-a', record);
    await directory.add(other, 'node-b', { ...record, startId: undefined });
    assert.equal(await directory.ownerOf(other), 'node-b');
    assert.deepEqual(await directory.record(chat), record);
    const held: ChatRecord = { ...record, state: 'active', advisor: { id: 'adv-a', name: 'Anna' } };
    await directory.save(chat, held);
    assert.deepEqual(await directory.record(chat), held, 'saved as it is now');
    assert.deepEqual(
      await Promise.all([directory.takeOver(other, 'node-b', 'node-c'), directory.takeOver(other, 'node-b', 'node-d')]),
      [true, false],
      'one node takes a chat over, the other finds it taken',
    );
    assert.equal(await directory.ownerOf(other), 'node-c');
    assert.equal(await directory.takeOver(fresh('gone'), 'node-b', 'node-c'), false, 'no chat, no takeover');
    assert.equal(await directory.ownerOf(chat), 'node-a');
    assert.deepEqual(await directory.byStartId(start), { chatId: chat, owner: 'node-a' });
    assert.equal(await directory.byStartId(fresh('none')), undefined);
    await directory.remove(chat, start);
    assert.equal(await directory.ownerOf(chat), undefined, 'ended: no owner');
    assert.equal(await directory.byStartId(start), undefined, 'ended: its start id names nothing');
    assert.equal(await directory.record(chat), undefined, 'ended: no record');
    await directory.save(chat, held);
    assert.equal(await directory.record(chat), undefined, 'an ended chat is not written again');
    assert.equal(await directory.ownerOf(other), 'node-c', 'another chat is left alone');
    await directory.remove(other);
  });
}
