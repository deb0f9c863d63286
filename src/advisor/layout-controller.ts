/**
 * The console's own size, not the window's: a Lit reactive controller with one ResizeObserver. It tells the console
 * whether it is wide enough for its three regions side by side (`wide`), and how tall the context region is, so
 * that the co-browse viewer there can be scaled to fit beside the visitor card. The host re-renders only when one
 * of the two changed. The observer lives while the host is in the document.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class LayoutController implements ReactiveController {
  /** The host is at least `minWide()` px wide (border box). False until first measured. */
  wide = false;
  /** Height of the tracked region in px; 0 while it is hidden or not measured. */
  regionHeight = 0;

  #host: ReactiveControllerHost & HTMLElement;
  #minWide: () => number;
  #observer: ResizeObserver | undefined;
  #region: Element | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, minWide: () => number) {
    this.#host = host;
    this.#minWide = minWide;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new ResizeObserver((entries) => {
      for (const entry of entries) this.#measure(entry);
    });
    this.#observer.observe(this.#host);
    if (this.#region !== undefined) this.#observer.observe(this.#region);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  /** Measures `region` (the context region) from now on; the same element again is a no-op. */
  track(region: Element | null): void {
    if (region === this.#region || region === null) return;
    if (this.#region !== undefined) this.#observer?.unobserve(this.#region);
    this.#region = region;
    this.#observer?.observe(region);
  }

  /** The breakpoint may have changed (a new `wide-from`): decide again from the host's current width. */
  recheck(): void {
    this.#set(this.#host.getBoundingClientRect().width >= this.#minWide(), this.regionHeight);
  }

  #measure(entry: ResizeObserverEntry): void {
    const box = entry.borderBoxSize?.[0];
    if (entry.target === this.#host) {
      const width = box?.inlineSize ?? entry.contentRect.width;
      // A host that is not rendered (display: none) keeps its last layout.
      if (width > 0) this.#set(width >= this.#minWide(), this.regionHeight);
    } else if (entry.target === this.#region) {
      this.#set(this.wide, Math.round(box?.blockSize ?? entry.contentRect.height));
    }
  }

  #set(wide: boolean, regionHeight: number): void {
    if (wide === this.wide && regionHeight === this.regionHeight) return;
    this.wide = wide;
    this.regionHeight = regionHeight;
    this.#host.requestUpdate();
  }
}
