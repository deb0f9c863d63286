/**
 * The node bus: a message to one node, topics, and knowing at once that a node is gone, on the one-node bus and
 * on Redis pub/sub between two connections as two nodes would have (a real `redis-server`), also across a Redis
 * restart and after a node's connection was cut as by `kill -9`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { createLogger } from '../../../src/server/log.js';
import { MemoryNodeBus } from '../../../src/server/state/node-bus.js';
import type { BusMessage, NodeBus } from '../../../src/server/state/node-bus.js';
import { RedisConnection } from '../../../src/server/state/redis/connection.js';
import { RedisNodeBus } from '../../../src/server/state/redis/node-bus.js';
import { startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';

const log = createLogger({ level: 'silent' });
let redis: TestRedis;
const open: RedisConnection[] = [];

async function connect(url = redis.url): Promise<RedisConnection> {
  const connection = await RedisConnection.open({
    config: { url, keyPrefix: 'lotse-test:', persistence: 'check' },
    log,
    commandTimeoutMs: 3000,
  });
  open.push(connection);
  return connection;
}

/** What a bus hears, and the next of it not yet taken (also one that arrived before `next()` was called). */
function inbox(): {
  heard: [BusMessage, string][];
  next(): Promise<[BusMessage, string]>;
  handler: (m: BusMessage, from: string) => void;
} {
  const heard: [BusMessage, string][] = [];
  const untaken: [BusMessage, string][] = [];
  const waiting: ((item: [BusMessage, string]) => void)[] = [];
  return {
    heard,
    handler: (message, from) => {
      heard.push([message, from]);
      const waiter = waiting.shift();
      if (waiter === undefined) untaken.push([message, from]);
      else waiter([message, from]);
    },
    next: () =>
      new Promise((resolve, reject) => {
        const ready = untaken.shift();
        if (ready !== undefined) {
          resolve(ready);
          return;
        }
        const timer = setTimeout(() => reject(new Error('nothing heard')), 5000);
        waiting.push((item) => {
          clearTimeout(timer);
          resolve(item);
        });
      }),
  };
}

before(async () => {
  redis = await startRedis();
});

after(async () => {
  await Promise.all(open.map((connection) => connection.close()));
  await redis.close();
});

test('the one-node bus: its own messages and topics, later, as copies; no other node is there', async () => {
  const bus: NodeBus = new MemoryNodeBus('n1');
  const own = inbox();
  await bus.listen(own.handler);
  const message = { kind: 'chat.forward', chatId: 'c1', nested: { text: 'Hallo' } };
  const sending = bus.send('n1', message);
  assert.equal(own.heard.length, 0, 'not inside the call');
  assert.equal(await sending, true);
  assert.deepEqual(own.heard, [[message, 'n1']]);
  assert.notEqual(own.heard[0]![0], message, 'a copy');
  assert.equal(await bus.send('n2', { kind: 'x' }), false);
  assert.equal(await bus.alive('n1'), true);
  assert.equal(await bus.alive('n2'), false);
  const topic = inbox();
  await bus.subscribe('advisor:a', topic.handler);
  assert.equal(await bus.publish('advisor:a', { kind: 'presence' }), 1);
  assert.equal(await bus.publish('advisor:b', { kind: 'presence' }), 0);
  await bus.close();
  assert.equal(await bus.alive('n1'), false);
});

test('two nodes over Redis: a message to the other, topics both hear, and none to a node that is not there', async () => {
  const [ca, cb] = [await connect(), await connect()];
  const [a, b] = [new RedisNodeBus(ca), new RedisNodeBus(cb)];
  const [inA, inB] = [inbox(), inbox()];
  await a.listen(inA.handler);
  await b.listen(inB.handler);
  assert.notEqual(a.nodeId, b.nodeId);

  const heard = inB.next();
  assert.equal(await a.send(b.nodeId, { kind: 'chat.forward', text: 'Grüß Gott 👋' }), true);
  assert.deepEqual(await heard, [{ kind: 'chat.forward', text: 'Grüß Gott 👋' }, a.nodeId]);
  assert.equal(await a.send('no-such-node', { kind: 'x' }), false, 'nobody heard it');
  assert.deepEqual(
    [await a.alive(b.nodeId), await b.alive(a.nodeId), await a.alive('no-such-node')],
    [true, true, false],
  );

  const [topicA, topicB] = [inbox(), inbox()];
  await a.subscribe('queue', topicA.handler);
  await b.subscribe('queue', topicB.handler);
  const both = Promise.all([topicA.next(), topicB.next()]);
  assert.equal(await a.publish('queue', { kind: 'queue.changed' }), 2);
  assert.deepEqual(
    (await both).map(([message, from]) => [message.kind, from]),
    [
      ['queue.changed', a.nodeId],
      ['queue.changed', a.nodeId],
    ],
  );
  await b.unsubscribe('queue');
  assert.equal(await a.publish('queue', { kind: 'queue.changed' }), 1, 'b no longer hears it');
  await a.close();
  await b.close();
  assert.equal(await b.alive(a.nodeId), false, 'a left');
});

test('the buses hear each other again after a Redis restart', async () => {
  const own = await startRedis();
  try {
    const [ca, cb] = [await connect(own.url), await connect(own.url)];
    const [a, b] = [new RedisNodeBus(ca), new RedisNodeBus(cb)];
    const inB = inbox();
    await a.listen(() => undefined);
    await b.listen(inB.handler);
    await own.restart();
    // Both connections come back and b subscribes again by itself; until then nobody hears a send.
    const deadline = Date.now() + 10_000;
    let delivered = false;
    while (!delivered && Date.now() < deadline) {
      delivered = await a.send(b.nodeId, { kind: 'after.restart' }).catch(() => false);
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(delivered, true, 'b hears again after the restart');
    assert.equal((await inB.next())[0].kind, 'after.restart');
  } finally {
    await own.close();
  }
});

test('a node killed with SIGKILL is seen gone at once: not alive, and a send to it is heard by nobody', async () => {
  const a = new RedisNodeBus(await connect());
  await a.listen(() => undefined);
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/state/fixtures/bus-node.ts', redis.url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const nodeId = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the node exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    assert.equal(await a.alive(nodeId), true);
    assert.equal(await a.send(nodeId, { kind: 'ping' }), true);
    const killedAt = performance.now();
    child.kill('SIGKILL');
    await exited;
    let gone = false;
    while (!gone && performance.now() - killedAt < 5000) gone = !(await a.alive(nodeId));
    assert.equal(gone, true, 'seen gone');
    assert.equal(await a.send(nodeId, { kind: 'ping' }), false);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await a.close();
  }
});
