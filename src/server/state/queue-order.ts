/**
 * The order of the queue: which chats wait, longest-waiting first. The chats themselves stay with the node that
 * holds them (`chat/registry.ts`); kept behind `QueueOrder` so that a shared store can order the waiting chats of
 * several nodes as one queue; each operation maps onto one Redis primitive on a sorted set scored by the time the
 * chat (re-)entered the queue:
 *
 * - `add(chatId, since)`: `ZADD queue <since> <chatId>` (a chat already there moves to its new time);
 * - `remove(chatId)`: `ZREM queue <chatId>`;
 * - `position(chatId)`: `ZRANK queue <chatId>` + 1;
 * - `first(n)`: `ZRANGE queue 0 <n - 1>`;
 * - `size()`: `ZCARD queue`.
 *
 * Chats that entered at the same millisecond keep the order they were added in (a Redis version folds a counter
 * into the score to do the same). `MemoryQueueOrder` is the one-process version.
 */

export interface QueueOrder {
  /** The chat waits since `since` (ms): it goes behind every chat that waits longer (or as long, added before). */
  add(chatId: string, since: number): void;
  /** The chat waits no longer (taken by an advisor, or ended). Nothing happens when it was not there. */
  remove(chatId: string): void;
  /** The chat's place, 1 for the longest-waiting; `undefined` when it does not wait. */
  position(chatId: string): number | undefined;
  /** The ids of the `n` longest-waiting chats, longest first. */
  first(n: number): string[];
  /** How many chats wait. */
  size(): number;
  /** Forgets everything (the server closes). */
  clear(): void;
}

interface Entry {
  readonly chatId: string;
  readonly since: number;
}

export class MemoryQueueOrder implements QueueOrder {
  /** Longest-waiting first. */
  readonly #entries: Entry[] = [];

  add(chatId: string, since: number): void {
    this.remove(chatId);
    // Behind every entry that waits as long or longer: the first index whose entry came later.
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#entries[mid]!.since <= since) low = mid + 1;
      else high = mid;
    }
    this.#entries.splice(low, 0, { chatId, since });
  }

  remove(chatId: string): void {
    const index = this.#indexOf(chatId);
    if (index >= 0) this.#entries.splice(index, 1);
  }

  position(chatId: string): number | undefined {
    const index = this.#indexOf(chatId);
    return index < 0 ? undefined : index + 1;
  }

  first(n: number): string[] {
    return this.#entries.slice(0, Math.max(0, n)).map((entry) => entry.chatId);
  }

  size(): number {
    return this.#entries.length;
  }

  clear(): void {
    this.#entries.length = 0;
  }

  #indexOf(chatId: string): number {
    return this.#entries.findIndex((entry) => entry.chatId === chatId);
  }
}
