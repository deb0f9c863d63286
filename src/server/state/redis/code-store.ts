/**
 * `CodeStore` in Redis: one key per code (`<prefix>code:<namespace>:<code>`). `SET NX PX` gives a free code out for
 * its time, `GETDEL` takes it once, on any node: a webcode works once across the service.
 */
import type { CodeStore } from '../code-store.js';
import type { RedisKeyspace } from './connection.js';

export class RedisCodeStore implements CodeStore {
  readonly #redis: RedisKeyspace;
  readonly #namespace: string;

  /** `namespace` keeps kinds of codes apart (`webcode`). */
  constructor(redis: RedisKeyspace, namespace: string) {
    this.#redis = redis;
    this.#namespace = namespace;
  }

  #key(code: string): string {
    return this.#redis.key('code', this.#namespace, code);
  }

  async put(code: string, value: string, ttlMs: number): Promise<boolean> {
    const answer = await this.#redis.timed('set', () =>
      this.#redis.client.set(this.#key(code), value, {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
      }),
    );
    return answer === 'OK';
  }

  async take(code: string): Promise<string | undefined> {
    const value = await this.#redis.timed('getdel', () => this.#redis.client.getDel(this.#key(code)));
    return typeof value === 'string' ? value : undefined;
  }

  async has(code: string): Promise<boolean> {
    return (await this.#redis.timed('exists', () => this.#redis.client.exists(this.#key(code)))) === 1;
  }

  async delete(code: string): Promise<void> {
    await this.#redis.timed('del', () => this.#redis.client.del(this.#key(code)));
  }
}
