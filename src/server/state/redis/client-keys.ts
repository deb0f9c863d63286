/**
 * The client keys of one service in Redis (`transport/client-key.ts`): one random key per period under
 * `<prefix>client-key:<namespace>:<period>`, made by the first node that asks (`SET NX PX`) and read by every other,
 * so that a client is one client on every node. The key lives in Redis's memory only and lapses after its period and
 * the time a replaced key is still needed; then no hash made with it can be linked to an address any more.
 */
import { randomBytes } from 'node:crypto';
import type { SharedClientKeys } from '../../transport/client-key.js';
import type { RedisKeyspace } from './connection.js';

export class RedisClientKeys implements SharedClientKeys {
  readonly #redis: RedisKeyspace;
  readonly #namespace: string;

  /** `namespace` keeps keyers apart (`limits`). */
  constructor(redis: RedisKeyspace, namespace: string) {
    this.#redis = redis;
    this.#namespace = namespace;
  }

  async keyOf(index: number, ttlMs: number): Promise<Buffer> {
    const name = this.#redis.key('client-key', this.#namespace, String(index));
    const mine = randomBytes(32).toString('base64');
    await this.#redis.timed('set', () =>
      this.#redis.client.set(name, mine, {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1000, Math.ceil(ttlMs)) },
      }),
    );
    const value = await this.#redis.timed('get', () => this.#redis.client.get(name));
    if (typeof value !== 'string') throw new Error('the shared client key lapsed at once');
    return Buffer.from(value, 'base64');
  }
}
