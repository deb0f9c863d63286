/**
 * A TCP proxy in front of the real server that can cut every connection through it at once, the way a train
 * tunnel or a sleeping laptop does. Used to drop a visitor's or an advisor's socket in the middle of a chat.
 *
 * In front of several nodes (several target ports) it sends each new connection to the next of them in turn, as a
 * load balancer with round robin and no sticky sessions does: a socket dropped on one node comes back on the next.
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface DropProxy {
  port: number;
  /** Destroys every open connection through the proxy (both halves, no close frame). */
  dropAll(): number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections accepted so far, per target port (in the order given). */
  readonly acceptedByTarget: readonly number[];
  close(): Promise<void>;
}

/** A proxy to `target`, or to each of several targets in turn (round robin, starting with the first). */
export async function startDropProxy(target: number | readonly number[]): Promise<DropProxy> {
  const targets = typeof target === 'number' ? [target] : [...target];
  if (targets.length === 0) throw new TypeError('startDropProxy needs at least one target port');
  const byTarget = targets.map(() => 0);
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    const index = accepted % targets.length;
    accepted += 1;
    byTarget[index]! += 1;
    const upstream = connect(targets[index]!, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    get acceptedByTarget() {
      return [...byTarget];
    },
    dropAll() {
      const count = open.size;
      for (const socket of open) socket.destroy();
      return count;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
