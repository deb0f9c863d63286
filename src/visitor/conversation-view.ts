/**
 * Step 3 (and the upper half of step 4): who the visitor is talking to, the connection state, the message log,
 * the typing indicator, problems, and, while the chat runs, the composer.
 *
 * The log is a `div role="log"` around an `ol`: `role="log"` is not allowed on an `ol`, and its items would stop
 * being list items.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ConnectionState } from '../client/connection.js';
import type { QueuePlace } from '../client/visitor-chat.js';
import type { ChatText } from '../i18n/chat.js';
import type { Lang } from '../i18n/locale.js';
import { timeOf } from '../i18n/time.js';
import { MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { withName } from '../dom/bidi.js';
import type { Entry } from './entries.js';

const PARTS: Record<Entry['kind'], string> = {
  visitor: 'message message-visitor',
  advisor: 'message message-advisor',
  pending: 'message message-pending',
  notice: 'notice',
};

export interface ConversationProps {
  text: ChatText;
  lang: Lang;
  entries: Entry[];
  advisor: string | undefined;
  /** While waiting: the place in the queue (and the expected wait, when the server has one). */
  queue: QueuePlace | undefined;
  /** Under the queue text: the callback offer of a long wait (`<lotse-callback queued>`), or nothing. */
  callback: TemplateResult | typeof nothing;
  /** The queue text as the polite status region says it (at most every 30 s; `queueText` makes it). */
  queueSaid: string;
  /** The chat runs in another tab: say so, offer to continue here, no composer. */
  elsewhere: boolean;
  sound: boolean;
  connection: ConnectionState;
  typing: boolean;
  problem: string | undefined;
  /** A member chat: says that the visitor is signed in, so the advisor will see who they are. */
  member: boolean;
  /** False once the chat has ended: no composer, no end button. */
  running: boolean;
  onKeydown: (event: KeyboardEvent) => void;
  onInput: () => void;
  onSend: (event: SubmitEvent) => void;
  onEnd: () => void;
  onSound: (event: Event) => void;
  onTakeOver: () => void;
}

/** The place in the queue and the expected wait, as one sentence pair; empty without a place. */
export function queueText(text: ChatText, place: QueuePlace | undefined): string {
  if (place === undefined) return '';
  const wait = place.waitSeconds === undefined ? '' : ` ${text.queue.wait(place.waitSeconds)}`;
  return text.queue.place(place.position) + wait;
}

function entryView(entry: Entry, text: ChatText, lang: Lang): TemplateResult {
  if (entry.kind === 'notice') {
    const named = entry.named;
    return html`<li class="notice" part="notice">${named ? withName(named.say, named.name) : entry.text}</li>`;
  }
  // Names and texts are isolated (`dir="auto"`, `unicode-bidi: isolate`): right-to-left letters or direction
  // marks in them cannot reorder what stands next to them.
  const at = entry.at;
  return html`<li class=${entry.kind} part=${PARTS[entry.kind]}>
    <span class="meta"
      ><span class="who" dir="auto">${entry.who}</span>
      ${
        at === undefined
          ? html`<span class="pending">${text.pending}</span>`
          : html`<time datetime=${new Date(at).toISOString()}>${timeOf(at, lang)}</time>`
      }</span
    >
    <span class="text" dir="auto">${entry.text}</span>
    ${entry.read === true ? html`<span class="read" part="read">${text.read}</span>` : nothing}
  </li>`;
}

export function conversationView(props: ConversationProps): TemplateResult {
  const { text, lang } = props;
  const who = props.advisor ?? text.someone;
  return html`<div class="info">
      ${props.member ? html`<p part="member">${text.member.signedIn}</p>` : nothing}
      ${
        props.advisor === undefined
          ? props.running
            ? html`<p part="waiting">${text.waiting}</p>`
            : nothing
          : html`<p part="advisor">${withName(text.advisor, props.advisor)}</p>`
      }
      ${props.queue === undefined ? nothing : html`<p part="queue" aria-hidden="true">${queueText(text, props.queue)}</p>`}
      ${props.callback}
      <p class="visually-hidden" role="status">${props.queueSaid}</p>
      <p part="status" role="status">${text.connection[props.connection]}</p>
      ${
        props.running
          ? html`<label class="sound"
            ><input type="checkbox" part="sound" .checked=${props.sound} @change=${props.onSound} />${text.sound}</label
          >`
          : nothing
      }
    </div>
    <div part="log" role="log" aria-live="polite" aria-relevant="additions" aria-label=${text.messages} tabindex="0">
      <ol>
        ${repeat(
          props.entries,
          (entry) => entry.key,
          (entry) => entryView(entry, text, lang),
        )}
      </ol>
    </div>
    ${props.typing ? html`<p class="typing" part="typing">${withName(text.typing, who)}</p>` : nothing}
    <div class="problem" part="problem" role="alert">${props.problem ?? nothing}</div>
    ${
      props.running && props.elsewhere
        ? html`<div class="elsewhere">
          <p part="elsewhere">${text.elsewhere}</p>
          <button class="primary" part="take-over" type="button" data-autofocus @click=${props.onTakeOver}>
            ${text.takeOver}
          </button>
        </div>`
        : nothing
    }
    ${
      props.running && !props.elsewhere
        ? html`<form class="composer" @submit=${props.onSend}>
            <label class="field-label" for="composer">${text.composerLabel}</label>
            <div class="row">
              <textarea
                id="composer"
                part="composer"
                rows="2"
                maxlength=${MAX_TEXT_LENGTH}
                data-autofocus
                @keydown=${props.onKeydown}
                @input=${props.onInput}
              ></textarea>
              <button class="primary" part="send" type="submit">${text.send}</button>
            </div>
          </form>
          <button class="secondary" part="end" type="button" @click=${props.onEnd}>${text.end}</button>`
        : nothing
    }`;
}
