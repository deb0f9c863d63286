/**
 * The advisor's rate limit. An advisor works several chats at once, and a console that comes back from a stall
 * (a busy CPU, a slow network) answers at once what piled up: its socket gets its own, bigger budget
 * (`limits.advisorRate`), and a burst over it is told to slow down before anything is closed.
 *
 * - A message that finds the bucket empty is dropped and answered with `LOTSE_ERR_RATE_LIMITED` with
 *   `retryAfterMs`: the time until the bucket holds a second's worth of messages again. Until then every message
 *   (but `cobrowse.signal`, which has its own bucket) is dropped too, without a further notice. So nothing sent
 *   after a dropped message overtakes it: a client that sends its outbox again after `retryAfterMs` keeps the
 *   order of every chat, and the server drops the copies of what had already arrived (client ids).
 * - Drops within `graceSeconds` of the first one of a spell are free: frames that were already on their way when
 *   the notice went out are no offence. After that, more than `strikesBeforeClose` drops within
 *   `RATE_STRIKE_WINDOW_MS` close the socket with 1008, as for a visitor: a client that does not listen is cut off.
 *
 * The state is the socket's own (an advisor's socket lives on one node), so there is nothing to share.
 */
import {
  RATE_ERROR_INTERVAL_MS,
  RATE_STRIKE_WINDOW_MS,
  SIGNAL_RATE_BURST,
  SIGNAL_RATE_PER_SECOND,
} from '../../protocol/limits.js';
import { StrikeWindow, TokenBucket } from './rate-limit.js';
import type { RateAdmitter, RateVerdict } from './rate-limit.js';

/** `limits.advisorRate` in the configuration. */
export interface AdvisorRate {
  burst: number;
  perSecond: number;
  strikesBeforeClose: number;
  graceSeconds: number;
}

/** The shortest wait a slow-down notice names. */
const MIN_RETRY_MS = 100;

export class AdvisorRateGuard implements RateAdmitter {
  readonly #chat: TokenBucket;
  readonly #signal: TokenBucket;
  readonly #strikes: StrikeWindow;
  readonly #refill: number;
  readonly #graceMs: number;
  readonly #notify: (retryAfterMs: number, ref?: string) => void;
  readonly #now: () => number;
  /** Until then every chat-side message is dropped (a notice went out at its start). */
  #holdUntil = Number.NEGATIVE_INFINITY;
  #signalNoticeUntil = Number.NEGATIVE_INFINITY;
  #spellStart = Number.NEGATIVE_INFINITY;
  #lastDrop = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(
    rate: AdvisorRate,
    notify: (retryAfterMs: number, ref?: string) => void,
    now: () => number = () => performance.now(),
  ) {
    this.#chat = new TokenBucket({ burst: rate.burst, perSecond: rate.perSecond, now });
    this.#signal = new TokenBucket({ burst: SIGNAL_RATE_BURST, perSecond: SIGNAL_RATE_PER_SECOND, now });
    this.#strikes = new StrikeWindow({ max: rate.strikesBeforeClose, windowMs: RATE_STRIKE_WINDOW_MS, now });
    this.#refill = Math.min(rate.burst, Math.max(1, rate.perSecond));
    this.#graceMs = rate.graceSeconds * 1000;
    this.#notify = notify;
    this.#now = now;
  }

  admit(kind: 'chat' | 'signal', ref?: string): RateVerdict {
    const now = this.#now();
    if (kind === 'signal') {
      if (this.#signal.take()) return 'pass';
      const tell = now >= this.#signalNoticeUntil;
      if (tell) this.#signalNoticeUntil = now + RATE_ERROR_INTERVAL_MS;
      return this.#drop(now, tell ? Math.max(MIN_RETRY_MS, this.#signal.msUntil(1)) : undefined, ref);
    }
    if (now < this.#holdUntil) return this.#drop(now, undefined, ref);
    if (this.#chat.take()) return 'pass';
    const retryAfterMs = Math.max(MIN_RETRY_MS, this.#chat.msUntil(this.#refill));
    this.#holdUntil = now + retryAfterMs;
    return this.#drop(now, retryAfterMs, ref);
  }

  #drop(now: number, retryAfterMs: number | undefined, ref: string | undefined): RateVerdict {
    if (now - this.#lastDrop > this.#graceMs) this.#spellStart = now;
    this.#lastDrop = now;
    if (now - this.#spellStart >= this.#graceMs && this.#strikes.strike()) {
      this.close();
      return 'close';
    }
    if (retryAfterMs !== undefined && !this.#closed) this.#notify(retryAfterMs, ref);
    return 'dropped';
  }

  close(): void {
    this.#closed = true;
  }
}
