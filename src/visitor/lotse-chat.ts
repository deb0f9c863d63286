/**
 * The launcher: the only part of Lotse that every page view loads. A plain custom element (no Lit, no protocol
 * code) with one button; the pop-up and everything behind it is loaded by a dynamic `import()` on first click.
 */
import { launcherText } from '../i18n/launcher.js';
import { langOf } from '../i18n/locale.js';
import type { LotseChatPopup } from './chat-popup.js';
import { define, emit } from '../dom/define.js';
import { launcherCss } from './launcher-styles.js';
import { POPUP_PARTS } from './popup-parts.js';

const POPUP_ID = 'lotse-popup';
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
 * @fires lotse-chat-open - The pop-up was opened.
 * @fires lotse-chat-close - The pop-up was collapsed; a running chat goes on in the background.
 * @fires lotse-chat-start - From the pop-up: the visitor confirmed the terms and started a chat.
 * @fires lotse-chat-end - From the pop-up: the chat is over.
 * @fires lotse-connection-change - From the pop-up: the chat's connection changed state.
 * @csspart launcher - The round launcher button.
 * @csspart popup - The chat pop-up (`<lotse-chat-popup>`). Its own parts are exported under their names, so
 *   `lotse-chat::part(composer)` styles the message field: collapse, terms, terms-checkbox, terms-accept,
 *   terms-retry, nickname, nickname-error, nickname-submit, advisor, waiting, status, log, message,
 *   message-visitor, message-advisor, message-pending, notice, typing, problem, composer, send, end, ended, copy,
 *   transcript, close (see `<lotse-chat-popup>`).
 * @cssprop [--lotse-accent=#00594f] - Background of the launcher and of primary buttons.
 * @cssprop [--lotse-accent-contrast=#fff] - Text and icon colour on the accent.
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
      if (event.key === 'Escape' && this.open) this.hide();
    });
    root.append(button);
    this.#button = button;
  }

  connectedCallback(): void {
    this.#label();
  }

  attributeChangedCallback(name: string): void {
    if (name === 'server' && this.#popup !== undefined) this.#popup.server = this.server;
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

  /** Opens the pop-up (loading it on first use) and moves focus into it. */
  async show(): Promise<void> {
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
    this.#button.setAttribute('aria-label', launcherText(langOf(this)).launcher);
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
