/** `NodeLeases` in Redis: `<prefix>node:<id>:lease` with a time to live. */
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

  async renew(nodeId: string, ttlMs: number): Promise<void> {
    await this.#redis.timed('set', () => this.#redis.client.set(this.#key(nodeId), '1', { PX: Math.ceil(ttlMs) }));
  }

  async held(nodeId: string): Promise<boolean> {
    return (await this.#redis.timed('exists', () => this.#redis.client.exists(this.#key(nodeId)))) === 1;
  }

  async drop(nodeId: string): Promise<void> {
    await this.#redis.timed('del', () => this.#redis.client.del(this.#key(nodeId)));
  }
}
