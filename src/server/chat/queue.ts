/**
 * The queue: the waiting chats of the whole service, longest-waiting first. It lives in the queue store
 * (`state/queue-store.ts`: in memory on one node, in Redis for several), where each node writes the items of the
 * chats it holds (`admit`, `enter`, `changed`, `leave`) and reads the queue for its advisors. Advisors get the
 * `QUEUE_SNAPSHOT_MAX` first items; each waiting visitor gets its place in the same order from the node that holds
 * its chat and, where `wait-estimate.ts` can say so honestly, the expected wait (`chat.queue`, sent only when it
 * changed). Both go out once for all changes within `QUEUE_PUSH_DELAY_MS`, and the visitors' again every
 * `QUEUE_REFRESH_MS` while any of them waits (an estimate grows while the queue stalls). A node that pushed tells
 * the others (`news`), which push to their advisors and visitors in turn. While this node's chats wait it touches
 * their entries (`touchEveryMs`), so that the entries of a node that died lapse.
 */
import { createHash } from 'node:crypto';
import { QUEUE_PUSH_DELAY_MS, QUEUE_REFRESH_MS, QUEUE_SNAPSHOT_MAX } from '../../protocol/limits.js';
import type { QueueItem } from '../../protocol/messages.js';
import type { AdvisorRegistry } from './advisors.js';
import type { Chat } from './chat.js';
import type { ChatRegistry } from './registry.js';
import { MemoryQueueStore } from '../state/queue-store.js';
import type { Admission, AdmissionLimits, QueueEntry, QueueStore } from '../state/queue-store.js';
import { startTimer } from '../timers.js';
import { WaitEstimator, waitSecondsOf } from './wait-estimate.js';
import type { WaitEstimateOptions } from './wait-estimate.js';

/** How the nodes tell each other that the queue changed (a topic on the node bus); absent: one node. */
export interface QueueNews {
  /** Tells the other nodes. */
  announce(): void;
  /** `heard` runs when another node announced a change. */
  listen(heard: () => void): void;
}

export interface ChatQueueDeps {
  /** This node's chats, by id: the visitors this node tells their places. */
  chats: ChatRegistry;
  advisors: AdvisorRegistry;
  /** The queue itself; in memory by default. */
  store?: QueueStore | undefined;
  news?: QueueNews | undefined;
  now: () => number;
  /** A push or a touch that failed (the store did not answer). */
  onError: (error: unknown) => void;
  estimate?: Partial<WaitEstimateOptions>;
}

const digestOf = (items: QueueItem[]): string => createHash('sha256').update(JSON.stringify(items)).digest('base64');

/** What advisors see of a waiting chat. */
export function queueItemOf(chat: Chat): QueueItem {
  const item: QueueItem = { chatId: chat.id, visitor: chat.visitor, since: chat.waitingSince };
  if (chat.firstMessage !== undefined) item.firstMessage = chat.firstMessage;
  if (chat.visitorPeer === undefined) item.away = true;
  if (chat.topic !== undefined) item.topic = chat.topic;
  if (chat.front) item.transferred = true;
  return item;
}

/** A chat's entry in the queue store: at the front when an advisor handed it back (`chat.transfer`). */
function entryOf(chat: Chat): QueueEntry {
  return { item: queueItemOf(chat), clientKey: chat.clientKey, ...(chat.front ? { rank: 0 } : {}) };
}

export class ChatQueue {
  readonly #chats: ChatRegistry;
  readonly #advisors: AdvisorRegistry;
  readonly #store: QueueStore;
  readonly #news: QueueNews | undefined;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #estimator: WaitEstimator;
  #timer: NodeJS.Timeout | undefined;
  #refresh: NodeJS.Timeout | undefined;
  #touch: NodeJS.Timeout | undefined;
  #watch: NodeJS.Timeout | undefined;
  /** A digest of the last snapshot sent (not its items: they hold what visitors wrote). */
  #sent: string | undefined;
  /** A change of this node's waits for the next push: the other nodes are told then. */
  #announce = false;
  #closed = false;

  constructor(deps: ChatQueueDeps) {
    this.#chats = deps.chats;
    this.#advisors = deps.advisors;
    this.#store = deps.store ?? new MemoryQueueStore();
    this.#news = deps.news;
    this.#now = deps.now;
    this.#onError = deps.onError;
    this.#estimator = new WaitEstimator(deps.now, deps.estimate ?? {});
    this.#news?.listen(() => this.#schedule());
    this.#startWatching();
  }

  /** Chats waiting in the queue (on every node). */
  waitingCount(): Promise<number> {
    return this.#store.size();
  }

  /** How many chats of a client (under all its keys) wait. */
  waitingOf(clientKeys: readonly string[]): Promise<number> {
    return this.#store.countOf(clientKeys);
  }

  /**
   * A new chat enters the queue if both limits allow it (checked and added in one step on the store, so that
   * two nodes cannot both admit past a limit); it counts for its client under `chat.clientKey`.
   */
  async admit(chat: Chat, limits: AdmissionLimits): Promise<Admission> {
    const admitted = await this.#store.admit({ item: queueItemOf(chat), clientKey: chat.clientKey }, limits);
    if (admitted === 'admitted') this.#entered();
    return admitted;
  }

  /** The chat waits again (back from its advisor) since its `waitingSince`: it counts, whatever the limits. */
  async enter(chat: Chat): Promise<void> {
    await this.#store.put(entryOf(chat));
    this.#entered();
  }

  /** Writes a waiting chat's entry back at its time (a restarted Redis lost it); it was counted when it entered. */
  async restore(chat: Chat): Promise<void> {
    await this.#store.put(entryOf(chat));
  }

  #entered(): void {
    this.#estimator.waiting(1);
    this.#startTouching();
  }

  /** A waiting chat's item changed (its first message, its visitor away or back): stored, then pushed. */
  async changed(chat: Chat): Promise<void> {
    if (chat.state !== 'waiting') return;
    await this.#store.update(queueItemOf(chat));
    this.push();
  }

  /** The chat waits no longer: an advisor took it (`accepted`, which counts for the wait estimate), or it ended. */
  async leave(chat: Chat, accepted = false): Promise<void> {
    this.#estimator.waiting(await this.#store.remove(chat.id, accepted));
    if (accepted) this.#estimator.accepted();
  }

  /** The `QUEUE_SNAPSHOT_MAX` longest-waiting chats, longest first. */
  items(): Promise<QueueItem[]> {
    return this.#store.first(QUEUE_SNAPSHOT_MAX);
  }

  /**
   * Sends the queue to every advisor socket that said hello and their places to the waiting visitors, once for
   * all changes within `QUEUE_PUSH_DELAY_MS` (a burst of starts costs one snapshot per advisor, not one per start),
   * and tells the other nodes, which do the same for theirs. Call it once the change is in the store.
   */
  push(): void {
    this.#announce = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = startTimer(QUEUE_PUSH_DELAY_MS, () => {
      this.#timer = undefined;
      if (this.#announce) this.#news?.announce();
      this.#announce = false;
      this.#send().catch(this.#onError);
    });
  }

  async #send(): Promise<void> {
    const items = await this.items();
    if (this.#closed) return;
    this.#sent = digestOf(items);
    this.#advisors.broadcast({ type: 'queue.snapshot', items, now: this.#now() });
    await this.#tellVisitors();
  }

  /**
   * With a store whose entries lapse, the queue can change with nobody to announce it (a node died, its chats
   * lapsed): as often as entries are touched, the snapshot is read again and sent when it changed.
   */
  #startWatching(): void {
    const every = this.#store.touchEveryMs;
    if (every === undefined || this.#closed) return;
    this.#watch = startTimer(every, () => {
      this.items().then((items) => {
        if (!this.#closed && this.#timer === undefined && digestOf(items) !== this.#sent) this.#schedule();
      }, this.#onError);
      this.#startWatching();
    });
  }

  /** This node's waiting chats. */
  #waiting(): Chat[] {
    return this.#chats.all().filter((chat) => chat.state === 'waiting');
  }

  /** Each of this node's waiting visitors' place and expected wait, where it changed since it was last sent. */
  async #tellVisitors(): Promise<void> {
    const waiting = this.#waiting();
    const [{ positions, size, pace }, available] = await Promise.all([
      this.#store.places(waiting.map((chat) => chat.id)),
      this.#advisors.anyAvailable(),
    ]);
    if (this.#closed) return;
    this.#estimator.waiting(size);
    waiting.forEach((chat, index) => {
      const position = positions[index];
      if (position === undefined || chat.state !== 'waiting') return;
      // With several nodes, the service's pace (read with the places): every node tells the same.
      const ms =
        pace === undefined
          ? this.#estimator.estimate(position, available)
          : this.#estimator.estimateFrom(pace, position, available);
      const waitSeconds = ms === undefined ? undefined : waitSecondsOf(ms);
      const key = `${position}:${waitSeconds ?? ''}:${available}`;
      if (chat.visitorPeer === undefined || chat.queueSent === key) return;
      chat.queueSent = key;
      chat.visitorPeer.send({
        type: 'chat.queue',
        position,
        ...(waitSeconds === undefined ? {} : { waitSeconds }),
        // Nobody to take it: the pop-up offers a callback instead of the wait.
        ...(available ? {} : { unstaffed: true }),
      });
    });
    clearTimeout(this.#refresh);
    this.#refresh =
      waiting.length === 0 || this.#closed
        ? undefined
        : startTimer(QUEUE_REFRESH_MS, () => void this.#tellVisitors().catch(this.#onError));
  }

  /** While this node's chats wait, their entries are touched (a store whose entries lapse). */
  #startTouching(): void {
    const every = this.#store.touchEveryMs;
    if (every === undefined || this.#closed || this.#touch !== undefined) return;
    this.#touch = startTimer(every, () => {
      this.#touch = undefined;
      const waiting = this.#waiting();
      if (waiting.length === 0) return;
      this.#startTouching();
      this.#store.touch(waiting.map((chat) => chat.id)).catch(this.#onError);
    });
  }

  /** Drops a pending push; pushes and touches nothing from then on. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#refresh);
    clearTimeout(this.#touch);
    clearTimeout(this.#watch);
    this.#watch = undefined;
    this.#timer = undefined;
    this.#refresh = undefined;
    this.#touch = undefined;
  }
}
