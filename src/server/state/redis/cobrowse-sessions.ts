/**
 * `CobrowseSessionStore` in Redis: `<prefix>cobrowse:{<id>}:owner` holds the owner's node id,
 * `<prefix>cobrowse:{<id>}:record` the session's record as JSON (one hash slot). Both live `ttlMs`, refreshed by the
 * owner while the session is open, and are deleted at its end. `<prefix>node:<id>:cobrowse` is the set of the
 * sessions a node owns (`ownership.ts`); a takeover is a compare-and-set of the owner that also moves the session
 * between two such sets (one script).
 *
 * Fenced, as a chat's events are (`chat-event-log.ts`): the owner's save and its removal at the session's end are
 * each one script that writes only while the owner entry names that node, so a node that was paused or cut off past
 * its lease writes nothing to a session another node took over, nor ends it there (docs/operator.md, "Fencing").
 */
import type { CobrowseRecord, CobrowseSessionStore } from '../cobrowse-sessions.js';
import type { RedisKeyspace } from './connection.js';
import { Ownership } from './ownership.js';
import { RedisScript } from './script.js';

/**
 * KEYS: owner, record. ARGV: this node's id, the record, ttl ms, whether a missing owner entry is made this node's
 * (`1`: a new session, or a restarted Redis being written back). `created` (the owner entry was made), `saved`, or
 * `not_owner` when the entry names another node or, unless it may be made, is gone (nothing written).
 */
const SAVE = new RedisScript(`
local owner = redis.call('GET', KEYS[1])
if owner ~= ARGV[1] and (owner or ARGV[4] ~= '1') then return 'not_owner' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if owner then return 'saved' end
return 'created'
`);

/**
 * KEYS: owner, record. ARGV: this node's id, whether a missing owner entry is taken as this node's (`1`: a restarted
 * Redis being written back). Deletes both keys and returns `removed`, or `not_owner` (nothing deleted).
 */
const REMOVE_OWN = new RedisScript(`
local owner = redis.call('GET', KEYS[1])
if owner ~= ARGV[1] and (owner or ARGV[2] ~= '1') then return 'not_owner' end
redis.call('DEL', KEYS[1], KEYS[2])
return 'removed'
`);

export class RedisCobrowseSessionStore implements CobrowseSessionStore {
  readonly #redis: RedisKeyspace;
  readonly #ttlMs: number;
  readonly refreshMs: number;
  readonly #ownership: Ownership;
  #restoring: { readonly restoring: boolean } = { restoring: false };

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

  fenceOutside(window: { readonly restoring: boolean }): void {
    this.#restoring = window;
  }

  async save(sessionId: string, owner: string, record: CobrowseRecord, create = false): Promise<boolean> {
    const keys = [this.#owner(sessionId), this.#record(sessionId)];
    const run = (make: boolean): Promise<unknown> =>
      SAVE.run(this.#redis, keys, [owner, JSON.stringify(record), String(this.#ttlMs), make ? '1' : '0']);
    const make = create || this.#restoring.restoring;
    let answer = await run(make);
    // Sent outside the restore window and answered by a restarted, empty Redis inside it: asked again, as a save
    // sent now would be (the same race as a chat's append, `chat-event-log.ts`).
    if (answer === 'not_owner' && !make && this.#restoring.restoring) answer = await run(true);
    if (answer === 'not_owner') return false;
    // Another hash slot: after the script. Only for a new entry (a takeover moves the session between the sets).
    if (answer === 'created') {
      await this.#redis.timed('sadd', () => this.#redis.client.sAdd(this.#ownership.setOf(owner), sessionId));
    }
    return true;
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

  async remove(sessionId: string, owner?: string): Promise<boolean> {
    const keys = [this.#owner(sessionId), this.#record(sessionId)] as const;
    if (owner === undefined) {
      await this.#ownership.remove([...keys], sessionId);
      return true;
    }
    const run = (missing: boolean): Promise<unknown> =>
      REMOVE_OWN.run(this.#redis, [...keys], [owner, missing ? '1' : '0']);
    const missing = this.#restoring.restoring;
    let answer = await run(missing);
    if (answer === 'not_owner' && !missing && this.#restoring.restoring) answer = await run(true);
    if (answer === 'not_owner') return false;
    await this.#ownership.disown(owner, sessionId);
    return true;
  }

  ownedBy(owner: string, limit: number): Promise<string[]> {
    return this.#ownership.ownedBy(owner, limit);
  }

  disown(owner: string, sessionId: string): Promise<void> {
    return this.#ownership.disown(owner, sessionId);
  }
}
