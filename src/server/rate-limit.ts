/** Token bucket per connection: `burst` messages at once, refilled at `perSecond`. */
import { RATE_BURST, RATE_PER_SECOND } from '../protocol/limits.js';

export interface TokenBucketOptions {
  burst?: number;
  perSecond?: number;
  /** Milliseconds from any fixed origin; `performance.now` by default. */
  now?: () => number;
}

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
}
