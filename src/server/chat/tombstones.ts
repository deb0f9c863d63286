/**
 * What is left of a chat that ended while its visitor had no socket (the advisor ended it, or it timed out): its
 * resume token and member, and its events in the chat event log kept for the visitor's window
 * (`ChatEventLog.retain`), so that the visitor's `chat.resume` still gets the last messages and the `ended` event
 * instead of `LOTSE_ERR_UNKNOWN_CHAT`. In memory only (this node's, and the event log's: this process or Redis,
 * which must keep nothing on disk), never logged; fetched with the resume token only, once; wiped when fetched or
 * when the visitor's window to come back is over, whichever is first.
 */
import type { SequencedEvent } from '../../protocol/messages.js';
import { tokenMatches } from './chat.js';
import type { Chat } from './chat.js';
import type { ChatDirectory } from '../state/chat-directory.js';
import type { ChatEventLog } from '../state/chat-event-log.js';
import { startTimer } from '../timers.js';

interface Tombstone {
  readonly resumeToken: string;
  /** A member chat's member (`sub`): its last events go only to a resume with a token for the same member. */
  readonly memberSub: string | undefined;
  /** Its `chat.start` idempotency key: its directory entry goes with the tombstone. */
  readonly startId: string | undefined;
  readonly timer: NodeJS.Timeout;
}

export interface TombstoneDeps {
  readonly events: ChatEventLog;
  /** The chat's owner entry stays while its tombstone does (a resume on another node finds it here). */
  readonly directory: ChatDirectory;
  /** Runs after a tombstone was wiped because nobody fetched it in time. */
  readonly onExpire: () => void;
  /** The event log failed to drop or keep a chat's events (it forgets them on its own time then). */
  readonly onError: (error: unknown) => void;
}

export class Tombstones {
  // A plain (not `#`) field on purpose: tests walk the hub to prove nothing is left after the window.
  private readonly entries = new Map<string, Tombstone>();
  readonly #deps: TombstoneDeps;

  constructor(deps: TombstoneDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keeps an ended chat's events (before `wipe(chat)`) for `ms`. */
  keep(chat: Chat, ms: number): Promise<void> {
    const timer = startTimer(ms, () => {
      this.#drop(chat.id);
      this.#deps.onExpire();
    });
    this.entries.set(chat.id, {
      resumeToken: chat.resumeToken,
      memberSub: chat.member?.sub,
      startId: chat.startId,
      timer,
    });
    return this.#deps.events.retain(chat.id, ms);
  }

  /** The member of the ended member chat with this id and resume token; `undefined` for anything else. */
  memberSubOf(chatId: string, resumeToken: string): string | undefined {
    const tombstone = this.entries.get(chatId);
    return tombstone !== undefined && tokenMatches(tombstone, resumeToken) ? tombstone.memberSub : undefined;
  }

  /**
   * The events after `lastSeq` of an ended chat, when `resumeToken` is its token; the tombstone is wiped then (a
   * second resume with the same token finds nothing, even while the first still reads). `undefined` for an unknown
   * chat and a wrong token alike.
   */
  async take(chatId: string, resumeToken: string, lastSeq: number): Promise<SequencedEvent[] | undefined> {
    const tombstone = this.entries.get(chatId);
    if (tombstone === undefined || !tokenMatches(tombstone, resumeToken)) return undefined;
    clearTimeout(tombstone.timer);
    this.entries.delete(chatId);
    try {
      return await this.#deps.events.after(chatId, lastSeq);
    } finally {
      this.#forget(chatId, tombstone.startId);
    }
  }

  #drop(chatId: string): void {
    const tombstone = this.entries.get(chatId);
    if (tombstone === undefined) return;
    clearTimeout(tombstone.timer);
    this.entries.delete(chatId);
    this.#forget(chatId, tombstone.startId);
  }

  #forget(chatId: string, startId: string | undefined): void {
    this.#deps.events.drop(chatId).catch(this.#deps.onError);
    this.#deps.directory.remove(chatId, startId).catch(this.#deps.onError);
  }

  /**
   * Writes each tombstone's owner entry and start id and its events back to the shared state, which lost them (a
   * restarted Redis); how many there were.
   */
  async restoreShared(owner: string): Promise<number> {
    const entries = [...this.entries];
    await Promise.all(
      entries.map(async ([chatId, tombstone]) => {
        await this.#deps.directory.restore(chatId, owner, undefined, tombstone.startId);
        await this.#deps.events.restore(chatId);
      }),
    );
    return entries.length;
  }

  /** Whether an ended chat with this id waits for its visitor here. */
  has(chatId: string): boolean {
    return this.entries.has(chatId);
  }

  /** Wipes every tombstone, its events and its timer. Idempotent. */
  clear(): void {
    for (const chatId of [...this.entries.keys()]) this.#drop(chatId);
  }
}
