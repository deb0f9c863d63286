/**
 * `CobrowseSessionStore` in Redis: `<prefix>cobrowse:{<id>}:owner` holds the owner's node id,
 * `<prefix>cobrowse:{<id>}:record` the session's record as JSON (one hash slot). Both live `ttlMs`, refreshed by the owner while the session is open, and are deleted
 * at its end. `<prefix>node:<id>:cobrowse` is the set of the sessions a node owns (`ownership.ts`); a takeover is a
 * compare-and-set of the owner that also moves the session between two such sets (one script).
 */
import type { CobrowseRecord, CobrowseSessionStore } from '../cobrowse-sessions.js';
import type { RedisKeyspace } from './connection.js';
import { Ownership } from './ownership.js';

export class RedisCobrowseSessionStore implements CobrowseSessionStore {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;
  readonly refreshMs: number;
  readonly #ownership: Ownership;

  constructor(redis: RedisKeyspace, ttlMs: number) {
    this.#redis = redis;
    this.#ownership = new Ownership(redis, 'cobrowse');
    this.#ttlMs = Math.max(100, Math.ceil(ttlMs));
    this.refreshMs = Math.floor(this.#ttlMs / 3);
  }

  #owner(sessionId: string): string {
    return this.#redis.key('cobrowse', `{${sessionId}}`, 'owner');
  }

  #record(sessionId: string): string {
    return this.#redis.key('cobrowse', `{${sessionId}}`, 'record');
  }

  async save(sessionId: string, owner: string, record: CobrowseRecord): Promise<void> {
    const expiration = { type: 'PX', value: this.#ttlMs } as const;
    const multi = this.#redis.client
      .multi()
      .set(this.#owner(sessionId), owner, { condition: 'NX', expiration })
      .set(this.#record(sessionId), JSON.stringify(record), { expiration })
      .sAdd(this.#ownership.setOf(owner), sessionId);
    await this.#redis.timed('set', () => multi.exec(true)); // a pipeline: the owner's set has another hash slot
  }

  async refresh(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const multi = this.#redis.client.multi();
    for (const id of sessionIds) {
      multi.pExpire(this.#owner(id), this.#ttlMs).pExpire(this.#record(id), this.#ttlMs);
    }
    await this.#redis.timed('expire', () => multi.exec(true));
  }

  async record(sessionId: string): Promise<CobrowseRecord | undefined> {
    const raw = await this.#redis.timed('get', () => this.#redis.client.get(this.#record(sessionId)));
    return raw === null ? undefined : (JSON.parse(raw) as CobrowseRecord);
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    const owner = await this.#redis.timed('get', () => this.#redis.client.get(this.#owner(sessionId)));
    return owner ?? undefined;
  }

  takeOver(sessionId: string, from: string, to: string): Promise<boolean> {
    return this.#ownership.takeOver(this.#owner(sessionId), sessionId, from, to);
  }

  async remove(sessionId: string): Promise<void> {
    await this.#ownership.remove([this.#owner(sessionId), this.#record(sessionId)], sessionId);
  }

  ownedBy(owner: string, limit: number): Promise<string[]> {
    return this.#ownership.ownedBy(owner, limit);
  }

  disown(owner: string, sessionId: string): Promise<void> {
    return this.#ownership.disown(owner, sessionId);
  }
}
