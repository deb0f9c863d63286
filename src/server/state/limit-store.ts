/**
 * Limit state that several nodes will one day share: counters that lapse and keys that can be claimed once. Each
 * operation maps onto one Redis primitive, so that a Redis store can replace the in-memory one without touching
 * its callers:
 *
 * - `increment(key, by, ttlMs)`: `INCRBY key by` + `PEXPIRE key ttlMs NX` (the window runs from the first count);
 * - `claim(key, ttlMs)`: `SET key 1 NX PX ttlMs` (true for the first caller only, until it lapses);
 * - `get(key)`: `GET key` (a counter's value, 0 when absent or lapsed);
 * - `release(key)`: `DEL key` (a claim given back: what it guarded did not happen after all).
 *
 * The in-memory store is bounded, but never forgets a live entry: when it is full it drops lapsed entries, and if
 * none lapsed it refuses (`LimitStoreFullError`). Callers fail closed on that refusal: a limit that cannot be
 * counted is treated as reached.
 */

export interface LimitStore {
  /** Adds `by` to the counter (created at 0) and returns the new value; a new counter lapses after `ttlMs`. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /** True when `key` was free and is now held for `ttlMs`; false while someone else holds it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** The counter's value; 0 when there is none (or it lapsed). */
  get(key: string): Promise<number>;
  /** Forgets `key` (a claim given back, or a counter dropped); nothing when there is none. */
  release(key: string): Promise<void>;
}

/** The store is full of live entries: the caller must fail closed. */
export class LimitStoreFullError extends Error {
  constructor() {
    super('limit store full');
    this.name = 'LimitStoreFullError';
  }
}

interface Entry {
  value: number;
  expiresAt: number;
}

/** Live entries the in-memory store holds at most (about 100 bytes each). */
export const DEFAULT_LIMIT_STORE_ENTRIES = 100_000;

export interface MemoryLimitStoreOptions {
  now?: () => number;
  maxEntries?: number;
}

export class MemoryLimitStore implements LimitStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  /** No entry lapses before this (a lower bound): a full store is not swept again until then (a sweep walks all). */
  #nextLapse = Number.POSITIVE_INFINITY;

  constructor(options: MemoryLimitStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? DEFAULT_LIMIT_STORE_ENTRIES;
    if (!(this.#maxEntries >= 1)) throw new TypeError('maxEntries must be at least 1');
  }

  /** Entries held, live or not yet swept. */
  get size(): number {
    return this.#entries.size;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    const entry = this.#live(key) ?? this.#add(key, ttlMs);
    entry.value += by;
    return entry.value;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    this.#add(key, ttlMs).value = 1;
    return true;
  }

  async get(key: string): Promise<number> {
    return this.#live(key)?.value ?? 0;
  }

  async release(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Forgets everything (a server's close). */
  clear(): void {
    this.#entries.clear();
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  /** A new entry; when full, lapsed entries go first, and if none did, nothing does: the store refuses. */
  #add(key: string, ttlMs: number): Entry {
    const now = this.#now();
    if (this.#entries.size >= this.#maxEntries && now >= this.#nextLapse) {
      let next = Number.POSITIVE_INFINITY;
      for (const [other, entry] of this.#entries) {
        if (entry.expiresAt <= now) this.#entries.delete(other);
        else next = Math.min(next, entry.expiresAt);
      }
      this.#nextLapse = next;
    }
    if (this.#entries.size >= this.#maxEntries) throw new LimitStoreFullError();
    const entry = { value: 0, expiresAt: now + Math.max(1, ttlMs) };
    this.#nextLapse = Math.min(this.#nextLapse, entry.expiresAt);
    this.#entries.set(key, entry);
    return entry;
  }
}
