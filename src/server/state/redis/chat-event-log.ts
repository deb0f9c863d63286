/**
 * `ChatEventLog` in Redis: one list per chat (`<prefix>chat:{<id>}:events`, in the hash slot of the chat's owner and
 * record, which an append refreshes), each entry an event as JSON. An append (one script) numbers an event (the
 * list's new length), `LRANGE` reads after a `lastSeq`, `PEXPIRE` keeps an ended chat's events for its absent
 * visitor, `DEL` forgets them. An append is fenced: it is done only while the chat's owner entry names this node
 * (`NotOwnerError` otherwise), so a node that was paused or cut off past its lease writes nothing to a chat another
 * node took over (docs/operator.md, "Fencing").
 *
 * Every list has a time to live, refreshed at each append (`ttlMs`: longer than a chat can stay silent before it
 * ends), so that the events of a chat whose node died before it could end it do not outlive the chat; the chat's
 * owner entry (`chat-directory.ts`) is refreshed with them. Redis keeps them in memory only (`connection.ts` refuses
 * a Redis that writes to disk), so a restarted Redis comes back without them.
 *
 * That is why the chat's owner keeps a copy of each event it appended, as the JSON it sent (`#copies`): from the
 * chat's first event (or from `own`, for a chat it took over) until the chat's events are dropped, or it hands the
 * chat over (`release`). The owner reads its own chats from that copy (no round trip, and right also while Redis
 * is being written back), and `restore` writes a chat back from it. An append says how many events the owner
 * has: a list of another length (Redis lost it, or kept an event whose answer was lost with the connection and that
 * was therefore never sent to anyone) is written back from the copy first, so a number is never given twice.
 */
import type { ChatEvent, SequencedEvent } from '../../../protocol/messages.js';
import { NotOwnerError } from '../chat-event-log.js';
import type { ChatEventLog } from '../chat-event-log.js';
import type { RedisKeyspace } from './connection.js';
import { RedisScript } from './script.js';

/**
 * KEYS: events, owner, record. ARGV: the event, the length the owner expects (-1: any), ttl ms, this node's id,
 * whether a missing owner entry is taken as this node's (`1`: Redis restarted and the owners are writing theirs
 * back). The new length, or -1 - the length found when it is not the one expected (nothing appended), or
 * `not_owner` when the owner entry names another node or, outside a write-back, is gone (nothing appended).
 */
const APPEND = new RedisScript(`
local owner = redis.call('GET', KEYS[2])
if owner ~= ARGV[4] and (owner or ARGV[5] ~= '1') then return 'not_owner' end
local expected = tonumber(ARGV[2])
if expected >= 0 then
  local length = redis.call('LLEN', KEYS[1])
  if length ~= expected then return -1 - length end
end
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return length
`);

/** The owner's copy of a chat's events. */
interface Copy {
  readonly entries: string[];
  /** Appends sent and not answered yet (a caller may pipeline them; the hub sends one at a time). */
  pending: number;
  /** Whether the copy holds every event: from the chat's first (`1`) or from `own`; until then, none is expected. */
  whole: boolean;
  /** An ended chat's events are kept until then (`retain`). */
  keepUntil: number | undefined;
}

export class RedisChatEventLog implements ChatEventLog {
  readonly #redis: RedisKeyspace;
  readonly #nodeId: string;
  #restoring: { readonly restoring: boolean } = { restoring: false };
  readonly #ttlMs: number;
  readonly #now: () => number;
  // A plain (not `#`) field on purpose: tests walk the hub to prove nothing of an ended chat is left.
  private readonly copies = new Map<string, Copy>();

  /** `nodeId`: this node, the only one whose appends a chat it owns takes; `ttlMs`: how long a chat's events outlive
   * its last append. */
  constructor(redis: RedisKeyspace, nodeId: string, ttlMs: number, now: () => number = Date.now) {
    this.#redis = redis;
    this.#nodeId = nodeId;
    this.#ttlMs = Math.max(1000, Math.ceil(ttlMs));
    this.#now = now;
  }

  /**
   * While `window` is `restoring` (a restarted Redis, whose owner entries the nodes are writing back), an append to
   * a chat without an owner entry is taken; outside it, it is refused as for a chat another node owns. What the
   * window is counts when the append is answered: one sent before it began and refused is sent again (`#push`).
   */
  fenceOutside(window: { readonly restoring: boolean }): void {
    this.#restoring = window;
  }

  /** Chats whose events this node keeps a copy of (tests, and the figure of what the copies cost). */
  get copied(): number {
    return this.copies.size;
  }

  #key(chatId: string): string {
    return this.#redis.key('chat', `{${chatId}}`, 'events');
  }

  async #push(chatId: string, entry: string, expected: number): Promise<number> {
    const keys = [
      this.#key(chatId),
      this.#redis.key('chat', `{${chatId}}`, 'owner'),
      this.#redis.key('chat', `{${chatId}}`, 'record'),
    ];
    const run = (missing: boolean): Promise<unknown> =>
      APPEND.run(this.#redis, keys, [entry, String(expected), String(this.#ttlMs), this.#nodeId, missing ? '1' : '0']);
    const missing = this.#restoring.restoring;
    let answer = await run(missing);
    // Sent outside the window, refused, and the window began meanwhile: the connection dropped in between, and the
    // client kept the script unsent through the reconnect (it writes on the next turn, and a command made just
    // before it reads the socket's end is still waiting then), so a restarted, empty Redis ran it with the old
    // flag before the node knew the instance was new: a missing owner entry the owners are still writing back
    // counted as another node's, and the chat would be dropped. Asked again, as an append sent now would be.
    if (answer === 'not_owner' && !missing && this.#restoring.restoring) answer = await run(true);
    if (answer === 'not_owner') throw new NotOwnerError();
    return Number(answer);
  }

  async append(chatId: string, event: ChatEvent): Promise<number> {
    const entry = JSON.stringify(event);
    let copy = this.#copyOf(chatId);
    if (copy === undefined) {
      copy = { entries: [], pending: 0, whole: false, keepUntil: undefined };
      this.copies.set(chatId, copy);
    }
    const expected = copy.whole ? copy.entries.length + copy.pending : -1;
    copy.pending += 1;
    let length: number;
    try {
      length = await this.#push(chatId, entry, expected);
      if (length < 0 && copy.pending === 1 && this.copies.get(chatId) === copy) {
        // Not the list this node appended to: Redis restarted (or kept an event whose answer was lost with the
        // connection, never sent to anyone). Written back from the copy, then appended.
        await this.restore(chatId);
        length = await this.#push(chatId, entry, copy.entries.length);
      }
    } finally {
      copy.pending -= 1;
    }
    if (length < 0) throw new Error('the chat event log does not hold what this node appended');
    if (this.copies.get(chatId) === copy) {
      // A copy holds every event or none: one that would start after the first is no copy.
      if (!copy.whole && length === 1 && copy.entries.length === 0) copy.whole = true;
      if (copy.whole && length === copy.entries.length + 1) copy.entries.push(entry);
      else this.release(chatId);
    }
    return length;
  }

  /** The chat's copy, unless it was kept for a time that is over (its events in Redis are gone too). */
  #copyOf(chatId: string): Copy | undefined {
    const copy = this.copies.get(chatId);
    if (copy?.keepUntil !== undefined && this.#now() >= copy.keepUntil) {
      this.release(chatId);
      return undefined;
    }
    return copy;
  }

  async after(chatId: string, lastSeq: number): Promise<SequencedEvent[]> {
    const from = Math.max(0, Math.floor(lastSeq));
    const copy = this.#copyOf(chatId);
    const entries =
      (copy?.whole === true && copy.pending === 0 ? copy.entries.slice(from) : undefined) ??
      (await this.#redis.timed('lrange', () => this.#redis.client.lRange(this.#key(chatId), from, -1)));
    return entries.map((entry, index) => ({ seq: from + index + 1, event: JSON.parse(entry) as ChatEvent }));
  }

  async count(chatId: string): Promise<number> {
    const copy = this.#copyOf(chatId);
    if (copy?.whole === true && copy.pending === 0) return copy.entries.length;
    return await this.#redis.timed('llen', () => this.#redis.client.lLen(this.#key(chatId)));
  }

  async retain(chatId: string, ms: number): Promise<void> {
    const copy = this.copies.get(chatId);
    if (copy !== undefined) copy.keepUntil = this.#now() + ms;
    await this.#redis.timed('pexpire', () => this.#redis.client.pExpire(this.#key(chatId), Math.max(1, Math.ceil(ms))));
  }

  async drop(chatId: string): Promise<void> {
    this.release(chatId);
    await this.#redis.timed('del', () => this.#redis.client.del(this.#key(chatId)));
  }

  own(chatId: string, events: readonly SequencedEvent[]): void {
    const entries = events.map(({ event }) => JSON.stringify(event));
    this.copies.set(chatId, { entries, pending: 0, whole: true, keepUntil: undefined });
  }

  release(chatId: string): void {
    const copy = this.copies.get(chatId);
    if (copy !== undefined) copy.entries.length = 0; // a stale reference finds nothing either
    this.copies.delete(chatId);
  }

  async restore(chatId: string): Promise<void> {
    const copy = this.#copyOf(chatId);
    if (copy?.whole !== true) return;
    const ttl = copy.keepUntil === undefined ? this.#ttlMs : Math.max(1, Math.ceil(copy.keepUntil - this.#now()));
    const key = this.#key(chatId);
    const multi = this.#redis.client.multi().del(key);
    if (copy.entries.length > 0) multi.rPush(key, copy.entries).pExpire(key, ttl);
    await this.#redis.timed('rpush', () => multi.exec());
  }
}
