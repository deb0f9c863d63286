/**
 * The queue as advisors see it: the waiting chats among the hub's, longest-waiting first and at most
 * `QUEUE_SNAPSHOT_MAX` of them, pushed to every advisor socket that said hello, once for all changes within
 * `QUEUE_PUSH_DELAY_MS`. It reads the hub's chats and keeps nothing of its own but the push timer.
 */
import { QUEUE_PUSH_DELAY_MS, QUEUE_SNAPSHOT_MAX } from '../protocol/limits.js';
import type { QueueItem } from '../protocol/messages.js';
import type { AdvisorRegistry } from './advisors.js';
import type { ChatRegistry } from './chat-registry.js';
import { startTimer } from './timers.js';

export class ChatQueue {
  readonly #chats: ChatRegistry;
  readonly #advisors: AdvisorRegistry;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(chats: ChatRegistry, advisors: AdvisorRegistry, now: () => number) {
    this.#chats = chats;
    this.#advisors = advisors;
    this.#now = now;
  }

  /** Chats waiting in the queue. */
  get waitingCount(): number {
    return this.#chats.waiting().length;
  }

  /** The `QUEUE_SNAPSHOT_MAX` longest-waiting chats, longest first. */
  items(): QueueItem[] {
    const waiting = this.#chats.waiting();
    waiting.sort((a, b) => a.waitingSince - b.waitingSince);
    return waiting.slice(0, QUEUE_SNAPSHOT_MAX).map((chat) => {
      const item: QueueItem = { chatId: chat.id, visitor: chat.visitor, since: chat.waitingSince };
      if (chat.firstMessage !== undefined) item.firstMessage = chat.firstMessage;
      return item;
    });
  }

  /**
   * Sends the queue to every advisor socket that said hello, once for all changes within `QUEUE_PUSH_DELAY_MS`:
   * a burst of starts costs one snapshot per advisor, not one per start.
   */
  push(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = startTimer(QUEUE_PUSH_DELAY_MS, () => {
      this.#timer = undefined;
      this.#advisors.broadcast({ type: 'queue.snapshot', items: this.items(), now: this.#now() });
    });
  }

  /** Drops a pending push; pushes nothing from then on. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
