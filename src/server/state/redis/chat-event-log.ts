/**
 * `ChatEventLog` in Redis: one list per chat (`<prefix>chat:<id>:events`), each entry an event as JSON. `RPUSH`
 * numbers an event (its reply is the list's new length), `LRANGE` reads after a `lastSeq`, `PEXPIRE` keeps an
 * ended chat's events for its absent visitor, `DEL` forgets them.
 *
 * Every list has a time to live, refreshed at each append (`ttlMs`: longer than a chat can stay silent before it
 * ends), so that the events of a chat whose node died before it could end it do not outlive the chat; the chat's
 * owner entry (`chat-directory.ts`) is refreshed with them. Redis keeps
 * them in memory only (`connection.ts` refuses a Redis that writes to disk).
 */
import type { ChatEvent, SequencedEvent } from '../../../protocol/messages.js';
import type { ChatEventLog } from '../chat-event-log.js';
import type { RedisKeyspace } from './connection.js';

export class RedisChatEventLog implements ChatEventLog {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;

  /** `ttlMs`: how long a chat's events outlive its last append. */
  constructor(redis: RedisKeyspace, ttlMs: number) {
    this.#redis = redis;
    this.#ttlMs = Math.max(1000, Math.ceil(ttlMs));
  }

  #key(chatId: string): string {
    return this.#redis.key('chat', chatId, 'events');
  }

  async append(chatId: string, event: ChatEvent): Promise<number> {
    const key = this.#key(chatId);
    // The chat's owner and record (`chat-directory.ts`) live as long as its events: refreshed with them.
    const owner = this.#redis.key('chat', chatId, 'owner');
    const record = this.#redis.key('chat', chatId, 'record');
    const [length] = await this.#redis.timed('rpush', () =>
      this.#redis.client
        .multi()
        .rPush(key, JSON.stringify(event))
        .pExpire(key, this.#ttlMs)
        .pExpire(owner, this.#ttlMs)
        .pExpire(record, this.#ttlMs)
        .exec(),
    );
    return Number(length);
  }

  async after(chatId: string, lastSeq: number): Promise<SequencedEvent[]> {
    const from = Math.max(0, Math.floor(lastSeq));
    const entries = await this.#redis.timed('lrange', () => this.#redis.client.lRange(this.#key(chatId), from, -1));
    return entries.map((entry, index) => ({ seq: from + index + 1, event: JSON.parse(entry) as ChatEvent }));
  }

  async count(chatId: string): Promise<number> {
    return await this.#redis.timed('llen', () => this.#redis.client.lLen(this.#key(chatId)));
  }

  async retain(chatId: string, ms: number): Promise<void> {
    await this.#redis.timed('pexpire', () => this.#redis.client.pExpire(this.#key(chatId), Math.max(1, Math.ceil(ms))));
  }

  async drop(chatId: string): Promise<void> {
    await this.#redis.timed('del', () => this.#redis.client.del(this.#key(chatId)));
  }
}
