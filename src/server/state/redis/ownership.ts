/**
 * Who owns what, in Redis, for the stores whose entries each have an owner node (chats: `chat-directory.ts`;
 * co-browse sessions: `cobrowse-sessions.ts`). Each entry's owner key (`<prefix><kind>:<id>:owner`) holds the
 * owner's node id; the set `<prefix>node:<node>:<set>` names what each node owns, so that the entries of a node that
 * died are found even when no client of theirs comes back (`cluster/takeover.ts`, `sweep`). The set has no time to
 * live: an entry leaves it at its end or takeover, and a dead node's set is emptied by the sweep.
 *
 * A takeover is a compare-and-set of the owner that moves the entry between the two sets, and a removal takes it out
 * of its owner's set as it deletes its keys: one script each.
 */
import type { RedisKeyspace } from './connection.js';

/** Sets the owner (KEYS[1]) to ARGV[2] only while it is ARGV[1], keeping its time to live; moves ARGV[3] from set
 * KEYS[2] to set KEYS[3]. */
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  redis.call('SREM', KEYS[2], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[3])
  return 1
end
return 0`;

/** Takes ARGV[3] out of its owner's set (ARGV[1] .. owner .. ARGV[2]; KEYS[1] is its owner key), then deletes KEYS. */
const REMOVE = `local owner = redis.call('GET', KEYS[1])
if owner then redis.call('SREM', ARGV[1] .. owner .. ARGV[2], ARGV[3]) end
return redis.call('DEL', unpack(KEYS))`;

export class Ownership {
  readonly #redis: RedisKeyspace;
  readonly #set: string;

  /** `set`: the name of each node's set (`chats`, `cobrowse`). */
  constructor(redis: RedisKeyspace, set: string) {
    this.#redis = redis;
    this.#set = set;
  }

  /** The set of what `node` owns. */
  setOf(node: string): string {
    return this.#redis.key('node', node, this.#set);
  }

  /** Makes `to` the owner (the owner key `ownerKey`) of `id` while `from` is: true when it did. */
  async takeOver(ownerKey: string, id: string, from: string, to: string): Promise<boolean> {
    const done = await this.#redis.timed('eval', () =>
      this.#redis.client.eval(TAKE_OVER, {
        keys: [ownerKey, this.setOf(from), this.setOf(to)],
        arguments: [from, to, id],
      }),
    );
    return done === 1;
  }

  /** Deletes `keys` (the first is `id`'s owner key) and takes `id` out of its owner's set. */
  async remove(keys: readonly [string, ...string[]], id: string): Promise<void> {
    const [before, after] = this.setOf('\u0000').split('\u0000');
    await this.#redis.timed('eval', () =>
      this.#redis.client.eval(REMOVE, { keys: [...keys], arguments: [before ?? '', after ?? '', id] }),
    );
  }

  /** What `node` owns, as far as its set says; at most `limit`. */
  ownedBy(node: string, limit: number): Promise<string[]> {
    return this.#redis.timed('srandmember', () => this.#redis.client.sRandMemberCount(this.setOf(node), limit));
  }

  /** `node` no longer owns `id` (it ended or lapsed while `node` was dead, or another node took it). */
  async disown(node: string, id: string): Promise<void> {
    await this.#redis.timed('srem', () => this.#redis.client.sRem(this.setOf(node), id));
  }
}
