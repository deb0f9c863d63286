/**
 * Wrong webcodes: a lock per client after `WEBCODE_MAX_WRONG` of them, and a server-wide flood alarm. The per-key
 * map is bounded: expired entries are dropped when it is full, then the oldest ones.
 */
import { WEBCODE_LOCKOUT_MS, WEBCODE_MAX_WRONG } from '../../protocol/limits.js';

/** Wrong attempts of one client; the lock (and the count) lapse `lockoutMs` after the last wrong attempt. */
export interface WrongCount {
  wrong: number;
  expiresAt: number;
}

export interface WrongCodeOptions {
  now: () => number;
  maxWrong?: number;
  lockoutMs?: number;
  /** Most clients remembered at once. */
  capacity?: number;
}

export const DEFAULT_CAPACITY = 10_000;

export class WrongCodeLimiter {
  readonly #entries = new Map<string, WrongCount>();
  readonly #now: () => number;
  readonly #maxWrong: number;
  readonly #lockoutMs: number;
  readonly #capacity: number;

  constructor(options: WrongCodeOptions) {
    this.#now = options.now;
    this.#maxWrong = options.maxWrong ?? WEBCODE_MAX_WRONG;
    this.#lockoutMs = options.lockoutMs ?? WEBCODE_LOCKOUT_MS;
    this.#capacity = options.capacity ?? DEFAULT_CAPACITY;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** True while the count is live and at the maximum. */
  isLocked(count: WrongCount | undefined): boolean {
    return count !== undefined && count.expiresAt > this.#now() && count.wrong >= this.#maxWrong;
  }

  /** Counts a wrong attempt on a count held elsewhere (a socket's own); true when that locks it. */
  bump(count: WrongCount): boolean {
    const now = this.#now();
    if (count.expiresAt <= now) count.wrong = 0;
    count.wrong += 1;
    count.expiresAt = now + this.#lockoutMs;
    return count.wrong === this.#maxWrong;
  }

  isKeyLocked(key: string): boolean {
    return this.isLocked(this.#entries.get(key));
  }

  /** Counts a wrong attempt for a client key; true when that locks it. */
  bumpKey(key: string): boolean {
    const count = this.#entries.get(key) ?? { wrong: 0, expiresAt: 0 };
    // Re-inserting keeps the map in order of last activity, so eviction takes the stalest first.
    this.#entries.delete(key);
    this.#entries.set(key, count);
    const locked = this.bump(count);
    if (this.#entries.size > this.#capacity) this.#shrink();
    return locked;
  }

  #shrink(): void {
    const now = this.#now();
    for (const [key, count] of this.#entries) if (count.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Counts events in fixed windows; `hit()` is true exactly once per window, when the count first exceeds `limit`. */
export class FloodGuard {
  readonly #now: () => number;
  readonly #limit: number;
  readonly #windowMs: number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(options: { now: () => number; limit: number; windowMs: number }) {
    this.#now = options.now;
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
  }

  hit(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count += 1;
    return this.#count === this.#limit + 1;
  }
}
