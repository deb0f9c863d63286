/**
 * The Redis implementations of the `state/` interfaces against a real Redis (a throwaway `redis-server` with
 * persistence off): the same contracts as the in-memory stores (`contracts.ts`), and what only Redis has to
 * show: that the connection refuses a Redis that writes to disk and says what to change, that the stores go on
 * after a Redis restart, and that a chat's keys are gone once it is dropped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { createLogger } from '../../../src/server/log.js';
import { RedisChatDirectory } from '../../../src/server/state/redis/chat-directory.js';
import { RedisNodeLeases } from '../../../src/server/state/redis/node-leases.js';
import { RedisChatEventLog } from '../../../src/server/state/redis/chat-event-log.js';
import { RedisCodeStore } from '../../../src/server/state/redis/code-store.js';
import { RedisConnection, RedisPersistenceError } from '../../../src/server/state/redis/connection.js';
import { RedisLimitStore } from '../../../src/server/state/redis/limit-store.js';
import { RedisClientKeys } from '../../../src/server/state/redis/client-keys.js';
import { ClientKeyer } from '../../../src/server/transport/client-key.js';
import { WAIT_ESTIMATE_WINDOW_MS } from '../../../src/protocol/limits.js';
import { startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { RedisQueueStore } from '../../../src/server/state/redis/queue-store.js';
import { RedisAdvisorPresence } from '../../../src/server/state/redis/advisor-presence.js';
import { RedisCobrowseSessionStore } from '../../../src/server/state/redis/cobrowse-sessions.js';
import {
  advisorPresenceContract,
  chatDirectoryContract,
  nodeLeasesContract,
  cobrowseSessionStoreContract,
  chatEventLogContract,
  codeStoreContract,
  limitStoreContract,
  queueStoreContract,
} from './contracts.js';

const log = createLogger({ level: 'silent' });
/** An event log that appends without an owner entry (as while a restarted Redis is written back). */
const unfenced = (log: RedisChatEventLog): RedisChatEventLog => {
  log.fenceOutside({ restoring: true });
  return log;
};
const fresh = (): string => Math.random().toString(36).slice(2, 10);
let redis: TestRedis;
let connection: RedisConnection;

const open = (url: string, persistence: 'check' | 'confirmed-off' = 'check', keyPrefix = 'lotse-test:') =>
  RedisConnection.open({ config: { url, keyPrefix, persistence }, log, commandTimeoutMs: 3000 });

before(async () => {
  redis = await startRedis();
  connection = await open(redis.url);
});

after(async () => {
  await connection.close();
  await redis.close();
});

chatEventLogContract('Redis', () => unfenced(new RedisChatEventLog(connection, 'node-a', 60_000)));
codeStoreContract('Redis', () => new RedisCodeStore(connection, 'webcode'));
limitStoreContract('Redis', () => new RedisLimitStore(connection));
chatDirectoryContract('Redis', () => new RedisChatDirectory(connection, 60_000));
nodeLeasesContract('Redis', () => new RedisNodeLeases(connection));
queueStoreContract('Redis', (ttlMs) => new RedisQueueStore(connection, ttlMs, `queue-${fresh()}`));
cobrowseSessionStoreContract('Redis', (ttlMs) => new RedisCobrowseSessionStore(connection, ttlMs), true);
advisorPresenceContract('Redis', () => {
  const namespace = `presence-${fresh()}`;
  return (nodeId, ttlMs) => new RedisAdvisorPresence(connection, nodeId, ttlMs, namespace);
});

test('a Redis that writes to disk is refused, with what to change; confirmed-off is taken at its word', async () => {
  const persistent = await startRedis({ persistence: true });
  try {
    await assert.rejects(open(persistent.url), (error: unknown) => {
      assert.ok(error instanceof RedisPersistenceError);
      assert.match(error.message, /save "" \(now "3600 1"\)/);
      assert.match(error.message, /appendonly no \(now "yes"\)/);
      assert.match(error.message, /CONFIG SET save ""/);
      assert.ok(!error.message.includes('redis://'), 'names host and port, not the URL');
      return true;
    });
    const trusted = await open(persistent.url, 'confirmed-off');
    assert.equal(await trusted.ping(), true);
    await trusted.close();
  } finally {
    await persistent.close();
  }
});

test("a chat's events live under the key prefix with a time to live, and nothing of it is left once dropped", async () => {
  const events = unfenced(new RedisChatEventLog(connection, 'node-a', 60_000));
  await events.append('chat-a', { kind: 'message', id: 'visitor-1', from: 'visitor', text: 'Geheim-7Qx', at: 0 });
  const keys = await connection.client.keys('lotse-test:chat:{chat-a}:*');
  assert.deepEqual(keys, ['lotse-test:chat:{chat-a}:events']);
  const ttl = await connection.client.pTTL(keys[0]!);
  assert.ok(ttl > 50_000 && ttl <= 60_000, `a time to live is set: ${ttl} ms`);
  await events.drop('chat-a');
  assert.deepEqual(await connection.client.keys('lotse-test:chat:*chat-a*'), []);
  assert.deepEqual(redis.files(), [], 'no RDB, no AOF');
});

test("the owner's copy of a chat's events: a lost list is written back before the next append, or by restore", async () => {
  const message = (id: string) => ({ kind: 'message', id, from: 'visitor', text: `Text ${id}`, at: 0 }) as const;
  const owner = unfenced(new RedisChatEventLog(connection, 'node-a', 60_000));
  // Another node's view: no copy, it reads what Redis holds.
  const shared = unfenced(new RedisChatEventLog(connection, 'node-a', 60_000));
  const ids = async (chatId: string) =>
    (await shared.after(chatId, 0)).map(({ seq, event }) => `${seq}:${event.kind === 'message' ? event.id : ''}`);
  const lose = (chatId: string) => connection.client.del(connection.key('chat', `{${chatId}}`, 'events'));

  for (const id of ['m-1', 'm-2', 'm-3']) await owner.append('chat-copy', message(id));
  await lose('chat-copy');
  assert.equal(await owner.append('chat-copy', message('m-4')), 4, 'numbered after what the owner had, never twice');
  assert.deepEqual(await ids('chat-copy'), ['1:m-1', '2:m-2', '3:m-3', '4:m-4']);

  await owner.append('chat-restore', message('r-1'));
  await owner.append('chat-restore', message('r-2'));
  await lose('chat-restore');
  await owner.restore('chat-restore');
  assert.deepEqual(await ids('chat-restore'), ['1:r-1', '2:r-2'], 'restore writes the copy back');

  // A chat the node no longer owns (taken over elsewhere): its copy is gone, restore writes nothing.
  owner.release('chat-restore');
  await lose('chat-restore');
  await owner.restore('chat-restore');
  assert.deepEqual(await ids('chat-restore'), []);
  // A chat taken over with its events: the copy starts from them.
  owner.own('chat-own', [
    { seq: 1, event: message('o-1') },
    { seq: 2, event: message('o-2') },
  ]);
  await owner.restore('chat-own');
  assert.deepEqual(await ids('chat-own'), ['1:o-1', '2:o-2']);
  for (const chatId of ['chat-copy', 'chat-restore', 'chat-own']) await owner.drop(chatId);
  assert.equal(owner.copied, 0, 'no copy outlives its chat');
});

test("the queue's keys live under the key prefix with a time to live, and nothing of a chat is left once it left", async () => {
  const namespace = `queue-${fresh()}`;
  const queue = new RedisQueueStore(connection, 60_000, namespace);
  const item = {
    chatId: 'chat-q',
    visitor: { kind: 'anonymous', nickname: 'Geheim-8Pz' },
    since: 1,
    firstMessage: 'Geheim-8Pz',
  } as const;
  assert.equal(
    await queue.admit({ item, clientKey: 'client-q' }, { maxWaiting: 10, maxPerClient: 10, clientKeys: ['client-q'] }),
    'admitted',
  );
  const keys = await connection.client.keys(`lotse-test:{${namespace}}:*`);
  assert.ok(keys.length > 0);
  for (const key of keys) {
    const ttl = await connection.client.pTTL(key);
    // The wait estimate's pace (times only) lives for its window.
    const most = /:(busy|accepts)$/.test(key) ? WAIT_ESTIMATE_WINDOW_MS : 60_000;
    assert.ok(ttl > 50_000 && ttl <= most, `${key} has a time to live: ${ttl} ms`);
  }
  await queue.remove('chat-q');
  for (const key of await connection.client.keys(`lotse-test:{${namespace}}:*`)) {
    const type = await connection.client.type(key);
    const value =
      type === 'hash'
        ? JSON.stringify(await connection.client.hGetAll(key))
        : type === 'zset'
          ? (await connection.client.zRange(key, 0, -1)).join()
          : type === 'set'
            ? (await connection.client.sMembers(key)).join()
            : String(await connection.client.get(key));
    assert.ok(!value.includes('chat-q') && !value.includes('Geheim'), `${key} holds nothing of the chat: ${value}`);
  }
});

test("the wait estimate's pace is the service's: accepts on one node count on every node", async () => {
  const namespace = `queue-${fresh()}`;
  const [a, b] = [
    new RedisQueueStore(connection, 60_000, namespace),
    new RedisQueueStore(connection, 60_000, namespace),
  ];
  const item = (chatId: string) => ({ chatId, visitor: { kind: 'anonymous', nickname: 'Gast' }, since: 1 }) as const;
  assert.deepEqual((await b.places([])).pace, { accepts: 0, firstBusyMs: 0, lastBusyMs: 0, busyNowMs: 0 });
  for (const chatId of ['p1', 'p2', 'p3']) {
    await a.put({ item: item(chatId), clientKey: 'k' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await a.remove(chatId, true);
  }
  await a.put({ item: item('ended'), clientKey: 'k' });
  await a.remove('ended');
  const pace = (await b.places([])).pace!;
  assert.equal(pace.accepts, 3, 'taken on A, counted on B; an ended chat is no accept');
  assert.ok(pace.firstBusyMs >= 30 && pace.lastBusyMs >= 90, `busy ${pace.firstBusyMs}, ${pace.lastBusyMs}`);
  assert.ok(pace.busyNowMs >= pace.lastBusyMs && pace.busyNowMs < pace.lastBusyMs + 1000, 'the clock stops when empty');
});

test('the stores go on after a Redis restart: the connection comes back on its own', async () => {
  const own = await startRedis();
  const conn = await open(own.url);
  try {
    const codes = new RedisCodeStore(conn, 'webcode');
    assert.equal(await codes.put('111111', 's1', 10_000), true);
    await own.restart();
    // A restart without persistence forgets everything; the next command waits for the reconnect.
    assert.equal(await codes.put('111111', 's2', 10_000), true, 'empty after the restart, and answering');
    assert.equal(await codes.take('111111'), 's2');
    assert.equal(await conn.ping(), true);
  } finally {
    await conn.close();
    await own.close();
  }
});

test('an append sent as Redis went away and answered by the restarted one keeps its chat (the window began meanwhile)', async () => {
  const message = (id: string) => ({ kind: 'message', id, from: 'visitor', text: `Text ${id}`, at: 0 }) as const;
  const own = await startRedis();
  // The restore window as a node keeps it (`cluster/shared-state-restore.ts`): from the loss until well after.
  const window = { restoring: false };
  const conn = await RedisConnection.open({
    config: { url: own.url, keyPrefix: 'lotse-test:', persistence: 'check' },
    log,
    commandTimeoutMs: 3000,
    onInstance: (event) => {
      if (event === 'lost' || event === 'new') window.restoring = true;
    },
  });
  try {
    const events = new RedisChatEventLog(conn, 'node-a', 60_000);
    events.fenceOutside(window);
    await conn.client.set(conn.key('chat', '{chat-late}', 'owner'), 'node-a');
    assert.equal(await events.append('chat-late', message('m-1')), 1);
    // Redis stops while this process is busy (synchronously: the socket's end is not read yet), and an append is made
    // meanwhile: outside the window, so its script is told a missing owner entry is not this node's. The client
    // keeps it unwritten through the reconnect, and the restarted, empty Redis runs it first.
    await new Promise((resolve) => setImmediate(resolve));
    spawnSync('redis-cli', ['-p', String(own.port), 'shutdown', 'nosave']);
    const appended = events.append('chat-late', message('m-2'));
    await own.restart();
    assert.equal(await appended, 2, "appended after the events written back, not refused as another node's chat");
    const ids = (await events.after('chat-late', 0)).map(
      ({ seq, event }) => `${seq}:${event.kind === 'message' ? event.id : ''}`,
    );
    assert.deepEqual(ids, ['1:m-1', '2:m-2']);
    await events.drop('chat-late');
  } finally {
    await conn.close();
    await own.close();
  }
});

test('a co-browse save or removal sent as Redis went away and answered by the restarted one keeps its session', async () => {
  const record = (state: 'joined' | 'live') =>
    ({ advisorId: 'adv-1', advisorName: 'Anna', state, createdAt: 0, deadline: 60_000, link: 1 }) as const;
  const own = await startRedis();
  const window = { restoring: false };
  const conn = await RedisConnection.open({
    config: { url: own.url, keyPrefix: 'lotse-test:', persistence: 'check' },
    log,
    commandTimeoutMs: 3000,
    onInstance: (event) => {
      if (event === 'lost' || event === 'new') window.restoring = true;
    },
  });
  // Redis stops while this process is busy, and `write` is made meanwhile (outside the window, as in the chat test
  // above): the restarted, empty Redis runs it first.
  const acrossRestart = async (write: () => Promise<boolean>): Promise<boolean> => {
    window.restoring = false;
    await new Promise((resolve) => setImmediate(resolve));
    spawnSync('redis-cli', ['-p', String(own.port), 'shutdown', 'nosave']);
    const written = write();
    await own.restart();
    return written;
  };
  try {
    const sessions = new RedisCobrowseSessionStore(conn, 60_000);
    sessions.fenceOutside(window);
    assert.equal(await sessions.save('session-late', 'node-a', record('joined'), true), true);
    assert.equal(
      await acrossRestart(() => sessions.save('session-late', 'node-a', record('live'))),
      true,
      "saved as written back, not refused as another node's session",
    );
    assert.equal((await sessions.record('session-late'))?.state, 'live');
    assert.equal(await acrossRestart(() => sessions.remove('session-late', 'node-a')), true, 'removed, not refused');
  } finally {
    await conn.close();
    await own.close();
  }
});

test('ping answers false while Redis is gone, and the connection closes cleanly all the same', async () => {
  const own = await startRedis();
  const conn = await open(own.url);
  await own.stop();
  assert.equal(await conn.ping(500), false);
  await conn.close();
  await own.close();
});

test('two nodes key one client alike through shared keys, also after the period turns', async () => {
  let now = 10_000;
  const make = (): ClientKeyer =>
    new ClientKeyer({ now: () => now, periodMs: 1000, shared: new RedisClientKeys(connection, fresh()) });
  const namespace = fresh();
  const keysOf = (): ClientKeyer =>
    new ClientKeyer({
      now: () => now,
      periodMs: 1000,
      keepPreviousMs: 500,
      shared: new RedisClientKeys(connection, namespace),
    });
  const [a, b] = [keysOf(), keysOf()];
  const lonely = make();
  await Promise.all([a.ready(), b.ready(), lonely.ready()]);
  assert.equal(a.keyOf('203.0.113.7'), b.keyOf('203.0.113.7'), 'one client, one key on both nodes');
  assert.notEqual(a.keyOf('203.0.113.7'), lonely.keyOf('203.0.113.7'), 'another service keys it otherwise');
  assert.notEqual(a.keyOf('203.0.113.7'), a.keyOf('203.0.113.8'));
  const before = a.keyOf('203.0.113.7');
  // The next period's key is fetched ahead; once it starts both nodes use it, and still count the old one.
  await Promise.all([a.prefetched(), b.prefetched()]);
  now = 11_000;
  const [ka, kb] = [a.keysOf('203.0.113.7'), b.keysOf('203.0.113.7')];
  assert.deepEqual(ka, kb);
  assert.equal(ka.length, 2);
  assert.notEqual(ka[0], before);
  assert.equal(ka[1], before);
  for (const keyer of [a, b, lonely]) keyer.close();
  const stored = await connection.client.keys(`lotse-test:client-key:${namespace}:*`);
  assert.deepEqual(
    stored.map((key) => key.split(':').at(-1)).sort(),
    ['10', '11', '12'],
    'the old period, this one and the next (fetched ahead), nothing else',
  );
  assert.ok((await connection.client.pTTL(stored[0]!)) > 0, 'each lapses');
});

test('a Redis that cannot be reached fails the start within seconds, naming why', async () => {
  const own = await startRedis();
  await own.stop();
  const started = performance.now();
  await assert.rejects(open(own.url), (error: unknown) => {
    assert.match(
      String((error as Error).message) + String((error as { code?: string }).code),
      /ECONNREFUSED/,
      String(error),
    );
    return true;
  });
  assert.ok(performance.now() - started < 5000, 'gave up instead of retrying for ever');
  await own.close();
});

test('close() ends within the command timeout when Redis went away with a command pending', async () => {
  const own = await startRedis();
  const conn = await open(own.url);
  await own.stop();
  const pending = conn.client.get('lotse-test:anything').catch(() => 'failed');
  const started = performance.now();
  await conn.close();
  assert.ok(performance.now() - started < 4500, 'not hung');
  assert.equal(await pending, 'failed');
  await own.close();
});

test('a Redis that starts writing to disk is refused at the next reconnect: the node sends it nothing more', async () => {
  const own = await startRedis();
  const lines: string[] = [];
  const conn = await RedisConnection.open({
    config: { url: own.url, keyPrefix: 'lotse-test:', persistence: 'check' },
    log: createLogger({ level: 'error', write: (line) => void lines.push(line) }),
    commandTimeoutMs: 3000,
  });
  const admin = await open(own.url, 'confirmed-off');
  try {
    // RDB snapshots on (an AOF turned on at run time would fork a first rewrite, during which Redis refuses to stop).
    await admin.client.configSet('save', '3600 1');
    // The connection drops (a network blip); at its reconnect the check runs again and finds the snapshots on.
    await admin.client.clientKill({ filter: 'SKIPME', skipMe: true });
    const until = Date.now() + 10_000;
    while (!lines.some((line) => line.includes('"redis.refused"')) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(
      lines.some((line) => line.includes('"redis.refused"') && line.includes('"persistence"')),
      lines.join('\n'),
    );
    assert.equal(await conn.ping(500), false, 'nothing more is sent there');
  } finally {
    await conn.close();
    await admin.close();
    await own.close();
  }
});
