/**
 * Who owns what, in Redis, for the stores whose entries each have an owner node (chats: `chat-directory.ts`;
 * co-browse sessions: `cobrowse-sessions.ts`). Each entry's owner key (`<prefix><kind>:{<id>}:owner`, in the hash
 * slot of the entry's other keys) holds the owner's node id; the set `<prefix>node:<node>:<set>` names what each node
 * owns, so that the entries of a node that died are found even when no client of theirs comes back
 * (`cluster/takeover.ts`, `sweep`). The set has no time to live: an entry leaves it at its end or takeover, and a dead
 * node's set is emptied by the sweep.
 *
 * A takeover is a compare-and-set of the owner (one script on the entry's keys), then the entry moves between the
 * two sets; a removal deletes the entry's keys (one script, which says who owned it), then takes it out of that
 * owner's set. The sets live in other hash slots than the entries, so they are not changed in the same script; a
 * set may therefore name an entry its node no longer owns (a node died in between), which the sweep drops
 * (`disown`), and between the compare-and-set and the set's change (one round trip) an entry is in no set.
 */
import type { RedisKeyspace } from './connection.js';
import { RedisScript } from './script.js';

/** Sets the owner (KEYS[1]) to ARGV[2] only while it is ARGV[1], keeping its time to live. */
const TAKE_OVER = new RedisScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0`);

/** Deletes KEYS (KEYS[1] is the owner key); returns the owner it had, or false. */
const REMOVE = new RedisScript(`local owner = redis.call('GET', KEYS[1])
redis.call('DEL', unpack(KEYS))
return owner`);

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
    const done = await TAKE_OVER.run(this.#redis, [ownerKey], [from, to]);
    if (done !== 1) return false;
    // Not SMOVE: the two sets may live in two hash slots.
    const moves = this.#redis.client.multi().sAdd(this.setOf(to), id).sRem(this.setOf(from), id);
    await this.#redis.timed('sadd', () => moves.exec(true));
    return true;
  }

  /** Deletes `keys` (the first is `id`'s owner key; all in one hash slot) and takes `id` out of its owner's set. */
  async remove(keys: readonly [string, ...string[]], id: string): Promise<void> {
    const owner = await REMOVE.run(this.#redis, [...keys], []);
    if (typeof owner === 'string') await this.disown(owner, id);
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
