/**
 * Step 4 (upper half), after a chat an advisor held: `<lotse-chat-rating>` asks "How satisfied were you?" with five
 * buttons 1–5 (one click rates) and "skip". A group with its legend, each button named "n of 5", the scale's ends
 * as the group's description; the thanks (or a failure) in a status. Skipping sends nothing and hands the focus
 * to the pop-up's copy button.
 *
 * Loaded by dynamic `import()` only once a chat has ended with a rating ticket, so the pop-up's opening carries
 * none of it (the pop-up's budget). Its parts are exported by itself, so `lotse-chat::part(rating-score)` works.
 * Only counts per day and topic are kept on the server (`client/rating.ts`).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { VisitorChat } from '../client/visitor-chat.js';
import { sendRating } from '../client/rating.js';
import { define } from '../dom/define.js';
import { serverBase } from '../dom/server-base.js';
import { ratingText } from '../i18n/chat-rating.js';
import type { Lang } from '../i18n/locale.js';
import { buttonStyles } from './button-styles.js';

type RatingState = 'offered' | 'sending' | 'thanks' | 'failed' | 'skipped';

/**
 * @tag lotse-chat-rating
 * @prop {VisitorChat} chat - The ended chat, with its `ratingTicket` (set to `''` once used or skipped, so that the
 *   pop-up keeps this element, and with it the thanks, while a new one would offer nothing).
 * @prop {'de' | 'en'} locale - The pop-up's language, set by the pop-up with each of its renders (it follows the
 *   page's `lang`).
 * @csspart rating - The group (a fieldset).
 * @csspart rating-score - One of the five buttons, 1–5.
 * @csspart rating-skip - Skips the rating.
 */
export class LotseChatRating extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
        margin-block-end: 8px;
      }
      fieldset {
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        margin-block-end: 8px;
        font-weight: 600;
      }
      .scores {
        display: flex;
        gap: 8px;
      }
      .scores button {
        flex: 1;
      }
      p {
        margin: 4px 0;
        color: #4d4d4d;
        font-size: 14px;
      }
    `,
  ];

  /**
   * Declared without decorators, as in the pop-up, and without a `LocalizeController` (the pop-up hands its
   * language over): so the rating shares no small chunk with the callback form (Lit's decorators) or the co-browse
   * view (the controller), each one more request and gzip stream on their paths.
   */
  static override properties = {
    chat: { attribute: false },
    locale: { attribute: false },
    state: { state: true },
  };

  chat: VisitorChat | undefined;
  locale: Lang = 'de';
  private state: RatingState = 'offered';

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('exportparts')) this.setAttribute('exportparts', 'rating,rating-score,rating-skip');
  }

  override render(): TemplateResult {
    const t = ratingText(this.locale);
    const state = this.state === 'offered' && this.chat?.ratingTicket === '' ? 'skipped' : this.state;
    const busy = state === 'sending';
    return html`${
      state === 'offered' || busy
        ? html`<fieldset part="rating" aria-describedby="scale">
            <legend>${t.legend}</legend>
            <div class="scores">
              ${[1, 2, 3, 4, 5].map(
                (score) =>
                  html`<button type="button" class="secondary" part="rating-score" aria-label=${t.score(score)}
                    ?disabled=${busy} @click=${() => this.#rate(score)}>${score}</button>`,
              )}
            </div>
            <p id="scale">${t.low} · ${t.high}</p>
            <button type="button" class="secondary" part="rating-skip" ?disabled=${busy} @click=${this.#skip}>
              ${t.skip}</button>
          </fieldset>`
        : nothing
    }<p role="status">${state === 'thanks' ? t.thanks : state === 'failed' ? t.failed : ''}</p>`;
  }

  async #rate(score: number): Promise<void> {
    const chat = this.chat;
    const ticket = chat?.ratingTicket;
    // The pop-up's server: the element lives in its shadow root.
    const base = serverBase(((this.getRootNode() as ShadowRoot).host as { server?: string } | undefined)?.server);
    if (chat === undefined || !ticket) return;
    chat.ratingTicket = ''; // single use, sent or not
    this.state = 'sending';
    this.state = base !== undefined && (await sendRating(base, ticket, score)) ? 'thanks' : 'failed';
  }

  #skip = async (): Promise<void> => {
    if (this.chat !== undefined) this.chat.ratingTicket = '';
    this.state = 'skipped';
    await this.updateComplete;
    (this.getRootNode() as ParentNode).querySelector<HTMLElement>('[part="copy"]')?.focus();
  };
}

define('lotse-chat-rating', LotseChatRating);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-chat-rating': LotseChatRating;
  }
}
