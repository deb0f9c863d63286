/**
 * Who holds each chat: the one atomic step of taking a chat from the queue. Two advisors who accept the same waiting
 * chat at once (on one node, or one day on two) must not both get it: `claim` succeeds for the first only. Kept
 * behind `ChatClaims` so that a shared store can hold it for several nodes; each operation maps onto one Redis
 * primitive:
 *
 * - `claim(chatId, advisorId)`: `SET claim:<chatId> <advisorId> NX` (true for the first caller only);
 * - `holder(chatId)`: `GET claim:<chatId>`;
 * - `release(chatId)`: `DEL claim:<chatId>` (the chat went back to the queue, or ended).
 *
 * `MemoryChatClaims` is the one-process version.
 */

export interface ChatClaims {
  /** True when the chat was free and is now held by `advisorId`; false while anyone (that advisor too) holds it. */
  claim(chatId: string, advisorId: string): boolean;
  /** The advisor who holds the chat, if any. */
  holder(chatId: string): string | undefined;
  /** The chat is held by nobody (back in the queue, or ended). Nothing happens when nobody held it. */
  release(chatId: string): void;
  /** Forgets everything (the server closes). */
  clear(): void;
}

export class MemoryChatClaims implements ChatClaims {
  readonly #holders = new Map<string, string>();

  get size(): number {
    return this.#holders.size;
  }

  claim(chatId: string, advisorId: string): boolean {
    if (this.#holders.has(chatId)) return false;
    this.#holders.set(chatId, advisorId);
    return true;
  }

  holder(chatId: string): string | undefined {
    return this.#holders.get(chatId);
  }

  release(chatId: string): void {
    this.#holders.delete(chatId);
  }

  clear(): void {
    this.#holders.clear();
  }
}
