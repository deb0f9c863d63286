import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AdvisorSnippets, SnippetDraft } from '../client/advisor-snippets.js';
import { advisorTexts } from '../i18n/advisor.js';
import type { SnippetTexts } from '../i18n/advisor.js';
import { MAX_SNIPPET_SHORTCUT_LENGTH } from '../protocol/limits.js';
import type { Snippet, SnippetLang } from '../protocol/snippets.js';
import { LocalizeController } from '../dom/localize.js';
import { define, emit } from '../dom/define.js';
import type {} from '../dom/events/lotse-snippet-insert.js';
import { allSnippets } from './snippet-controller.js';
import { matchSnippets } from './snippet-match.js';
import { snippetListStyles } from './snippet-styles.js';
import { baseStyles } from './styles.js';

const LIST_ID = 'all-snippets';

function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * Every canned response in one searchable list, and the advisor's own ones to create, edit and delete. A modal
 * dialog, opened by the composer's button or Alt+S (`show()`): the search field is a combobox over the list (arrow
 * keys choose, Enter inserts, Escape closes the dialog); a click on an option inserts it too. Inserting fires
 * `lotse-snippet-insert`; the conversation fills the placeholders and puts the text at the caret. Without a store
 * on the server it says that canned responses are not available.
 *
 * @tag lotse-snippet-dialog
 * @prop {AdvisorSnippets | undefined} snippets - The session's canned responses.
 * @prop {number} revision - Bumped by the console whenever the session changed.
 * @attr chat-lang - The chat's language (`de`, `en`): its snippets come first.
 * @fires {CustomEvent<LotseSnippetInsertDetail>} lotse-snippet-insert - The advisor chose one to insert.
 * @csspart snippet-dialog - The dialog.
 * @csspart snippet-search - The search field.
 * @csspart snippet-list - The list of all (a listbox).
 * @csspart snippet-form - The form of an own snippet.
 * @csspart snippet-unavailable - The notice that the server has no store for canned responses (or the list loads).
 */
export class LotseSnippetDialog extends LitElement {
  static override styles = [
    baseStyles,
    snippetListStyles,
    css`
      dialog {
        width: min(42rem, 92vw);
        max-height: 88vh;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        color: var(--_text);
        background: var(--_surface);
      }
      input,
      select,
      textarea {
        font: inherit;
        font-size: max(16px, 1em);
        width: 100%;
        padding: 0.35rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      [part='snippet-list'] {
        max-height: 14rem;
        margin: 0.5rem 0;
      }
      .own li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin: 0.25rem 0;
      }
      .own li .shortcut {
        flex: 1;
      }
      form {
        display: grid;
        gap: 0.4rem;
        margin: 0.5rem 0;
      }
      .hint {
        margin: 0;
        color: var(--_muted);
        font-size: 0.9em;
      }
      .row {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      [role='alert'] {
        color: var(--_danger);
      }
    `,
  ];

  @property({ attribute: false }) snippets: AdvisorSnippets | undefined;
  @property({ attribute: false }) revision = 0;
  @property({ attribute: 'chat-lang' }) chatLang: SnippetLang = 'de';

  @state() private query = '';
  @state() private active = 0;
  @state() private draft: SnippetDraft | undefined;
  @state() private notice = '';

  @query('dialog') private dialog!: HTMLDialogElement | null;
  @query('#snippet-search') private search!: HTMLInputElement | null;

  #localize = new LocalizeController(this);

  /** Opens the dialog with the search field focused, and asks the server for the current list. */
  async show(): Promise<void> {
    this.query = '';
    this.active = 0;
    this.notice = '';
    this.snippets?.request();
    await this.updateComplete;
    if (this.dialog?.open !== true) this.dialog?.showModal();
    this.search?.focus();
  }

  close(): void {
    this.dialog?.close();
  }

  override render(): TemplateResult {
    const texts = advisorTexts(this.#localize.lang).snippets;
    const available = this.snippets?.available;
    return html`<dialog part="snippet-dialog" aria-labelledby="snippet-title">
      <h2 id="snippet-title">${texts.dialogTitle}</h2>
      ${
        available === true
          ? html`${this.renderSearch(texts)}${this.renderOwn(texts)}`
          : html`<p part="snippet-unavailable">${available === false ? texts.unavailable : texts.loading}</p>`
      }
      <p role="status">${this.notice}</p>
      <p role="alert">${this.snippets?.refused === undefined ? nothing : texts.refused}</p>
      <button type="button" class="secondary" @click=${() => this.close()}>${texts.close}</button>
    </dialog>`;
  }

  private found(): Snippet[] {
    return matchSnippets(allSnippets(this.snippets), this.query, this.chatLang, { inText: true });
  }

  private renderSearch(texts: SnippetTexts): TemplateResult {
    const matches = this.found();
    const active = Math.min(this.active, matches.length - 1);
    return html`<label for="snippet-search">${texts.search}</label>
      <input id="snippet-search" type="search" part="snippet-search" role="combobox" aria-expanded="true"
        aria-controls=${LIST_ID} aria-autocomplete="list" autocomplete="off" .value=${this.query}
        aria-activedescendant=${active >= 0 ? `${LIST_ID}-${active}` : nothing}
        @input=${(event: Event) => {
          this.query = (event.target as HTMLInputElement).value;
          this.active = 0;
        }}
        @keydown=${(event: KeyboardEvent) => this.onSearchKey(event, matches, active)} />
      <ul id=${LIST_ID} class="snippet-list" role="listbox" part="snippet-list" aria-label=${texts.dialogTitle}>
        ${matches.map(
          (
            snippet,
            i,
          ) => html`<li id=${`${LIST_ID}-${i}`} role="option" aria-selected=${i === active ? 'true' : 'false'}
            @click=${() => this.insert(snippet)}>
            <span class="shortcut">/${snippet.shortcut}</span>
            <span class="lang">${texts.langName[snippet.lang]} · ${'own' in snippet ? texts.personal : texts.team}</span>
            <span class="preview" dir="auto">${snippet.text}</span>
          </li>`,
        )}
      </ul>
      ${matches.length === 0 ? html`<p class="hint">${texts.noMatch}</p>` : nothing}`;
  }

  private renderOwn(texts: SnippetTexts): TemplateResult {
    const own = this.snippets?.personal ?? [];
    const max = this.snippets?.limits.maxPersonal ?? 0;
    return html`<section class="own" aria-labelledby="own-title">
      <h3 id="own-title">${texts.personal}</h3>
      <p class="hint">${texts.count(own.length, max)}</p>
      <ul>
        ${own.map(
          (snippet) => html`<li>
            <span class="shortcut">/${snippet.shortcut} (${texts.langName[snippet.lang]})</span>
            <button type="button" class="secondary" @click=${() => this.edit(snippet)}>${texts.edit(snippet.shortcut)}</button>
            <button type="button" class="secondary" @click=${() => this.removeOwn(snippet)}>${texts.remove(snippet.shortcut)}</button>
          </li>`,
        )}
      </ul>
      ${
        this.draft === undefined
          ? html`<button type="button" class="secondary" ?disabled=${own.length >= max}
              @click=${() => this.edit({ shortcut: '', lang: this.chatLang, text: '' })}>${texts.add}</button>`
          : this.renderForm(this.draft, texts)
      }
    </section>`;
  }

  private renderForm(draft: SnippetDraft, texts: SnippetTexts): TemplateResult {
    const maxText = this.snippets?.limits.maxTextLength ?? 1000;
    return html`<form part="snippet-form" @submit=${this.onSave}>
      <label for="snippet-shortcut">${texts.shortcutLabel}</label>
      <input id="snippet-shortcut" name="shortcut" required maxlength=${MAX_SNIPPET_SHORTCUT_LENGTH}
        autocapitalize="none" aria-describedby="shortcut-hint" .value=${draft.shortcut} />
      <p class="hint" id="shortcut-hint">${texts.shortcutHint}</p>
      <label for="snippet-lang">${texts.langLabel}</label>
      <select id="snippet-lang" name="lang" .value=${draft.lang}>
        <option value="de" ?selected=${draft.lang === 'de'}>${texts.langName.de}</option>
        <option value="en" ?selected=${draft.lang === 'en'}>${texts.langName.en}</option>
      </select>
      <label for="snippet-text">${texts.textLabel}</label>
      <textarea id="snippet-text" name="text" required rows="3" maxlength=${maxText}
        aria-describedby="text-hint" .value=${draft.text}></textarea>
      <p class="hint" id="text-hint">${texts.textHint(maxText)}</p>
      <div class="row">
        <button type="submit">${texts.save}</button>
        <button type="button" class="secondary" @click=${() => (this.draft = undefined)}>${texts.cancel}</button>
      </div>
    </form>`;
  }

  private onSearchKey(event: KeyboardEvent, matches: readonly Snippet[], active: number): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = matches.length === 0 ? 0 : (active + step + matches.length) % matches.length;
      this.renderRoot.querySelector(`#${LIST_ID}-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const snippet = matches[active];
      if (snippet !== undefined) this.insert(snippet);
    }
  }

  private insert(snippet: Snippet): void {
    const { id, shortcut, lang, text } = snippet;
    this.close();
    emit(this, 'lotse-snippet-insert', { snippet: { id, shortcut, lang, text } });
  }

  private async edit(draft: SnippetDraft): Promise<void> {
    this.draft = { id: draft.id, shortcut: draft.shortcut, lang: draft.lang, text: draft.text };
    this.notice = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#snippet-shortcut')?.focus();
  }

  private removeOwn(snippet: Snippet): void {
    if (this.snippets?.remove(snippet.id) === true) this.notice = advisorTexts(this.#localize.lang).snippets.removed;
  }

  private onSave = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const lang = data.get('lang') === 'en' ? 'en' : 'de';
    const draft = {
      id: this.draft?.id,
      shortcut: field(data, 'shortcut').trim().toLowerCase(),
      lang,
      text: field(data, 'text').trim(),
    } as const;
    if (this.snippets?.save(draft) !== true) return;
    this.draft = undefined;
    this.notice = advisorTexts(this.#localize.lang).snippets.saved;
  };
}

define('lotse-snippet-dialog', LotseSnippetDialog);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-snippet-dialog': LotseSnippetDialog;
  }
}
