/**
 * The launcher: the only part of Lotse that every page view loads. A plain custom element (no Lit, no protocol
 * code) with one button; the pop-up and everything behind it is loaded by a dynamic `import()` on first click, or
 * at once when this tab has a running chat from an earlier page (`sessionStorage`, written only after consent).
 * Its one request before consent is `GET <server>/availability` (no cookie): while the chat is closed, a click
 * shows when it opens again instead of the pop-up, and, where the server takes callback requests, the offer of one
 * (`callback-offer.ts`, a chunk loaded on that click).
 */
import { launcherText } from '../i18n/launcher.js';
import { langOf } from '../i18n/locale.js';
import { closedText, fetchClosed } from './availability.js';
import type { Closed } from './availability.js';
import type { LotseChatPopup } from './chat-popup.js';
import { define, emit } from '../dom/define.js';
import { unwatchLang, watchLang } from '../dom/lang-watch.js';
import { stored } from '../dom/stored.js';
import { adoptStyles } from '../dom/styles.js';
import { launcherCss } from './launcher-styles.js';

const POPUP_ID = 'lotse-popup';
const NOTICE_ID = 'lotse-closed';
/** Copied from `client/chat-storage.ts` (`CHAT_STORAGE_KEY`): only looked for here, to know whether to come back. */
const CHAT_KEY = 'lotse-chat';
const SVG = 'http://www.w3.org/2000/svg';
/** Speech bubble, and a chevron pointing down while the pop-up is open. */
const ICONS = {
  chat: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9zm0 4v2h7v-2z',
  collapse: 'M5.6 8.6 12 15l6.4-6.4L19.8 10 12 17.8 4.2 10z',
};

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
 * @attr {string} server - Base URL of the Lotse server, e.g. `https://chat.example.de`. Default: derived from this
 *   script's own URL (the bundle is served from `<server>/lotse/lotse.js`).
 * @attr {string} lang - `de` (default) or `en`; otherwise the nearest `lang` up the tree is used. Followed live: a
 *   change of the page's `lang` (or this one) re-labels the launcher and re-renders the pop-up.
 * @attr {string} topic - The page's topic, e.g. `leistungen` (one of the server's `chat.topics`): the chat waits in
 *   that topic's queue, and advisors of the topic see it first. A topic the server does not know files the chat under
 *   the general queue (no error for the visitor).
 * @attr {boolean} closed - Set by the element while the chat is closed (from `GET <server>/availability`); read-only.
 * @attr {boolean} notify-title - While messages are unread, put their number before the page title
 *   (`(2) Leistungen`); the title is restored exactly afterwards.
 * @attr {string} member-token - Member area: the short-lived signed token from the insurer's backend, for a member
 *   chat. Read once and removed from the DOM at once (so that no other script or session recorder finds it there); the
 *   `memberToken` or `memberTokenProvider` property is better, as the token then never enters the DOM.
 * @prop {string | undefined} memberToken - Member area: the member token (write-only). Setting it makes the chat a
 *   member chat: no nickname, the advisor sees name and insurance number from the verified token. Set it again
 *   after `lotse-member-token-expired` and the waiting chat goes on. Never put it in a URL or in storage.
 * @prop {(() => Promise<string>) | undefined} memberTokenProvider - Member area: fetches a fresh member token from
 *   the insurer's backend. Called before every connect and resume of a member chat (never before the visitor
 *   confirmed the terms), so that the token can be short-lived (at most 5 minutes). Preferred to `memberToken`;
 *   of the two, the one set last is used. Write-only, like `memberToken`.
 * @fires {CustomEvent<LotseChatOpenDetail>} lotse-chat-open - The pop-up was opened.
 * @fires {CustomEvent<LotseChatCloseDetail>} lotse-chat-close - The pop-up was collapsed; a running chat goes on in
 *   the background.
 * @fires {CustomEvent<LotseChatStartDetail>} lotse-chat-start - From the pop-up: the visitor confirmed the terms and
 *   started a chat.
 * @fires {CustomEvent<LotseChatEndDetail>} lotse-chat-end - From the pop-up: the chat is over.
 * @fires {CustomEvent<LotseConnectionChangeDetail>} lotse-connection-change - From the pop-up: the chat's connection
 *   changed state.
 * @fires {CustomEvent<LotseMemberTokenExpiredDetail>} lotse-member-token-expired - From the pop-up, member chat: the
 *   server found the token expired and no provider gave a fresh one. The chat and unsent messages wait; set
 *   `memberToken` again to go on.
 * @csspart launcher - The round launcher button. While the conversation is out of view, its accessible name says
 *   how many advisor messages are unread ("Chat mit der Beratung, 2 neue Nachrichten").
 * @csspart badge - The unread count on the launcher (hidden from screen readers: the button's name says it).
 * @csspart closed-notice - While the chat is closed: says so and when it opens again (shown on click).
 * @csspart popup - The chat pop-up (`<lotse-chat-popup>`). Its own parts are exported under their names, so
 *   `lotse-chat::part(composer)` styles the message field: collapse, terms, terms-checkbox, terms-accept,
 *   terms-retry, nickname, nickname-error, nickname-submit, member, advisor, waiting, status, log, message,
 *   message-visitor, message-advisor, message-pending, notice, typing, problem, composer, send, end, ended, rating,
 *   rating-score, rating-skip, copy, transcript, close, queue, sound, elsewhere, take-over, read (see `<lotse-chat-popup>`).
 * @cssprop [--lotse-accent=#00594f] - Background of the launcher and of primary buttons.
 * @cssprop [--lotse-accent-contrast=#fff] - Text and icon colour on the accent.
 * @cssprop [--lotse-closed=#5c5c5c] - Background of the launcher while the chat is closed.
 * @cssprop [--lotse-badge=#b00020] - Background of the unread count on the launcher.
 * @cssprop [--lotse-z-index=2147483000] - Stacking order of the launcher and the pop-up.
 * @cssprop [--lotse-font=system-ui, sans-serif] - Font family.
 * @cssprop [--lotse-radius=12px] - Corner radius of the pop-up.
 * @cssprop [--lotse-inset-block-end=16px] - Distance from the bottom of the viewport: raise it above a sticky
 *   bottom bar or a cookie banner. On a phone the open pop-up fills the screen and the launcher hides behind it.
 * @cssprop [--lotse-inset-inline-end=16px] - Distance from the end (right in left-to-right) of the viewport.
 * @cssprop [--lotse-focus-ring=#1a1a1a] - Colour of focus outlines.
 */
export class LotseChat extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['lang', 'server', 'member-token', 'topic'];
  }

  /** Where member tokens come from: the last of `memberToken` and `memberTokenProvider` set. */
  #member: (() => string | Promise<string>) | undefined;

  #button: HTMLButtonElement;
  #popup: LotseChatPopup | undefined;
  #loading: Promise<LotseChatPopup> | undefined;
  #notice: HTMLParagraphElement;
  /** The answer of `GET /availability`: asked once on connect, again on a click while closed. */
  #availability: Promise<Closed | undefined> | undefined;
  #closed: Closed | undefined;
  #badge: HTMLSpanElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    adoptStyles(root, launcherCss);
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
    const badge = document.createElement('span');
    badge.part.add('badge');
    badge.setAttribute('aria-hidden', 'true');
    badge.hidden = true;
    button.append(badge);
    root.append(notice, button);
    this.#notice = notice;
    this.#button = button;
    this.#badge = badge;
  }

  connectedCallback(): void {
    // Set on the element before this script defined it: an own property hides the setter. Hand it over.
    for (const key of ['memberToken', 'memberTokenProvider'] as const) {
      if (Object.hasOwn(this, key)) {
        const value = this[key];
        Reflect.deleteProperty(this, key);
        this[key] = value as never;
      }
    }
    this.#availability ??= this.#ask();
    this.#label();
    watchLang(this, this.#relabel);
    // A chat of an earlier page of this tab: come back into it, the pop-up open if it was.
    if (this.#loading === undefined && stored(CHAT_KEY)) {
      this.#load().then((popup) => popup.restore() && this.#button.setAttribute('aria-expanded', 'true'), reportError);
    }
  }

  disconnectedCallback(): void {
    unwatchLang(this.#relabel);
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name === 'member-token') {
      // Taken out of the DOM at once; the removal calls back with null.
      if (value !== null) {
        this.removeAttribute(name);
        this.memberToken = value;
      }
      return;
    }
    if (name === 'server' && this.#popup !== undefined) this.#popup.server = this.server;
    if (name === 'topic' && this.#popup !== undefined) this.#popup.topic = value ?? '';
    if (name === 'server' && this.#availability !== undefined) this.#availability = this.#ask();
    this.#relabel();
  }

  /** Base URL of the Lotse server (the `server` attribute, or derived from this script's URL). */
  get server(): string {
    return this.getAttribute('server') ?? defaultServer(import.meta.url);
  }

  set server(value: string) {
    this.setAttribute('server', value);
  }

  set memberToken(value: string | undefined) {
    this.memberTokenProvider = value ? () => value : undefined;
  }

  /** Hands the pop-up where member tokens come from (nothing: an anonymous chat). The token stays in here. */
  set memberTokenProvider(value: (() => string | Promise<string>) | undefined) {
    this.#member = value;
    this.#popup?.useMemberToken(value);
  }

  /** Whether the pop-up is open. */
  get open(): boolean {
    return this.#button.getAttribute('aria-expanded') === 'true';
  }

  /** Opens the pop-up (loading it on first use) and moves focus into it; while the chat is closed, says when it opens. */
  async show(): Promise<void> {
    // Closed at the last look: look again (the hours may have begun since the page loaded).
    if (this.#closed !== undefined && this.#notice.hidden) this.#availability = this.#ask();
    const closed = await this.#availability;
    if (closed !== undefined && this.#popup === undefined) {
      this.#notice.hidden = false;
      this.#button.setAttribute('aria-controls', NOTICE_ID);
      this.#button.setAttribute('aria-expanded', 'true');
      this.#label();
      // The server takes callback requests: the offer (its own chunk) joins the notice.
      if (closed.callback) import('./callback-offer.js').then((m) => m.offerCallback(this, this.#notice), reportError);
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

  /**
   * An attribute or a `lang` on the page changed: the launcher is labelled anew and the pop-up renders again. The
   * pop-up sits in this shadow root, so its language changes with the launcher's, and it follows it from here (a
   * `LocalizeController` of its own would cost every visitor who opens the chat some 80 bytes of its 30 KB).
   */
  #relabel = (): void => {
    this.#popup?.requestUpdate();
    this.#label();
  };

  #label(): void {
    const text = launcherText(langOf(this));
    const closed = this.#closed;
    const unread = Number(this.#badge.textContent);
    this.#button.setAttribute(
      'aria-label',
      text[closed === undefined ? 'launcher' : 'closedLabel'] + (unread ? `, ${text.unread(unread)}` : ''),
    );
    this.toggleAttribute('closed', closed !== undefined);
    this.#notice.textContent = closed === undefined || this.#notice.hidden ? '' : closedText(closed, text);
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
        popup.server = this.server;
        popup.topic = this.getAttribute('topic') ?? '';
        popup.onCollapse = () => this.hide();
        popup.onUnread = (count) => {
          this.#badge.textContent = count ? String(count) : '';
          this.#badge.hidden = !count;
          this.#label();
        };
        this.#button.before(popup);
        this.#button.setAttribute('aria-controls', POPUP_ID);
        this.#popup = popup;
        popup.useMemberToken(this.#member);
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
