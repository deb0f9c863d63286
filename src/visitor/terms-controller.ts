/**
 * Loads terms of use: `<server>/lotse/terms.js` (chat) or `<server>/lotse/cobrowse-terms.js` (co-browsing), an ES
 * module whose default export is `{ version, text: { de, en } }`. A module rather than JSON so that a CSP that allows the server's scripts needs
 * nothing more (no `connect-src` before consent). Its shape is checked, never cast.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { serverBase, termsUrl } from '../dom/server-url.js';

export interface Terms {
  version: string;
  text: { de: string; en: string };
}

export type TermsState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'failed' }
  | { status: 'ready'; terms: Terms };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The terms from a loaded module, or `undefined` when it does not have the expected shape. */
export function termsOf(module: unknown): Terms | undefined {
  const terms = isRecord(module) ? module['default'] : undefined;
  if (!isRecord(terms) || !isRecord(terms['text'])) return undefined;
  const { version } = terms;
  const { de, en } = terms['text'];
  if (typeof version !== 'string' || version === '' || version.length > 200) return undefined;
  if (typeof de !== 'string' || typeof en !== 'string') return undefined;
  return { version, text: { de, en } };
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

  /** Loads the terms unless they are loaded or loading. After a failure, loads them again. */
  async load(server: string): Promise<void> {
    if (this.state.status === 'loading' || this.state.status === 'ready') return;
    this.#set({ status: 'loading' });
    const base = serverBase(server);
    let terms: Terms | undefined;
    if (base !== undefined) {
      this.#loads += 1;
      try {
        const module: unknown = await import(/* @vite-ignore */ termsUrl(base, this.#loads, this.#file));
        terms = termsOf(module);
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
