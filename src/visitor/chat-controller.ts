/**
 * The pop-up's only way to the network: a Lit reactive controller that owns the `VisitorChat`. It creates the
 * chat only when asked to start (after the terms, and the nickname unless it is a member chat) or to come back
 * into one from an earlier page (`restore`), re-renders its host on every change, and forgets everything on
 * `close()`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConnectionState, WebSocketLike } from '../client/connection.js';
import { VisitorChat } from '../client/visitor-chat.js';
import type { ChatProblem, MemberTokenSource, RestoredChat } from '../client/visitor-chat.js';
import type { Lang } from '../i18n/locale.js';
import type { LotseChatEndDetail } from '../dom/events/lotse-chat-end.js';

export interface ChatStart {
  /** WebSocket URL of the visitor endpoint. */
  url: string;
  /** The anonymous visitor's nickname; none in a member chat (`useMemberToken`). */
  nickname?: string | undefined;
  termsVersion: string;
  lang: Lang;
  /** The page's topic (`<lotse-chat topic>`), if it set one. */
  topic?: string | undefined;
  /** Test-only: a fake WebSocket. */
  WebSocket?: WebSocketLike | undefined;
}

export interface ChatControllerEvents {
  connection: (state: ConnectionState) => void;
  end: (detail: LotseChatEndDetail) => void;
  /** Member chat: the server found the token expired and no fresher one came; the chat waits for one. */
  tokenNeeded: () => void;
}

type Host = ReactiveControllerHost & Element;

/** How long a member chat from an earlier page waits for the page's token source before it asks without one. */
const TOKEN_SOURCE_WAIT_MS = 2_000;

export class ChatController implements ReactiveController {
  #host: Host;
  #events: ChatControllerEvents;
  #chat: VisitorChat | undefined;
  #unsubscribe: (() => void) | undefined;
  #nickname = '';
  #connection: ConnectionState = 'idle';
  #ended = false;
  #tokenNeeded = false;
  #member: MemberTokenSource | undefined;
  /** A problem found here rather than by the chat (a full outbox). */
  #localProblem: ChatProblem | undefined;
  /**
   * A member chat from an earlier page that waits (at most `TOKEN_SOURCE_WAIT_MS`) for this page to hand over its
   * token source; after that it asks anyway, and without a source the visitor is told to sign in again.
   */
  #waitingForToken: ReturnType<typeof setTimeout> | undefined;

  constructor(host: Host, events: ChatControllerEvents) {
    this.#host = host;
    this.#events = events;
    host.addController(this);
  }

  /** The running (or ended, not yet closed) chat. */
  get chat(): VisitorChat | undefined {
    return this.#chat;
  }

  get nickname(): string {
    return this.#nickname;
  }

  /** A member chat: the running one is, or (before it starts) the next one will be. */
  get member(): boolean {
    return this.#chat?.member ?? this.#member !== undefined;
  }

  /**
   * Where member tokens come from (`undefined`: anonymous). Asked before every start and resume, whichever source
   * is current then; handing one over lets a chat that waits for a fresh token go on.
   */
  useMemberToken(source: MemberTokenSource | undefined): void {
    this.#member = source;
    if (this.#waitingForToken !== undefined && source !== undefined) this.#resumeNow();
    else this.#chat?.renewToken();
    this.#host.requestUpdate();
  }

  get problem(): ChatProblem | undefined {
    return this.#localProblem ?? this.#chat?.problem;
  }

  /** Creates the chat and opens its connection: the first network traffic of the chat. */
  start(options: ChatStart): void {
    if (this.#chat !== undefined) throw new Error('LOTSE_ERR_INVALID_STATE: chat already started');
    this.#chat = new VisitorChat({
      url: options.url,
      ...(this.#member ? { memberToken: () => this.#member?.() } : {}),
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    });
    this.#nickname = options.nickname ?? '';
    this.#connection = 'idle';
    this.#ended = false;
    this.#tokenNeeded = false;
    this.#subscribe();
    this.#chat.start(options.nickname, options.termsVersion, options.lang, options.topic);
  }

  /**
   * Comes back into a chat of an earlier page: the history comes from the server, unsent messages go out once. A
   * member chat stays one (whatever this page is) and waits until the page has handed over its token source.
   */
  restore(options: Omit<ChatStart, 'termsVersion' | 'lang'> & { restore: RestoredChat; member: boolean }): void {
    if (this.#chat !== undefined) throw new Error('LOTSE_ERR_INVALID_STATE: chat already started');
    this.#chat = new VisitorChat({
      url: options.url,
      restore: options.restore,
      ...(options.member ? { memberToken: () => this.#member?.() } : {}),
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    });
    this.#nickname = options.restore.start.nickname ?? '';
    this.#connection = 'idle';
    this.#ended = false;
    this.#tokenNeeded = false;
    this.#subscribe();
    if (options.member && this.#member === undefined)
      this.#waitingForToken = setTimeout(() => this.#resumeNow(), TOKEN_SOURCE_WAIT_MS);
    else this.#chat.resume();
  }

  #resumeNow(): void {
    clearTimeout(this.#waitingForToken);
    this.#waitingForToken = undefined;
    this.#chat?.resume();
  }

  /** After another tab took the chat: brings it back here. */
  takeOver(): void {
    this.#chat?.takeOver();
  }

  /** Queues a message. False when it could not be queued (the problem says why). */
  send(text: string): boolean {
    const chat = this.#chat;
    if (chat === undefined) return false;
    try {
      chat.send(text);
      this.#localProblem = undefined;
      return true;
    } catch (error) {
      const code = error instanceof Error ? /^LOTSE_ERR_[A-Z_]+/.exec(error.message)?.[0] : undefined;
      this.#localProblem = { code: code ?? 'LOTSE_ERR_INVALID_STATE', message: String(error) };
      this.#host.requestUpdate();
      return false;
    }
  }

  /** Tells the other side the visitor is typing (throttled by the chat). */
  input(): void {
    this.#chat?.input();
  }

  end(): void {
    this.#chat?.end();
  }

  /** Forgets the chat: socket, timers, log, nickname. Idempotent. */
  close(): void {
    clearTimeout(this.#waitingForToken);
    this.#waitingForToken = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#chat?.close();
    this.#chat = undefined;
    this.#nickname = '';
    this.#localProblem = undefined;
    this.#connection = 'idle';
    this.#ended = false;
    this.#tokenNeeded = false;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    // Moved in the DOM: connected again before the microtask. Removed for good: end the chat, leave nothing open.
    queueMicrotask(() => {
      if (this.#host.isConnected || this.#chat === undefined) return;
      this.#chat.end();
      this.close();
    });
  }

  #subscribe(): void {
    if (this.#chat === undefined || this.#unsubscribe !== undefined) return;
    this.#unsubscribe = this.#chat.subscribe(() => this.#changed());
    this.#changed();
  }

  #changed(): void {
    const chat = this.#chat;
    if (chat === undefined) return;
    if (chat.connection !== this.#connection) {
      this.#connection = chat.connection;
      this.#events.connection(chat.connection);
    }
    if (chat.tokenNeeded !== this.#tokenNeeded) {
      this.#tokenNeeded = chat.tokenNeeded;
      if (chat.tokenNeeded) this.#events.tokenNeeded();
    }
    if (chat.phase === 'ended' && !this.#ended) {
      this.#ended = true;
      const ended = chat.log.events.find(({ event }) => event.kind === 'ended')?.event;
      // Ended by the server's event, by the visitor's own click (confirmed later), or lost.
      this.#events.end(
        chat.lost ? { reason: 'lost' } : { reason: 'ended', by: ended?.kind === 'ended' ? ended.by : 'visitor' },
      );
    }
    this.#host.requestUpdate();
  }
}
