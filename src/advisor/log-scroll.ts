/**
 * Keeps a conversation's log at its newest message: on every new line (the host calls `newLines()`), and whenever
 * the log's box changes size (the console resized, the chat shown again after another) while the advisor was
 * reading at the bottom. An advisor who scrolled up to read is left where they are when the box changes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How far from the bottom (px) still counts as "at the bottom". */
const SLACK = 8;

export class LogScroll implements ReactiveController {
  #log: HTMLElement | undefined;
  #observer: ResizeObserver | undefined;
  #atBottom = true;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#log?.removeEventListener('scroll', this.#onScroll);
    this.#log = undefined;
  }

  /** The log element as rendered now (call after each update). */
  track(log: HTMLElement | null): void {
    if (log === this.#log || log === null) return;
    this.hostDisconnected();
    this.#log = log;
    log.addEventListener('scroll', this.#onScroll, { passive: true });
    this.#observer = new ResizeObserver(() => {
      // A hidden log (another chat in front) has no box: nothing to keep, and no scroll position to trust.
      if (this.#atBottom && log.clientHeight > 0) this.#toBottom(log);
    });
    this.#observer.observe(log);
  }

  /** New lines arrived: show the newest. */
  newLines(): void {
    if (this.#log !== undefined) this.#toBottom(this.#log);
  }

  #toBottom(log: HTMLElement): void {
    log.scrollTop = log.scrollHeight;
    this.#atBottom = true;
  }

  #onScroll = (): void => {
    const log = this.#log;
    if (log === undefined || log.clientHeight === 0) return;
    this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= SLACK;
  };
}
