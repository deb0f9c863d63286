/**
 * `LimitStore` in Redis: counters and claims shared by every node, so that a client gains nothing by spreading its
 * attempts over nodes. Keys `<prefix><namespace>:<key>`; `INCRBY` + `PEXPIRE NX` in one transaction (the window runs from
 * the first count), `SET NX PX` for a claim. Unlike the in-memory store it never runs full: Redis's own memory limit
 * is the operator's (with `maxmemory-policy noeviction`, a full Redis refuses the write and the caller fails closed).
 */
import type { LimitStore } from '../limit-store.js';
import type { RedisKeyspace } from './connection.js';

export class RedisLimitStore implements LimitStore {
  readonly #redis: RedisKeyspace;
  readonly #namespace: string;

  /** `namespace` keeps stores apart (`limit`; `login`, so that failed logins never crowd out the rest). */
  constructor(redis: RedisKeyspace, namespace = 'limit') {
    this.#redis = redis;
    this.#namespace = namespace;
  }

  #key(key: string): string {
    return this.#redis.key(this.#namespace, key);
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const name = this.#key(key);
    const [value] = await this.#redis.timed('incrby', () =>
      this.#redis.client
        .multi()
        .incrBy(name, by)
        .pExpire(name, Math.max(1, Math.ceil(ttlMs)), 'NX')
        .exec(),
    );
    return Number(value);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const answer = await this.#redis.timed('set', () =>
      this.#redis.client.set(this.#key(key), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
      }),
    );
    return answer === 'OK';
  }

  async get(key: string): Promise<number> {
    const value = await this.#redis.timed('get', () => this.#redis.client.get(this.#key(key)));
    return typeof value === 'string' ? Number(value) : 0;
  }

  async release(key: string): Promise<void> {
    await this.#redis.timed('del', () => this.#redis.client.del(this.#key(key)));
  }
}
