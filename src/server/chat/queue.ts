/**
 * The queue: the waiting chats among the hub's, longest-waiting first. Advisors get the `QUEUE_SNAPSHOT_MAX` first
 * of them; each waiting visitor gets its own place in the same order and, where `wait-estimate.ts` can say so
 * honestly, the expected wait (`chat.queue`, sent only when it changed). Both go out once for all changes within
 * `QUEUE_PUSH_DELAY_MS`, and the visitors' again every `QUEUE_REFRESH_MS` while anyone waits (an estimate grows
 * while the queue stalls). It reads the hub's chats and keeps nothing of its own but timers and the estimator.
 */
import { QUEUE_PUSH_DELAY_MS, QUEUE_REFRESH_MS, QUEUE_SNAPSHOT_MAX } from '../../protocol/limits.js';
import type { QueueItem } from '../../protocol/messages.js';
import type { AdvisorRegistry } from './advisors.js';
import type { Chat } from './chat.js';
import type { ChatRegistry } from './registry.js';
import { startTimer } from '../timers.js';
import { WaitEstimator, waitSecondsOf } from './wait-estimate.js';
import type { WaitEstimateOptions } from './wait-estimate.js';

export class ChatQueue {
  readonly #chats: ChatRegistry;
  readonly #advisors: AdvisorRegistry;
  readonly #now: () => number;
  readonly #estimator: WaitEstimator;
  #timer: NodeJS.Timeout | undefined;
  #refresh: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    chats: ChatRegistry,
    advisors: AdvisorRegistry,
    now: () => number,
    estimate: Partial<WaitEstimateOptions> = {},
  ) {
    this.#chats = chats;
    this.#advisors = advisors;
    this.#now = now;
    this.#estimator = new WaitEstimator(now, estimate);
  }

  /** Chats waiting in the queue. */
  get waitingCount(): number {
    return this.#chats.waiting().length;
  }

  /** The waiting chats in queue order: longest-waiting first. */
  #ordered(): Chat[] {
    return this.#chats.waiting().sort((a, b) => a.waitingSince - b.waitingSince);
  }

  /** The `QUEUE_SNAPSHOT_MAX` longest-waiting chats, longest first. */
  items(): QueueItem[] {
    return this.#ordered()
      .slice(0, QUEUE_SNAPSHOT_MAX)
      .map((chat) => {
        const item: QueueItem = { chatId: chat.id, visitor: chat.visitor, since: chat.waitingSince };
        if (chat.firstMessage !== undefined) item.firstMessage = chat.firstMessage;
        if (chat.visitorPeer === undefined) item.away = true;
        return item;
      });
  }

  /** An advisor took a chat off the queue (for the wait estimate). */
  accepted(): void {
    this.#estimator.accepted();
  }

  /**
   * Sends the queue to every advisor socket that said hello and their places to the waiting visitors, once for
   * all changes within `QUEUE_PUSH_DELAY_MS`: a burst of starts costs one snapshot per advisor, not one per start.
   */
  push(): void {
    if (this.#closed) return;
    this.#estimator.waiting(this.waitingCount);
    if (this.#timer !== undefined) return;
    this.#timer = startTimer(QUEUE_PUSH_DELAY_MS, () => {
      this.#timer = undefined;
      this.#advisors.broadcast({ type: 'queue.snapshot', items: this.items(), now: this.#now() });
      this.#tellVisitors();
    });
  }

  /** Each waiting visitor's place and expected wait, where it changed since it was last sent. */
  #tellVisitors(): void {
    const ordered = this.#ordered();
    this.#estimator.waiting(ordered.length);
    const available = this.#advisors.anyAvailable();
    ordered.forEach((chat, index) => {
      const position = index + 1;
      const ms = this.#estimator.estimate(position, available);
      const waitSeconds = ms === undefined ? undefined : waitSecondsOf(ms);
      const key = `${position}:${waitSeconds ?? ''}`;
      if (chat.visitorPeer === undefined || chat.queueSent === key) return;
      chat.queueSent = key;
      chat.visitorPeer.send(
        waitSeconds === undefined ? { type: 'chat.queue', position } : { type: 'chat.queue', position, waitSeconds },
      );
    });
    clearTimeout(this.#refresh);
    this.#refresh =
      ordered.length === 0 || this.#closed ? undefined : startTimer(QUEUE_REFRESH_MS, () => this.#tellVisitors());
  }

  /** Drops a pending push; pushes nothing from then on. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#refresh);
    this.#timer = undefined;
    this.#refresh = undefined;
  }
}
