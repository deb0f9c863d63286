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
import type { QueueItem } from '../../../src/protocol/messages.js';
import type { QueuePlaces, QueueStore } from '../../../src/server/state/queue-store.js';
import type { AdvisorPresence } from '../../../src/server/state/advisor-presence.js';
import type { CobrowseRecord, CobrowseSessionStore } from '../../../src/server/state/cobrowse-sessions.js';
import type { NodeLeases } from '../../../src/server/state/node-leases.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A fresh name per test, so that tests against one Redis never see each other's keys. */
const fresh = (name: string): string => `${name}-${Math.random().toString(36).slice(2, 10)}`;

/** Where chats stand and how many wait, without the pace (a shared store's: redis-state.test.ts). */
const placesOf = ({ positions, size }: QueuePlaces): QueuePlaces => ({ positions, size });

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
    assert.equal(await directory.save(chat, held, 'node-a'), true);
    assert.deepEqual(await directory.record(chat), held, 'saved as it is now');
    // Fencing: a node the owner entry does not name (paused past its lease, say) does not write the record.
    assert.equal(await directory.save(chat, { ...held, advisor: { id: 'adv-x', name: 'X' } }, 'node-z'), false);
    assert.deepEqual(await directory.record(chat), held, "the owner's record is left alone");
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
  test(`${kind} chat directory: the chats each node owns, for the sweep of a dead node's`, async () => {
    const directory = make();
    const [a, b, c] = [fresh('node-a'), fresh('node-b'), fresh('node-c')];
    const [one, two, three] = [fresh('chat'), fresh('chat'), fresh('chat')];
    const record: ChatRecord = {
      resumeToken: 'r'.repeat(32),
      startedAt: 1_700_000_000_000,
      visitor: { kind: 'anonymous', nickname: 'Gast' },
      state: 'waiting',
      waitingSince: 1_700_000_000_000,
      clientKey: 'client-1',
    };
    assert.deepEqual(await directory.ownedBy(a, 10), [], 'a node that never owned a chat');
    for (const chat of [one, two, three]) await directory.add(chat, a, record);
    assert.deepEqual((await directory.ownedBy(a, 10)).sort(), [one, two, three].sort());
    assert.equal((await directory.ownedBy(a, 2)).length, 2, 'at most the limit');
    assert.equal(await directory.takeOver(one, a, b), true);
    assert.deepEqual(
      (await directory.ownedBy(a, 10)).sort(),
      [two, three].sort(),
      "taken over: no longer the old owner's",
    );
    assert.deepEqual(await directory.ownedBy(b, 10), [one], "the new owner's");
    assert.equal(await directory.takeOver(two, b, c), false, 'not the owner: nothing moves');
    assert.deepEqual(await directory.ownedBy(c, 10), []);
    await directory.remove(two);
    assert.deepEqual(await directory.ownedBy(a, 10), [three], 'ended: no longer owned');
    await directory.disown(a, three);
    assert.deepEqual(await directory.ownedBy(a, 10), [], 'disowned');
    await directory.remove(one);
    await directory.remove(three);
    assert.deepEqual(await directory.ownedBy(b, 10), []);
  });
}

/** Node leases: each held for its time, and every node named until it is forgotten. */
export function nodeLeasesContract(kind: string, make: () => NodeLeases): void {
  test(`${kind} node leases: held while renewed, named until forgotten`, async () => {
    const leases = make();
    const [a, b] = [fresh('node-a'), fresh('node-b')];
    await leases.renew(a, 60_000);
    await leases.renew(b, 40);
    assert.equal(await leases.held(a), true);
    assert.ok((await leases.nodes()).includes(a) && (await leases.nodes()).includes(b), 'both named');
    await sleep(80);
    assert.equal(await leases.held(b), false, 'lapsed');
    assert.ok((await leases.nodes()).includes(b), 'a lapsed node is still named: it may own chats');
    await leases.drop(a);
    assert.equal(await leases.held(a), false, 'dropped');
    assert.ok((await leases.nodes()).includes(a), 'a node that left is still named');
    await leases.forget(a);
    await leases.forget(b);
    const named = await leases.nodes();
    assert.ok(!named.includes(a) && !named.includes(b), 'forgotten');
  });
}

/** A queue item as the hub writes it. */
const itemOf = (chatId: string, since: number, extra: Partial<QueueItem> = {}): QueueItem => ({
  chatId,
  visitor: { kind: 'anonymous', nickname: `Gast ${chatId}` },
  since,
  ...extra,
});

const LIMITS = { maxWaiting: 100, maxPerClient: 100 };

/** `make(ttlMs)`: a fresh, empty queue whose entries lapse `ttlMs` after their last touch. */
export function queueStoreContract(kind: string, make: (ttlMs: number) => QueueStore): void {
  test(`${kind} queue store: items in the order they entered, ties in the order added; put moves, update keeps`, async () => {
    const queue = make(60_000);
    const admit = (chatId: string, since: number, clientKey = 'k1') =>
      queue.admit({ item: itemOf(chatId, since), clientKey }, { ...LIMITS, clientKeys: [clientKey] });
    const t = 1_700_000_000_000;
    for (const [id, since] of [
      ['c1', t + 300],
      ['c2', t + 100],
      ['c3', t + 300],
      ['c4', t + 200],
      ['c5', t + 100],
    ] as const) {
      assert.equal(await admit(id, since), 'admitted');
    }
    const ids = async (n = 10): Promise<string[]> => (await queue.first(n)).map((item) => item.chatId);
    assert.deepEqual(await ids(), ['c2', 'c5', 'c4', 'c1', 'c3']);
    assert.deepEqual(await ids(2), ['c2', 'c5']);
    assert.deepEqual(await ids(0), []);
    assert.equal(await queue.size(), 5);
    assert.deepEqual(placesOf(await queue.places(['c2', 'c3', 'unknown'])), { positions: [1, 5, undefined], size: 5 });

    const card = { kind: 'member', name: 'Erika Mustermann', insuranceNumber: 'A123456789' } as const;
    await queue.update(itemOf('c1', t + 300, { visitor: card, firstMessage: 'Grüß Gott 👋 "x"', away: true }));
    await queue.update(itemOf('unknown', t));
    assert.deepEqual(
      (await queue.first(10))[3],
      itemOf('c1', t + 300, { visitor: card, firstMessage: 'Grüß Gott 👋 "x"', away: true }),
    );
    assert.equal(await queue.size(), 5, 'an update adds nothing');

    await queue.put({ item: itemOf('c2', t + 400), clientKey: 'k1' });
    assert.deepEqual(await ids(), ['c5', 'c4', 'c1', 'c3', 'c2'], 'back in the queue: at its new time, once');
    await queue.remove('c4');
    await queue.remove('c4');
    await queue.remove('unknown');
    assert.deepEqual(await ids(), ['c5', 'c1', 'c3', 'c2']);
    assert.deepEqual(placesOf(await queue.places(['c1'])), { positions: [2], size: 4 });
    assert.equal(await queue.countOf(['k1']), 4);
    for (const id of ['c5', 'c1', 'c3', 'c2']) await queue.remove(id);
    assert.equal(await queue.size(), 0);
    assert.equal(await queue.countOf(['k1']), 0);
  });

  test(`${kind} queue store: admission holds both limits, also for starts at once; a put counts beyond them`, async () => {
    const queue = make(60_000);
    const admit = (chatId: string, clientKey: string, clientKeys = [clientKey], maxWaiting = 5) =>
      queue.admit({ item: itemOf(chatId, 1000), clientKey }, { maxWaiting, maxPerClient: 2, clientKeys });
    assert.equal(await admit('a1', 'ka'), 'admitted');
    assert.equal(await admit('a2', 'ka-new', ['ka-new', 'ka']), 'admitted', 'under both of its keys: one client');
    assert.equal(await admit('a3', 'ka-new', ['ka-new', 'ka']), 'per_client');
    assert.equal(await admit('a3', 'ka'), 'admitted', 'the older key alone: its own count');
    assert.equal(await queue.countOf(['ka', 'ka-new']), 3);
    await queue.remove('a3');
    // Ten starts of ten clients at once, three places left: three are admitted, whoever asked.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => admit(`b${i}`, `kb${i}`)));
    assert.equal(answers.filter((answer) => answer === 'admitted').length, 3);
    assert.equal(answers.filter((answer) => answer === 'full').length, 7);
    assert.equal(await queue.size(), 5);
    // Four starts of one client at once: two are admitted.
    await Promise.all(['a1', 'a2'].map((id) => queue.remove(id)));
    const same = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((id) => admit(id, 'kc', ['kc'], 100)));
    assert.deepEqual(same.filter((answer) => answer === 'admitted').length, 2);
    assert.equal(same.filter((answer) => answer === 'per_client').length, 2);
    // Back from its advisor: counts again, beyond the client's limit.
    await queue.put({ item: itemOf('c9', 2000), clientKey: 'kc' });
    assert.equal(await queue.countOf(['kc']), 3);
    assert.equal(await admit('c10', 'kc', ['kc'], 100), 'per_client');
    for (const item of await queue.first(100)) await queue.remove(item.chatId);
    assert.equal(await queue.size(), 0);
  });

  test(`${kind} queue store: an entry with rank 0 (handed back by an advisor) stands first, behind earlier ones`, async () => {
    const queue = make(60_000);
    const t = 1_700_000_000_000;
    await queue.put({ item: itemOf('old', t), clientKey: 'k1' });
    await queue.put({ item: itemOf('new', t + 500), clientKey: 'k1' });
    await queue.put({
      item: itemOf('handed-1', t + 900, { topic: 'leistungen', transferred: true }),
      clientKey: 'k2',
      rank: 0,
    });
    await queue.put({ item: itemOf('handed-2', t + 950), clientKey: 'k3', rank: 0 });
    const items = await queue.first(10);
    assert.deepEqual(
      items.map((item) => item.chatId),
      ['handed-1', 'handed-2', 'old', 'new'],
    );
    assert.deepEqual(
      items[0],
      itemOf('handed-1', t + 900, { topic: 'leistungen', transferred: true }),
      'the item as put',
    );
    assert.deepEqual(placesOf(await queue.places(['handed-2', 'new'])), { positions: [2, 4], size: 4 });
    for (const item of items) await queue.remove(item.chatId);
  });

  test(`${kind} queue store: an entry its node stops touching lapses, with its count`, async () => {
    const queue = make(1000);
    const put = (chatId: string, clientKey: string) => queue.put({ item: itemOf(chatId, 1000), clientKey });
    await put('alive', 'k1');
    await put('dead', 'k2');
    await sleep(500);
    await queue.touch(['alive', 'unknown']);
    await sleep(700);
    assert.deepEqual(
      (await queue.first(10)).map((item) => item.chatId),
      ['alive'],
    );
    assert.equal(await queue.countOf(['k2']), 0, 'its client counts it no more');
    assert.equal(await queue.countOf(['k1']), 1);
    await queue.remove('alive');
  });
}

/** `service()`: a fresh, empty service; its `(nodeId, ttlMs)` is one node's view of it. */
export function advisorPresenceContract(
  kind: string,
  service: () => (nodeId: string, ttlMs: number) => AdvisorPresence,
): void {
  test(`${kind} advisor presence: each choice and whether anyone is available, alike on every node`, async () => {
    const node = service();
    const [a, b] = [node('node-a', 60_000), node('node-b', 60_000)];
    assert.equal(await a.anyAvailable(), false);
    assert.equal(await b.get('x'), undefined);
    assert.deepEqual(await a.join('x', 'Xenia'), { presence: 'available', name: 'Xenia' });
    assert.deepEqual(await b.get('x'), { presence: 'available', name: 'Xenia' }, 'held on A, seen on B');
    assert.equal(await b.anyAvailable(), true);
    await b.join('y', 'Yusuf');
    await b.set('y', 'away');
    assert.deepEqual(await a.get('y'), { presence: 'away', name: 'Yusuf' });
    await a.set('x', 'away');
    assert.equal(await b.anyAvailable(), false, 'away does not count');
    assert.deepEqual(
      await b.join('x', 'Xenia K.'),
      { presence: 'away', name: 'Xenia K.' },
      'a second node keeps the choice',
    );
    await a.leave('x');
    assert.deepEqual(await a.get('x'), { presence: 'away', name: 'Xenia K.' }, 'still held on B');
    await b.leave('x');
    assert.equal(await a.get('x'), undefined, 'held nowhere: gone');
    assert.deepEqual(await a.join('x', 'Xenia'), { presence: 'available', name: 'Xenia' }, 'a new record: available');
    await a.set('nobody', 'available');
    assert.equal(await a.get('nobody'), undefined, 'a choice makes no record');
    await a.leave('nobody');
    assert.equal(await b.anyAvailable(), true);
    await a.leave('x');
    await b.leave('y');
    assert.equal(await a.anyAvailable(), false);
    assert.equal(await a.get('y'), undefined);
  });

  test(`${kind} advisor presence: the available advisors of every node, with their names, up to a number`, async () => {
    const node = service();
    const [a, b] = [node('node-a', 60_000), node('node-b', 60_000)];
    assert.deepEqual(await a.available(10), []);
    await a.join('x', 'Xenia');
    await b.join('y', 'Yusuf');
    await b.join('z', 'Zora');
    await b.set('z', 'away');
    const sorted = (list: { id: string; name: string }[]) => [...list].sort((p, q) => p.id.localeCompare(q.id));
    assert.deepEqual(sorted(await b.available(10)), [
      { id: 'x', name: 'Xenia' },
      { id: 'y', name: 'Yusuf' },
    ]);
    assert.equal((await a.available(1)).length, 1);
    await a.leave('x');
    assert.deepEqual(await b.available(10), [{ id: 'y', name: 'Yusuf' }]);
    await b.leave('y');
    await b.leave('z');
  });

  test(`${kind} advisor presence: the advisors of a node that stops touching them lapse`, async () => {
    const node = service();
    const [a, b] = [node('node-a', 1000), node('node-b', 1000)];
    await a.join('x', 'Xenia');
    await b.join('y', 'Yusuf');
    await b.set('y', 'away');
    await a.join('z', 'Zoe');
    await b.join('z', 'Zoe');
    await b.set('z', 'away');
    await sleep(500);
    await b.touch(['y', 'z', 'unknown']);
    await sleep(700);
    assert.equal(await b.anyAvailable(), false, 'node A died: its available advisor is gone');
    assert.equal(await b.get('x'), undefined);
    assert.deepEqual(await a.get('y'), { presence: 'away', name: 'Yusuf' }, 'touched: still there');
    assert.deepEqual(await a.get('z'), { presence: 'away', name: 'Zoe' }, 'held on the live node too');
    await b.leave('y');
    await b.leave('z');
  });
}

/**
 * `make(ttlMs)`: a fresh co-browse session store whose keys live `ttlMs` unless refreshed; `expires`: whether the
 * implementation lets them lapse (Redis) or keeps them until removed (in memory).
 */
export function cobrowseSessionStoreContract(
  kind: string,
  make: (ttlMs: number) => CobrowseSessionStore,
  expires: boolean,
): void {
  const record: CobrowseRecord = {
    advisorId: 'adv-a',
    advisorName: 'Anna',
    state: 'offered',
    createdAt: 1_700_000_000_000,
    deadline: 1_700_000_600_000,
    link: 0,
  };

  test(`${kind} co-browse sessions: each session's owner and record; one node takes a dead owner's session over`, async () => {
    const store = make(60_000);
    const [session, other] = [fresh('s'), fresh('o')];
    assert.equal(await store.ownerOf(session), undefined, 'unknown');
    assert.equal(await store.record(session), undefined);
    assert.equal(await store.save(session, 'node-a', record), false, 'a session nobody created is not saved');
    assert.equal(await store.ownerOf(session), undefined);
    assert.equal(await store.save(session, 'node-a', record, true), true);
    await store.save(other, 'node-a', record, true);
    const live: CobrowseRecord = { ...record, state: 'live', resumeToken: 'r'.repeat(32), startedAt: 1, link: 1 };
    await store.save(session, 'node-a', live);
    assert.deepEqual(await store.record(session), live, 'saved as it is now');
    assert.equal(await store.ownerOf(session), 'node-a');
    assert.deepEqual(
      await Promise.all([store.takeOver(session, 'node-a', 'node-b'), store.takeOver(session, 'node-a', 'node-c')]),
      [true, false],
      'one node takes a session over, the other finds it taken',
    );
    assert.equal(await store.ownerOf(session), 'node-b');
    // Fencing: the old owner (paused past its lease, say) writes nothing to the session and does not end it.
    assert.equal(await store.save(session, 'node-a', { ...live, link: 9 }), false, "the old owner's save is refused");
    assert.equal(await store.save(session, 'node-a', { ...live, link: 9 }, true), false, 'also as a new one');
    assert.equal(await store.remove(session, 'node-a'), false, "the old owner's end is refused");
    assert.deepEqual(await store.record(session), live, 'the record as the new owner found it');
    assert.equal(await store.ownerOf(session), 'node-b');
    await store.save(session, 'node-b', { ...live, link: 2 });
    assert.equal(await store.ownerOf(session), 'node-b', 'the new owner saves it as its own');
    assert.equal(await store.takeOver(fresh('gone'), 'node-a', 'node-b'), false, 'no session, no takeover');
    assert.equal(await store.remove(session, 'node-b'), true);
    assert.equal(await store.ownerOf(session), undefined, 'ended: no owner');
    assert.equal(await store.record(session), undefined, 'ended: no record');
    assert.equal(await store.save(session, 'node-a', live), false, 'an ended session is not written again');
    assert.equal(await store.remove(session, 'node-a'), false, 'nor ended again');
    assert.equal(await store.ownerOf(other), 'node-a', 'another session is left alone');
    await store.remove(other);
  });

  test(`${kind} co-browse sessions: the sessions each node owns, for the sweep of a dead node's`, async () => {
    const store = make(60_000);
    const [a, b] = [fresh('node-a'), fresh('node-b')];
    const [one, two] = [fresh('s'), fresh('s')];
    await store.save(one, a, record, true);
    await store.save(two, a, record, true);
    assert.deepEqual((await store.ownedBy(a, 10)).sort(), [one, two].sort());
    assert.equal((await store.ownedBy(a, 1)).length, 1, 'at most the limit');
    assert.equal(await store.takeOver(one, a, b), true);
    assert.deepEqual(await store.ownedBy(a, 10), [two], "taken over: no longer the old owner's");
    assert.deepEqual(await store.ownedBy(b, 10), [one]);
    await store.remove(one, b);
    assert.deepEqual(await store.ownedBy(b, 10), [], 'ended: no longer owned');
    await store.disown(a, two);
    assert.deepEqual(await store.ownedBy(a, 10), [], 'disowned');
    await store.remove(two);
  });

  if (!expires) return;
  test(`${kind} co-browse sessions: the keys lapse unless their owner refreshes them`, async () => {
    const store = make(300);
    const [kept, left] = [fresh('k'), fresh('l')];
    await store.save(kept, 'node-a', record, true);
    await store.save(left, 'node-a', record, true);
    for (let i = 0; i < 4; i++) {
      await sleep(120);
      await store.refresh([kept]);
    }
    assert.equal(await store.ownerOf(kept), 'node-a', 'refreshed: still there');
    assert.deepEqual(await store.record(kept), record);
    assert.equal(await store.ownerOf(left), undefined, 'not refreshed: lapsed');
    assert.equal(await store.record(left), undefined);
    await store.remove(kept);
  });
}
