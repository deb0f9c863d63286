import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { advisorTexts } from '../i18n/advisor.js';
import type { QueueItem, Topic } from '../protocol/messages.js';
import { topicLabel } from './lotse-advisor-transfer.js';
import { awayMarker, awayMarkerStyles } from './away-marker.js';
import { ClockController } from './clock-controller.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import { baseStyles } from './styles.js';
import { memberBadge, memberBadgeStyles, visitorName } from './visitor-name.js';

/** First messages are cut to this many characters in the queue; the full text is in the chat once accepted. */
const PREVIEW_LENGTH = 140;

/** Whole minutes a visitor has waited, by the server's clock (`clockOffset` = server minus local). */
export function waitingMinutes(since: number, clockOffset: number, now: number = Date.now()): number {
  return Math.max(0, Math.floor((now + clockOffset - since) / 60_000));
}

/**
 * The queue as this advisor sees it: the chats of the advisor's topics first, then the rest, each part in the server's
 * order; every item with its place in the whole queue (the one its visitor is told).
 */
export function ordered(items: readonly QueueItem[], mine: readonly string[]): { item: QueueItem; place: number }[] {
  const placed = items.map((item, index) => ({ item, place: index + 1 }));
  const ours = (entry: { item: QueueItem }): boolean =>
    entry.item.topic !== undefined && mine.includes(entry.item.topic);
  return [...placed.filter(ours), ...placed.filter((entry) => !ours(entry))];
}

export function preview(text: string, length = PREVIEW_LENGTH): string {
  const chars = [...text];
  return chars.length <= length
    ? text
    : chars
        .slice(0, length - 1)
        .join('')
        .trimEnd() + '…';
}

/**
 * The chats waiting for an advisor, in the order the server sends them, numbered: each item's number is its place
 * in the queue, the same the visitor is told ("Platz 2"). Presentational: the console hands in the items and what
 * to do on accept; waiting times refresh every 15 seconds. A visitor whose page is away (a link, a reload, a closed
 * tab; the chat waits for it) has an away marker. How many are waiting is a polite
 * status (`role="status"`), so a screen reader tells the advisor when someone new is waiting (or was taken).
 * A member from the member area is listed by the verified name with a "verified member" badge, an anonymous
 * visitor by the nickname. Names and first messages are isolated (`dir="auto"`, `unicode-bidi: isolate`).
 *
 * @tag lotse-advisor-queue
 * @prop {QueueItem[]} items - The waiting chats.
 * @prop {Topic[]} topics - The configured topics: a chat's topic is shown by its label.
 * @prop {string[]} mine - The advisor's topics: their chats come first, each still numbered by its place.
 * @prop {number} clockOffset - Server clock minus local clock, in ms.
 * @prop {boolean} disabled - Accepting is not possible (not connected).
 * @prop {(chatId: string) => void} acceptChat - Called when the advisor accepts a chat.
 * @csspart queue-count - How many people are waiting (a polite status).
 * @csspart queue - The list of waiting chats (an ordered list).
 * @csspart queue-item - One waiting chat.
 * @csspart queue-position - Its place in the queue (1 = next).
 * @csspart queue-topic - The chat's topic, by its label.
 * @csspart visitor-away - The marker while the visitor's page is away.
 * @csspart accept - The button that accepts a chat.
 * @csspart member-badge - "Verified member", next to a member's name.
 */
export class LotseAdvisorQueue extends LitElement {
  static override styles = [
    baseStyles,
    memberBadgeStyles,
    awayMarkerStyles,
    css`
      :host {
        display: block;
      }
      [part='queue-item'] {
        display: grid;
        grid-template-columns: auto 1fr auto;
        gap: 0.25rem 0.75rem;
        align-items: center;
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--_subtle);
      }
      .nickname {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .nickname,
      .first {
        unicode-bidi: isolate;
      }
      /* Short ("Wartet 3 Min."), on one line even in the console's narrow queue column; the full text is the
         accessible text and the tooltip. */
      .waiting {
        color: var(--_muted);
        font-size: 0.9em;
        white-space: nowrap;
      }
      [part='queue-position'] {
        align-self: start;
        min-width: 1.8rem;
        padding: 0.1rem 0.4rem;
        border: 1px solid var(--_border);
        border-radius: 1rem;
        font-variant-numeric: tabular-nums;
        font-weight: 600;
        text-align: center;
      }
      .first {
        grid-column: 2 / -1;
        margin: 0;
        overflow-wrap: anywhere;
        white-space: pre-line;
      }
      .first.none {
        color: var(--_muted);
        font-style: italic;
      }
      [part='queue-count'] {
        margin: 0 0 0.25rem;
        color: var(--_muted);
      }
    `,
  ];

  @property({ attribute: false }) items: QueueItem[] = [];
  /** The configured topics (their labels) and the advisor's own (whose chats come first). */
  @property({ attribute: false }) topics: readonly Topic[] = [];
  @property({ attribute: false }) mine: readonly string[] = [];
  @property({ attribute: false }) clockOffset = 0;
  @property({ type: Boolean }) disabled = false;
  @property({ attribute: false }) acceptChat: (chatId: string) => void = () => undefined;

  constructor() {
    super();
    new ClockController(this);
  }

  #localize = new LocalizeController(this);

  override render(): TemplateResult {
    const lang = this.#localize.lang;
    const texts = advisorTexts(lang);
    const now = Date.now();
    // Always in the DOM, so that a change of its text is announced (a live region that appears with its text may
    // be missed); Lit writes the text only when the count changed, not on every clock tick.
    return html`<h2 id="heading">${texts.queueHeading}</h2>
      <p part="queue-count" role="status">${texts.queueCount(this.items.length)}</p>
      ${
        this.items.length === 0
          ? nothing
          : html`<ol part="queue" aria-labelledby="heading">
            ${repeat(
              ordered(this.items, this.mine),
              ({ item }) => item.chatId,
              ({ item, place }, index) => {
                const minutes = waitingMinutes(item.since, this.clockOffset, now);
                const name = visitorName(item.visitor);
                const member = item.visitor.kind === 'member';
                return html`<li part="queue-item">
                  <span part="queue-position"><span aria-hidden="true">${place}</span><span class="visually-hidden"
                    >${texts.queuePosition(place)}</span></span>
                  <div>
                    <span class="nickname" dir="auto">${name}</span> ${memberBadge(item.visitor, texts)}${
                      item.topic === undefined
                        ? nothing
                        : html`<span part="queue-topic"
                            ><span class="visually-hidden">${texts.transfer.topicLabel}: </span
                            >${topicLabel(this.topics, item.topic, lang)}</span
                          >`
                    }${item.away ? awayMarker(texts) : nothing}<br />
                    <time class="waiting" datetime=${`PT${minutes}M`} title=${texts.waiting(minutes, lang)}
                      ><span aria-hidden="true">${texts.waitingShort(minutes, lang)}</span><span class="visually-hidden"
                        >${texts.waiting(minutes, lang)}</span
                      ></time
                    >
                  </div>
                  <button
                    part="accept"
                    type="button"
                    aria-label=${member ? texts.acceptMember(name) : texts.accept(name)}
                    aria-keyshortcuts=${index === 0 ? 'Alt+N' : nothing}
                    ?disabled=${this.disabled}
                    @click=${() => this.acceptChat(item.chatId)}
                  >
                    ${texts.acceptShort}
                  </button>
                  ${
                    item.firstMessage === undefined
                      ? html`<p class="first none">${texts.noFirstMessage}</p>`
                      : html`<p class="first" dir="auto">${preview(item.firstMessage)}</p>`
                  }
                </li>`;
              },
            )}
          </ol>`
      }`;
  }
}

define('lotse-advisor-queue', LotseAdvisorQueue);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-advisor-queue': LotseAdvisorQueue;
  }
}
