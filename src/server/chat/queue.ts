/**
 * The queue: the waiting chats, longest-waiting first. Their order sits behind `state/queue-order.ts` (a shared store
 * one day), the chats themselves in the hub's registry: the hub tells the queue when a chat enters it (`enter`) and
 * leaves it (`leave`). Advisors get the `QUEUE_SNAPSHOT_MAX` first of them; each waiting visitor gets its own place
 * in the same order and, where `wait-estimate.ts` can say so honestly, the expected wait (`chat.queue`, sent only
 * when it changed). Both go out once for all changes within `QUEUE_PUSH_DELAY_MS`, and the visitors' again every
 * `QUEUE_REFRESH_MS` while anyone waits (an estimate grows while the queue stalls). Of its own it keeps only timers
 * and the estimator.
 */
import { QUEUE_PUSH_DELAY_MS, QUEUE_REFRESH_MS, QUEUE_SNAPSHOT_MAX } from '../../protocol/limits.js';
import type { QueueItem } from '../../protocol/messages.js';
import type { AdvisorRegistry } from './advisors.js';
import type { Chat } from './chat.js';
import type { ChatRegistry } from './registry.js';
import type { QueueOrder } from '../state/queue-order.js';
import { startTimer } from '../timers.js';
import { WaitEstimator, waitSecondsOf } from './wait-estimate.js';
import type { WaitEstimateOptions } from './wait-estimate.js';

export interface ChatQueueDeps {
  /** Where the waiting chats are found by id. */
  chats: ChatRegistry;
  advisors: AdvisorRegistry;
  /** The waiting chats' order. */
  order: QueueOrder;
  now: () => number;
  estimate?: Partial<WaitEstimateOptions>;
}

export class ChatQueue {
  readonly #chats: ChatRegistry;
  readonly #advisors: AdvisorRegistry;
  readonly #order: QueueOrder;
  readonly #now: () => number;
  readonly #estimator: WaitEstimator;
  #timer: NodeJS.Timeout | undefined;
  #refresh: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: ChatQueueDeps) {
    this.#chats = deps.chats;
    this.#advisors = deps.advisors;
    this.#order = deps.order;
    this.#now = deps.now;
    this.#estimator = new WaitEstimator(deps.now, deps.estimate ?? {});
  }

  /** Chats waiting in the queue. */
  get waitingCount(): number {
    return this.#order.size();
  }

  /** The chat waits (started, or back from its advisor) since its `waitingSince`. */
  enter(chat: Chat): void {
    this.#order.add(chat.id, chat.waitingSince);
  }

  /** The chat waits no longer (an advisor took it, or it ended). */
  leave(chat: Chat): void {
    this.#order.remove(chat.id);
  }

  /** The first `n` waiting chats (all by default) that this node holds, longest-waiting first. */
  #ordered(n = this.#order.size()): Chat[] {
    const chats: Chat[] = [];
    for (const chatId of this.#order.first(n)) {
      const chat = this.#chats.get(chatId);
      if (chat !== undefined) chats.push(chat);
    }
    return chats;
  }

  /** The `QUEUE_SNAPSHOT_MAX` longest-waiting chats, longest first. */
  items(): QueueItem[] {
    return this.#ordered(QUEUE_SNAPSHOT_MAX).map((chat) => {
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
