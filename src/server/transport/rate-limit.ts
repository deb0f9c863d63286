/**
 * Rate limits per connection: token buckets for messages (one for chat, a larger one for `cobrowse.signal`), a
 * sliding window of refusals, and the throttled notice that tells the client something was dropped.
 */
import {
  RATE_BURST,
  RATE_ERROR_INTERVAL_MS,
  RATE_PER_SECOND,
  RATE_STRIKE_WINDOW_MS,
  RATE_STRIKES_BEFORE_CLOSE,
  SIGNAL_RATE_BURST,
  SIGNAL_RATE_PER_SECOND,
} from '../../protocol/limits.js';
import { startTimer } from '../timers.js';

export interface TokenBucketOptions {
  burst?: number;
  perSecond?: number;
  /** Milliseconds from any fixed origin; `performance.now` by default. */
  now?: () => number;
}

/** `burst` messages at once, refilled at `perSecond`. */
export class TokenBucket {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(options: TokenBucketOptions = {}) {
    this.#burst = options.burst ?? RATE_BURST;
    this.#perMs = (options.perSecond ?? RATE_PER_SECOND) / 1000;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /** Takes one token; false when the bucket is empty (the message must be dropped). */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#last) * this.#perMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the bucket holds `count` tokens (at most its burst); 0 when it does already. */
  msUntil(count: number): number {
    const now = this.#now();
    const tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#last) * this.#perMs);
    return Math.max(0, Math.ceil((Math.min(count, this.#burst) - tokens) / this.#perMs));
  }
}

export interface StrikeWindowOptions {
  /** More strikes than this within `windowMs` is too many. */
  max?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * Refusals within a sliding window. Accepted messages in between do not wipe the slate: a client that keeps
 * sending a little faster than allowed collects strikes as surely as one that floods.
 */
export class StrikeWindow {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  /** Times of the strikes still inside the window, oldest first; never more than `max + 1`. */
  readonly #times: number[] = [];

  constructor(options: StrikeWindowOptions = {}) {
    this.#max = options.max ?? RATE_STRIKES_BEFORE_CLOSE;
    this.#windowMs = options.windowMs ?? RATE_STRIKE_WINDOW_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Records a strike; true when there are now more than `max` within the window. */
  strike(): boolean {
    const now = this.#now();
    while (this.#times.length > 0 && (this.#times[0] as number) <= now - this.#windowMs) this.#times.shift();
    this.#times.push(now);
    if (this.#times.length <= this.#max) return false;
    this.#times.shift();
    return true;
  }
}

export type RateVerdict = 'pass' | 'dropped' | 'close';

/** What a connection's pipeline asks of its rate limit (`RateGuard` for visitors, `AdvisorRateGuard` for advisors). */
export interface RateAdmitter {
  /** One message of this kind (its type as `ref`): `pass`, `dropped` (the client is told), or `close` (1008). */
  admit(kind: 'chat' | 'signal', ref?: string): RateVerdict;
  /** Stops pending notices. Idempotent. */
  close(): void;
}

/**
 * Everything rate for one connection. `notify` sends `LOTSE_ERR_RATE_LIMITED`: at once for the first drop, then at
 * most once per `RATE_ERROR_INTERVAL_MS`; a drop inside that quiet time gets one notice at its end, so that a
 * client which resends on the notice never has a dropped message it was not told about.
 */
export class RateGuard implements RateAdmitter {
  readonly #chat = new TokenBucket();
  readonly #signal = new TokenBucket({ burst: SIGNAL_RATE_BURST, perSecond: SIGNAL_RATE_PER_SECOND });
  readonly #strikes = new StrikeWindow();
  readonly #notify: () => void;
  #lastNotice = Number.NEGATIVE_INFINITY;
  #pendingNotice: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(notify: () => void) {
    this.#notify = notify;
  }

  /** One message: `pass`, `dropped` (the client is told), or `close` (too many drops: 1008). */
  admit(kind: 'chat' | 'signal'): RateVerdict {
    if ((kind === 'signal' ? this.#signal : this.#chat).take()) return 'pass';
    if (this.#strikes.strike()) {
      this.close();
      return 'close';
    }
    this.#noticeDrop();
    return 'dropped';
  }

  #noticeDrop(): void {
    if (this.#closed) return;
    const wait = this.#lastNotice + RATE_ERROR_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      this.#lastNotice = performance.now();
      this.#notify();
      return;
    }
    this.#pendingNotice ??= startTimer(wait, () => {
      this.#pendingNotice = undefined;
      this.#noticeDrop();
    });
  }

  /** Stops a pending notice. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#pendingNotice);
    this.#pendingNotice = undefined;
  }
}
