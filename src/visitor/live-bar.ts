/**
 * Where the co-browse live bar sits, and what keeps clear of it. The bar is a compact box at a bottom corner,
 * never over the page's header and navigation; the visitor may move it to the other bottom corner (remembered for
 * the session in `sessionStorage`, key `lotse-cobrowse-bar`, written only while the session runs, so only after
 * consent, and removed at its end). While it shows:
 * - the page gets room for it at its end (`padding-block-end` and `scroll-padding-block-end` on the root element,
 *   its own inline values restored afterwards; the root rarely has padding of its own), so that the page's last controls scroll clear of the bar, and so does a control that
 *   keyboard focus moves to;
 * - when the bar reaches into the chat's column (the launcher and the pop-up at the inline end: the bar moved
 *   there, or a narrow screen), `--lotse-live-offset` on the document tells the launcher and the pop-up how far
 *   the bar reaches up from the viewport's bottom, and they sit above it (`launcher-styles.ts`, `styles.ts`).
 * Measured by a ResizeObserver, after the browser's own layout: never a forced layout of a big page.
 */
export type Corner = 'start' | 'end';

const KEY = 'lotse-cobrowse-bar';
const LIVE_OFFSET = '--lotse-live-offset';
const ROOM = ['padding-block-end', 'scroll-padding-block-end'] as const;
/** Space between the bar and what keeps clear of it. */
const GAP = 8;
/** The chat's column at the inline end: its inset and the pop-up's widest (`launcher-styles.ts`, `styles.ts`). */
const CHAT_INSET = 16;
const POPUP_WIDTH = 380;

export class LiveBarPlacement {
  #storage: () => Storage | undefined;
  #bar: HTMLElement | undefined;
  #observer: ResizeObserver | undefined;
  /** The root element's own inline values of the room properties, before the bar came. */
  #own: string[] | undefined;

  constructor(storage: () => Storage | undefined) {
    this.#storage = storage;
  }

  /** The corner chosen earlier in this session: the inline start unless the visitor moved the bar. */
  get corner(): Corner {
    try {
      return this.#storage()?.getItem(KEY) === 'end' ? 'end' : 'start';
    } catch {
      return 'start';
    }
  }

  /** Remembers the visitor's corner for the rest of the session (call only while it runs). */
  set corner(corner: Corner) {
    try {
      if (corner === 'end') this.#storage()?.setItem(KEY, corner);
      else this.#storage()?.removeItem(KEY);
    } catch {
      // No storage: the bar stays where it is for this page only.
    }
  }

  /** The session is over: nothing of it stays in the browser. */
  forget(): void {
    this.corner = 'start';
  }

  /** Follows this bar (`null`: none any more, the page gets its own styles back). */
  follow(bar: HTMLElement | null): void {
    if (bar === this.#bar) return;
    this.#observer?.disconnect();
    this.#bar = bar ?? undefined;
    window.removeEventListener('resize', this.measure);
    if (bar === null) return this.#restore();
    this.#observer ??= new ResizeObserver(([entry]) => {
      if (entry !== undefined && entry.target === this.#bar) this.#place(this.#bar);
    });
    this.#observer.observe(bar);
    window.addEventListener('resize', this.measure);
  }

  /** Measures again after the next layout (the bar moved, the viewport changed): observing anew reports its size. */
  measure = (): void => {
    const bar = this.#bar;
    if (bar === undefined) return;
    this.#observer?.unobserve(bar);
    this.#observer?.observe(bar);
  };

  #place(bar: HTMLElement): void {
    const root = document.documentElement;
    const box = bar.getBoundingClientRect();
    const width = root.clientWidth;
    const reach = Math.ceil(root.clientHeight - box.top) + GAP;
    this.#own ??= ROOM.map((name) => root.style.getPropertyValue(name));
    for (const name of ROOM) root.style.setProperty(name, `${reach}px`);
    const column = Math.min(POPUP_WIDTH, width - 2 * CHAT_INSET) + CHAT_INSET + GAP;
    const meets = getComputedStyle(bar).direction === 'rtl' ? box.left < column : box.right > width - column;
    if (meets) root.style.setProperty(LIVE_OFFSET, `${reach}px`);
    else root.style.removeProperty(LIVE_OFFSET);
  }

  #restore(): void {
    const root = document.documentElement;
    root.style.removeProperty(LIVE_OFFSET);
    this.#own?.forEach((own, i) => root.style.setProperty(ROOM[i]!, own));
    this.#own = undefined;
  }
}
