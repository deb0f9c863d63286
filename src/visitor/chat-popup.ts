/**
 * The visitor's chat pop-up, loaded by the launcher on first click: terms, nickname (not in a member chat),
 * conversation, end. Holds no networking: the terms come through `TermsController`, the chat through
 * `ChatController`. Everything about member chats but the token's hand-over lives here, not in the launcher.
 * What only a chat needs, never the opening (the ended view, the transcript's copying, the problem texts), is a
 * chunk of its own, loaded once there is a chat (`chat-later.ts`); the rating after it is another
 * (`rating-part.ts`).
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import type { WebSocketLike } from '../client/connection.js';
import type { MemberTokenSource } from '../client/visitor-chat.js';
import { chatText, loadChatText } from '../i18n/chat.js';
import type { ChatText } from '../i18n/chat.js';
import { langOf } from '../i18n/locale.js';
import type { Lang } from '../i18n/locale.js';
import { readStoredChat } from '../client/chat-storage.js';
import { Attention } from './attention.js';
import { ChatController } from './chat-controller.js';
import { Continuity } from './continuity.js';
import { conversationView, queueText } from './conversation-view.js';
import { ThrottledStatus } from './polite.js';
import { define, emit } from '../dom/define.js';
import { composerHandlers } from './composer.js';
import type * as ChatLater from './chat-later.js';
import type { CopyController } from './copy-controller.js';
import { entries } from './entries.js';
import { checkNickname, nicknameView } from './nickname-view.js';
import type { NicknameError } from './nickname-view.js';
import { serverBase, socketUrl } from '../dom/server-url.js';
import { ErrorCode } from '../protocol/errors.js';
import { popupStyles } from './styles.js';
import { TermsController } from './terms-controller.js';
import { termsView } from './terms-view.js';
import { ViewportFit } from './viewport.js';

import { POPUP_PARTS } from './popup-parts.js';

export { POPUP_PARTS };

/** `ending`: the chat has ended, its view (a chunk of its own) not yet here. */
type Step = 'terms' | 'nickname' | 'chat' | 'ending' | 'ended';

/** Refusals of a `chat.start` for want of room: the ended view offers a callback (`<lotse-callback busy>`). */
const NO_ROOM: readonly string[] = [ErrorCode.Busy, ErrorCode.TooManyWaiting];
/**
 * A wait the server estimates at this many seconds or more, or one with no advisor to take it (`unstaffed`): the
 * visitor is offered a callback. No estimate alone (too few accepts yet to tell) offers nothing.
 */
const LONG_WAIT_SECONDS = 300;
/** Errors that refuse a `chat.start`: the ended view says the chat could not take place, not that it was lost. */
const REFUSED_STARTS: readonly string[] = [ErrorCode.TokenInvalid, ...NO_ROOM];

const collapseIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path d="M5.6 8.6 12 15l6.4-6.4L19.8 10 12 17.8 4.2 10z" />
</svg>`;

/**
 * The chat pop-up: a labelled, non-modal dialog. Before the visitor confirms the terms and submits a nickname it
 * opens no connection and writes nothing anywhere. Escape collapses it; the chat goes on in the background. Closing
 * it after the chat ended forgets the chat. In a member chat (`useMemberToken`) the terms are followed straight by
 * the conversation, which says that the member is signed in.
 *
 * The chat outlives the page: once started, it is kept in `sessionStorage` (never its conversation:
 * `client/chat-storage.ts`) and `restore()` on the next page of the same tab comes back into it, open if it was
 * open. While the conversation is not in view, new advisor messages count as unread (`onUnread`, for the
 * launcher's badge, and the page title with `notify-title`); a tone for them is the visitor's choice.
 *
 * A start the server refused for want of room (`LOTSE_ERR_BUSY`, `LOTSE_ERR_TOO_MANY_WAITING`) ends in a view that
 * offers a callback instead, where the server takes them (`<lotse-callback busy>`, a chunk loaded then). So does a
 * chat that waits long (no advisor available to take it, or an estimate of 5 minutes or more): under the queue text
 * a small "Rückruf statt warten" (`<lotse-callback queued>`, asking the server only then), said once by a polite status region,
 * never taking the focus. Its form opens in place; Cancel goes back to waiting. An accepted request ends the waiting
 * chat, and the end view shows the confirmation. An advisor who takes the chat meanwhile removes the offer's button;
 * a form already open stays, with what was typed.
 *
 * On a phone (`SHEET_MEDIA`) it fills the screen below the co-browse live bar, kept above the on-screen keyboard
 * (`ViewportFit`), and its minimise button says what it does in words.
 *
 * Usually created by `<lotse-chat>`; the pop-up exports all its parts (`POPUP_PARTS`) so that the page can style
 * `lotse-chat::part(composer)`; used on its own, set `server` and `open`.
 *
 * Two internal callbacks are for `<lotse-chat>` only and not part of the public API: `onCollapse` (the visitor asked
 * to collapse: Escape, close buttons) and `onUnread` (the number of unread advisor messages changed).
 *
 * @tag lotse-chat-popup
 * @prop {boolean} open - Whether the pop-up is shown (reflected as the `open` attribute).
 * @prop {string} server - Base URL of the Lotse server.
 * @prop {string} topic - The page's topic (a configured id such as `leistungen`), sent with the chat's start.
 *
 * @fires {CustomEvent<LotseChatStartDetail>} lotse-chat-start - The visitor confirmed the terms and started a chat.
 *   Detail: `{ termsVersion }`.
 * @fires {CustomEvent<LotseChatEndDetail>} lotse-chat-end - The chat is over. Detail: `{ reason: 'ended' | 'lost',
 *   by? }`.
 * @fires {CustomEvent<LotseMemberTokenExpiredDetail>} lotse-member-token-expired - Member chat: the server found the
 *   token expired and no fresher one came. The chat and unsent messages wait; hand over a new token
 *   (`<lotse-chat>`'s `memberToken`) to go on.
 * @fires {CustomEvent<LotseConnectionChangeDetail>} lotse-connection-change - The chat's connection changed state.
 *   Detail: `{ state }`.
 * @csspart collapse - The minimise button in the header (an icon; on a phone, where the pop-up fills the screen,
 *   with its name in words).
 * @csspart terms - The terms text.
 * @csspart terms-checkbox - The confirmation checkbox.
 * @csspart terms-accept - The button after the checkbox; disabled until it is ticked.
 * @csspart terms-retry - Retry after the terms failed to load.
 * @csspart nickname - The nickname input.
 * @csspart nickname-error - Its validation message.
 * @csspart nickname-submit - The button that starts the chat.
 * @csspart member - Member chat: "signed in to the member area".
 * @csspart advisor - Who the visitor chats with, once an advisor joined.
 * @csspart waiting - Shown until an advisor joined.
 * @csspart queue - While waiting: the place in the queue and, when the server has one, the expected wait.
 * @csspart callback-done - After a callback request instead of waiting: its confirmation in the end view. (The offer
 *   under the queue text is `<lotse-callback queued>`, with its own parts.)
 * @csspart sound - The checkbox that switches a tone for new messages on (off by default).
 * @csspart elsewhere - The chat runs in another tab of this visitor: says so.
 * @csspart take-over - Its button: continue the chat here.
 * @csspart status - Connection state.
 * @csspart log - The message list.
 * @csspart message - Every message; also `message-visitor`, `message-advisor` or `message-pending`.
 * @csspart notice - Joined, left and ended notices in the list.
 * @csspart read - "Read", under the visitor's last message the advisor has read.
 * @csspart typing - The advisor typing indicator.
 * @csspart problem - Alert region for problems.
 * @csspart composer - The message textarea.
 * @csspart send - The send button.
 * @csspart end - The end chat button.
 * @csspart ended - The chat-has-ended message.
 * @csspart rating - After a chat an advisor held: the satisfaction rating's group (five buttons, one click rates).
 * @csspart rating-score - One of the five rating buttons (1–5).
 * @csspart rating-skip - Skips the rating (nothing is sent).
 * @csspart copy - The copy transcript button.
 * @csspart transcript - Read-only transcript, when the clipboard is refused.
 * @csspart close - The close button after the end.
 */
export class LotseChatPopup extends LitElement {
  static override styles = popupStyles;

  /**
   * Reactive properties declared without decorators: Lit's decorator helpers would be some 900 bytes (minified) of
   * what every visitor who opens the chat loads.
   */
  static override properties = {
    open: { type: Boolean, reflect: true },
    server: {},
    accepted: { state: true },
    confirmed: { state: true },
    nicknameError: { state: true },
  };

  open = false;
  server = '';
  /** The page's topic (the launcher's `topic` attribute): sent with the chat's start. */
  topic = '';

  /**
   * TEST ONLY: a fake WebSocket constructor for the chat created after the nickname. Never set it in production;
   * unset, the browser's `WebSocket` is used.
   * @internal
   */
  testOnlyWebSocket: WebSocketLike | undefined;

  /**
   * Set by `<lotse-chat>`: the visitor asked to collapse (Escape, close buttons).
   * @internal
   */
  onCollapse: (() => void) | undefined;
  /**
   * Set by `<lotse-chat>`: the number of unread advisor messages changed (`attention.ts`).
   * @internal
   */
  onUnread: ((count: number) => void) | undefined;

  private accepted = false;
  private confirmed = false;
  private nicknameError: NicknameError | undefined;

  #terms = new TermsController(this);
  /** The ended view, the transcript's copying, the problem texts: `chat-later.ts`, once there is a chat. */
  #later: typeof ChatLater | undefined;
  #laterLoading: Promise<void> | undefined;
  #copy: CopyController | undefined;
  #chat = new ChatController(this, {
    connection: (state) => emit(this, 'lotse-connection-change', { state }),
    end: (detail) => emit(this, 'lotse-chat-end', detail),
    tokenNeeded: () => emit(this, 'lotse-member-token-expired', {}),
  });
  #composer = composerHandlers(() => this.renderRoot, this.#chat);
  #attention = new Attention(this, () => this.#chat.chat);
  #continuity = new Continuity(this, {
    chat: this.#chat,
    attention: this.#attention,
    server: () => serverBase(this.server)?.href,
    restore: () => {
      if (!this.restore()) this.#collapse();
    },
  });
  /** Full-screen on a phone: kept to the visual viewport, above the on-screen keyboard. */
  #viewport = new ViewportFit(this);
  /** The place in the queue is said at most every 30 s. */
  #queueStatus = new ThrottledStatus(this, 30_000);
  #step: Step = 'terms';
  /** This chat waited long once: the callback offer stays until the chat ends. */
  #longWait = false;
  /** The confirmation of a callback requested instead of waiting (the end view shows it). */
  #callbackDone = '';
  #hadFocus = false;
  #entryCount = 0;

  /**
   * Member chat: where the member token comes from (`<lotse-chat>` hands it over; `undefined`: anonymous). Asked
   * before every start and resume, never before the terms are confirmed. Setting it again lets a chat that waits
   * for a fresh token go on.
   */
  useMemberToken(source: MemberTokenSource | undefined): void {
    this.#chat.useMemberToken(source);
  }

  /**
   * Comes back into the chat an earlier page of this tab kept for this server, if there is one: the history comes
   * from the server, unsent messages go out once, the pop-up opens if it was open. Returns whether it is open.
   */
  restore(): boolean {
    if (this.#chat.chat !== undefined) return this.open; // a chat is here already: it stays
    const base = serverBase(this.server);
    const stored = base === undefined ? undefined : readStoredChat(base.href);
    if (base === undefined || stored === undefined) {
      this.#reset();
      return false;
    }
    this.#attention.restore(stored.seen, stored.sound);
    this.#chat.restore({
      url: socketUrl(base, 'visitor'),
      restore: stored,
      member: stored.member,
      WebSocket: this.testOnlyWebSocket,
    });
    this.accepted = this.confirmed = true;
    this.open = stored.open;
    return stored.open;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('exportparts')) this.setAttribute('exportparts', POPUP_PARTS);
  }

  /** Moves focus to the current step's main control (or the dialog itself). */
  override focus(options?: FocusOptions): void {
    const target =
      this.renderRoot.querySelector<HTMLElement>('[data-autofocus]') ??
      this.renderRoot.querySelector<HTMLElement>('.dialog');
    target?.focus(options);
  }

  /**
   * Renders only once the page language's texts are here (English is a chunk of its own), and, for the ended view or
   * a problem, the later part (`chat-later.ts`): it starts loading as soon as there is a chat, so it is normally
   * here long before either.
   */
  protected override async scheduleUpdate(): Promise<unknown> {
    const chat = this.#chat.chat;
    if (chat !== undefined) this.#loadLater();
    await loadChatText(this.#lang());
    if (chat !== undefined && (chat.phase === 'ended' || this.#chat.problem !== undefined)) await this.#laterLoading;
    return super.scheduleUpdate();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.#hadFocus = this.matches(':focus-within');
    // The terms, in the page's language, only before a chat (a chat from an earlier page had them confirmed there).
    if (this.open && this.#chat.chat === undefined) this.#terms.want(this.server, this.#lang());
    else if (changed.get('open') === true && this.#chat.chat?.phase === 'ended') this.#forget();
  }

  override render(): TemplateResult {
    const text = chatText(this.#lang());
    return html`<section class="dialog" role="dialog" aria-labelledby="title" tabindex="-1" @keydown=${this.#onKeydown}>
      <header>
        <h2 id="title">${text.title}</h2>
        <button class="icon" part="collapse" type="button" @click=${this.#collapse}>
          ${collapseIcon}<span class="visually-hidden">${text.collapse}</span>
        </button>
      </header>
      <div class="body">${this.#body(text)}</div>
    </section>`;
  }

  override updated(changed: PropertyValues<this>): void {
    const step = this.#currentStep();
    if (step !== this.#step) {
      this.#step = step;
      if (this.open && this.#hadFocus) this.focus();
    }
    const log = this.#chat.chat?.log;
    const count = log === undefined ? 0 : log.events.length + log.pending.length;
    // Scrolled to the end for a new entry, and on opening (a collapsed list has no height to scroll).
    if (count !== this.#entryCount || (changed.has('open') && this.open)) {
      this.#entryCount = count;
      const list = this.renderRoot.querySelector('[part~="log"]');
      if (list !== null) list.scrollTop = list.scrollHeight;
    }
  }

  #body(text: ChatText): TemplateResult {
    const lang = this.#lang();
    const chat = this.#chat.chat;
    if (chat === undefined && !this.confirmed) {
      return termsView({
        text,
        lang,
        state: this.#terms.state,
        accepted: this.accepted,
        onToggle: this.#onToggle,
        onAccept: this.#onAccept,
        onRetry: this.#onRetry,
      });
    }
    if (chat === undefined) {
      return nicknameView({
        text,
        error: this.nicknameError,
        onInput: this.#onNicknameInput,
        onSubmit: this.#onNicknameSubmit,
      });
    }
    const running = chat.phase !== 'ended';
    const problem = this.#chat.problem;
    const refusal = chat.lost ? (chat.problem?.code ?? '') : '';
    const later = this.#later;
    const waiting = chat.phase === 'waiting';
    const queue = waiting ? chat.sideband.queue : undefined;
    if (queue !== undefined && (queue.unstaffed === true || (queue.waitSeconds ?? 0) >= LONG_WAIT_SECONDS))
      this.#longWait = true;
    return html`${conversationView({
      text,
      lang,
      entries: entries(chat.log, text, text.you, chat.sideband.advisorRead),
      advisor: chat.advisorName,
      queue,
      queueSaid: this.#queueStatus.text(queueText(text, queue)),
      // A long wait: a callback instead, where the server takes them (the callback chunk, loaded only then).
      callback:
        running && this.#longWait
          ? (import('./lotse-callback.js').catch(() => undefined),
            html`<lotse-callback
              queued
              .withdrawn=${!waiting}
              .server=${this.server}
              .topic=${this.topic}
              .onDone=${this.#onCallbackDone}
            ></lotse-callback>`)
          : nothing,
      elsewhere: chat.elsewhere,
      sound: this.#attention.sound,
      onSound: this.#onSound,
      onTakeOver: () => this.#chat.takeOver(),
      connection: chat.connection,
      typing: running && chat.advisorTyping.typing,
      problem: problem === undefined ? undefined : later?.problemText(lang, problem.code),
      member: chat.member,
      running,
      ...this.#composer,
      onEnd: this.#onEnd,
    })}
    ${
      running || chat.ratingTicket === undefined
        ? nothing
        : (import('./rating-part.js').catch(() => undefined),
          html`<lotse-chat-rating .chat=${chat} .locale=${lang}></lotse-chat-rating>`)
    }
    ${
      running || later === undefined
        ? nothing
        : later.endedView({
            text: later.laterText(lang),
            lost: chat.lost,
            member: chat.member,
            // No chat to speak of: the start was refused (a member token, a full queue, too many from this connection).
            refused: REFUSED_STARTS.includes(refusal),
            // No room: a callback instead, where the server takes them (its form is a chunk of its own).
            offer: NO_ROOM.includes(refusal)
              ? (import('./lotse-callback.js').catch(() => undefined),
                html`<lotse-callback busy .server=${this.server} .topic=${this.topic}></lotse-callback>`)
              : nothing,
            callbackDone: this.#callbackDone,
            confirmed: chat.endConfirmed,
            copy: this.#copy?.state ?? 'idle',
            transcript: this.#copy?.fallback ?? '',
            onCopy: () => void this.#copy?.copy(),
            onClose: this.#collapse,
          })
    }`;
  }

  #currentStep(): Step {
    const chat = this.#chat.chat;
    if (chat !== undefined) return chat.phase !== 'ended' ? 'chat' : this.#later === undefined ? 'ending' : 'ended';
    return this.confirmed ? 'nickname' : 'terms';
  }

  #lang(): Lang {
    return langOf(this);
  }

  /**
   * Loads the pop-up's later part once there is a chat, so that it is here when the chat ends, also when the
   * connection is gone by then. (A failed load is not tried again: the browser keeps a failed import's failure.)
   */
  #loadLater(): void {
    this.#laterLoading ??= import('./chat-later.js').then(
      (later) => {
        this.#copy = new later.CopyController(this, () => {
          const lang = this.#lang();
          const log = this.#chat.chat?.log;
          const text = chatText(lang);
          return log === undefined ? '' : later.transcript(log, text, lang, this.#chat.nickname || text.you);
        });
        this.#later = later;
        this.requestUpdate();
      },
      () => undefined,
    );
  }

  /** After the end: drop the chat, its stored state and everything typed; the next open starts at the terms. */
  #forget(): void {
    this.#continuity.forget();
    this.#reset();
  }

  /** Back to the start, the tab's storage left as it is (it may hold another server's chat). */
  #reset(): void {
    this.#attention.forget();
    this.#chat.close();
    this.#terms.reset();
    this.accepted = false;
    this.confirmed = false;
    this.nicknameError = undefined;
    this.#longWait = false;
    this.#callbackDone = '';
    this.#copy?.reset();
  }

  #collapse = (): void => {
    this.onCollapse?.();
    this.open = false;
  };

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing) return;
    event.preventDefault();
    this.#collapse();
  };

  #onToggle = (event: Event): void => {
    if (event.target instanceof HTMLInputElement) this.accepted = event.target.checked;
  };

  #onAccept = (): void => {
    if (!this.accepted || this.#terms.state.status !== 'ready') return;
    // A member is known from the token: no nickname, straight to the conversation.
    if (this.#chat.member) this.#start(undefined);
    else this.confirmed = true;
  };

  #onRetry = (): void => void this.#terms.load(this.server, this.#lang());

  #onNicknameInput = (event: Event): void => {
    if (this.nicknameError !== undefined && event.target instanceof HTMLInputElement) {
      this.nicknameError = checkNickname(event.target.value);
    }
  };

  #onNicknameSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#nickname');
    if (input === null) return;
    this.nicknameError = checkNickname(input.value);
    if (this.nicknameError === undefined) this.#start(input.value.trim());
    else input.focus();
  };

  /** Starts the chat: anonymous with a nickname, or as a member (the token is asked for when the socket is open). */
  #start(nickname: string | undefined): void {
    const terms = this.#terms.state;
    const base = serverBase(this.server);
    if (terms.status !== 'ready' || base === undefined) return;
    const termsVersion = terms.terms.version;
    emit(this, 'lotse-chat-start', { termsVersion });
    const lang = this.#lang();
    this.#chat.start({
      url: socketUrl(base, 'visitor'),
      nickname,
      termsVersion,
      lang,
      topic: this.topic || undefined,
      WebSocket: this.testOnlyWebSocket,
    });
  }

  #onEnd = (): void => this.#chat.end();

  /** A callback was requested instead of waiting: the chat ends as by the end button (unless an advisor has it). */
  #onCallbackDone = (confirmation: string): void => {
    if (this.#chat.chat?.phase !== 'waiting') return;
    this.#callbackDone = confirmation;
    this.#chat.end();
  };

  #onSound = (event: Event): void => {
    if (event.target instanceof HTMLInputElement) this.#attention.toggleSound(event.target.checked);
  };
}

define('lotse-chat-popup', LotseChatPopup);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-chat-popup': LotseChatPopup;
  }
}
