/**
 * Each chat's events with their sequence numbers: 1, 2, 3, … with no gap and no repeat. The clients resume from
 * `lastSeq`, the advisor's `chat.assigned` carries them, and a member transcript keys its rows by them. Kept behind
 * `ChatEventLog` so that a shared store can hold a chat whose two sides sit on different nodes; each operation maps
 * onto one Redis command on a list per chat:
 *
 * - `append`: `RPUSH events:<chatId> <event>`, whose reply (the list's new length) is the event's number;
 * - `after(lastSeq)`: `LRANGE events:<chatId> <lastSeq> -1`;
 * - `count`: `LLEN`;
 * - `retain(ms)`: `PEXPIRE` (an ended chat's last events wait that long for its absent visitor, `chat/tombstones.ts`);
 * - `drop`: `DEL`.
 *
 * With Redis the owner of a chat also keeps its events in its own memory (`own`, `release`, `restore`): a restarted
 * Redis comes back empty (it keeps nothing on disk), and the owner writes its chats back
 * (`cluster/shared-state-restore.ts`). In memory there is one node and one copy: those three do nothing.
 *
 * Every method returns a promise, and the operations on one chat settle in the order they were called (one Redis
 * connection answers in order; the memory log answers at once). The hub runs a chat's operations one at a time
 * (`ChatHub.serial`), so it never depends on more than that.
 *
 * `MemoryChatEventLog` is the one-process version: an anonymous chat's events stay in this process's memory and
 * are wiped (not just unlinked) when dropped or when their time runs out.
 */
import type { ChatEvent, SequencedEvent } from '../../protocol/messages.js';
import { startTimer } from '../timers.js';

/**
 * The append was refused: the chat is another node's now (it was taken over while this node was cut off or paused
 * past its lease), or it is no more. The node must forget its copy of the chat (fencing: `ChatHub`).
 */
export class NotOwnerError extends Error {
  constructor() {
    super('this node no longer owns the chat');
    this.name = 'NotOwnerError';
  }
}

export interface ChatEventLog {
  /**
   * Appends an event; resolves with its sequence number (1 for the chat's first). A shared log appends only for
   * the chat's owner and rejects with `NotOwnerError` for a node that is not (any more).
   */
  append(chatId: string, event: ChatEvent): Promise<number>;
  /**
   * `append` at once, for a log that needs no wait to number an event (this process's memory); a shared store has
   * none. The hub then handles a chat message in the turn it arrived (`ChatHub.addMessageNow`).
   */
  readonly appendNow?: (chatId: string, event: ChatEvent) => number;
  /** The events after `lastSeq`, in order (all for 0; none when `lastSeq` is at or past the last). */
  after(chatId: string, lastSeq: number): Promise<SequencedEvent[]>;
  /** The number of the chat's last event; 0 when it has none (or was dropped). */
  count(chatId: string): Promise<number>;
  /** Keeps the chat's events `ms` longer, then forgets them (an ended chat's, for its absent visitor). */
  retain(chatId: string, ms: number): Promise<void>;
  /** Forgets the chat's events now. */
  drop(chatId: string): Promise<void>;
  /** This node owns the chat from now on (it took it over), with these events: it keeps a copy of them. */
  own(chatId: string, events: readonly SequencedEvent[]): void;
  /** This node owns the chat no more (another node takes it over): its copy goes, the shared events stay. */
  release(chatId: string): void;
  /** Writes the chat's events back from this node's copy (the shared store lost them); nothing without a copy. */
  restore(chatId: string): Promise<void>;
  /**
   * A shared log: while `window` is `restoring` (a restarted Redis, whose owner entries the nodes write back), an
   * append to a chat without an owner entry is taken; outside it, refused (`NotOwnerError`).
   */
  fenceOutside?(window: { readonly restoring: boolean }): void;
}

export class MemoryChatEventLog implements ChatEventLog {
  // A plain (not `#`) field on purpose: tests walk the hub to prove nothing of an ended chat is left.
  private readonly lists = new Map<string, SequencedEvent[]>();
  readonly #expiry = new Map<string, NodeJS.Timeout>();

  /** The number of chats with events (for tests that prove nothing is left). */
  get size(): number {
    return this.lists.size;
  }

  append(chatId: string, event: ChatEvent): Promise<number> {
    return Promise.resolve(this.appendNow(chatId, event));
  }

  appendNow(chatId: string, event: ChatEvent): number {
    let list = this.lists.get(chatId);
    if (list === undefined) {
      list = [];
      this.lists.set(chatId, list);
    }
    const seq = list.length + 1;
    list.push({ seq, event });
    return seq;
  }

  after(chatId: string, lastSeq: number): Promise<SequencedEvent[]> {
    const list = this.lists.get(chatId) ?? [];
    return Promise.resolve(list.slice(Math.max(0, Math.min(lastSeq, list.length))));
  }

  count(chatId: string): Promise<number> {
    return Promise.resolve(this.lists.get(chatId)?.length ?? 0);
  }

  retain(chatId: string, ms: number): Promise<void> {
    if (this.lists.has(chatId)) {
      clearTimeout(this.#expiry.get(chatId));
      this.#expiry.set(
        chatId,
        startTimer(ms, () => this.#forget(chatId)),
      );
    }
    return Promise.resolve();
  }

  drop(chatId: string): Promise<void> {
    this.#forget(chatId);
    return Promise.resolve();
  }

  own(): void {}

  release(): void {}

  restore(): Promise<void> {
    return Promise.resolve();
  }

  /** Wipes every chat's events and timer (the server closes). */
  clear(): void {
    for (const chatId of [...this.lists.keys()]) this.#forget(chatId);
  }

  #forget(chatId: string): void {
    clearTimeout(this.#expiry.get(chatId));
    this.#expiry.delete(chatId);
    const list = this.lists.get(chatId);
    if (list !== undefined) list.length = 0; // a stale reference finds nothing either
    this.lists.delete(chatId);
  }
}
