/**
 * `ChatDirectory` in Redis: `<prefix>chat:<id>:owner` holds the owner's node id, `<prefix>chat:<id>:record` the
 * chat's record as JSON, `<prefix>start:<startId>` the chat a start id names. They live `ttlMs` (as long as a chat's
 * events: `chat-event-log.ts` refreshes the owner's and the record's with each append), and are deleted at the
 * chat's end. A takeover is a compare-and-set of the owner (one script).
 */

/** Sets the owner to ARGV[2] only while it is ARGV[1], keeping its time to live. */
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0`;
import type { ChatDirectory, ChatRecord, StartEntry } from '../chat-directory.js';
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

  #record(chatId: string): string {
    return this.#redis.key('chat', chatId, 'record');
  }

  async add(chatId: string, owner: string, record: ChatRecord): Promise<void> {
    const multi = this.#redis.client
      .multi()
      .set(this.#owner(chatId), owner, { PX: this.#ttlMs })
      .set(this.#record(chatId), JSON.stringify(record), { PX: this.#ttlMs });
    if (record.startId !== undefined) multi.set(this.#start(record.startId), chatId, { PX: this.#ttlMs });
    await this.#redis.timed('set', () => multi.exec());
  }

  async save(chatId: string, record: ChatRecord): Promise<void> {
    // Only while the chat has its record: an ended chat's is not written again.
    await this.#redis.timed('set', () =>
      this.#redis.client.set(this.#record(chatId), JSON.stringify(record), { PX: this.#ttlMs, XX: true }),
    );
  }

  async record(chatId: string): Promise<ChatRecord | undefined> {
    const raw = await this.#redis.timed('get', () => this.#redis.client.get(this.#record(chatId)));
    return raw === null ? undefined : (JSON.parse(raw) as ChatRecord);
  }

  async takeOver(chatId: string, from: string, to: string): Promise<boolean> {
    const done = await this.#redis.timed('eval', () =>
      this.#redis.client.eval(TAKE_OVER, { keys: [this.#owner(chatId)], arguments: [from, to] }),
    );
    return done === 1;
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

  async restore(
    chatId: string,
    owner: string,
    record: ChatRecord | undefined,
    startId: string | undefined,
  ): Promise<void> {
    const multi = this.#redis.client.multi().set(this.#owner(chatId), owner, { PX: this.#ttlMs });
    if (record !== undefined) multi.set(this.#record(chatId), JSON.stringify(record), { PX: this.#ttlMs });
    if (startId !== undefined) multi.set(this.#start(startId), chatId, { PX: this.#ttlMs });
    await this.#redis.timed('set', () => multi.exec());
  }

  async remove(chatId: string, startId?: string): Promise<void> {
    const keys = [this.#owner(chatId), this.#record(chatId)];
    if (startId !== undefined) keys.push(this.#start(startId));
    await this.#redis.timed('del', () => this.#redis.client.del(keys));
  }
}
