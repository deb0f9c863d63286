/**
 * The `/` suggestions of the composer, as a reactive controller of the conversation: typing `/` and a letter or
 * more at the start of a word opens a list of the canned responses whose shortcut matches (the chat's language
 * first); ArrowDown/ArrowUp choose, Enter or Tab inserts the chosen one with its placeholders filled, Escape closes.
 *
 * The list is rendered into the conversation's own shadow root (`render()`), beside the text area, so that the text
 * area's `aria-controls` and `aria-activedescendant` can name it: ids do not cross shadow roots. The text area keeps
 * its own role (a multi-line textbox may carry no other) with `aria-autocomplete="list"`; the combobox pattern's
 * keys and the active option work as on a combobox, and a polite status says how many match and how to pick.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { AdvisorSnippets } from '../client/advisor-snippets.js';
import type { SnippetTexts } from '../i18n/advisor.js';
import type { Snippet, SnippetLang } from '../protocol/snippets.js';
import { fillSnippet, matchSnippets, slashWord } from './snippet-match.js';
import type { Placeholders } from './snippet-match.js';

/** The most suggestions shown at once: the list stays short; the searchable list (Alt+S) has them all. */
const MAX_SHOWN = 8;

export const SNIPPET_LIST_ID = 'snippet-suggestions';

export interface SnippetContext {
  snippets: AdvisorSnippets | undefined;
  /** The chat's language (the visitor's widget), else the console's. */
  lang: SnippetLang;
  placeholders: () => Placeholders;
}

/** Every snippet the advisor may use, own ones marked. */
export function allSnippets(snippets: AdvisorSnippets | undefined): (Snippet & { own?: boolean })[] {
  if (snippets === undefined) return [];
  return [...snippets.personal.map((snippet) => ({ ...snippet, own: true })), ...snippets.team];
}

/** Puts `text` into the text area in place of `start`…`end`, the caret after it, and tells the host it changed. */
export function insertText(textarea: HTMLTextAreaElement, text: string, start: number, end: number): void {
  textarea.setRangeText(text, start, end, 'end');
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

export class SnippetController implements ReactiveController {
  #host: ReactiveControllerHost;
  #context: () => SnippetContext;
  #matches: Snippet[] = [];
  #active = 0;
  #start = 0;

  constructor(host: ReactiveControllerHost, context: () => SnippetContext) {
    this.#host = host;
    this.#context = context;
    host.addController(this);
  }

  get open(): boolean {
    return this.#matches.length > 0;
  }

  /** The active option's id, for the text area's `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.open ? `${SNIPPET_LIST_ID}-${this.#active}` : undefined;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close();
  }

  close(): void {
    if (!this.open) return;
    this.#matches = [];
    this.#active = 0;
    this.#host.requestUpdate();
  }

  /** After every input and caret move: opens, narrows or closes the list. */
  update(textarea: HTMLTextAreaElement): void {
    const word = slashWord(textarea.value, textarea.selectionStart, textarea.selectionEnd);
    const context = this.#context();
    const matches =
      word === undefined || context.snippets?.available !== true
        ? []
        : matchSnippets(allSnippets(context.snippets), word.query, context.lang).slice(0, MAX_SHOWN);
    if (word !== undefined) this.#start = word.start;
    const same = matches.length === this.#matches.length && matches.every((m, i) => m.id === this.#matches[i]?.id);
    if (same) return;
    this.#matches = matches;
    this.#active = 0;
    this.#host.requestUpdate();
  }

  /** The composer's keys while the list is open; true when the key was the list's (and must not send). */
  keydown(event: KeyboardEvent, textarea: HTMLTextAreaElement): boolean {
    if (!this.open || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return false;
    const count = this.#matches.length;
    switch (event.key) {
      case 'ArrowDown':
        this.#active = (this.#active + 1) % count;
        break;
      case 'ArrowUp':
        this.#active = (this.#active - 1 + count) % count;
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        this.#insert(textarea, this.#active);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    this.#host.requestUpdate();
    return true;
  }

  #insert(textarea: HTMLTextAreaElement, index: number): void {
    const snippet = this.#matches[index];
    if (snippet === undefined) return;
    const text = fillSnippet(snippet.text, this.#context().placeholders());
    this.close();
    insertText(textarea, text, this.#start, textarea.selectionStart);
    textarea.focus();
  }

  /** The list, for the host's template, right after the text area; `nothing` while closed. */
  render(texts: SnippetTexts, textarea: () => HTMLTextAreaElement | null): TemplateResult | typeof nothing {
    const status = html`<p class="visually-hidden snippet-status" role="status">
      ${this.open ? texts.suggestions(this.#matches.length) : nothing}
    </p>`;
    if (!this.open) return status;
    return html`${status}<ul id=${SNIPPET_LIST_ID} class="snippet-list" role="listbox" part="snippet-suggestions"
      aria-label=${texts.listLabel}>
      ${this.#matches.map(
        (snippet, i) => html`<li id=${`${SNIPPET_LIST_ID}-${i}`} role="option" part="snippet-option"
          aria-selected=${i === this.#active ? 'true' : 'false'}
          @mousedown=${(event: MouseEvent) => event.preventDefault()}
          @click=${() => {
            const area = textarea();
            if (area !== null) this.#insert(area, i);
          }}>
          <span class="shortcut">/${snippet.shortcut}</span>
          <span class="lang" lang=${snippet.lang}>${snippet.lang.toUpperCase()}</span>
          <span class="preview" dir="auto">${snippet.text}</span>
        </li>`,
      )}
    </ul>`;
  }
}
