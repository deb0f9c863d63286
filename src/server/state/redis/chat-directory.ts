/**
 * `ChatDirectory` in Redis: `<prefix>chat:{<id>}:owner` holds the owner's node id, `<prefix>chat:{<id>}:record` the
 * chat's record as JSON (both in the hash slot of the chat's events, `chat-event-log.ts`), `<prefix>start:<startId>`
 * the chat a start id names. The keys of other slots are written in one pipeline, not one transaction. They live `ttlMs` (as long as a chat's
 * events: `chat-event-log.ts` refreshes the owner's and the record's with each append), and are deleted at the
 * chat's end. `<prefix>node:<id>:chats` is the set of the chats a node owns (`ownership.ts`); a takeover is a
 * compare-and-set of the owner that also moves the chat between two such sets (one script). A save of the record is
 * fenced (one script with the owner entry): refused while the entry names another node (docs/operator.md,
 * "Fencing").
 */
import type { ChatDirectory, ChatRecord, StartEntry } from '../chat-directory.js';
import type { RedisKeyspace } from './connection.js';
import { Ownership } from './ownership.js';
import { RedisScript } from './script.js';

/**
 * KEYS: owner, record. ARGV: the record, ttl ms, the node that saves it (`''`: any). Writes the record only while it
 * is there (an ended chat's is not written again) and the owner entry does not name another node: `not_owner` then.
 */
const SAVE = new RedisScript(`
local owner = redis.call('GET', KEYS[1])
if owner and ARGV[3] ~= '' and owner ~= ARGV[3] then return 'not_owner' end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'XX')
return 'saved'
`);

export class RedisChatDirectory implements ChatDirectory {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;
  readonly #ownership: Ownership;

  constructor(redis: RedisKeyspace, ttlMs: number) {
    this.#redis = redis;
    this.#ownership = new Ownership(redis, 'chats');
    this.#ttlMs = Math.max(1000, Math.ceil(ttlMs));
  }

  #owner(chatId: string): string {
    return this.#redis.key('chat', `{${chatId}}`, 'owner');
  }

  #start(startId: string): string {
    return this.#redis.key('start', startId);
  }

  #record(chatId: string): string {
    return this.#redis.key('chat', `{${chatId}}`, 'record');
  }

  async add(chatId: string, owner: string, record: ChatRecord): Promise<void> {
    const multi = this.#redis.client
      .multi()
      .set(this.#owner(chatId), owner, { PX: this.#ttlMs })
      .set(this.#record(chatId), JSON.stringify(record), { PX: this.#ttlMs })
      .sAdd(this.#ownership.setOf(owner), chatId);
    if (record.startId !== undefined) multi.set(this.#start(record.startId), chatId, { PX: this.#ttlMs });
    await this.#redis.timed('set', () => multi.exec(true));
  }

  async save(chatId: string, record: ChatRecord, owner?: string): Promise<boolean> {
    const keys = [this.#owner(chatId), this.#record(chatId)];
    const args = [JSON.stringify(record), String(this.#ttlMs), owner ?? ''];
    return (await SAVE.run(this.#redis, keys, args)) !== 'not_owner';
  }

  async record(chatId: string): Promise<ChatRecord | undefined> {
    const raw = await this.#redis.timed('get', () => this.#redis.client.get(this.#record(chatId)));
    return raw === null ? undefined : (JSON.parse(raw) as ChatRecord);
  }

  takeOver(chatId: string, from: string, to: string): Promise<boolean> {
    return this.#ownership.takeOver(this.#owner(chatId), chatId, from, to);
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
    const multi = this.#redis.client
      .multi()
      .set(this.#owner(chatId), owner, { PX: this.#ttlMs })
      .sAdd(this.#ownership.setOf(owner), chatId);
    if (record !== undefined) multi.set(this.#record(chatId), JSON.stringify(record), { PX: this.#ttlMs });
    if (startId !== undefined) multi.set(this.#start(startId), chatId, { PX: this.#ttlMs });
    await this.#redis.timed('set', () => multi.exec(true));
  }

  async remove(chatId: string, startId?: string): Promise<void> {
    await this.#ownership.remove([this.#owner(chatId), this.#record(chatId)], chatId);
    if (startId !== undefined) await this.#redis.timed('del', () => this.#redis.client.del(this.#start(startId)));
  }

  ownedBy(owner: string, limit: number): Promise<string[]> {
    return this.#ownership.ownedBy(owner, limit);
  }

  disown(owner: string, chatId: string): Promise<void> {
    return this.#ownership.disown(owner, chatId);
  }
}
