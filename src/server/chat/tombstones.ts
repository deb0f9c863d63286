/**
 * What is left of a chat that ended while its visitor had no socket (the advisor ended it, or it timed out): its
 * events, so that the visitor's `chat.resume` still gets the last messages and the `ended` event instead of
 * `LOTSE_ERR_UNKNOWN_CHAT`. In memory only, never written anywhere, never logged; fetched with the resume token
 * only, once; wiped when fetched or when the visitor's window to come back is over, whichever is first.
 */
import type { SequencedEvent } from '../../protocol/messages.js';
import { eventsAfter, tokenMatches } from './chat.js';
import type { Chat } from './chat.js';
import { startTimer } from '../timers.js';

interface Tombstone {
  readonly resumeToken: string;
  /** A member chat's member (`sub`): its last events go only to a resume with a token for the same member. */
  readonly memberSub: string | undefined;
  readonly events: SequencedEvent[];
  readonly timer: NodeJS.Timeout;
}

export class Tombstones {
  // A plain (not `#`) field on purpose: tests walk the hub to prove nothing is left after the window.
  private readonly entries = new Map<string, Tombstone>();
  private readonly onExpire: () => void;

  /** `onExpire` runs after a tombstone was wiped because nobody fetched it in time. */
  constructor(onExpire: () => void) {
    this.onExpire = onExpire;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keeps the events of an ended chat (before `wipe(chat)`) for `ms`. */
  keep(chat: Chat, ms: number): void {
    const timer = startTimer(ms, () => {
      this.#drop(chat.id);
      this.onExpire();
    });
    this.entries.set(chat.id, {
      resumeToken: chat.resumeToken,
      memberSub: chat.member?.sub,
      events: [...chat.events],
      timer,
    });
  }

  /** The member of the ended member chat with this id and resume token; `undefined` for anything else. */
  memberSubOf(chatId: string, resumeToken: string): string | undefined {
    const tombstone = this.entries.get(chatId);
    return tombstone !== undefined && tokenMatches(tombstone, resumeToken) ? tombstone.memberSub : undefined;
  }

  /**
   * The events after `lastSeq` of an ended chat, when `resumeToken` is its token; the tombstone is wiped then.
   * `undefined` for an unknown chat and a wrong token alike.
   */
  take(chatId: string, resumeToken: string, lastSeq: number): SequencedEvent[] | undefined {
    const tombstone = this.entries.get(chatId);
    if (tombstone === undefined || !tokenMatches(tombstone, resumeToken)) return undefined;
    const events = eventsAfter(tombstone, lastSeq);
    this.#drop(chatId);
    return events;
  }

  #drop(chatId: string): void {
    const tombstone = this.entries.get(chatId);
    if (tombstone === undefined) return;
    clearTimeout(tombstone.timer);
    tombstone.events.length = 0;
    this.entries.delete(chatId);
  }

  /** Wipes every tombstone and its timer. Idempotent. */
  clear(): void {
    for (const chatId of [...this.entries.keys()]) this.#drop(chatId);
  }
}
