/**
 * A figure that costs a store query, for a scrape: read at most once per `maxAgeMs`, never twice at once. A scrape
 * waits for a fresh read at most `waitMs`; slower, or failed, it shows the last figure read (none before the first).
 */
export class CachedFigure<T> {
  readonly #read: () => Promise<T>;
  readonly #maxAgeMs: number;
  readonly #waitMs: number;
  readonly #now: () => number;
  #value: T | undefined;
  #readAt = -Infinity;
  #inFlight: Promise<void> | undefined;

  constructor(read: () => Promise<T>, options: { maxAgeMs: number; waitMs: number; now?: () => number }) {
    this.#read = read;
    this.#maxAgeMs = options.maxAgeMs;
    this.#waitMs = options.waitMs;
    this.#now = options.now ?? Date.now;
  }

  async get(): Promise<T | undefined> {
    if (this.#inFlight === undefined && this.#now() - this.#readAt >= this.#maxAgeMs) {
      // The time of the attempt, not of its answer: a store that fails is asked again only after `maxAgeMs`.
      this.#readAt = this.#now();
      this.#inFlight = this.#read()
        .then((value) => {
          this.#value = value;
        })
        .catch(() => {})
        .finally(() => {
          this.#inFlight = undefined;
        });
    }
    if (this.#inFlight !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#waitMs);
      });
      await Promise.race([this.#inFlight, waited]);
      clearTimeout(timer);
    }
    return this.#value;
  }
}
