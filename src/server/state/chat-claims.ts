/**
 * Who holds each chat: the one atomic step of taking a chat from the queue. Two advisors who accept the same waiting
 * chat at once must not both get it: `claim` succeeds for the first only.
 *
 * This stays in the memory of one node, also with several nodes, on purpose: a chat has one owner node
 * (`state/chat-directory.ts`), every advisor's accept of it is forwarded to that node (`cluster/chat-routing.ts`),
 * and the owner runs a chat's steps one at a time (`ChatHub.serial`). So the owner alone decides, and the atomic
 * step across nodes is the change of owner (`ChatDirectory.takeOver`, a compare-and-set in Redis), not this claim.
 * A node that takes a chat over claims it afresh for the advisor its record names (`ChatHub.adopt`).
 *
 * `MemoryChatClaims` is the one implementation; it is synchronous because nothing else ever holds it.
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
