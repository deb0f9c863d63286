/**
 * `<lotse-callback-list>`: the console's list of open callback requests (see the class). One element, mounted in the
 * console's first region beside the queue.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { callbackListText } from '../i18n/callback-list.js';
import type { CallbackListText } from '../i18n/callback-list.js';
import type { CallbackItem } from '../protocol/callback.js';
import type { Topic } from '../protocol/messages.js';
import { topicLabel } from './lotse-advisor-transfer.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import { baseStyles } from './styles.js';

function windowOf(item: CallbackItem, text: CallbackListText): string {
  const day = new Intl.DateTimeFormat(text.locale, { weekday: 'short', day: 'numeric', month: 'short' });
  const time = new Intl.DateTimeFormat(text.locale, { hour: '2-digit', minute: '2-digit' });
  return `${day.format(item.from)}, ${time.format(item.from)}–${time.format(item.to)}`;
}

/**
 * The open callback requests (Rückrufservice), earliest window first: the number to call (a `tel:` link), the
 * preferred window, the topic when there is one (by its label in the console's language), and who took it. One advisor takes a request ("Übernehmen"; the
 * server lets exactly one have it), calls, and marks it done ("Erledigt"); it then leaves every console's list.
 * Presentational: the console hands in the items (live from its socket), who the advisor is, and what to do on
 * claim and done. How many are open is a polite status, so a new request is announced; a refusal shows beside the
 * request it is about.
 *
 * @tag lotse-callback-list
 * @prop {CallbackItem[]} items - The open requests.
 * @prop {boolean} more - The server holds more open requests than it sent.
 * @prop {Topic[]} topics - The configured topics: a request's topic is shown by its label (its id when unknown).
 * @prop {string} advisorId - The signed-in advisor (whose claims get "Erledigt").
 * @prop {{ id: string; code: string } | undefined} problem - The last refusal, by the request it names.
 * @prop {boolean} disabled - Not connected: no claim, no done.
 * @prop {(id: string) => void} claim - Called when the advisor takes a request.
 * @prop {(id: string) => void} done - Called when the advisor marks a request done.
 * @csspart callbacks-count - How many requests are open (a polite status).
 * @csspart callbacks - The list.
 * @csspart callback - One request.
 * @csspart callback-phone - Its number, a `tel:` link.
 * @csspart callback-claim - The button that takes it.
 * @csspart callback-done - The button that marks it done.
 * @csspart callback-problem - A refusal beside the request.
 */
export class LotseCallbackList extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      [part~='callbacks-count'] {
        margin: 0 0 0.25rem;
        color: var(--_muted);
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      [part~='callback'] {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.25rem 0.75rem;
        align-items: center;
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--_subtle);
      }
      [part~='callback-phone'] {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        color: var(--_accent);
      }
      dl {
        grid-column: 1 / -1;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.5rem;
        margin: 0;
        font-size: 0.9em;
      }
      dt {
        color: var(--_muted);
      }
      dd {
        margin: 0;
      }
      [part~='callback-problem'] {
        grid-column: 1 / -1;
        margin: 0;
        color: var(--_danger);
      }
    `,
  ];

  @property({ attribute: false }) items: CallbackItem[] = [];
  @property({ type: Boolean }) more = false;
  @property({ attribute: false }) topics: readonly Topic[] = [];
  @property({ attribute: false }) advisorId = '';
  @property({ attribute: false }) problem: { id: string; code: string } | undefined;
  @property({ type: Boolean }) disabled = false;
  @property({ attribute: false }) claim: (id: string) => void = () => undefined;
  @property({ attribute: false }) done: (id: string) => void = () => undefined;

  #localize = new LocalizeController(this);

  override render(): TemplateResult {
    const text = callbackListText(this.#localize.lang);
    return html`<section aria-labelledby="callbacks-heading">
      <h2 id="callbacks-heading">${text.heading}</h2>
      <p part="callbacks-count" role="status">${text.count(this.items.length)}</p>
      ${
        this.items.length === 0
          ? nothing
          : html`<ol part="callbacks" aria-labelledby="callbacks-heading">
              ${repeat(
                this.items,
                (item) => item.id,
                (item) => this.#item(item, text),
              )}
            </ol>`
      }
      ${this.more ? html`<p>${text.more}</p>` : nothing}
    </section>`;
  }

  #item(item: CallbackItem, text: CallbackListText): TemplateResult {
    const mine = item.claimedBy?.id === this.advisorId;
    const problem = this.problem?.id === item.id ? this.problem : undefined;
    const action =
      item.claimedBy === undefined
        ? html`<button
            part="callback-claim"
            type="button"
            aria-label=${text.claimLabel(item.phone)}
            ?disabled=${this.disabled}
            @click=${() => this.claim(item.id)}
          >
            ${text.claim}
          </button>`
        : mine
          ? html`<button
              part="callback-done"
              type="button"
              aria-label=${text.doneLabel(item.phone)}
              ?disabled=${this.disabled}
              @click=${() => this.done(item.id)}
            >
              ${text.done}
            </button>`
          : nothing;
    return html`<li part="callback" data-id=${item.id}>
      <a part="callback-phone" href=${`tel:${item.phone}`} aria-label=${text.call(item.phone)}>${item.phone}</a>
      ${action}
      <dl>
        <dt>${text.window}</dt>
        <dd>${windowOf(item, text)}</dd>
        ${item.topic === undefined ? nothing : html`<dt>${text.topic}</dt><dd>${topicLabel(this.topics, item.topic, this.#localize.lang)}</dd>`}
        ${
          item.claimedBy === undefined
            ? nothing
            : html`<dt class="visually-hidden">${text.claim}</dt>
                <dd style="grid-column: 1 / -1">${mine ? text.claimedByMe : text.claimedBy(item.claimedBy.name)}</dd>`
        }
      </dl>
      ${
        problem === undefined
          ? nothing
          : html`<p part="callback-problem" role="alert">${text.problems[problem.code] ?? text.problem}</p>`
      }
    </li>`;
  }
}

define('lotse-callback-list', LotseCallbackList);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-callback-list': LotseCallbackList;
  }
}
