import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { AdvisorChat } from '../client/advisor-session.js';
import type { AdvisorSnippets } from '../client/advisor-snippets.js';
import type { PendingMessage } from '../client/chat-log.js';
import { advisorTexts, errorText } from '../i18n/advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { langOf } from '../i18n/locale.js';
import type { Lang } from '../i18n/locale.js';
import { timeOf } from '../i18n/time.js';
import { MAX_TEXT_LENGTH } from '../protocol/limits.js';
import type { ChatEvent, SequencedEvent } from '../protocol/messages.js';
import { normaliseText } from '../protocol/text.js';
import { withName } from '../dom/bidi.js';
import { conversationStyles } from './conversation-styles.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import './lotse-snippet-dialog.js';
import type { LotseSnippetDialog } from './lotse-snippet-dialog.js';
import type { LotseSnippetInsertEvent } from '../dom/events/lotse-snippet-insert.js';
import { SNIPPET_LIST_ID, SnippetController, insertText } from './snippet-controller.js';
import { fillSnippet } from './snippet-match.js';
import { snippetStyles } from './snippet-styles.js';
import './lotse-advisor-transfer.js';
import { noTransfer } from './lotse-advisor-transfer.js';
import type { TransferPort } from './lotse-advisor-transfer.js';
import { PRESENCE_TIMING, PresenceNotice } from './presence-notice.js';
import type { PresenceTiming } from './presence-notice.js';
import { LogScroll } from './log-scroll.js';
import { lastRead, readMark, readStatus } from './read-receipt.js';
import { baseStyles } from './styles.js';
import { memberBadge, memberBadgeStyles, visitorName } from './visitor-name.js';

/** What a conversation may ask of the session; the console hands in its session controller. */
export interface ConversationActions {
  send(chatId: string, text: string): 'sent' | 'refused';
  input(chatId: string): void;
  end(chatId: string): void;
  dismiss(chatId: string): void;
}

const noActions: ConversationActions = {
  send: () => 'refused',
  input: () => undefined,
  end: () => undefined,
  dismiss: () => undefined,
};

/** One line of the log: a confirmed event, or one of the advisor's messages the server has not confirmed yet. */
type Line = { event: SequencedEvent; pending?: undefined } | { event?: undefined; pending: PendingMessage };

/**
 * A message is keyed by its client id, pending and confirmed alike: its list item stays the same node when the
 * echo arrives, so the live log does not announce it a second time. Other events by their sequence number.
 */
function lineKey(line: Line): string {
  if (line.pending !== undefined) return `message-${line.pending.id}`;
  const { seq, event } = line.event;
  return event.kind === 'message' ? `message-${event.id}` : `event-${seq}`;
}

/**
 * One chat the advisor holds, as its conversation: a header with the visitor's name and the chat's actions (ending
 * it), the messages, the visitor's typing indicator and the composer. The messages scroll; the header and the
 * composer stay in view when the element is given a height (the console gives it its region's). Once the chat has
 * ended or is lost, a notice and a button that removes it from the console. Who the visitor is in detail, co-browsing
 * and notes are the chat's context (`lotse-advisor-context`), beside it in the console. Presentational: the session
 * state comes in as `chat` (re-rendered when `revision` changes), actions go out through `actions`.
 *
 * Under the header, a presence line says when the visitor's page has left ("Kim hat die Seite verlassen":
 * a link, a reload, a closed tab; the chat waits for it) and when it is back ("Kim ist wieder da", fading after a
 * few seconds). The line shows at once; screen readers hear it through a polite live region, and only when the
 * page is still away after about two seconds (and "back" only after "left"), so that a visitor clicking through
 * the site does not flood the advisor with announcements. "Gelesen" stands under the advisor's last message the
 * visitor has read; it is not announced (hidden from the live log), and a sentence after the log says the same
 * to screen readers.
 *
 * @tag lotse-advisor-conversation
 * @prop {AdvisorChat | undefined} chat - The chat to show.
 * @prop {number} revision - Bumped by the console whenever the session changed.
 * @prop {ConversationActions} actions - Where send, typing, end and dismiss go.
 * @prop {AdvisorSnippets | undefined} snippets - The canned responses: `/` and letters in the composer suggest
 *   them (`snippet-controller.ts`), Alt+S or the button opens all (`lotse-snippet-dialog`).
 * @prop {TransferPort} transfer - Where the transfer dialog (`lotse-advisor-transfer`) reaches the session.
 * @csspart conversation-header - The top of the conversation: the visitor's name and the chat's actions.
 * @csspart conversation-actions - The chat's actions in the header: the transfer (with the handover note of a chat
 *   handed to this advisor) and ending the chat.
 * @csspart member-badge - "Verified member", next to a member's name in the header.
 * @csspart handover - Who handed this chat on to the advisor, and their internal note.
 * @csspart transfer - The button that opens the transfer dialog; `transfer-dialog`, `transfer-note` and
 *   `transfer-submit` are the dialog's.
 * @csspart visitor-presence - The line saying that the visitor's page has left or is back (shown at once; screen
 *   readers hear it from a polite live region, delayed).
 * @csspart log - The conversation: a live log (`role="log"`) around an ordered list of messages.
 * @csspart message - Every chat message; with `message-visitor`, `message-advisor` or `message-pending`.
 * @csspart read-receipt - "Gelesen" under the advisor's last message the visitor has read.
 * @csspart system - A line about the chat itself (joined, left, ended).
 * @csspart typing - "… is typing" line.
 * @csspart chat-problem - Alert about this chat (a refused message, an unknown chat).
 * @csspart composer - The message text area.
 * @csspart snippet-suggestions - The `/` suggestions under the composer (a listbox); each `snippet-option`.
 * @csspart snippets-open - The button that opens every canned response (Alt+S).
 * @csspart send - The send button.
 * @csspart end - The button that ends the chat.
 * @csspart notice - What happened to an ended or lost chat.
 * @csspart dismiss - The button that removes an ended or lost chat.
 * @cssprop [--lotse-log-height=24rem] - Largest height of the messages before they scroll, for a conversation on its
 *   own; in the console the messages fill the conversation region.
 */
export class LotseAdvisorConversation extends LitElement {
  static override styles = [baseStyles, memberBadgeStyles, conversationStyles, ...snippetStyles];

  @property({ attribute: false }) chat: AdvisorChat | undefined;
  @property({ attribute: false }) revision = 0;
  @property({ attribute: false }) actions: ConversationActions = noActions;
  @property({ attribute: false }) snippets: AdvisorSnippets | undefined;
  /** The transfer's way to the session (`lotse-advisor-transfer`). */
  @property({ attribute: false }) transfer: TransferPort = noTransfer;
  /** @internal Test seam: the delays of the presence line's announcements. */
  @property({ attribute: false }) presenceTiming: PresenceTiming = PRESENCE_TIMING;

  /** A problem of our own (a message the outbox refused); chat problems come from the session. */
  @state() private localProblem: string | undefined;
  /** The session's problem object the advisor dismissed; a new problem is a new object and shows again. */
  @state() private dismissedProblem: object | undefined;

  @query('textarea') private composer!: HTMLTextAreaElement | null;
  @query('[part="log"]') private logElement!: HTMLElement | null;

  #shown = -1;
  #scroll = new LogScroll(this);
  #localize = new LocalizeController(this);
  #presence = new PresenceNotice(this, () => this.presenceTiming);
  #snippets = new SnippetController(this, () => ({
    snippets: this.snippets,
    lang: this.chat?.visitor.lang ?? this.#localize.lang,
    placeholders: () => this.#placeholders(),
  }));

  /** Puts the keyboard focus into the composer, or on the dismiss button of a closed chat. */
  focusComposer(): void {
    const target = this.composer ?? this.renderRoot.querySelector<HTMLButtonElement>('[part="dismiss"]');
    target?.focus();
  }

  override render(): TemplateResult | typeof nothing {
    const chat = this.chat;
    if (chat === undefined) return nothing;
    const lang = this.#localize.lang;
    const texts = advisorTexts(lang);
    // A member's verified name, or the anonymous visitor's nickname: who wrote, who is typing, who to write to.
    const nickname = visitorName(chat.visitor);
    const closed = chat.lost || chat.log.ended;
    const read = lastRead(chat);
    return html`<header part="conversation-header">
        <h2 id="conversation-heading"><bdi>${nickname}</bdi> ${memberBadge(chat.visitor, texts)}</h2>
        <div part="conversation-actions">
          <lotse-advisor-transfer exportparts="handover, transfer, transfer-dialog, transfer-note, transfer-submit"
            .chat=${chat} .revision=${this.revision} .port=${this.transfer}></lotse-advisor-transfer>${
              closed
                ? nothing
                : html`<button type="button" part="end" class="secondary" @click=${() => this.actions.end(chat.chatId)}>
            ${texts.end}</button>`
            }</div>
      </header>
      ${this.#presence.render(nickname, texts)}
      <div role="log" aria-live="polite" aria-relevant="additions" part="log" tabindex="0"
        aria-label=${texts.logLabel(nickname)}><ol>
        ${repeat(
          [
            ...chat.log.events.map((event): Line => ({ event })),
            ...chat.log.pending.map((pending): Line => ({ pending })),
          ],
          lineKey,
          (line) =>
            line.pending === undefined
              ? this.renderEvent(line.event.event, nickname, texts, lang, line.event.seq === read?.seq)
              : this.renderMessage(
                  'message message-pending',
                  texts.you,
                  line.pending.text,
                  html`<span>${texts.pendingMark}</span>`,
                ),
        )}
      </ol></div>
      ${readStatus(read, nickname, texts, lang)}
      <p part="typing" role="status">${chat.visitorTyping.typing && !closed ? withName(texts.typing, nickname) : nothing}</p>
      <div role="alert" part="chat-problem">${this.renderProblem(chat, texts)}</div>
      ${closed ? this.renderClosed(chat, nickname, texts) : this.renderComposer(chat, nickname, texts)}`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('chat')) this.#presence.reset();
    const chat = this.chat;
    this.#presence.update(chat === undefined || chat.lost || chat.log.ended ? undefined : chat.away);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const count = (this.chat?.log.events.length ?? 0) + (this.chat?.log.pending.length ?? 0);
    if (changed.has('chat')) this.#shown = -1;
    this.#scroll.track(this.logElement);
    if (count !== this.#shown) this.#scroll.newLines();
    this.#shown = count;
  }

  private renderEvent(
    event: ChatEvent,
    nickname: string,
    texts: AdvisorTexts,
    lang: Lang,
    read: boolean,
  ): TemplateResult {
    switch (event.kind) {
      case 'message': {
        const visitor = event.from === 'visitor';
        const time = html`<time datetime=${new Date(event.at).toISOString()}>${timeOf(event.at, lang)}</time>`;
        const receipt = read ? readMark(texts) : undefined;
        return visitor
          ? this.renderMessage('message message-visitor', nickname, event.text, time)
          : this.renderMessage('message message-advisor', texts.you, event.text, time, receipt);
      }
      case 'joined':
        return html`<li part="system">${withName(texts.joined, event.advisor)}</li>`;
      case 'left':
        return html`<li part="system">${withName(texts.left, nickname)}</li>`;
      case 'transferred':
        return html`<li part="system">${withName(texts.transferred, event.to)}</li>`;
      case 'ended':
        return html`<li part="system">${withName(texts.ended[event.by], nickname)}</li>`;
    }
  }

  /**
   * One message; the same template pending and confirmed, so the item is updated in place. Who and what are
   * isolated (`dir="auto"`, `unicode-bidi: isolate`): right-to-left letters or direction marks in a nickname or
   * text cannot reorder what stands next to them.
   */
  private renderMessage(
    parts: string,
    from: string,
    text: string,
    when: TemplateResult,
    receipt?: TemplateResult,
  ): TemplateResult {
    return html`<li part=${parts}>
      <span class="meta"><span class="from" dir="auto">${from}</span>${when}</span>
      <p class="text" dir="auto">${text}</p>${receipt ?? nothing}
    </li>`;
  }

  private renderProblem(chat: AdvisorChat, texts: AdvisorTexts): TemplateResult | typeof nothing {
    const fromSession = chat.problem !== undefined && chat.problem !== this.dismissedProblem;
    const message =
      this.localProblem ?? (fromSession && chat.problem ? errorText(texts, chat.problem.code) : undefined);
    if (message === undefined) return nothing;
    return html`<span>${message}</span>
      <button type="button" class="secondary" @click=${() => this.dismissProblem(chat)}>${texts.dismissProblem}</button>`;
  }

  private renderComposer(chat: AdvisorChat, nickname: string, texts: AdvisorTexts): TemplateResult {
    return html`<form @submit=${this.onSubmit}>
      <label for="composer">${withName(texts.composerLabel, nickname)}</label>
      <textarea id="composer" part="composer" maxlength=${MAX_TEXT_LENGTH} rows="3" aria-keyshortcuts="Alt+C"
        aria-autocomplete="list" aria-controls=${this.#snippets.open ? SNIPPET_LIST_ID : nothing}
        aria-activedescendant=${this.#snippets.activeId ?? nothing} @blur=${() => this.#snippets.close()}
        @click=${this.onCaret} @keydown=${this.onKeydown}
        @input=${(event: Event) => {
          this.onCaret(event);
          this.actions.input(chat.chatId);
        }}></textarea>
      ${this.#snippets.render(texts.snippets, () => this.composer)}
      <lotse-snippet-dialog .snippets=${this.snippets} .revision=${this.revision}
        chat-lang=${chat.visitor.lang ?? this.#localize.lang} @lotse-snippet-insert=${this.onSnippetInsert}>
      </lotse-snippet-dialog>
      <div class="actions">
        <button type="submit" part="send">${texts.send}</button>
        <button type="button" part="snippets-open" class="secondary" aria-keyshortcuts="Alt+S"
          @click=${this.openSnippets}>${texts.snippets.open} <kbd>${texts.snippets.openHint}</kbd></button>
      </div>
    </form>`;
  }

  private renderClosed(chat: AdvisorChat, nickname: string, texts: AdvisorTexts): TemplateResult {
    const ended = chat.log.events
      .map((item) => item.event)
      .filter((event): event is Extract<ChatEvent, { kind: 'ended' }> => event.kind === 'ended')
      .at(-1);
    const notice = ended === undefined ? texts.lost : withName(texts.ended[ended.by], nickname);
    return html`<div class="closed">
      <p part="notice" role="status">${notice}</p>
      <button type="button" part="dismiss" @click=${() => this.actions.dismiss(chat.chatId)}>${texts.dismiss}</button>
    </div>`;
  }

  private dismissProblem(chat: AdvisorChat): void {
    this.localProblem = undefined;
    this.dismissedProblem = chat.problem;
    this.focusComposer();
  }

  #placeholders(): { visitor: string; advisor: string } {
    return {
      visitor: this.chat === undefined ? '' : visitorName(this.chat.visitor),
      advisor: this.snippets?.advisorName ?? '',
    };
  }

  private onCaret = (event: Event): void => {
    this.#snippets.update(event.target as HTMLTextAreaElement);
  };

  private openSnippets = (): void => {
    this.#snippets.close();
    void this.renderRoot.querySelector<LotseSnippetDialog>('lotse-snippet-dialog')?.show();
  };

  private onSnippetInsert = (event: LotseSnippetInsertEvent): void => {
    const composer = this.composer;
    if (composer === null) return;
    const text = fillSnippet(event.detail.snippet.text, this.#placeholders());
    insertText(composer, text, composer.selectionStart, composer.selectionEnd);
    composer.focus();
  };

  private onKeydown = (event: KeyboardEvent): void => {
    const composer = event.target as HTMLTextAreaElement;
    if (this.#snippets.keydown(event, composer)) return;
    // Alt+S (by the key's place, whatever the layout types there): every canned response, searchable.
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyS') {
      event.preventDefault();
      this.openSnippets();
      return;
    }
    // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition is left to the IME.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.submit();
  };

  private onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.submit();
  };

  private submit(): void {
    const composer = this.composer;
    const chat = this.chat;
    if (composer === null || chat === undefined) return;
    // As the server will take it; a text with nothing left (only spaces, control characters) is not sent.
    const text = normaliseText(composer.value);
    if (text === '') return;
    if (this.actions.send(chat.chatId, text) === 'sent') {
      composer.value = '';
      this.localProblem = undefined;
    } else {
      this.localProblem = advisorTexts(langOf(this)).outboxFull;
    }
  }
}

define('lotse-advisor-conversation', LotseAdvisorConversation);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-advisor-conversation': LotseAdvisorConversation;
  }
}
