/**
 * `ChatDirectory` in Redis: `<prefix>chat:<id>:owner` holds the owner's node id, `<prefix>start:<startId>` the
 * chat a start id names. Both live `ttlMs` (as long as a chat's events: `chat-event-log.ts` refreshes the owner's
 * with each append), and are deleted at the chat's end.
 */
import type { ChatDirectory, StartEntry } from '../chat-directory.js';
import type { RedisKeyspace } from './connection.js';

export class RedisChatDirectory implements ChatDirectory {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;

  constructor(redis: RedisKeyspace, ttlMs: number) {
    this.#redis = redis;
    this.#ttlMs = Math.max(1000, Math.ceil(ttlMs));
  }

  #owner(chatId: string): string {
    return this.#redis.key('chat', chatId, 'owner');
  }

  #start(startId: string): string {
    return this.#redis.key('start', startId);
  }

  async add(chatId: string, owner: string, startId?: string): Promise<void> {
    const multi = this.#redis.client.multi().set(this.#owner(chatId), owner, { PX: this.#ttlMs });
    if (startId !== undefined) multi.set(this.#start(startId), chatId, { PX: this.#ttlMs });
    await this.#redis.timed('set', () => multi.exec());
  }

  async ownerOf(chatId: string): Promise<string | undefined> {
    const owner = await this.#redis.timed('get', () => this.#redis.client.get(this.#owner(chatId)));
    return owner ?? undefined;
  }

  async byStartId(startId: string): Promise<StartEntry | undefined> {
    const chatId = await this.#redis.timed('get', () => this.#redis.client.get(this.#start(startId)));
    if (chatId === null) return undefined;
    const owner = await this.ownerOf(chatId);
    return owner === undefined ? undefined : { chatId, owner };
  }

  async remove(chatId: string, startId?: string): Promise<void> {
    const keys = [this.#owner(chatId)];
    if (startId !== undefined) keys.push(this.#start(startId));
    await this.#redis.timed('del', () => this.#redis.client.del(keys));
  }
}
