/**
 * The advisor's side, without any element: the queue, the chats this advisor holds (several at once), presence,
 * and the same outbox-and-resume guarantees per chat as the visitor has. On every (re)connect the session says
 * `advisor.hello` with the last event it has of each chat, and the server answers with what is missing.
 * Beside the log, per chat: whether the visitor's page is there, and read receipts both ways (`advisor-chat.ts`).
 * Everything it sends is paced below the budget the server announced (`pacer.ts`): a console that answers a burst
 * is slowed down here, not disconnected there; after a slow-down notice it waits and sends its outboxes again.
 */
import {
  ADVISOR_PACE_BURST_SHARE,
  ADVISOR_PACE_RATE_SHARE,
  AUTH_SUBPROTOCOL_PREFIX,
  MAX_HELLO_SESSIONS,
  RATE_BURST,
  RATE_PER_SECOND,
  RATE_RETRY_MS,
} from '../protocol/limits.js';
import { CloseCode, ErrorCode } from '../protocol/errors.js';
import type { AdvisorToServer, QueueItem, ServerToAdvisor, Topic, VisitorCard } from '../protocol/messages.js';
import { encode, parseServerToAdvisor } from '../protocol/parse.js';
import type { Outgoing } from '../protocol/parse.js';
import { AdvisorPresence } from './advisor-presence.js';
import type { Presence } from './advisor-presence.js';
import {
  createAdvisorChat,
  isOpen,
  readToRepeat,
  setPresent,
  setVisitorRead,
  stopTyping,
  unsentRead,
} from './advisor-chat.js';
import type { AdvisorChat } from './advisor-chat.js';
import { AdvisorSnippets } from './advisor-snippets.js';
import { CobrowseAdvisor } from './cobrowse-advisor.js';
import type { CobrowseAdvisorOptions } from './cobrowse-advisor.js';
import { Connection } from './connection.js';
import type { ConnectionState, WebSocketLike } from './connection.js';
import { Pacer } from './pacer.js';
import type { PaceBudget } from './pacer.js';

export type { AdvisorChat } from './advisor-chat.js';
import type { CallbackItem } from '../protocol/callback.js';
export type { Presence } from './advisor-presence.js';

/**
 * What the console allows itself of the server's budget. A server that announces none is assumed to have a
 * visitor's (the smallest there is).
 */
function paceOf(rate: PaceBudget = { burst: RATE_BURST, perSecond: RATE_PER_SECOND }): PaceBudget {
  return {
    burst: Math.max(1, Math.floor(rate.burst * ADVISOR_PACE_BURST_SHARE)),
    perSecond: rate.perSecond * ADVISOR_PACE_RATE_SHARE,
  };
}

/**
 * Which waiting frame a new one replaces (`Pacer`): the latest typing state and read position of a chat, one copy
 * of a chat message or an end, the latest presence.
 */
function paceKey(message: Outgoing<AdvisorToServer>): string | undefined {
  switch (message.type) {
    case 'chat.message':
      return `m:${message.chatId}:${message.id}`;
    case 'chat.end':
      return `e:${message.chatId}`;
    case 'chat.typing':
      return `t:${message.chatId}`;
    case 'chat.read':
      return `r:${message.chatId}`;
    case 'queue.accept':
      return `a:${message.chatId}`;
    case 'chat.transfer':
      return `x:${message.chatId}`;
    case 'advisor.presence':
      return 'p';
    default:
      return undefined;
  }
}

/** Waiting frames that an outbox brings back (`#flush`). */
const fromOutbox = (key: string): boolean => key.startsWith('m:') || key.startsWith('e:');

export interface AdvisorSessionOptions {
  /** WebSocket URL of the advisor endpoint, e.g. `wss://chat.example.de/ws/advisor`. */
  url: string;
  /** The advisor's signed token; asked for on every connect, so a renewed token is picked up. */
  token: () => string;
  WebSocket?: WebSocketLike;
  random?: () => number;
  events?: { window?: EventTarget; document?: Document };
  /** Test seam: how a co-browse peer link is made. */
  createLink?: CobrowseAdvisorOptions['createLink'];
}

export class AdvisorSession {
  connection: ConnectionState = 'idle';
  advisor: { id: string; name: string } | undefined;
  queue: QueueItem[] = [];
  /** Server clock minus local clock, from the last message that carried `now`. */
  clockOffset = 0;
  readonly chats = new Map<string, AdvisorChat>();
  problem: { code: string; message: string } | undefined;
  /** Open callback requests (`callback.list`), earliest window first; `callbacksMore`: the server holds more. */
  callbacks: CallbackItem[] = [];
  callbacksMore = false;
  /** The server takes callback requests (it sent a `callback.list`): the console shows the list. */
  callbacksOffered = false;
  /** The last refusal of a claim or done, by the request it names (shown next to that request). */
  callbackProblem: { id: string; code: string } | undefined;
  /** This advisor's co-browse sessions: every `cobrowse.*` message from the server goes there. */
  readonly cobrowse: CobrowseAdvisor;
  /** The canned responses, team and own: every `snippets.*` message goes there. */
  readonly snippets: AdvisorSnippets;
  /** The configured topics (from `advisor.welcome`), and this advisor's (from its token): theirs come first. */
  topics: Topic[] = [];
  myTopics: string[] = [];
  /** The colleagues available for a transfer, as last asked (`askColleagues`); undefined until the answer. */
  colleagues: { id: string; name: string }[] | undefined;
  /** The last chat this console handed on, and to whom (a name or a topic's id), for the console to say so. */
  transferred: { chatId: string; to: string; topic?: string | undefined } | undefined;

  #conn: Connection<ServerToAdvisor>;
  #listeners = new Set<() => void>();
  #retry: ReturnType<typeof setTimeout> | undefined;
  #usedToken = '';
  #presence = new AdvisorPresence();
  /** Chats this console asked to accept and has not been given or refused yet (sent again after a slow-down). */
  readonly #accepting = new Set<string>();
  readonly #pacer: Pacer;

  constructor(options: AdvisorSessionOptions) {
    this.#pacer = new Pacer((frame) => this.#conn.send(frame), paceOf());
    this.cobrowse = new CobrowseAdvisor({
      send: (message) => this.#send(message),
      changed: () => this.#changed(),
      ...(options.createLink ? { createLink: options.createLink } : {}),
    });
    this.snippets = new AdvisorSnippets({ send: (message) => this.#send(message), changed: () => this.#changed() });
    this.#conn = new Connection<ServerToAdvisor>({
      url: options.url,
      protocols: () => {
        this.#usedToken = options.token();
        return [AUTH_SUBPROTOCOL_PREFIX + this.#usedToken];
      },
      // Closed for an expired token (4001): come back at once if the host has set a new one meanwhile.
      retryFinal: (code) => code === CloseCode.Unauthorized && options.token() !== this.#usedToken,
      parse: parseServerToAdvisor,
      pingFrame: encode<AdvisorToServer>({ type: 'session.ping' }),
      onOpen: () => this.#hello(),
      onMessage: (message) => this.#onMessage(message),
      onState: (state) => {
        this.connection = state;
        // Off the socket, every chat waits for its next `chat.assigned` before anything new goes out.
        if (state !== 'connected') {
          for (const chat of this.chats.values()) chat.synced = false;
          this.#pacer.reset();
        }
        this.#changed();
      },
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.events ? { events: options.events } : {}),
    });
  }

  /** The advisor's presence as shown: `away` while the chat is closed (opening hours), whatever was chosen. */
  get presence(): Presence {
    return this.#presence.shown;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  connect(): void {
    this.#conn.connect();
  }

  setPresence(status: Presence): void {
    this.#presence.choose(status);
    this.#send({ type: 'advisor.presence', status });
    this.#changed();
  }

  /** Takes a callback request (the server lets one advisor have it). */
  claimCallback(id: string): void {
    this.callbackProblem = undefined;
    this.#send({ type: 'callback.claim', id });
  }

  /** The claimed request was called back. */
  doneCallback(id: string): void {
    this.callbackProblem = undefined;
    this.#send({ type: 'callback.done', id });
  }

  accept(chatId: string): void {
    this.#accepting.add(chatId);
    this.#send({ type: 'queue.accept', chatId });
  }

  send(chatId: string, text: string): void {
    const chat = this.#open(chatId);
    const { id } = chat.log.enqueue(text);
    chat.typing.stop();
    // Sent at once only when the chat is synced on this socket (everything older went out before it); otherwise
    // the next `chat.assigned` sends the outbox in order.
    if (chat.synced) this.#send({ type: 'chat.message', chatId, id, text });
    this.#changed();
  }

  input(chatId: string): void {
    this.#open(chatId).typing.input();
  }

  end(chatId: string): void {
    const chat = this.#open(chatId);
    chat.ending = true;
    if (chat.synced) this.#send({ type: 'chat.end', chatId });
    this.#changed();
  }

  /**
   * Tells the visitor that this console has read `chatId` up to its last event, only when that is further than
   * it said before. The console calls it while the chat is in front in a visible tab, and again on every change.
   */
  markRead(chatId: string): void {
    const chat = this.chats.get(chatId);
    const seq = chat === undefined ? undefined : unsentRead(chat);
    if (chat === undefined || seq === undefined) return;
    if (this.#send({ type: 'chat.read', chatId, seq })) chat.advisorRead = seq;
  }

  /** Asks which colleagues could take a chat now; the answer lands in `colleagues`. */
  askColleagues(): void {
    this.colleagues = undefined;
    this.#send({ type: 'advisor.colleagues' });
    this.#changed();
  }

  /**
   * Hands a chat on to a colleague (`{ advisor: id }`) or to a topic's queue (`{ topic: id }`), with an internal
   * note for whoever takes it next. The chat leaves this console once the server confirms (`chat.transferred`).
   */
  transfer(chatId: string, to: { advisor: string } | { topic: string }, note: string): void {
    const chat = this.#open(chatId);
    const trimmed = note.trim();
    if (!this.#send({ type: 'chat.transfer', chatId, to, ...(trimmed === '' ? {} : { note: trimmed }) })) {
      throw new Error('LOTSE_ERR_INVALID_STATE: not connected');
    }
    chat.transferring = true;
    chat.problem = undefined;
    this.#changed();
  }

  /** Removes an ended or lost chat from the console. */
  dismiss(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return;
    stopTyping(chat);
    this.chats.delete(chatId);
    this.#changed();
  }

  /** Closes the connection and forgets everything. Idempotent. */
  close(): void {
    clearTimeout(this.#retry);
    for (const chatId of [...this.chats.keys()]) this.dismiss(chatId);
    this.cobrowse.close();
    this.#pacer.close();
    this.#conn.close();
    this.#listeners.clear();
  }

  #open(chatId: string): AdvisorChat {
    const chat = this.chats.get(chatId);
    if (chat === undefined || !isOpen(chat)) {
      throw new Error('LOTSE_ERR_INVALID_STATE: no open chat ' + chatId);
    }
    return chat;
  }

  #hello(): void {
    // A new socket: an accept the old one sent is answered there or not at all; the advisor sees the queue again.
    this.#accepting.clear();
    // Until the server sends each chat again, new messages wait in the outbox (order after reconnect).
    for (const chat of this.chats.values()) chat.synced = false;
    const chats = [...this.chats.values()]
      .filter(isOpen)
      .map((chat) => ({ chatId: chat.chatId, lastSeq: chat.log.lastSeq }));
    // The co-browse sessions it holds, with the links still open: they go on, wherever they are now.
    const cobrowse = this.cobrowse.helloSessions().slice(0, MAX_HELLO_SESSIONS);
    this.#send({ type: 'advisor.hello', chats, ...(cobrowse.length === 0 ? {} : { cobrowse }) });
    if (this.#presence.choice === 'away') this.#send({ type: 'advisor.presence', status: 'away' });
    this.snippets.request();
  }

  #onMessage(message: ServerToAdvisor): void {
    switch (message.type) {
      case 'advisor.welcome': {
        this.advisor = message.advisor;
        this.snippets.advisorName = message.advisor.name;
        this.clockOffset = message.now - Date.now();
        this.#pacer.setBudget(paceOf(message.rate));
        this.topics = message.topics ?? [];
        this.myTopics = message.advisor.topics ?? [];
        const again = this.#presence.welcome(message.presence, message.closed === true);
        if (again !== undefined) this.#send({ type: 'advisor.presence', status: again });
        break;
      }
      case 'advisor.presence':
        this.#presence.told(message.status, message.closed === true);
        break;
      case 'queue.snapshot':
        this.queue = message.items;
        this.clockOffset = message.now - Date.now();
        break;
      case 'chat.assigned': {
        this.#accepting.delete(message.chatId);
        const known = this.chats.get(message.chatId);
        // A chat we had given up (lost, or ended here) may come back, e.g. accepted again from the queue.
        if (known !== undefined && !isOpen(known)) this.dismiss(message.chatId);
        const chat = this.chats.get(message.chatId) ?? this.#adopt(message.chatId, message.visitor);
        chat.synced = true;
        this.#apply(chat, chat.log.applyAll(message.events));
        this.#flush(chat);
        chat.away = message.away === true;
        chat.topic = message.topic;
        chat.handover = message.handover;
        // A transfer asked for on a socket that went: this chat is still ours, the advisor may try again.
        chat.transferring = false;
        // The visitor's page may have changed while this console was offline: it has lost our reads.
        this.#repeatRead(chat);
        break;
      }
      case 'advisor.colleagues':
        this.colleagues = message.advisors;
        this.topics = message.topics;
        break;
      case 'chat.transferred': {
        // Handed on: no longer this console's chat.
        const chat = this.chats.get(message.chatId);
        if (chat !== undefined) this.dismiss(message.chatId);
        this.transferred = { chatId: message.chatId, to: message.to, topic: message.topic };
        break;
      }
      case 'chat.presence': {
        const chat = this.chats.get(message.chatId);
        if (chat === undefined) return;
        if (setPresent(chat, message.present)) this.#repeatRead(chat); // a new page: it has lost our reads
        break;
      }
      case 'chat.read': {
        const chat = this.chats.get(message.chatId);
        if (chat === undefined || !setVisitorRead(chat, message.seq)) return;
        break;
      }
      case 'chat.event': {
        const chat = this.chats.get(message.chatId);
        if (chat !== undefined) this.#apply(chat, chat.log.apply({ seq: message.seq, event: message.event }));
        break;
      }
      case 'chat.typing':
        this.chats.get(message.chatId)?.visitorTyping.set(message.typing);
        return;
      case 'callback.list':
        this.callbacks = message.items;
        this.callbacksOffered = true;
        this.callbacksMore = message.more === true;
        if (!message.items.some((item) => item.id === this.callbackProblem?.id)) this.callbackProblem = undefined;
        break;
      case 'session.pong':
        return;
      case 'snippets.list':
        this.snippets.handle(message);
        return;
      case 'error':
        this.#onError(message);
        break;
      case 'cobrowse.code':
      case 'cobrowse.joined':
      case 'cobrowse.consented':
      case 'cobrowse.started':
      case 'cobrowse.signal':
      case 'cobrowse.ended':
        this.cobrowse.handle(message);
        if (message.type === 'cobrowse.signal') return;
        break;
    }
    this.#changed();
  }

  #adopt(chatId: string, visitor: VisitorCard): AdvisorChat {
    const chat = createAdvisorChat(chatId, visitor, {
      changed: () => this.#changed(),
      sendTyping: (typing) => this.#send({ type: 'chat.typing', chatId, typing }),
    });
    this.chats.set(chatId, chat);
    return chat;
  }

  #repeatRead(chat: AdvisorChat): void {
    const seq = readToRepeat(chat);
    if (seq !== undefined) this.#send({ type: 'chat.read', chatId: chat.chatId, seq });
  }

  #apply(chat: AdvisorChat, result: 'applied' | 'duplicate' | 'gap'): void {
    // A gap means frames were lost: a fresh hello brings everything after our last event of every chat.
    if (result === 'gap') this.#hello();
    if (chat.log.ended) stopTyping(chat);
  }

  #onError(error: Extract<ServerToAdvisor, { type: 'error' }>): void {
    const problem = { code: error.code, message: error.message };
    if (error.code === ErrorCode.RateLimited && error.retryAfterMs !== undefined) {
      // Slow down: what was sent from the refused message on is gone. Wait, then the outboxes again, in order (what
      // waits of them, written meanwhile too, goes back in its place there).
      this.#pacer.pause(error.retryAfterMs, () => {
        this.#pacer.remove(fromOutbox);
        this.chats.forEach((chat) => this.#flush(chat));
        // What else the wait may have swallowed, and the server takes twice without harm: accepts not answered yet
        // (an accept of a chat the advisor holds answers `chat.assigned` again), the chosen presence.
        for (const chatId of this.#accepting) {
          if (!this.chats.has(chatId)) this.#send({ type: 'queue.accept', chatId });
        }
        this.#send({ type: 'advisor.presence', status: this.#presence.choice });
      });
      return;
    }
    if (this.cobrowse.handleError(error)) return;
    if (this.snippets.handleError(error)) return;
    if (error.code === ErrorCode.RateLimited) {
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => this.chats.forEach((chat) => this.#flush(chat)), RATE_RETRY_MS);
      return;
    }
    if (error.ref !== undefined && this.callbacks.some((item) => item.id === error.ref)) {
      this.callbackProblem = { id: error.ref, code: error.code };
      return;
    }
    // An accept answered with a refusal (taken by another advisor, gone) is no longer pending.
    if (error.ref !== undefined) this.#accepting.delete(error.ref);
    const byId = error.ref === undefined ? undefined : this.chats.get(error.ref);
    if (byId !== undefined) byId.transferring = false;
    if (byId !== undefined) {
      // The server names a chat it does not know (any more).
      byId.lost = error.code === ErrorCode.UnknownChat;
      byId.problem = problem;
      return;
    }
    for (const chat of this.chats.values()) {
      if (error.ref !== undefined && chat.log.drop(error.ref) !== undefined) {
        chat.problem = problem;
        return;
      }
    }
    this.problem = problem;
  }

  #flush(chat: AdvisorChat): void {
    if (!chat.synced) return;
    for (const { id, text } of chat.log.pending) {
      if (!this.#send({ type: 'chat.message', chatId: chat.chatId, id, text })) return;
    }
    if (chat.ending && !chat.log.ended) this.#send({ type: 'chat.end', chatId: chat.chatId });
  }

  /** True when the message went out or waits for budget on the open socket; false without a socket. */
  #send(message: Outgoing<AdvisorToServer>): boolean {
    if (this.#conn.state !== 'connected') return false;
    this.#pacer.push(encode<AdvisorToServer>(message), {
      key: paceKey(message),
      free: message.type === 'cobrowse.signal',
    });
    return true;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
