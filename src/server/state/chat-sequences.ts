/**
 * The sequence numbers of each chat's events: 1, 2, 3, … with no gap and no repeat, which the clients resume from
 * (`lastSeq`) and the transcript keys its rows by. Kept behind `ChatSequences` so that a shared store can number a
 * chat's events when its two sides sit on different nodes; each operation maps onto one Redis primitive:
 *
 * - `next(chatId)`: `INCR seq:<chatId>` (the first event is 1);
 * - `last(chatId)`: `GET seq:<chatId>` (0 before the first event);
 * - `drop(chatId)`: `DEL seq:<chatId>` (the chat ended and was wiped).
 *
 * `MemoryChatSequences` is the one-process version.
 */

export interface ChatSequences {
  /** The number of the chat's next event: one more than the last, 1 for its first. */
  next(chatId: string): number;
  /** The number of the chat's last event; 0 when it has none (or was dropped). */
  last(chatId: string): number;
  /** Forgets the chat's numbers (it ended). */
  drop(chatId: string): void;
  /** Forgets everything (the server closes). */
  clear(): void;
}

export class MemoryChatSequences implements ChatSequences {
  readonly #last = new Map<string, number>();

  get size(): number {
    return this.#last.size;
  }

  next(chatId: string): number {
    const seq = (this.#last.get(chatId) ?? 0) + 1;
    this.#last.set(chatId, seq);
    return seq;
  }

  last(chatId: string): number {
    return this.#last.get(chatId) ?? 0;
  }

  drop(chatId: string): void {
    this.#last.delete(chatId);
  }

  clear(): void {
    this.#last.clear();
  }
}
