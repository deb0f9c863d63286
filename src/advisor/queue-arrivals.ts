/**
 * Which chats are new in the queue since the last look: the console announces them (a polite live region that is
 * never hidden, unlike the queue's own count, which sits in a tab of its own on a narrow console), and whatever else
 * wants to hear of a new chat (a sound, a desktop notification) can ask the same. A chat that stays in the queue
 * over a reconnect is not new again.
 */
import type { QueueItem } from '../protocol/messages.js';

export class QueueArrivals {
  #known = new Set<string>();

  /** The items of `queue` not in the previous call's queue, in queue order. */
  next(queue: readonly QueueItem[]): QueueItem[] {
    const arrived = queue.filter((item) => !this.#known.has(item.chatId));
    this.#known = new Set(queue.map((item) => item.chatId));
    return arrived;
  }
}
