/**
 * The eager half of co-browsing: a plain custom element (no Lit, no protocol, no client code) that recognises a
 * webcode and loads the co-browse view (`cobrowse-view.ts`) by dynamic `import()` on first use. It also comes
 * back into a running session after a reload or a same-origin navigation.
 */
import { define, emit } from '../dom/define.js';
import { unwatchLang, watchLang } from '../dom/lang-watch.js';
import { adoptStyles } from '../dom/styles.js';
import { stored } from '../dom/stored.js';
import { webcodeText } from '../i18n/webcode.js';
import { langOf } from '../i18n/locale.js';
import type { LotseCobrowseView } from './cobrowse-view.js';
import { webcodeCss } from './webcode-styles.js';
import { defaultServer } from './lotse-chat.js';

/** Copied from `protocol/limits.ts` (`WEBCODE_PATTERN`) so that the eager bundle holds no protocol code. */
const WEBCODE = /^\d{6}$/;
/** Copied from `client/cobrowse-storage.ts` (`STORAGE_KEY`): only read here, to know whether to resume. */
const STORAGE_KEY = 'lotse-cobrowse';
const hasStoredSession = (): boolean => stored(STORAGE_KEY);
const VIEW_PARTS =
  'dialog,cobrowse-status,terms,cobrowse-consent,cobrowse-start,cobrowse-cancel,start-code,start-code-hint,' +
  'cobrowse-webcode,cobrowse-retry,cobrowse-error,live-border,live-bar,live-move,cobrowse-end,ended,cobrowse-close,pointer';

/** The webcode in a string (a search query, a field), digits only; `undefined` when it is not one. */
export function webcodeOf(text: string): string | undefined {
  const code = text.replace(/\s+/g, '');
  return WEBCODE.test(code) ? code : undefined;
}

/** Only one element on a page holds the session (resumes it, opens the view). */
let holder: LotseCobrowse | undefined;
/** The site's search field a webcode was taken from: emptied once the visitor has started the session. */
let searchField: HTMLInputElement | undefined;

/**
 * Co-browsing for the visitor. Invisible until a session starts, unless it has the `webcode-field` attribute:
 * then it shows a webcode form. A webcode opens the start view (terms, consent, start code); after the start the
 * visitor sees a border around the page, a live bar with an end button, and the advisor's pointer.
 *
 * Three ways in for a webcode:
 * - the form of `<lotse-cobrowse webcode-field>`;
 * - the site's search: put `data-lotse-search` on a plain search `<form>`; its `input[type=search]` (or the field
 *   marked `data-lotse-search-input`) is checked on submit, and a 6-digit webcode opens co-browsing instead of
 *   searching (any other query submits as usual). No script needed on the page. Once the visitor has started the
 *   session the field is emptied (its value only: no event, nothing sent);
 * - frameworks call `handleWebcode(query)` (exported by `lotse`, and `window.Lotse.handleWebcode` for the script
 *   tag) in their search handler: it returns true when it took the query as a webcode.
 *
 * A session survives a reload or a same-origin navigation (through `sessionStorage`, key `lotse-cobrowse`): load
 * the script on every page and the session resumes by itself.
 *
 * @tag lotse-cobrowse
 * @attr {string} server - Base URL of the Lotse server. Default: derived from this script's own URL.
 * @attr {string} lang - `de` (default) or `en`; otherwise the nearest `lang` up the tree.
 * @attr {boolean} webcode-field - Show the webcode form.
 * @attr {string} block - More elements never to record (a CSS selector list), on top of the defaults.
 * @attr {string} mask - More elements whose text is masked in the recording (a CSS selector list), on top of the
 *   defaults.
 * @fires {CustomEvent<LotseRequestCobrowseDetail>} lotse-request-cobrowse - Cancelable, before a webcode opens the
 *   start view; cancel to keep it closed.
 * @fires {CustomEvent<LotseCobrowseChangeDetail>} lotse-cobrowse-change - The session's phase changed. Detail:
 *   `{ state }` (`idle`, `checking`, `terms`, `startcode`, `connecting`, `live`, `ended`).
 * @fires {CustomEvent<LotseCobrowseEndDetail>} lotse-cobrowse-end - The session is over. Detail: `{ by }`
 *   (`visitor`, `advisor`, `timeout`, `server`, `void`).
 * @csspart webcode-form - The webcode form (`webcode-field` only).
 * @csspart webcode-input - Its input.
 * @csspart webcode-submit - Its button.
 * @csspart webcode-error - Its message for a malformed webcode.
 * @csspart dialog - The start view (a non-modal dialog).
 * @csspart cobrowse-status - Progress messages.
 * @csspart terms - The co-browse terms text.
 * @csspart cobrowse-consent - The checkbox "Bestätigung Nutzungs- und Teilnahmebedingungen".
 * @csspart cobrowse-start - The button "Co-Browsing Sitzung starten", disabled until the box is ticked.
 * @csspart cobrowse-cancel - Cancel before the session is live.
 * @csspart start-code - The start code, in two groups of four.
 * @csspart start-code-hint - What to do with it, and how long it is valid.
 * @csspart cobrowse-webcode - Webcode input for another try after an error.
 * @csspart cobrowse-retry - Its button.
 * @csspart cobrowse-error - Error messages.
 * @csspart live-border - The border around the viewport while the session is live; it takes no pointer events.
 * @csspart live-bar - The compact bar telling that the advisor sees the page, at a bottom corner (`data-corner`:
 *   `start`, the default, or `end`), never over the page's header. The page gets room for it at its end.
 * @csspart live-move - Moves the bar to the other bottom corner (remembered for the session).
 * @csspart cobrowse-end - The end button in the live bar (only this ends a live session; Escape does not).
 * @csspart ended - The notice after the end.
 * @csspart cobrowse-close - Closes that notice.
 * @csspart pointer - The advisor's pointer (`data-x`/`data-y`: its last document coordinates).
 * @cssprop [--lotse-accent=#00594f] - Buttons.
 * @cssprop [--lotse-live-color=#c2410c] - Border, live bar and pointer.
 * @cssprop [--lotse-z-index=2147483000] - Stacking order of the view, the border, the bar and the pointer.
 * @cssprop [--lotse-inset-block-end=16px] - Distance of the start view and the live bar from the viewport's bottom.
 * @cssprop [--lotse-inset-inline-start=16px] - Distance of the start view and the bar (default corner) from the side.
 * @cssprop [--lotse-inset-inline-end=16px] - Distance of the moved bar from the other side.
 * @cssprop [--lotse-font=system-ui, sans-serif] - Font family.
 */
export class LotseCobrowse extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['webcode-field', 'lang'];
  }

  #root: ShadowRoot;
  #form: HTMLFormElement | undefined;
  #view: Promise<LotseCobrowseView> | undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    // A constructable sheet: the insurer's strict CSP (`style-src 'self'`) blocks a `<style>` element.
    adoptStyles(this.#root, webcodeCss);
    // Started (consent given, start code shown; every session passes here before it is live): the webcode goes
    // from the search field, here only, unless the visitor has typed something else since.
    this.addEventListener('lotse-cobrowse-change', (event) => {
      if (event.detail.state !== 'startcode' || !searchField) return;
      if (webcodeOf(searchField.value)) searchField.value = '';
      searchField = undefined;
    });
  }

  connectedCallback(): void {
    this.#render();
    watchLang(this, this.#render);
    holder ??= this;
    if (holder === this && hasStoredSession()) {
      this.#load().then((view) => view.resume(), reportError);
    }
  }

  disconnectedCallback(): void {
    unwatchLang(this.#render);
    if (holder === this) holder = undefined;
  }

  attributeChangedCallback(): void {
    this.#render();
  }

  /** Base URL of the Lotse server (the `server` attribute, or derived from this script's URL). */
  get server(): string {
    return this.getAttribute('server') ?? defaultServer(import.meta.url);
  }

  set server(value: string) {
    this.setAttribute('server', value);
  }

  /**
   * Opens the start view for a webcode (6 digits; spaces are ignored). Returns false, and does nothing, when the
   * string is not a webcode or a `lotse-request-cobrowse` listener cancelled.
   */
  open(webcode: string): boolean {
    const code = webcodeOf(webcode);
    if (code === undefined || !emit(this, 'lotse-request-cobrowse', {}, { cancelable: true })) return false;
    holder = this;
    this.#load().then((view) => view.join(code), reportError);
    return true;
  }

  #render = (): void => {
    const wanted = this.hasAttribute('webcode-field');
    if (!wanted) {
      this.#form?.remove();
      this.#form = undefined;
      return;
    }
    const text = webcodeText(langOf(this));
    if (this.#form === undefined) {
      const form = document.createElement('form');
      form.part.add('webcode-form');
      form.noValidate = true;
      const label = document.createElement('label');
      const input = document.createElement('input');
      Object.assign(input, { id: 'webcode', name: 'webcode', inputMode: 'numeric', autocomplete: 'off', maxLength: 9 });
      input.part.add('webcode-input');
      input.setAttribute('aria-describedby', 'webcode-error');
      const button = document.createElement('button');
      button.part.add('webcode-submit');
      const error = document.createElement('p');
      Object.assign(error, { id: 'webcode-error' });
      error.part.add('webcode-error');
      error.setAttribute('aria-live', 'polite');
      label.append(document.createElement('span'), input);
      form.append(label, button, error);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const ok = webcodeOf(input.value) !== undefined;
        input.setAttribute('aria-invalid', String(!ok));
        error.textContent = ok ? '' : webcodeText(langOf(this)).invalid;
        if (ok && this.open(input.value)) input.value = '';
      });
      this.#root.append(form);
      this.#form = form;
    }
    const [label, button, error] = [
      this.#form.querySelector('span')!,
      this.#form.querySelector('button')!,
      this.#form.querySelector('p')!,
    ];
    label.textContent = text.label;
    button.textContent = text.submit;
    if (error.textContent) error.textContent = text.invalid;
  };

  #load(): Promise<LotseCobrowseView> {
    this.#view ??= import('./cobrowse-view.js').then(
      () => {
        const view = document.createElement('lotse-cobrowse-view');
        view.setAttribute('exportparts', VIEW_PARTS);
        view.server = this.server;
        view.block = this.getAttribute('block') ?? '';
        view.mask = this.getAttribute('mask') ?? '';
        this.#root.append(view);
        return view;
      },
      (error: unknown) => {
        this.#view = undefined;
        throw error;
      },
    );
    return this.#view;
  }
}

define('lotse-cobrowse', LotseCobrowse);

/**
 * Takes a search query as a webcode when it is one: finds the page's `<lotse-cobrowse>` (or adds one to the
 * body, with the `server` of a `<lotse-chat>` on the page) and opens the start view. Returns true when the query
 * was a webcode and co-browsing opens; the search should then not run.
 */
export function handleWebcode(query: string): boolean {
  if (webcodeOf(query) === undefined) return false;
  return element().open(query);
}

function element(): LotseCobrowse {
  let found = holder ?? document.querySelector('lotse-cobrowse');
  if (found === null) {
    found = document.createElement('lotse-cobrowse');
    const server = document.querySelector('lotse-chat[server]')?.getAttribute('server');
    if (server) found.server = server;
    document.body.append(found);
  }
  return found;
}

/** `form[data-lotse-search]`: one capturing listener on the document catches every such form, present or later. */
function onSubmit(event: Event): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-lotse-search]')) return;
  const input =
    form.querySelector<HTMLInputElement>('[data-lotse-search-input]') ??
    form.querySelector<HTMLInputElement>('input[type=search]');
  if (input !== null && handleWebcode(input.value)) {
    event.preventDefault();
    searchField = input;
  }
}

const INSTALLED = '__lotseWebcodeListener';
const marks = document as unknown as Record<string, boolean>;
if (!marks[INSTALLED]) {
  marks[INSTALLED] = true;
  document.addEventListener('submit', onSubmit, true);
  // A session from before this page was loaded: come back into it (an element must exist to hold it).
  const resume = (): void => {
    if (hasStoredSession() && document.querySelector('lotse-cobrowse') === null) element();
  };
  if (document.body === null) document.addEventListener('DOMContentLoaded', resume, { once: true });
  else resume();
}

declare global {
  interface HTMLElementTagNameMap {
    'lotse-cobrowse': LotseCobrowse;
  }
}
