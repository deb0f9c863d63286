/**
 * The typing indicator, both halves. It is a boolean, throttled on the sending side and self-clearing on the
 * receiving side, so a lost `typing: false` (closed tab, dropped socket) never leaves "is typing…" on screen.
 */
import { TYPING_DISPLAY_MS, TYPING_IDLE_MS, TYPING_THROTTLE_MS } from '../protocol/limits.js';

/** Sending side: call `input()` on every keystroke and `stop()` when the message is sent. */
export class TypingSender {
  #send: (typing: boolean) => void;
  #now: () => number;
  #lastTrue = Number.NEGATIVE_INFINITY;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (typing: boolean) => void, now: () => number = Date.now) {
    this.#send = send;
    this.#now = now;
  }

  input(): void {
    if (this.#now() - this.#lastTrue >= TYPING_THROTTLE_MS) {
      this.#lastTrue = this.#now();
      this.#send(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (this.#lastTrue === Number.NEGATIVE_INFINITY) return;
    this.#lastTrue = Number.NEGATIVE_INFINITY;
    this.#send(false);
  }

  /** Stops timers without sending anything (the chat is gone). */
  close(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    this.#lastTrue = Number.NEGATIVE_INFINITY;
  }
}

/** Receiving side: `typing` is true until the other side says false or stays silent for `TYPING_DISPLAY_MS`. */
export class TypingIndicator {
  #onChange: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  typing = false;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  set(typing: boolean): void {
    clearTimeout(this.#timer);
    this.#timer = typing ? setTimeout(() => this.set(false), TYPING_DISPLAY_MS) : undefined;
    if (this.typing === typing) return;
    this.typing = typing;
    this.#onChange();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.typing = false;
  }
}
