import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AdvisorChat } from '../client/advisor-session.js';
import type { CobrowseSession } from '../client/cobrowse-advisor.js';
import { advisorTexts } from '../i18n/advisor.js';
import { langOf } from '../i18n/locale.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import { busy } from './cobrowse-actions.js';
import './lotse-cobrowse-panel.js';
import { noCobrowseActions } from './lotse-cobrowse-panel.js';
import type { CobrowseActions, LotseCobrowsePanel } from './lotse-cobrowse-panel.js';
import './lotse-visitor-card.js';
import { CARD_PARTS, COBROWSE_PARTS } from './parts.js';
import { baseStyles } from './styles.js';

/**
 * The context of one chat, beside its conversation: who the visitor is (the visitor card), co-browsing (the offer,
 * and each session's panel with its webcode, start code and live view, right under the button that asked for it),
 * and the advisor's notes on the chat. Presentational: the console hands in the chat, its co-browse sessions and
 * where actions go.
 *
 * The notes are the advisor's own: never sent to the visitor or the server, never stored. The console keeps them in
 * memory for as long as it holds the chat; they are gone when the chat is closed or the page reloads.
 *
 * @tag lotse-advisor-context
 * @prop {AdvisorChat | undefined} chat - The chat.
 * @prop {number} revision - Bumped by the console whenever the session changed.
 * @prop {CobrowseSession[]} cobrowse - The co-browse sessions offered in this chat.
 * @prop {CobrowseActions} cobrowseActions - Where co-browse offers and their panels' actions go.
 * @prop {number} clockOffset - Server clock minus local clock, in ms.
 * @prop {string} notes - The advisor's notes on this chat.
 * @prop {(chatId: string, notes: string) => void} notesChange - Called as the advisor writes notes.
 * @csspart visitor-card - The card describing the visitor (`lotse-visitor-card`); its parts are exported too.
 * @csspart cobrowse-offer - Offers co-browsing in this chat (asks for a webcode).
 * @csspart cobrowse - A co-browse panel (`lotse-cobrowse-panel`); its parts are exported too.
 * @csspart notes - The advisor's notes on this chat (a text area; memory only).
 */
export class LotseAdvisorContext extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 1rem;
      }
      [part='visitor-card'] {
        padding: 0.6rem 0.8rem;
        border: 1px solid var(--_subtle);
        border-radius: var(--_radius);
      }
      section {
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
      }
      h3 {
        margin: 0;
      }
      [part='cobrowse-offer'] {
        align-self: flex-start;
      }
      .problem:empty {
        display: none;
      }
      .problem {
        margin: 0;
        color: var(--_danger);
        font-weight: 600;
      }
      [part='notes'] {
        width: 100%;
        min-height: 5rem;
        padding: 0.5rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        color: inherit;
        background: var(--_surface);
        font: inherit;
        font-size: max(16px, 1em);
        resize: vertical;
      }
      .hint {
        margin: 0;
        color: var(--_muted);
        font-size: 0.9em;
      }
    `,
  ];

  @property({ attribute: false }) chat: AdvisorChat | undefined;
  @property({ attribute: false }) revision = 0;
  @property({ attribute: false }) cobrowse: CobrowseSession[] = [];
  @property({ attribute: false }) cobrowseActions: CobrowseActions = noCobrowseActions;
  @property({ attribute: false }) clockOffset = 0;
  @property({ attribute: false }) notes = '';
  @property({ attribute: false }) notesChange: (chatId: string, notes: string) => void = () => undefined;

  /** The offer could not be sent (offline): said under the button. */
  @state() private offerProblem: string | undefined;

  #localize = new LocalizeController(this);

  /** The panel of co-browse session `sessionId` in this context, once rendered. */
  cobrowsePanel(sessionId: string): LotseCobrowsePanel | undefined {
    return [...this.renderRoot.querySelectorAll('lotse-cobrowse-panel')].find(
      (p) => p.session?.sessionId === sessionId,
    );
  }

  override render(): TemplateResult | typeof nothing {
    const chat = this.chat;
    if (chat === undefined) return nothing;
    const texts = advisorTexts(this.#localize.lang);
    const closed = chat.lost || chat.log.ended;
    // One co-browse per chat at a time: a new offer replaces one that is not connected yet; while one is connected
    // (or connecting) there is no offer button, which leaves the room to the live view.
    const live = this.cobrowse.some(busy);
    return html`<lotse-visitor-card part="visitor-card" exportparts=${CARD_PARTS} .visitor=${chat.visitor}>
      </lotse-visitor-card>
      <section aria-labelledby="cobrowse-heading">
        <h3 id="cobrowse-heading">${texts.layout.cobrowseHeading}</h3>
        ${
          closed || live
            ? nothing
            : html`<button type="button" part="cobrowse-offer" class="secondary"
          @click=${() => this.offer(chat)}>${texts.cobrowse.offer}</button>`
        }
        <p class="problem" role="alert">${this.offerProblem ?? nothing}</p>
        ${repeat(
          this.cobrowse,
          (session) => session.sessionId,
          (session) => html`<lotse-cobrowse-panel
          part="cobrowse" exportparts=${COBROWSE_PARTS} .session=${session} .revision=${this.revision}
          .clockOffset=${this.clockOffset} .actions=${this.cobrowseActions}></lotse-cobrowse-panel>`,
        )}
      </section>
      <section>
        <h3><label for="notes">${texts.layout.notesLabel}</label></h3>
        <textarea id="notes" part="notes" rows="4" aria-describedby="notes-hint" .value=${this.notes}
          @input=${(event: InputEvent) => this.notesChange(chat.chatId, (event.target as HTMLTextAreaElement).value)}
        ></textarea>
        <p class="hint" id="notes-hint">${texts.layout.notesHint}</p>
      </section>`;
  }

  private offer(chat: AdvisorChat): void {
    const offered = this.cobrowseActions.offer(chat.chatId);
    this.offerProblem = offered ? undefined : advisorTexts(langOf(this)).cobrowse.offline;
  }
}

define('lotse-advisor-context', LotseAdvisorContext);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-advisor-context': LotseAdvisorContext;
  }
}
