/**
 * The visitor's side of one chat, anonymous or from the member area, without any element: start, send through the
 * outbox, resume after a dropped socket, end, and the transcript; read receipts both ways, the place in the queue,
 * and one tab at a time. It writes no storage itself: `snapshot()` is what the pop-up keeps so that the chat
 * outlives the page (`chat-storage.ts`), and `restore` in the options comes back from it on the next page. A member
 * chat asks for a fresh member token before every start and resume (`member-tokens.ts`).
 */
import { CloseCode, ErrorCode } from '../protocol/errors.js';
import type { ServerToChatVisitor, VisitorToServer } from '../protocol/messages.js';
import { OUTBOX_BURST, OUTBOX_PER_SECOND, RATE_RETRY_MS } from '../protocol/limits.js';
import { encode, parseServerToChatVisitor } from '../protocol/visitor-parse.js';
import type { Outgoing } from '../protocol/parse.js';
import { ChatLog } from './chat-log.js';
import { MemberTokens } from './member-tokens.js';
import type { MemberTokenSource } from './member-tokens.js';
import type { PendingMessage } from './chat-log.js';
import { ChatTicket } from './chat-ticket.js';
import { Sideband } from './sideband.js';
import type { ChatSnapshot, RestoredChat } from './chat-ticket.js';
import { Connection } from './connection.js';
import type { ConnectionState, WebSocketLike } from './connection.js';
import { TypingIndicator, TypingSender } from './typing.js';

export type { MemberTokenSource } from './member-tokens.js';
export type { ChatSnapshot, RestoredChat } from './chat-ticket.js';
export type { QueuePlace } from './sideband.js';

export type VisitorPhase = 'new' | 'starting' | 'waiting' | 'active' | 'ended';

export interface VisitorChatOptions {
  /** WebSocket URL of the visitor endpoint, e.g. `wss://chat.example.de/ws/visitor`. */
  url: string;
  /** Member chat: where the member token comes from. Without it the chat is anonymous and needs a nickname. */
  memberToken?: MemberTokenSource;
  /** A chat from the page before: `resume()` comes back into it. */
  restore?: RestoredChat;
  WebSocket?: WebSocketLike;
  random?: () => number;
  events?: { window?: EventTarget; document?: Document };
}

export interface ChatProblem {
  code: string;
  message: string;
}

export class VisitorChat {
  readonly log = new ChatLog();
  readonly advisorTyping: TypingIndicator;
  connection: ConnectionState = 'idle';
  /**
   * The last problem worth telling the visitor about; cleared by the next success: a start or resume the server
   * answered, or one of the visitor's own messages confirmed (so a refused or rate-limited message is old news
   * once a later one, or the same one on its retry, got through).
   */
  problem: ChatProblem | undefined;
  /**
   * The single-use ticket for one satisfaction rating, handed out just before the end of a chat an advisor held
   * (`chat.rating`); it names no chat on the server. Used by the pop-up's rating (`visitor/rating-part.ts`), which then sets it to `''`.
   */
  ratingTicket: string | undefined;

  /**
   * The chat is gone on the server (timed out, server restarted) without an `ended` event, or could not be had at
   * all (a member token the server refused: `problem.code` is `LOTSE_ERR_TOKEN_INVALID`).
   */
  lost = false;
  /**
   * Member chat: the server found the member token expired and no fresher one came. The chat and its outbox wait;
   * `renewToken()` (once a new token is there) sends the start or resume again.
   */
  tokenNeeded = false;
  /**
   * The chat was taken over by another tab (or window) of this visitor: this one's socket was closed (4002) and
   * does not come back by itself. `takeOver()` brings the chat here.
   */
  elsewhere = false;
  /** Read receipts, the place in the queue, live advisor messages: beside the log (`sideband.ts`). */
  readonly sideband = new Sideband((message) => this.phase !== 'ended' && this.#sendNow(message));

  #options: VisitorChatOptions;
  #conn: Connection<ServerToChatVisitor>;
  #typing: TypingSender;
  #listeners = new Set<() => void>();
  #ticket: ChatTicket;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** The socket is open and the server answered our start or resume: new messages may go out directly. */
  #synced = false;
  /**
   * The outbox's pace: a reconnect (or a fast typist) must not send more than the server's rate limit takes, or
   * the socket is closed for flooding. Ids already sent on this socket, the bucket's tokens and its last refill.
   */
  #sent = new Set<string>();
  #tokens = OUTBOX_BURST;
  #refilled = 0;
  /** The visitor ended the chat; `chat.end` is repeated on every resume until the server confirms. */
  #ending = false;
  #member: MemberTokens | undefined;

  constructor(options: VisitorChatOptions) {
    this.#options = options;
    if (options.memberToken !== undefined) this.#member = new MemberTokens(options.memberToken);
    this.advisorTyping = new TypingIndicator(() => this.#changed());
    this.#typing = new TypingSender((typing) => this.#sendNow({ type: 'chat.typing', typing }));
    this.#conn = this.#connection();
    const restore = options.restore;
    this.#ticket = restore === undefined ? new ChatTicket() : ChatTicket.restored(restore, this.member);
    if (restore !== undefined) this.log.restore(restore.outbox);
  }

  #connection(): Connection<ServerToChatVisitor> {
    const options = this.#options;
    return new Connection<ServerToChatVisitor>({
      url: options.url,
      parse: parseServerToChatVisitor,
      pingFrame: encode<VisitorToServer>({ type: 'session.ping' }),
      onOpen: () => this.#onOpen(),
      onMessage: (message) => this.#onMessage(message),
      onState: (state, detail) => {
        this.connection = state;
        if (state !== 'connected') this.#synced = false;
        if (state === 'closed' && detail?.code === CloseCode.Replaced && this.phase !== 'ended') this.elsewhere = true;
        else if (state === 'closed' && detail?.code !== undefined && this.phase !== 'ended') {
          this.problem = { code: `close ${detail.code}`, message: 'connection refused' };
        }
        this.#changed();
      },
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.events ? { events: options.events } : {}),
    });
  }

  /** Derived from the log: what the visitor should see now. */
  get phase(): VisitorPhase {
    if (this.lost || this.log.ended || this.#ending) return 'ended';
    if (!this.#ticket.begun) return 'new';
    if (this.#ticket.chatId === undefined) return 'starting';
    return this.advisorName === undefined ? 'waiting' : 'active';
  }

  /**
   * Name of the advisor who holds the chat now, from the last `joined`, `left` or `transferred` event (a transfer:
   * nobody until the colleague's `joined`, or while the chat waits in a topic's queue).
   */
  get advisorName(): string | undefined {
    for (let i = this.log.events.length - 1; i >= 0; i -= 1) {
      const event = this.log.events[i]!.event;
      if (event.kind === 'joined') return event.advisor;
      if (event.kind === 'left' || event.kind === 'transferred') return undefined;
    }
    return undefined;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A member chat (the `memberToken` option is set): the server takes who it is from the token. */
  get member(): boolean {
    return this.#member !== undefined;
  }

  /**
   * Opens the connection and starts the chat. Only call this after the visitor confirmed the terms. The nickname
   * is required for an anonymous chat; a member chat sends none (the name comes from the verified token).
   */
  start(nickname: string | undefined, termsVersion: string, lang: 'de' | 'en', topic?: string): void {
    if (nickname === undefined && !this.member) {
      throw new TypeError('LOTSE_ERR_INVALID_STATE: an anonymous chat needs a nickname');
    }
    this.#ticket.begin(this.member ? undefined : nickname, termsVersion, lang, topic);
    this.problem = undefined;
    this.#conn.connect();
    this.#changed();
  }

  /** Comes back into the chat given as `restore`: connects, and the server sends its whole history again. */
  resume(): void {
    if (!this.#ticket.begun || this.#conn.state !== 'idle')
      throw new Error('LOTSE_ERR_INVALID_STATE: nothing to resume');
    this.#conn.connect();
    this.#changed();
  }

  /**
   * After another tab took the chat over (`elsewhere`): takes it back here, which in turn closes the other tab's
   * socket. Nothing is lost either way: the server has the log, and each tab's outbox goes out by its message ids.
   */
  takeOver(): void {
    if (!this.elsewhere || this.phase === 'ended') return;
    this.elsewhere = false;
    this.#conn = this.#connection();
    this.#conn.connect();
    this.#changed();
  }

  /** What the next page needs to come back into this chat (`chat-storage.ts`); `undefined` before the start. */
  snapshot(): ChatSnapshot | undefined {
    return this.#ticket.snapshot(this.log.pending);
  }

  /** The visitor has seen the chat up to `seq` (the pop-up open in a visible tab): the advisor is told. */
  read(seq: number): void {
    this.sideband.read(seq, this.#synced);
  }

  /** Queues a message; it is sent now if connected, or after the next resume. */
  send(text: string): PendingMessage {
    if (this.phase === 'ended' || this.phase === 'new') throw new Error('LOTSE_ERR_INVALID_STATE: no open chat');
    const message = this.log.enqueue(text);
    this.#typing.stop();
    // Sent at once only on a synced socket, after everything older in the outbox and within the pace. Otherwise
    // it waits in the outbox for the next `chat.started`/`chat.resumed`, which sends the outbox in order.
    this.#flush();
    this.#changed();
    return message;
  }

  /**
   * Member chat: a fresh token is there (the page set one). Sends the start or resume that waits for it, now if
   * connected, else on the next connect. Does nothing for an anonymous or finished chat.
   */
  renewToken(): void {
    if (!this.member || !this.#ticket.begun || this.#conn.state === 'closed') return;
    const waiting = this.tokenNeeded;
    this.#member?.renewed();
    if (waiting && this.#conn.state === 'connected' && !this.#synced) this.#onOpen();
  }

  /** Call on every keystroke in the composer. */
  input(): void {
    if (this.#ticket.chatId !== undefined && this.phase !== 'ended') this.#typing.input();
  }

  /** Ends the chat for both sides. The log stays in memory for the transcript until `close()`. */
  end(): void {
    if (this.phase === 'ended') return;
    if (!this.#ticket.begun) {
      this.#finish();
      return;
    }
    // Shown as ended at once; `chat.end` goes out now if the socket is synced and again after every resume until
    // the server confirms with the `ended` event (or no longer knows the chat). A dying socket cannot swallow it.
    this.#ending = true;
    this.#typing.close();
    if (this.#synced) this.#sendNow({ type: 'chat.end' });
    this.#changed();
  }

  /** True once the server confirmed the end: from then on nothing of the chat is left on the server. */
  get endConfirmed(): boolean {
    return this.log.ended || this.lost;
  }

  /** Forgets everything: socket, timers, log. Idempotent. */
  close(): void {
    this.#finish();
    this.#listeners.clear();
  }

  #finish(): void {
    clearTimeout(this.#retry);
    this.#typing.close();
    this.advisorTyping.close();
    this.#conn.close();
    this.#changed();
  }

  /**
   * On every (re)connect: the start or resume, and nothing else before the server answered it, so the outbox
   * keeps its order. A member chat asks for a token first; an answer that comes after the socket died is dropped.
   */
  #onOpen(): void {
    this.#synced = false; // also when a gap makes us resume on the same socket
    this.#sent.clear();
    this.sideband.newSocket();
    const member = this.#member;
    if (member === undefined) {
      this.#hello(undefined);
      return;
    }
    member.ask(
      (memberToken) => {
        if (this.tokenNeeded) {
          this.tokenNeeded = false; // told at once, so that a second expiry is news again
          this.#changed();
        }
        this.#hello(memberToken);
      },
      () => this.#needToken(),
      () => this.#conn.state === 'connected' && !this.#synced,
    );
  }

  #hello(memberToken: string | undefined): void {
    const hello = this.#ticket.hello(this.log.lastSeq, memberToken);
    if (hello !== undefined) this.#sendNow(hello);
  }

  #needToken(): void {
    this.tokenNeeded = true;
    this.problem = { code: ErrorCode.TokenExpired, message: 'a fresh member token is needed' };
    this.#changed();
  }

  #onMessage(message: ServerToChatVisitor): void {
    switch (message.type) {
      case 'chat.started':
        this.#ticket.started(message.chatId, message.resumeToken);
        this.#sync();
        break;
      case 'chat.event': {
        const unconfirmed = this.log.pending.length;
        const result = this.log.apply({ seq: message.seq, event: message.event });
        if (result === 'applied' && message.event.kind === 'message' && message.event.from === 'advisor')
          this.sideband.advisorMessage();
        this.#applied(result);
        if (this.log.pending.length < unconfirmed && !this.lost) this.problem = undefined;
        break;
      }
      case 'chat.resumed':
        this.#applied(this.log.applyAll(message.events));
        if (!this.log.ended) this.#sync();
        break;
      case 'chat.typing':
        this.advisorTyping.set(message.typing);
        return;
      case 'chat.rating':
        this.ratingTicket = message.ticket;
        return;
      case 'chat.read':
      case 'chat.queue':
        this.sideband.handle(message, this.log.lastSeq);
        break;
      case 'session.pong':
        return;
      case 'error':
        this.#onError(message);
        break;
    }
    this.#changed();
  }

  #applied(result: 'applied' | 'duplicate' | 'gap'): void {
    if (result === 'gap') this.#onOpen();
    if (this.advisorName !== undefined) this.sideband.joined();
    if (this.log.ended) this.#finish();
  }

  /** The server and we agree on the chat: send the outbox in order, then a pending end. */
  #sync(): void {
    this.#synced = true;
    this.problem = undefined;
    this.tokenNeeded = false;
    this.#member?.renewed();
    this.#flush();
    if (this.#ending) this.#sendNow({ type: 'chat.end' });
    else this.sideband.synced();
  }

  #onError(error: Extract<ServerToChatVisitor, { type: 'error' }>): void {
    if (error.code === ErrorCode.TokenExpired && this.#member !== undefined) {
      // The chat is kept on the server, and the outbox here. Ask the source once more by itself (a provider
      // fetches a fresh token); if it has nothing newer, wait for `renewToken()`.
      if (this.#member.expired() && this.#conn.state === 'connected') this.#onOpen();
      else this.#needToken();
      return;
    }
    this.problem = { code: error.code, message: error.message };
    switch (error.code) {
      case ErrorCode.RateLimited:
        // The server dropped it (and perhaps more after it); they are still in the outbox. Send everything not
        // yet acknowledged again, starting about RATE_RETRY_MS from now.
        this.#sent.clear();
        this.#tokens = 1 - (OUTBOX_PER_SECOND * RATE_RETRY_MS) / 1000;
        this.#flush();
        return;
      case ErrorCode.UnknownChat:
      case ErrorCode.TermsOutdated:
      case ErrorCode.Busy:
      case ErrorCode.TooManyWaiting:
      case ErrorCode.TokenInvalid:
      case ErrorCode.TokenUsed:
      case ErrorCode.TokenExpired: // on an anonymous chat it cannot be; treat as refused
        // Nothing to resume (timed out, server restarted) or nothing to start: this chat is over.
        this.lost = true;
        this.#finish();
        return;
      default:
        // Refused for good (too long, malformed, chat ended): take it out of the outbox, keep the problem.
        if (error.ref !== undefined) this.log.drop(error.ref);
    }
  }

  /** Sends the outbox's unsent messages in order, as many as the pace allows now; the rest a little later. */
  #flush(): void {
    if (!this.#synced) return;
    clearTimeout(this.#retry);
    const now = Date.now();
    this.#tokens = Math.min(OUTBOX_BURST, this.#tokens + ((now - this.#refilled) * OUTBOX_PER_SECOND) / 1000);
    this.#refilled = now;
    for (const { id, text } of this.log.pending) {
      if (this.#sent.has(id)) continue;
      if (this.#tokens < 1) {
        this.#retry = setTimeout(() => this.#flush(), 1000 / OUTBOX_PER_SECOND);
        return;
      }
      if (!this.#sendNow({ type: 'chat.message', id, text })) return;
      this.#tokens -= 1;
      this.#sent.add(id);
    }
  }

  #sendNow(message: Outgoing<VisitorToServer>): boolean {
    return this.#conn.send(encode<VisitorToServer>(message));
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
