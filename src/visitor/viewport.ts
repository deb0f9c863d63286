/**
 * Keeps the pop-up's full-screen sheet (the `SHEET_MEDIA` styles) to the visual viewport, so that the composer
 * stays above the on-screen keyboard: a phone's keyboard makes the visual viewport smaller, not the layout viewport
 * that a fixed element is sized to. While the pop-up is open, this follows the visual viewport's `resize` and
 * `scroll` events and hands its top and height to the pop-up's styles as custom properties on the host,
 * `--lotse-vv-top` and `--lotse-vv-height` (through the CSSOM, which a strict CSP allows). Only the sheet's styles
 * read them: whether the pop-up is a sheet is the media query's decision alone, also when a phone is turned while
 * the pop-up is open. Collapsed or disconnected, it listens to nothing.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What is read of `window.visualViewport`; tests hand in a fake (an `EventTarget` with these). */
export interface VisualViewportLike extends EventTarget {
  readonly offsetTop: number;
  readonly height: number;
}

type Host = ReactiveControllerHost & HTMLElement & { readonly open: boolean };

export class ViewportFit implements ReactiveController {
  #host: Host;
  #viewport: VisualViewportLike | null;
  #following = false;

  constructor(host: Host, viewport: VisualViewportLike | null = window.visualViewport) {
    this.#host = host;
    this.#viewport = viewport;
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow(this.#host.open);
  }

  /** After every update: the pop-up may have opened or collapsed. */
  hostUpdated(): void {
    this.#follow(this.#host.open);
  }

  hostDisconnected(): void {
    this.#follow(false);
  }

  #follow(on: boolean): void {
    const viewport = this.#viewport;
    if (viewport === null || on === this.#following) return;
    this.#following = on;
    for (const type of ['resize', 'scroll']) viewport[on ? 'addEventListener' : 'removeEventListener'](type, this.#fit);
    if (on) this.#fit();
  }

  #fit = (): void => {
    const { offsetTop, height } = this.#viewport!;
    this.#host.style.setProperty('--lotse-vv-top', `${offsetTop}px`);
    this.#host.style.setProperty('--lotse-vv-height', `${height}px`);
  };
}
