import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AdvisorChat } from '../client/advisor-session.js';
import { advisorTexts } from '../i18n/advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import type { Lang } from '../i18n/locale.js';
import { MAX_TRANSFER_NOTE_LENGTH } from '../protocol/limits.js';
import type { Topic } from '../protocol/messages.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import { baseStyles } from './styles.js';
import { visitorName } from './visitor-name.js';

/** Where a transfer is handed to: a colleague by id, or a topic's queue. */
export type TransferTarget = { advisor: string } | { topic: string };

/** What the transfer needs of the session; the console hands in its session controller's. */
export interface TransferPort {
  /** The colleagues available now, as last asked; `undefined` while the answer is awaited. */
  colleagues(): readonly { id: string; name: string }[] | undefined;
  /** The configured topics. */
  topics(): readonly Topic[];
  /** Asks the server who is available (the dialog opens). */
  ask(): void;
  /** Hands the chat on; `refused` when it cannot go out now (offline, chat closed). */
  transfer(chatId: string, to: TransferTarget, note: string): 'sent' | 'refused';
}

export const noTransfer: TransferPort = {
  colleagues: () => [],
  topics: () => [],
  ask: () => undefined,
  transfer: () => 'refused',
};

/** A topic's label in the console's language; its id when it is not configured. */
export function topicLabel(topics: readonly Topic[], id: string, lang: Lang): string {
  return topics.find((topic) => topic.id === id)?.label[lang] ?? id;
}

/**
 * The transfer of one chat (issue 15): a "Weiterleiten" button that opens a modal dialog listing the colleagues
 * available now and the configured topics, with an internal note for whoever takes the chat next (never sent to the
 * visitor). Above it, in a chat this advisor received by a transfer, who handed it on and their note. Presentational:
 * the chat comes in as `chat` (re-rendered when `revision` changes), the session through `port`.
 *
 * @tag lotse-advisor-transfer
 * @prop {AdvisorChat | undefined} chat - The chat to transfer.
 * @prop {number} revision - Bumped by the console whenever the session changed.
 * @prop {TransferPort} port - The colleagues, the topics, and where the transfer goes.
 * @csspart handover - Who handed this chat on to the advisor, and their internal note.
 * @csspart transfer - The button that opens the transfer dialog.
 * @csspart transfer-dialog - The dialog: colleagues, topics, note.
 * @csspart transfer-note - The internal note's text area.
 * @csspart transfer-submit - The button that hands the chat on.
 */
export class LotseAdvisorTransfer extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: contents;
      }
      [part='handover'] {
        padding: 0.5rem 0.75rem;
        border-inline-start: 4px solid var(--lotse-accent, #0b5cab);
        background: var(--lotse-note-background, #fff8e1);
        border-radius: var(--_radius);
      }
      [part='handover'] p {
        margin: 0;
      }
      .note {
        white-space: pre-wrap;
        unicode-bidi: isolate;
      }
      dialog {
        max-width: min(32rem, 95vw);
        border: 1px solid var(--_subtle);
        border-radius: var(--_radius);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 35%);
      }
      fieldset {
        margin: 0 0 0.75rem;
        border: 1px solid var(--_subtle);
        border-radius: var(--_radius);
      }
      label {
        display: block;
        padding: 0.15rem 0;
      }
      textarea {
        box-sizing: border-box;
        width: 100%;
        min-height: 4rem;
        font: inherit;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        justify-content: flex-end;
        margin-top: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) chat: AdvisorChat | undefined;
  @property({ attribute: false }) revision = 0;
  @property({ attribute: false }) port: TransferPort = noTransfer;

  @state() private target: string | undefined;

  @query('dialog') private dialog!: HTMLDialogElement | null;

  #localize = new LocalizeController(this);

  /** Opens the dialog (the button's click; tests). */
  open(): void {
    this.port.ask();
    this.target = undefined;
    const dialog = this.dialog;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }

  override render(): TemplateResult | typeof nothing {
    const chat = this.chat;
    if (chat === undefined) return nothing;
    const lang = this.#localize.lang;
    const texts = advisorTexts(lang);
    const closed = chat.lost || chat.log.ended;
    return html`${this.renderHandover(chat, texts)}
      ${
        closed
          ? nothing
          : html`<button type="button" part="transfer" class="secondary" aria-haspopup="dialog"
          ?disabled=${chat.transferring} @click=${() => this.open()}>${texts.transfer.action}</button>`
      }
      <dialog part="transfer-dialog" aria-labelledby="transfer-title" @close=${() => (this.target = undefined)}>
        ${closed ? nothing : this.renderForm(chat, texts, lang)}
      </dialog>`;
  }

  private renderHandover(chat: AdvisorChat, texts: AdvisorTexts): TemplateResult | typeof nothing {
    const handover = chat.handover;
    if (handover === undefined) return nothing;
    return html`<aside part="handover" aria-label=${texts.transfer.noteLabel}>
      <p dir="auto">${texts.transfer.handover(handover.from)}</p>
      ${
        handover.note === undefined
          ? nothing
          : html`<p><strong>${texts.transfer.noteLabel}:</strong> <span class="note" dir="auto">${handover.note}</span></p>`
      }
    </aside>`;
  }

  private renderForm(chat: AdvisorChat, texts: AdvisorTexts, lang: Lang): TemplateResult {
    const t = texts.transfer;
    const colleagues = this.port.colleagues();
    const topics = this.port.topics();
    return html`<form method="dialog" @submit=${(event: SubmitEvent) => this.submit(event, chat)}>
      <h2 id="transfer-title">${t.title(visitorName(chat.visitor))}</h2>
      <fieldset>
        <legend>${t.colleagues}</legend>
        ${
          colleagues === undefined
            ? html`<p role="status">${t.loading}</p>`
            : colleagues.length === 0
              ? html`<p>${t.noColleagues}</p>`
              : colleagues.map((colleague) => this.renderChoice(`advisor:${colleague.id}`, colleague.name))
        }
      </fieldset>
      <fieldset>
        <legend>${t.topics}</legend>
        ${
          topics.length === 0
            ? html`<p>${t.noTopics}</p>`
            : topics.map((topic) => this.renderChoice(`topic:${topic.id}`, topicLabel(topics, topic.id, lang)))
        }
      </fieldset>
      <label for="transfer-note">${t.note}</label>
      <textarea id="transfer-note" part="transfer-note" maxlength=${MAX_TRANSFER_NOTE_LENGTH}
        aria-describedby="transfer-note-hint"></textarea>
      <p id="transfer-note-hint" class="muted">${t.noteHint}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.dialog?.close()}>${t.cancel}</button>
        <button type="submit" part="transfer-submit" ?disabled=${this.target === undefined}>${t.submit}</button>
      </div>
    </form>`;
  }

  private renderChoice(value: string, label: string): TemplateResult {
    return html`<label><input type="radio" name="target" .value=${value} .checked=${this.target === value}
      @change=${() => (this.target = value)} /> <span dir="auto">${label}</span></label>`;
  }

  private submit(event: SubmitEvent, chat: AdvisorChat): void {
    const target = this.target;
    if (target === undefined) {
      event.preventDefault();
      return;
    }
    const note = this.renderRoot.querySelector<HTMLTextAreaElement>('#transfer-note')?.value ?? '';
    const separator = target.indexOf(':');
    const kind = target.slice(0, separator);
    const id = target.slice(separator + 1);
    this.port.transfer(chat.chatId, kind === 'advisor' ? { advisor: id } : { topic: id }, note);
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#transfer-note');
    if (area !== null) area.value = '';
  }
}

define('lotse-advisor-transfer', LotseAdvisorTransfer);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-advisor-transfer': LotseAdvisorTransfer;
  }
}
