/**
 * The owner side of `RemoteSockets` alone, over a stand-in bus: what a remote socket sends after its peer was
 * dropped because its edge did not hear a message (its pub/sub connection was down: a restarted Redis) must not be
 * handled by a new peer, or it would overtake what the dropped peer still held.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeMessages } from '../../../src/server/cluster/node-messages.js';
import { RemoteSockets } from '../../../src/server/cluster/remote-sockets.js';
import type { RemotePeer } from '../../../src/server/cluster/remote-sockets.js';
import type { BusHandler, BusMessage, NodeBus } from '../../../src/server/state/node-bus.js';

/** A bus whose other nodes hear what is sent to them while `heard` says so. */
class StandInBus implements NodeBus {
  readonly nodeId = 'owner';
  heard = true;
  handler: BusHandler | undefined;
  listen(handler: BusHandler): Promise<void> {
    this.handler = handler;
    return Promise.resolve();
  }
  send(): Promise<boolean> {
    return Promise.resolve(this.heard);
  }
  subscribe(): Promise<void> {
    return Promise.resolve();
  }
  unsubscribe(): Promise<void> {
    return Promise.resolve();
  }
  publish(): Promise<number> {
    return Promise.resolve(0);
  }
  alive(): Promise<boolean> {
    return Promise.resolve(this.heard);
  }
  listeners(): Promise<number> {
    return Promise.resolve(0);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

test('a peer dropped because its edge did not hear it: what its socket still sends is refused, not handled by a new peer', async () => {
  const bus = new StandInBus();
  const nodes = new NodeMessages(bus, (error) => {
    throw error;
  });
  const sockets = new RemoteSockets(nodes, (error) => {
    throw error;
  });
  const handled: { peer: RemotePeer; text: unknown }[] = [];
  const gone: RemotePeer[] = [];
  sockets.serve('chat', {
    opened: () => undefined,
    message: (peer, message) => handled.push({ peer, text: message['text'] }),
    gone: (peer) => gone.push(peer),
  });
  await nodes.listen();
  const incoming = (conn: string, text: string): void =>
    bus.handler!({ kind: 'socket.in', conn, service: 'chat', meta: {}, message: { text } } as BusMessage, 'edge');

  incoming('c1', 'a4');
  incoming('c2', 'other');
  const [first] = handled;
  // The owner answers a4; the edge's pub/sub connection is down: unheard, the peer is dropped.
  bus.heard = false;
  first!.peer.send({ type: 'chat.event' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(gone, [first!.peer]);
  bus.heard = true;
  // What the socket sent meanwhile (a6, after the a5 the dropped peer held) is not handled; its client sends both
  // again from its next socket.
  incoming('c1', 'a6');
  incoming('c2', 'other again');
  assert.deepEqual(
    handled.map(({ text }) => text),
    ['a4', 'other', 'other again'],
  );
  assert.equal(sockets.peerCount, 1);
});
