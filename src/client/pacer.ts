/**
 * The advisor console's pacing: it never sends faster than a share of the budget the server announced
 * (`advisor.welcome` `rate`, `ADVISOR_PACE_*_SHARE`), so that a console answering what piled up during a stall is
 * slowed down here instead of being refused or disconnected there. Frames over the budget wait in a queue and go
 * out in order as the budget refills; nothing is lost on an open socket, nothing is sent twice.
 *
 * - A frame with a `key` replaces a waiting frame with the same key in its place: typing and read receipts are
 *   coalesced (only the latest state goes out), and a chat message queued again (an outbox flush) is not doubled.
 * - `free` frames (`cobrowse.signal`, which the server counts in a bucket of their own) take no budget but keep
 *   their place in the order.
 * - When the socket goes, the queue is dropped: the outboxes and the hello of the next socket bring back what
 *   matters, and the next socket has a fresh budget on the server.
 */
export interface PaceBudget {
  /** Frames that may go out at once … */
  burst: number;
  /** … refilled at this many per second. */
  perSecond: number;
}

interface Waiting {
  frame: string;
  key: string | undefined;
  free: boolean;
}

export class Pacer {
  readonly #send: (frame: string) => boolean;
  readonly #now: () => number;
  #burst: number;
  #perMs: number;
  #tokens: number;
  #last: number;
  #queue: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;

  /** `send` puts a frame on the socket; false when the socket is not open. */
  constructor(send: (frame: string) => boolean, budget: PaceBudget, now: () => number = () => performance.now()) {
    this.#send = send;
    this.#now = now;
    this.#burst = Math.max(1, budget.burst);
    this.#perMs = budget.perSecond / 1000;
    this.#tokens = this.#burst;
    this.#last = now();
  }

  /** Frames waiting for budget. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** A new budget (from `advisor.welcome`); what is left of the current one is kept, up to the new burst. */
  setBudget(budget: PaceBudget): void {
    this.#refill();
    this.#burst = Math.max(1, budget.burst);
    this.#perMs = budget.perSecond / 1000;
    this.#tokens = Math.min(this.#tokens, this.#burst);
    this.#schedule();
  }

  /**
   * Sends at once when the budget allows and nothing waits before it; otherwise queues it (see `key`, `free`).
   * The caller checks that the socket is open: a frame pushed without one is lost with the queue.
   */
  push(frame: string, options: { key?: string | undefined; free?: boolean } = {}): void {
    const key = options.key;
    const same = key === undefined ? undefined : this.#queue.find((item) => item.key === key);
    if (same !== undefined) {
      same.frame = frame;
      return;
    }
    this.#queue.push({ frame, key, free: options.free === true });
    this.#drain();
  }

  /** Removes waiting frames whose key matches (their owner sends them again later, in order). */
  remove(match: (key: string) => boolean): void {
    this.#queue = this.#queue.filter((item) => item.key === undefined || !match(item.key));
  }

  /**
   * The server said slow down: nothing goes out for `ms`, the budget starts empty, then `resume` runs (it may
   * push again) and the queue drains at the paced rate.
   */
  pause(ms: number, resume?: () => void): void {
    clearTimeout(this.#timer);
    this.#paused = true;
    this.#tokens = 0;
    this.#last = this.#now();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#paused = false;
      resume?.();
      this.#drain();
    }, ms);
  }

  /** The socket is gone: drop what waits; the next socket starts with the full budget. */
  reset(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#paused = false;
    this.#queue = [];
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /** Stops the timer for good. Idempotent. */
  close(): void {
    this.reset();
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#last) * this.#perMs);
    this.#last = now;
  }

  #drain(): void {
    if (this.#paused) return;
    this.#refill();
    while (this.#queue.length > 0) {
      const head = this.#queue[0] as Waiting;
      if (!head.free) {
        if (this.#tokens < 1) break;
        this.#tokens -= 1;
      }
      this.#queue.shift();
      if (!this.#send(head.frame)) {
        this.reset();
        return;
      }
    }
    this.#schedule();
  }

  /** A timer for the next token while frames wait. */
  #schedule(): void {
    if (this.#paused || this.#timer !== undefined || this.#queue.length === 0) return;
    const wait = Math.max(1, Math.ceil((1 - this.#tokens) / this.#perMs));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, wait);
  }
}
