/**
 * Each node's lease on the chats it owns (`cluster/takeover.ts`): renewed while the node runs, lapsed soon after it
 * died. A chat's owner that does not hear a message is only taken for dead once its lease has lapsed too: a node
 * whose connection to Redis blinked misses a message but keeps its lease, and its chats.
 *
 * Every node that ever renewed is also named in a set of the service's nodes until it is forgotten: a node that died
 * while no client of its chats came back is found there, and its chats taken over and ended in time
 * (`cluster/takeover.ts`, `sweep`); once it owns nothing any more it is forgotten.
 *
 * With Redis (`state/redis/node-leases.ts`): `SET <prefix>node:<id>:lease 1 PX <ttl>` with `SADD <prefix>nodes <id>`,
 * `EXISTS`, `DEL`, `SMEMBERS`, `SREM`. In memory there is one node, whose lease never lapses while it runs.
 */
export interface NodeLeases {
  /** The node holds its lease for `ttlMs` from now. */
  renew(nodeId: string, ttlMs: number): Promise<void>;
  /** Whether the node's lease still runs. */
  held(nodeId: string): Promise<boolean>;
  /** The node leaves: its lease ends now (it stays named in `nodes` until forgotten: it may still own chats). */
  drop(nodeId: string): Promise<void>;
  /** Every node that renewed a lease and was not forgotten since, alive or not. */
  nodes(): Promise<string[]>;
  /** The node owns nothing any more and holds no lease: it is no longer named. */
  forget(nodeId: string): Promise<void>;
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
    this.#until.set(nodeId, 0);
    return Promise.resolve();
  }

  nodes(): Promise<string[]> {
    return Promise.resolve([...this.#until.keys()]);
  }

  forget(nodeId: string): Promise<void> {
    this.#until.delete(nodeId);
    return Promise.resolve();
  }
}
