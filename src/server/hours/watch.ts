/**
 * The server's view of its opening hours over time: `availability` at the injected clock's present, and a
 * callback whenever open turns to closed or back (a timer set to the next change, re-checked at least hourly).
 */
import type { Availability } from './availability.js';
import { availability, nextChange } from './availability.js';
import type { HoursConfig } from '../config/hours.js';

export interface OpeningHoursOptions {
  /** The clock (tests inject one); `Date.now` by default. */
  now?: () => number;
  /** Called with the new state when the chat opens or closes. */
  onChange?: (open: boolean) => void;
}

const MAX_WAIT_MS = 3600_000;

export class OpeningHours {
  readonly config: HoursConfig;
  readonly #now: () => number;
  readonly #onChange: (open: boolean) => void;
  #open: boolean | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(config: HoursConfig, options: OpeningHoursOptions = {}) {
    this.config = config;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange ?? (() => {});
    this.check();
  }

  /** Availability now, without side effects. */
  current(): Availability {
    return availability(new Date(this.#now()), this.config);
  }

  get open(): boolean {
    return this.check().open;
  }

  /** Availability now; reports a change to `onChange` and sets the timer for the next one. */
  check(): Availability {
    const now = this.#now();
    const current = availability(new Date(now), this.config);
    const changed = this.#open !== undefined && this.#open !== current.open;
    this.#open = current.open;
    if (!this.#closed) this.#schedule(now);
    if (changed) this.#onChange(current.open);
    return current;
  }

  #schedule(now: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = nextChange(new Date(now), this.config);
    if (next === undefined) return;
    this.#timer = setTimeout(() => this.check(), Math.min(Math.max(next - now, 1000), MAX_WAIT_MS));
    this.#timer.unref();
  }

  /** Stops the timer. Idempotent. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
