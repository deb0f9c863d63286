/**
 * How long a waiting visitor will probably wait, or nothing when the server cannot say so honestly.
 *
 * The estimate comes from how fast advisors took chats off the queue while there was a queue: the time the queue
 * was non-empty ("busy time") between the recent accepts, per accept. Idle advisors who take a chat the moment it
 * arrives make that time short; a queue that builds up makes it long. The busy time since the last accept counts
 * too, so a queue that stalls (every advisor busy) raises the estimate instead of keeping an old, happier one.
 *
 * With several nodes the figures are the service's, not a node's: the queue store keeps them (in Redis, with the
 * queue: `state/redis/queue-store.ts`) and hands them over with the places it reads anyway (`QueuePace`), so every
 * node tells its waiting visitors the same, at no extra round trip; this class then only does the arithmetic
 * (`estimateFrom`). One node alone keeps them here.
 *
 * No estimate rather than a wrong one: none with fewer than `WAIT_ESTIMATE_MIN_ACCEPTS` accepts in the last
 * `WAIT_ESTIMATE_WINDOW_MS`, none while no advisor is available, none above `WAIT_ESTIMATE_MAX_MS`. It keeps only
 * times, never who waited.
 */
import { WAIT_ESTIMATE_MAX_MS, WAIT_ESTIMATE_MIN_ACCEPTS, WAIT_ESTIMATE_WINDOW_MS } from '../../protocol/limits.js';
import type { QueuePace } from '../state/queue-store.js';

export interface WaitEstimateOptions {
  windowMs: number;
  minAccepts: number;
  maxMs: number;
}

const DEFAULTS: WaitEstimateOptions = {
  windowMs: WAIT_ESTIMATE_WINDOW_MS,
  minAccepts: WAIT_ESTIMATE_MIN_ACCEPTS,
  maxMs: WAIT_ESTIMATE_MAX_MS,
};

export class WaitEstimator {
  readonly #now: () => number;
  readonly #options: WaitEstimateOptions;
  /** Busy time (queue non-empty) before `#busySince`, in ms. */
  #busyMs = 0;
  /** Since when the queue has been non-empty; `undefined` while it is empty. */
  #busySince: number | undefined;
  /** The recent accepts: when, and the busy-time clock at that moment. */
  #accepts: { at: number; busy: number }[] = [];

  constructor(now: () => number, options: Partial<WaitEstimateOptions> = {}) {
    this.#now = now;
    this.#options = { ...DEFAULTS, ...options };
  }

  /** The number of waiting chats is now `count` (call on every change; extra calls do no harm). */
  waiting(count: number): void {
    const now = this.#now();
    if (count > 0 && this.#busySince === undefined) this.#busySince = now;
    else if (count === 0 && this.#busySince !== undefined) {
      this.#busyMs += now - this.#busySince;
      this.#busySince = undefined;
    }
  }

  /** An advisor took a chat off the queue. */
  accepted(): void {
    const now = this.#now();
    this.#accepts.push({ at: now, busy: this.#busyAt(now) });
    this.#prune(now);
  }

  /**
   * The expected wait of the chat at `position` (1 = next), in ms; `undefined` when there is too little recent data,
   * no advisor to take it (`advisorsAvailable` false), or the estimate would be longer than the maximum.
   */
  estimate(position: number, advisorsAvailable: boolean): number | undefined {
    const now = this.#now();
    this.#prune(now);
    const accepts = this.#accepts;
    const pace: QueuePace = {
      accepts: accepts.length,
      firstBusyMs: accepts[0]?.busy ?? 0,
      lastBusyMs: accepts.at(-1)?.busy ?? 0,
      busyNowMs: this.#busyAt(now),
    };
    return this.estimateFrom(pace, position, advisorsAvailable);
  }

  /** `estimate` from the service's figures (`QueuePace`, the accepts of the window) instead of this node's. */
  estimateFrom(pace: QueuePace, position: number, advisorsAvailable: boolean): number | undefined {
    if (!advisorsAvailable || pace.accepts < Math.max(2, this.#options.minAccepts)) return undefined;
    const perAccept = Math.max(
      (pace.lastBusyMs - pace.firstBusyMs) / (pace.accepts - 1),
      pace.busyNowMs - pace.lastBusyMs,
    );
    const ms = position * perAccept;
    return ms > this.#options.maxMs ? undefined : ms;
  }

  #busyAt(now: number): number {
    return this.#busyMs + (this.#busySince === undefined ? 0 : now - this.#busySince);
  }

  #prune(now: number): void {
    const from = now - this.#options.windowMs;
    let drop = 0;
    while (drop < this.#accepts.length && this.#accepts[drop]!.at < from) drop += 1;
    if (drop > 0) this.#accepts.splice(0, drop);
  }
}

/**
 * The estimate as the visitor is told it: whole seconds, rounded up to 15 s under two minutes and to whole minutes
 * above, so that it does not change (and is not sent again) on every tick.
 */
export function waitSecondsOf(ms: number): number {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? Math.ceil(seconds / 15) * 15 : Math.round(seconds / 60) * 60;
}
