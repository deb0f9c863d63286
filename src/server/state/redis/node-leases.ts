/** `NodeLeases` in Redis: `<prefix>node:<id>:lease` with a time to live, and the set `<prefix>nodes` naming them. */
import type { NodeLeases } from '../node-leases.js';
import type { RedisKeyspace } from './connection.js';

export class RedisNodeLeases implements NodeLeases {
  readonly #redis: RedisKeyspace;

  constructor(redis: RedisKeyspace) {
    this.#redis = redis;
  }

  #key(nodeId: string): string {
    return this.#redis.key('node', nodeId, 'lease');
  }

  get #nodes(): string {
    return this.#redis.key('nodes');
  }

  async renew(nodeId: string, ttlMs: number): Promise<void> {
    const multi = this.#redis.client
      .multi()
      .set(this.#key(nodeId), '1', { PX: Math.ceil(ttlMs) })
      .sAdd(this.#nodes, nodeId);
    await this.#redis.timed('set', () => multi.exec(true)); // a pipeline: two hash slots
  }

  async held(nodeId: string): Promise<boolean> {
    return (await this.#redis.timed('exists', () => this.#redis.client.exists(this.#key(nodeId)))) === 1;
  }

  async drop(nodeId: string): Promise<void> {
    await this.#redis.timed('del', () => this.#redis.client.del(this.#key(nodeId)));
  }

  async nodes(): Promise<string[]> {
    return this.#redis.timed('smembers', () => this.#redis.client.sMembers(this.#nodes));
  }

  async forget(nodeId: string): Promise<void> {
    await this.#redis.timed('srem', () => this.#redis.client.sRem(this.#nodes, nodeId));
  }
}
