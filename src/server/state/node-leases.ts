/**
 * Each node's lease on the chats it owns (`cluster/takeover.ts`): renewed while the node runs, lapsed soon after it
 * died. A chat's owner that does not hear a message is only taken for dead once its lease has lapsed too: a node
 * whose connection to Redis blinked misses a message but keeps its lease, and its chats.
 *
 * With Redis (`state/redis/node-leases.ts`): `SET <prefix>node:<id>:lease 1 PX <ttl>`, `EXISTS`, `DEL`. In memory
 * there is one node, whose lease never lapses while it runs.
 */
export interface NodeLeases {
  /** The node holds its lease for `ttlMs` from now. */
  renew(nodeId: string, ttlMs: number): Promise<void>;
  /** Whether the node's lease still runs. */
  held(nodeId: string): Promise<boolean>;
  /** The node leaves: its lease ends now. */
  drop(nodeId: string): Promise<void>;
}

export class MemoryNodeLeases implements NodeLeases {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  renew(nodeId: string, ttlMs: number): Promise<void> {
    this.#until.set(nodeId, this.#now() + ttlMs);
    return Promise.resolve();
  }

  held(nodeId: string): Promise<boolean> {
    return Promise.resolve((this.#until.get(nodeId) ?? 0) > this.#now());
  }

  drop(nodeId: string): Promise<void> {
    this.#until.delete(nodeId);
    return Promise.resolve();
  }
}
