/**
 * Loads terms of use in the page's language: `<server>/lotse/terms.js?lang=de` (chat) or
 * `<server>/lotse/cobrowse-terms.js?lang=de` (co-browsing), an ES module whose default export is `{ version, text }`
 * (a server from before per-language terms sends `text: { de, en }`: taken too). A module rather than JSON so that
 * a CSP that allows the server's scripts needs nothing more (no `connect-src` before consent). Its shape is
 * checked, never cast. Another language later loads the terms again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { serverBase, termsUrl } from '../dom/server-url.js';
import type { Lang } from '../i18n/locale.js';

export interface Terms {
  version: string;
  lang: Lang;
  /** Plain text, paragraphs separated by blank lines. */
  text: string;
}

export type TermsState =
  { status: 'idle' } | { status: 'loading' } | { status: 'failed' } | { status: 'ready'; terms: Terms };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The terms in `lang` from a loaded module, or `undefined` when it does not have the expected shape. */
export function termsOf(module: unknown, lang: Lang): Terms | undefined {
  const terms = isRecord(module) ? module['default'] : undefined;
  if (!isRecord(terms)) return undefined;
  const { version, text } = terms;
  const inLang = isRecord(text) ? text[lang] : text;
  if (typeof version !== 'string' || version === '' || version.length > 200 || typeof inLang !== 'string')
    return undefined;
  return { version, lang, text: inLang };
}

/** Paragraphs of plain-text terms: separated by blank lines. Always text, never HTML. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

export class TermsController implements ReactiveController {
  state: TermsState = { status: 'idle' };
  #host: ReactiveControllerHost;
  #file: 'terms.js' | 'cobrowse-terms.js';
  #loads = 0;

  constructor(host: ReactiveControllerHost, file: 'terms.js' | 'cobrowse-terms.js' = 'terms.js') {
    this.#host = host;
    this.#file = file;
    host.addController(this);
  }

  /** Nothing to start: the terms are loaded on demand, when the pop-up opens. */
  hostConnected(): void {}

  /**
   * Forgets the loaded terms: the next `load()` fetches them anew (they may have changed since; a chat refused
   * with `LOTSE_ERR_TERMS_OUTDATED` must not start again with the same version).
   */
  reset(): void {
    if (this.state.status !== 'loading') this.state = { status: 'idle' };
  }

  /**
   * The terms in `lang`, for a view that shows them: loaded if none were loaded yet or only another language's. A
   * failed load stays failed until the visitor asks again (`load`).
   */
  want(server: string, lang: Lang): void {
    const state = this.state;
    if (state.status === 'idle' || (state.status === 'ready' && state.terms.lang !== lang))
      void this.load(server, lang);
  }

  /** Loads the terms in `lang` unless they are loaded or loading. After a failure, loads them again. */
  async load(server: string, lang: Lang): Promise<void> {
    const state = this.state;
    if (state.status === 'loading' || (state.status === 'ready' && state.terms.lang === lang)) return;
    this.#set({ status: 'loading' });
    const base = serverBase(server);
    let terms: Terms | undefined;
    if (base !== undefined) {
      this.#loads += 1;
      try {
        const module: unknown = await import(/* @vite-ignore */ termsUrl(base, lang, this.#loads, this.#file));
        terms = termsOf(module, lang);
      } catch {
        terms = undefined;
      }
    }
    this.#set(terms === undefined ? { status: 'failed' } : { status: 'ready', terms });
  }

  #set(state: TermsState): void {
    this.state = state;
    this.#host.requestUpdate();
  }
}
