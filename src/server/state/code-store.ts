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
 * `MemoryCodeStore` is the one-process version: a lapsed code is dropped when it is next looked at.
 */

export interface CodeStore<V> {
  /** True when `code` was free and now names `value` for `ttlMs`; false while it names something else. */
  put(code: string, value: V, ttlMs: number): boolean;
  /** The value `code` names, once: the code is gone afterwards. `undefined` for an unknown or lapsed code. */
  take(code: string): V | undefined;
  /** Whether `code` is in use (names something, not lapsed). */
  has(code: string): boolean;
  /** Frees `code`; nothing when it was free. */
  delete(code: string): void;
  /** Forgets every code (the server closes). */
  clear(): void;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class MemoryCodeStore<V> implements CodeStore<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Codes held, live or lapsed but not yet looked at. */
  get size(): number {
    return this.#entries.size;
  }

  put(code: string, value: V, ttlMs: number): boolean {
    if (this.#live(code) !== undefined) return false;
    this.#entries.set(code, { value, expiresAt: this.#now() + Math.max(1, ttlMs) });
    return true;
  }

  take(code: string): V | undefined {
    const entry = this.#live(code);
    this.#entries.delete(code);
    return entry?.value;
  }

  has(code: string): boolean {
    return this.#live(code) !== undefined;
  }

  delete(code: string): void {
    this.#entries.delete(code);
  }

  clear(): void {
    this.#entries.clear();
  }

  #live(code: string): Entry<V> | undefined {
    const entry = this.#entries.get(code);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry;
    this.#entries.delete(code);
    return undefined;
  }
}
