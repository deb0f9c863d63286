/**
 * `CobrowseSessionStore` in Redis: `<prefix>cobrowse:<id>:owner` holds the owner's node id, `<prefix>cobrowse:<id>:record`
 * the session's record as JSON. Both live `ttlMs`, refreshed by the owner while the session is open, and are deleted
 * at its end; a takeover is a compare-and-set of the owner (one script).
 */
import type { CobrowseRecord, CobrowseSessionStore } from '../cobrowse-sessions.js';
import type { RedisKeyspace } from './connection.js';

/** Sets the owner to ARGV[2] only while it is ARGV[1], keeping its time to live. */
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0`;

export class RedisCobrowseSessionStore implements CobrowseSessionStore {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;
  readonly refreshMs: number;

  constructor(redis: RedisKeyspace, ttlMs: number) {
    this.#redis = redis;
    this.#ttlMs = Math.max(1000, Math.ceil(ttlMs));
    this.refreshMs = Math.floor(this.#ttlMs / 3);
  }

  #owner(sessionId: string): string {
    return this.#redis.key('cobrowse', sessionId, 'owner');
  }

  #record(sessionId: string): string {
    return this.#redis.key('cobrowse', sessionId, 'record');
  }

  async save(sessionId: string, owner: string, record: CobrowseRecord): Promise<void> {
    const expiration = { type: 'PX', value: this.#ttlMs } as const;
    const multi = this.#redis.client
      .multi()
      .set(this.#owner(sessionId), owner, { condition: 'NX', expiration })
      .set(this.#record(sessionId), JSON.stringify(record), { expiration });
    await this.#redis.timed('set', () => multi.exec());
  }

  async refresh(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const multi = this.#redis.client.multi();
    for (const id of sessionIds) {
      multi.pExpire(this.#owner(id), this.#ttlMs).pExpire(this.#record(id), this.#ttlMs);
    }
    await this.#redis.timed('expire', () => multi.exec());
  }

  async record(sessionId: string): Promise<CobrowseRecord | undefined> {
    const raw = await this.#redis.timed('get', () => this.#redis.client.get(this.#record(sessionId)));
    return raw === null ? undefined : (JSON.parse(raw) as CobrowseRecord);
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    const owner = await this.#redis.timed('get', () => this.#redis.client.get(this.#owner(sessionId)));
    return owner ?? undefined;
  }

  async takeOver(sessionId: string, from: string, to: string): Promise<boolean> {
    const done = await this.#redis.timed('eval', () =>
      this.#redis.client.eval(TAKE_OVER, { keys: [this.#owner(sessionId)], arguments: [from, to] }),
    );
    return done === 1;
  }

  async remove(sessionId: string): Promise<void> {
    await this.#redis.timed('del', () => this.#redis.client.del([this.#owner(sessionId), this.#record(sessionId)]));
  }
}
