/**
 * The send batch (`transport/send-batch.ts`): what one socket gets within one turn of the event loop leaves in one
 * write, and still arrives complete, in order, each frame once; a socket closed or cut off in the middle of a batch
 * throws nothing and keeps nothing of the others from leaving.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, test } from 'node:test';
import * as wsModule from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import { SendBatch, textFrame } from '../../../src/server/transport/send-batch.js';

let wss: WebSocketServer | undefined;
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await new Promise<void>((resolve) => (wss === undefined ? resolve() : wss.close(() => resolve())));
  wss = undefined;
});

/** A server on port 0 and `count` clients; resolves with each client and its server-side socket. */
async function connect(count: number): Promise<{ client: WebSocket; server: WebSocket }[]> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  wss = server;
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const pairs = [];
  for (let i = 0; i < count; i += 1) {
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    clients.push(client);
    await once(client, 'open');
    const [socket] = await accepted;
    pairs.push({ client, server: socket });
  }
  return pairs;
}

/** The next `count` text frames a client gets, then whether it closed (and how). */
function receive(client: WebSocket, count: number): Promise<string[]> {
  return new Promise((resolve) => {
    const frames: string[] = [];
    client.on('message', (data: Buffer) => {
      frames.push(data.toString('utf8'));
      if (frames.length === count) resolve(frames);
    });
  });
}

/** Counts the writes that reach a server socket's TCP stream (each one is a `write`/`writev` system call). */
function countWrites(ws: WebSocket): { count: number } {
  const stream = (ws as unknown as { _socket: { _writev: unknown; _write: unknown } })._socket;
  const counter = { count: 0 };
  for (const name of ['_writev', '_write'] as const) {
    const original = stream[name] as (...args: unknown[]) => unknown;
    stream[name] = function (this: unknown, ...args: unknown[]) {
      counter.count += 1;
      return original.apply(this, args);
    };
  }
  return counter;
}

const frameOf = (i: number): string =>
  JSON.stringify({ v: 1, type: 'chat.event', seq: i, text: 'ä€'.repeat(i % 50 === 0 ? 20_000 : i) });

test('the frames of one turn leave in one write, complete, in order, each once', async () => {
  const [pair] = await connect(1);
  assert.ok(pair !== undefined);
  const writes = countWrites(pair.server);
  const batch = new SendBatch();
  const sent = Array.from({ length: 200 }, (_, i) => frameOf(i + 1)); // 200 frames, four of them 100 KB
  const later = [frameOf(1000), frameOf(1001), frameOf(1002)];
  const arrived = receive(pair.client, sent.length + 1 + later.length); // and one empty frame between
  for (const frame of sent) batch.send(pair.server, frame);
  assert.equal(writes.count, 0, 'nothing leaves before the turn ends');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(writes.count, 1, 'one write for the whole turn');

  // A later turn is a batch of its own (once the first write is done: Node holds a write back until then).
  await new Promise<void>((resolve) => pair.server.send('', () => resolve()));
  const before: number = writes.count;
  for (const frame of later) batch.send(pair.server, frame);
  batch.flush();
  assert.equal(writes.count, before + 1);
  const frames = await arrived;
  assert.deepEqual(
    frames.filter((frame) => frame !== ''),
    [...sent, ...later],
  );
});

test('a socket closed or cut off in the middle of a batch throws nothing; the others get all of theirs', async () => {
  const [kept, closed, cut] = await connect(3);
  assert.ok(kept !== undefined && closed !== undefined && cut !== undefined);
  const batch = new SendBatch();
  const keptArrived = receive(kept.client, 6);
  const closedArrived = receive(closed.client, 2);
  const closedCode = once(closed.client, 'close');
  const cutClosed = once(cut.client, 'close');
  const keptFrames = Array.from({ length: 6 }, (_, i) => frameOf(i + 1));

  batch.send(kept.server, keptFrames[0] as string);
  batch.send(closed.server, 'first');
  batch.send(cut.server, 'lost');
  batch.send(kept.server, keptFrames[1] as string);
  batch.send(closed.server, 'second');
  closed.server.close(1000, 'done'); // ends the stream: what was sent before the close frame goes first
  cut.server.terminate(); // destroys the stream: its corked frame is dropped
  for (const frame of keptFrames.slice(2)) batch.send(kept.server, frame);
  await new Promise((resolve) => setImmediate(resolve)); // the batch's own flush: must not throw
  batch.flush(); // and a second one finds nothing to do

  assert.deepEqual(await keptArrived, keptFrames);
  assert.deepEqual(await closedArrived, ['first', 'second']);
  const [code] = (await closedCode) as [number];
  assert.equal(code, 1000);
  await cutClosed;
});

test('a batch of maxSockets sockets is sent when one more is corked; frames to a corked socket wait with it', async () => {
  const pairs = await connect(3);
  const [first, second, third] = pairs;
  assert.ok(first !== undefined && second !== undefined && third !== undefined);
  const writes = pairs.map((pair) => countWrites(pair.server));
  const arrived = pairs.map((pair) => receive(pair.client, 2));
  const batch = new SendBatch(2);
  batch.send(first.server, 'a1');
  batch.send(second.server, 'b1');
  batch.send(first.server, 'a2'); // corked already: no flush
  assert.deepEqual(
    writes.map((w) => w.count),
    [0, 0, 0],
  );
  batch.send(third.server, 'c1'); // a third socket: the two before it leave first
  assert.deepEqual(
    writes.map((w) => w.count),
    [1, 1, 0],
  );
  batch.send(second.server, 'b2'); // a new batch with c1: b2 and c1 wait for the turn's end, c2 with c1
  batch.send(third.server, 'c2');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    writes.map((w) => w.count),
    [1, 2, 1],
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(await Promise.all(arrived), [
    ['a1', 'a2'],
    ['b1', 'b2'],
    ['c1', 'c2'],
  ]);
  assert.throws(() => new SendBatch(0), TypeError);
});

/** ws's own Sender (exported by the package, not in its types): how `ws.send` frames a server's text. */
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, boolean | number>): Buffer[] };
};

test("each frame is written as ws's own Sender frames it: unmasked text, every length encoding", () => {
  for (const text of [
    '',
    'a',
    'x'.repeat(125),
    'x'.repeat(126),
    'ä'.repeat(63),
    'ä€😀'.repeat(9000),
    'x'.repeat(65_536),
  ]) {
    const expected = Buffer.concat(
      Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
    );
    assert.deepEqual(textFrame(text), expected, `a text of ${text.length} UTF-16 units`);
  }
});
