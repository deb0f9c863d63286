/**
 * Wrong webcodes. Three limits, each checked before a code is looked at:
 *
 * - per socket: `maxWrong` wrong ones and the socket is refused for the lockout (`WrongCodeLimiter`, in memory);
 * - per client (keyed address, IPv6 by its /64): at most `maxWrong` attempts per lockout window, counted in the
 *   shared limit state (`state/limit-store.ts`), which never forgets a live count: a lock cannot be flushed out by other
 *   clients' guesses. A right code gives its attempt back;
 * - server-wide: more than `budgetPerMinute` attempts (right ones given back) in a minute and every webcode check
 *   is answered one at a time, `slowdownMs` apart, at most `slowQueue` of them waiting (more are refused at once),
 *   with one warning per minute. The spacing is per node; the counts are shared.
 *
 * Attempts are counted before the code is checked, so that many checks at once cannot all slip under a limit. The
 * server-wide guard comes before a client's entry is created: the state grows at most at the budget's pace.
 */
import type { Logger } from '../log.js';
import { LimitStoreFullError } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import { startTimer } from '../timers.js';

/** Wrong attempts of one socket; the lock (and the count) lapse `lockoutMs` after the last wrong attempt. */
export interface WrongCount {
  wrong: number;
  expiresAt: number;
}

export interface WebcodeLimits {
  maxWrong: number;
  lockoutMs: number;
  budgetPerMinute: number;
  slowdownMs: number;
  slowQueue: number;
}

/** The window of the server-wide budget. */
export const BUDGET_WINDOW_MS = 60_000;
const GLOBAL_KEY = 'webcode:attempts';
const clientKeyOf = (clientKey: string): string => `webcode:client:${clientKey}`;

/** The per-socket count: a lock for one socket, whatever its address. */
export class WrongCodeLimiter {
  readonly #now: () => number;
  readonly #maxWrong: number;
  readonly #lockoutMs: number;

  constructor(options: { now: () => number; maxWrong: number; lockoutMs: number }) {
    this.#now = options.now;
    this.#maxWrong = options.maxWrong;
    this.#lockoutMs = options.lockoutMs;
  }

  /** True while the count is live and at the maximum. */
  isLocked(count: WrongCount): boolean {
    return count.expiresAt > this.#now() && count.wrong >= this.#maxWrong;
  }

  /** Counts a wrong attempt; true when that locks it. */
  bump(count: WrongCount): boolean {
    const now = this.#now();
    if (count.expiresAt <= now) count.wrong = 0;
    count.wrong += 1;
    count.expiresAt = now + this.#lockoutMs;
    return count.wrong === this.#maxWrong;
  }
}

/**
 * What may happen to a webcode attempt: look at the code, or refuse it (`locked`: too many; `busy`: the slow queue
 * or the limit state is full).
 */
export type Admission = { verdict: 'check'; count: number } | { verdict: 'locked' } | { verdict: 'busy' };

export class WebcodeGuard {
  readonly #store: LimitStore;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly limits: WebcodeLimits;
  /** The next free slot of the slowed checks (node-local), epoch ms. */
  #nextSlot = 0;
  readonly #waits = new Map<NodeJS.Timeout, () => void>();

  constructor(options: { store: LimitStore; now: () => number; log: Logger; limits: WebcodeLimits }) {
    this.#store = options.store;
    this.#now = options.now;
    this.#log = options.log;
    this.limits = options.limits;
  }

  /** Checks waiting for their slot now. */
  get waiting(): number {
    return this.#waits.size;
  }

  /**
   * Counts an attempt of the client (`clientKeys`: its key now first, then its keys from before the last rotation,
   * which still count until their counts lapse) and server-wide, and says whether the code may be checked; over the
   * budget it first waits for a slot. The client's entry is created only once the server-wide guard let the attempt
   * through: attempts refused at once by it create no entry, so that the limit state grows at most at the budget's
   * pace however many addresses attack. A full limit store fails closed (`busy`: the server cannot count now).
   */
  async admit(clientKeys: readonly string[]): Promise<Admission> {
    const [current = '', ...previous] = clientKeys;
    let earlier = 0;
    let total: number;
    try {
      for (const key of previous) earlier += await this.#store.get(clientKeyOf(key));
      if (earlier + (await this.#store.get(clientKeyOf(current))) >= this.limits.maxWrong) return { verdict: 'locked' };
      total = await this.#store.increment(GLOBAL_KEY, 1, BUDGET_WINDOW_MS);
    } catch (error) {
      return this.#full(error);
    }
    if (total === this.limits.budgetPerMinute + 1) this.#log.warn('cobrowse.webcode_flood');
    if (total > this.limits.budgetPerMinute && !(await this.#slot())) return { verdict: 'busy' };
    let count: number;
    try {
      count = earlier + (await this.#store.increment(clientKeyOf(current), 1, this.limits.lockoutMs));
    } catch (error) {
      return this.#full(error);
    }
    if (count > this.limits.maxWrong) return { verdict: 'locked' };
    return { verdict: 'check', count };
  }

  #full(error: unknown): Admission {
    if (!(error instanceof LimitStoreFullError)) throw error;
    this.#log.warn('limits.store_full');
    return { verdict: 'busy' };
  }

  /** A right code: its attempt is given back (to the client and to the budget). */
  async right(clientKey: string): Promise<void> {
    await this.#giveBack(clientKey);
    await this.#store.increment(GLOBAL_KEY, -1, BUDGET_WINDOW_MS).catch(() => undefined);
  }

  /** Stops every wait (their checks are refused as busy). Idempotent. */
  close(): void {
    for (const [timer, resolve] of this.#waits) {
      clearTimeout(timer);
      resolve();
    }
    this.#waits.clear();
  }

  async #giveBack(clientKey: string): Promise<void> {
    await this.#store.increment(clientKeyOf(clientKey), -1, this.limits.lockoutMs).catch(() => undefined);
  }

  /** Waits for the next slot `slowdownMs` after the last; false (at once) when `slowQueue` wait already. */
  #slot(): Promise<boolean> {
    const now = this.#now();
    const { slowdownMs, slowQueue } = this.limits;
    if (this.#waits.size >= slowQueue) return Promise.resolve(false);
    const slot = Math.max(now, this.#nextSlot) + slowdownMs;
    this.#nextSlot = slot;
    return new Promise((resolve) => {
      let done = false;
      const timer = startTimer(slot - now, () => finish(true));
      const finish = (ok: boolean): void => {
        if (done) return;
        done = true;
        this.#waits.delete(timer);
        resolve(ok);
      };
      this.#waits.set(timer, () => finish(false));
    });
  }
}
