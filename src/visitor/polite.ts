/**
 * A status text that a screen reader should hear, but not on every change: the live region takes a new text at
 * most once per interval (the first at once); in between it keeps the last one said, and the latest is said when
 * the interval is over. The visible text next to it may change as often as it likes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ThrottledStatus implements ReactiveController {
  #host: ReactiveControllerHost;
  #intervalMs: number;
  #said = '';
  #saidAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, intervalMs: number) {
    this.#host = host;
    this.#intervalMs = intervalMs;
    host.addController(this);
  }

  /** What the live region should hold now, for the latest text (an empty one clears it at once, silently). */
  text(latest: string): string {
    if (latest === this.#said) return this.#said;
    const wait = this.#saidAt + this.#intervalMs - Date.now();
    if (latest === '' || wait <= 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#said = latest;
      if (latest !== '') this.#saidAt = Date.now();
      return latest;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#host.requestUpdate();
    }, wait);
    return this.#said;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
