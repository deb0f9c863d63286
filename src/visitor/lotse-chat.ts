/**
 * The launcher: the only part of Lotse that every page view loads. A plain custom element (no Lit, no protocol
 * code) with one button; the pop-up and everything behind it is loaded by a dynamic `import()` on first click.
 * Its one request before consent is `GET <server>/availability` (no cookie): while the chat is closed, a click
 * shows when it opens again instead of the pop-up.
 */
import { launcherText } from '../i18n/launcher.js';
import { langOf } from '../i18n/locale.js';
import type { Lang } from '../i18n/locale.js';
import type { LotseChatPopup } from './chat-popup.js';
import { define, emit } from '../dom/define.js';
import { serverBase } from '../dom/server-url.js';
import { launcherCss } from './launcher-styles.js';
import { POPUP_PARTS } from './popup-parts.js';

const POPUP_ID = 'lotse-popup';
const NOTICE_ID = 'lotse-closed';
const WEEK_MS = 6 * 86_400_000;

/** The chat is closed: when it opens again (epoch ms) and the time zone of the hours, where the server says. */
interface Closed { nextOpen?: number; timeZone?: string }

/**
 * Asks the server whether the chat is open: one request, no cookie. `undefined` when open, and when the answer
 * is missing or odd (the server refuses a chat while closed anyway).
 */
async function fetchClosed(server: string): Promise<Closed | undefined> {
  try {
    const base = serverBase(server);
    if (base === undefined) return undefined;
    const response = await fetch(new URL('availability', base), { credentials: 'omit' });
    const data = (await response.json()) as { open?: unknown; nextOpen?: unknown; timeZone?: unknown } | null;
    if (!response.ok || data?.open !== false) return undefined;
    const at = typeof data.nextOpen === 'string' ? Date.parse(data.nextOpen) : Number.NaN;
    const closed: Closed = {};
    if (at > 0) closed.nextOpen = at;
    if (typeof data.timeZone === 'string') closed.timeZone = data.timeZone;
    return closed;
  } catch {
    return undefined;
  }
}

/** `Montag, 08:00` / `Monday 08:00` in the hours' time zone; with the date when it is more than six days away. */
function whenText(at: number, locale: string, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', hour: '2-digit', minute: '2-digit' };
  if (at - Date.now() > WEEK_MS) Object.assign(options, { day: 'numeric', month: 'long' });
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(at);
  }
}

/** The closed notice's text in one language. */
function closedText(closed: Closed, lang: Lang): string {
  const text = launcherText(lang);
  return closed.nextOpen === undefined ? text.closed : `${text.closed} ${text.back(whenText(closed.nextOpen, text.locale, closed.timeZone))}`;
}
const SVG = 'http://www.w3.org/2000/svg';
/** Speech bubble, and a chevron pointing down while the pop-up is open. */
const ICONS = {
  chat: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9zm0 4v2h7v-2z',
  collapse: 'M5.6 8.6 12 15l6.4-6.4L19.8 10 12 17.8 4.2 10z',
};

let sheet: CSSStyleSheet | undefined;

/** Constructable stylesheet (allowed by a strict CSP), or a `<style>` where the browser has none. */
function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
    if (sheet === undefined) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(launcherCss);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = launcherCss;
    root.append(style);
  }
}

/**
 * The server this script came from. The bundle is served from `<server>/lotse/`, as `lotse.js` or (when the
 * bundler moves this code into a shared chunk) `chunks/…js` below it: the base is what comes before the last
 * `/lotse/`. Anywhere else (sources in development), the folder above this module.
 */
export function defaultServer(moduleUrl: string): string {
  const url = new URL(moduleUrl);
  const at = url.pathname.lastIndexOf('/lotse/');
  return at < 0 ? new URL('../', url).href : new URL(url.pathname.slice(0, at + 1), url).href;
}

/** The icon, built node by node: no `innerHTML`, so Trusted Types policies have nothing to object to. */
function icon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const [name, d] of Object.entries(ICONS)) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('class', name);
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/**
 * Chat launcher for the visitor: a button fixed at the page's bottom corner that opens the consent-gated chat
 * pop-up. Load it on every page; it costs a few kilobytes until clicked.
 *
 * @tag lotse-chat
 * @attr server - Base URL of the Lotse server, e.g. `https://chat.example.de`. Default: derived from this
 *   script's own URL (the bundle is served from `<server>/lotse/lotse.js`).
 * @attr lang - `de` (default) or `en`; otherwise the nearest `lang` up the tree is used.
 * @attr closed - Set by the element while the chat is closed (from `GET <server>/availability`); read-only.
 * @fires lotse-chat-open - The pop-up was opened.
 * @fires lotse-chat-close - The pop-up was collapsed; a running chat goes on in the background.
 * @fires lotse-chat-start - From the pop-up: the visitor confirmed the terms and started a chat.
 * @fires lotse-chat-end - From the pop-up: the chat is over.
 * @fires lotse-connection-change - From the pop-up: the chat's connection changed state.
 * @csspart launcher - The round launcher button.
 * @csspart closed-notice - While the chat is closed: says so and when it opens again (shown on click).
 * @csspart popup - The chat pop-up (`<lotse-chat-popup>`). Its own parts are exported under their names, so
 *   `lotse-chat::part(composer)` styles the message field: collapse, terms, terms-checkbox, terms-accept,
 *   terms-retry, nickname, nickname-error, nickname-submit, advisor, waiting, status, log, message,
 *   message-visitor, message-advisor, message-pending, notice, typing, problem, composer, send, end, ended, copy,
 *   transcript, close (see `<lotse-chat-popup>`).
 * @cssprop [--lotse-accent=#00594f] - Background of the launcher and of primary buttons.
 * @cssprop [--lotse-accent-contrast=#fff] - Text and icon colour on the accent.
 * @cssprop [--lotse-closed=#5c5c5c] - Background of the launcher while the chat is closed.
 * @cssprop [--lotse-z-index=2147483000] - Stacking order of the launcher and the pop-up.
 * @cssprop [--lotse-font=system-ui, sans-serif] - Font family.
 * @cssprop [--lotse-radius=12px] - Corner radius of the pop-up.
 * @cssprop [--lotse-inset-block-end=16px] - Distance from the bottom of the viewport.
 * @cssprop [--lotse-inset-inline-end=16px] - Distance from the end (right in left-to-right) of the viewport.
 * @cssprop [--lotse-focus-ring=#1a1a1a] - Colour of focus outlines.
 */
export class LotseChat extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['lang', 'server'];
  }

  #button: HTMLButtonElement;
  #popup: LotseChatPopup | undefined;
  #loading: Promise<LotseChatPopup> | undefined;
  #notice: HTMLParagraphElement;
  /** The answer of `GET /availability`: asked once on connect, again on a click while closed. */
  #availability: Promise<Closed | undefined> | undefined;
  #closed: Closed | undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    adoptStyles(root);
    const button = document.createElement('button');
    button.type = 'button';
    button.part.add('launcher');
    button.setAttribute('aria-expanded', 'false');
    button.append(icon());
    button.addEventListener('click', () => {
      this.toggle().catch(reportError);
    });
    button.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.hide();
    });
    const notice = document.createElement('p');
    notice.id = NOTICE_ID;
    notice.part.add('closed-notice');
    notice.setAttribute('role', 'status');
    notice.hidden = true;
    root.append(notice, button);
    this.#notice = notice;
    this.#button = button;
  }

  connectedCallback(): void {
    this.#availability ??= this.#ask();
    this.#label();
  }

  attributeChangedCallback(name: string): void {
    if (name === 'server' && this.#popup !== undefined) this.#popup.server = this.server;
    if (name === 'server' && this.#availability !== undefined) this.#availability = this.#ask();
    this.#popup?.requestUpdate();
    this.#label();
  }

  /** Base URL of the Lotse server (the `server` attribute, or derived from this script's URL). */
  get server(): string {
    return this.getAttribute('server') ?? defaultServer(import.meta.url);
  }

  set server(value: string) {
    this.setAttribute('server', value);
  }

  /** Whether the pop-up is open. */
  get open(): boolean {
    return this.#button.getAttribute('aria-expanded') === 'true';
  }

  /** Opens the pop-up (loading it on first use) and moves focus into it; while the chat is closed, says when it opens. */
  async show(): Promise<void> {
    // Closed at the last look: look again (the hours may have begun since the page loaded).
    if (this.#closed !== undefined && this.#notice.hidden) this.#availability = this.#ask();
    if ((await this.#availability) !== undefined && this.#popup === undefined) {
      this.#notice.hidden = false;
      this.#button.setAttribute('aria-controls', NOTICE_ID);
      this.#button.setAttribute('aria-expanded', 'true');
      this.#label();
      return;
    }
    const popup = await this.#load();
    if (!this.open) {
      popup.open = true;
      this.#button.setAttribute('aria-expanded', 'true');
      await popup.updateComplete;
      emit(this, 'lotse-chat-open', {});
    }
    popup.focus();
  }

  /** Collapses the pop-up; a running chat goes on. Focus returns to the launcher if it was in the pop-up. */
  hide(): void {
    if (!this.#notice.hidden) {
      this.#notice.hidden = true;
      this.#button.setAttribute('aria-expanded', 'false');
      return;
    }
    const popup = this.#popup;
    if (!this.open || popup === undefined) return;
    const hadFocus = popup.matches(':focus-within');
    popup.open = false;
    this.#button.setAttribute('aria-expanded', 'false');
    if (hadFocus) this.#button.focus();
    emit(this, 'lotse-chat-close', {});
  }

  toggle(): Promise<void> {
    if (this.open) {
      this.hide();
      return Promise.resolve();
    }
    return this.show();
  }

  #label(): void {
    const lang = langOf(this);
    const closed = this.#closed;
    this.#button.setAttribute('aria-label', launcherText(lang)[closed === undefined ? 'launcher' : 'closedLabel']);
    this.toggleAttribute('closed', closed !== undefined);
    this.#notice.textContent = closed === undefined || this.#notice.hidden ? '' : closedText(closed, lang);
  }

  #ask(): Promise<Closed | undefined> {
    return fetchClosed(this.server).then((closed) => {
      this.#closed = closed;
      this.#label();
      return closed;
    });
  }

  #load(): Promise<LotseChatPopup> {
    this.#loading ??= import('./chat-popup.js').then(
      () => {
        const popup = document.createElement('lotse-chat-popup');
        popup.id = POPUP_ID;
        popup.part.add('popup');
        popup.setAttribute('exportparts', POPUP_PARTS);
        popup.server = this.server;
        popup.addEventListener('lotse-popup-collapse', () => this.hide());
        this.#button.before(popup);
        this.#button.setAttribute('aria-controls', POPUP_ID);
        this.#popup = popup;
        return popup;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }
}

define('lotse-chat', LotseChat);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-chat': LotseChat;
  }
}
