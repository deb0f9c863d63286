/**
 * Re-renders its host every `interval` ms while the host is in the document, for times shown relative to now
 * (how long a visitor has been waiting). No timer is left running once the host is gone.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ClockController implements ReactiveController {
  #host: ReactiveControllerHost;
  #interval: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, interval = 15_000) {
    this.#host = host;
    this.#interval = interval;
    host.addController(this);
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  hostConnected(): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#host.requestUpdate(), this.#interval);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
