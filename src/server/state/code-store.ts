/**
 * Single-use codes that lapse: a code names one value (a co-browse webcode names its session) until it is taken
 * once or its time is up. Kept behind `CodeStore` so that a shared store can hold the codes when the advisor who
 * created one and the visitor who types it sit on different nodes; each operation maps onto one Redis primitive:
 *
 * - `put(code, value, ttlMs)`: `SET code:<code> <value> NX PX ttlMs` (false when the code is in use);
 * - `take(code)`: `GETDEL code:<code>` (the value once, then the code is gone);
 * - `has(code)`: `EXISTS code:<code>`;
 * - `delete(code)`: `DEL code:<code>` (what the code named ended before it was used).
 *
 * Every method returns a promise (a shared store answers over the network). `MemoryCodeStore` is the one-process
 * version: a lapsed code is dropped when it is next looked at.
 */

export interface CodeStore {
  /** True when `code` was free and now names `value` for `ttlMs`; false while it names something else. */
  put(code: string, value: string, ttlMs: number): Promise<boolean>;
  /** The value `code` names, once: the code is gone afterwards. `undefined` for an unknown or lapsed code. */
  take(code: string): Promise<string | undefined>;
  /** Whether `code` is in use (names something, not lapsed). */
  has(code: string): Promise<boolean>;
  /** Frees `code`; nothing when it was free. */
  delete(code: string): Promise<void>;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

export class MemoryCodeStore implements CodeStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Codes held, live or lapsed but not yet looked at. */
  get size(): number {
    return this.#entries.size;
  }

  put(code: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(code) !== undefined) return Promise.resolve(false);
    this.#entries.set(code, { value, expiresAt: this.#now() + Math.max(1, ttlMs) });
    return Promise.resolve(true);
  }

  take(code: string): Promise<string | undefined> {
    const entry = this.#live(code);
    this.#entries.delete(code);
    return Promise.resolve(entry?.value);
  }

  has(code: string): Promise<boolean> {
    return Promise.resolve(this.#live(code) !== undefined);
  }

  delete(code: string): Promise<void> {
    this.#entries.delete(code);
    return Promise.resolve();
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Drops every lapsed code (for codes that are often never looked at again, such as unused rating tickets). */
  sweep(): void {
    const now = this.#now();
    for (const [code, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(code);
  }

  #live(code: string): Entry | undefined {
    const entry = this.#entries.get(code);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry;
    this.#entries.delete(code);
    return undefined;
  }
}
