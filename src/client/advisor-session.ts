/**
 * The advisor's side, without any element: the queue, the chats this advisor holds (several at once), presence,
 * and the same outbox-and-resume guarantees per chat as the visitor has. On every (re)connect the session says
 * `advisor.hello` with the last event it has of each chat, and the server answers with what is missing.
 */
import { AUTH_SUBPROTOCOL_PREFIX, RATE_RETRY_MS } from '../protocol/limits.js';
import { CloseCode, ErrorCode } from '../protocol/errors.js';
import type { AdvisorToServer, QueueItem, ServerToAdvisor, VisitorCard } from '../protocol/messages.js';
import { encode, parseServerToAdvisor } from '../protocol/parse.js';
import type { Outgoing } from '../protocol/parse.js';
import { ChatLog } from './chat-log.js';
import { CobrowseAdvisor } from './cobrowse-advisor.js';
import type { CobrowseAdvisorOptions } from './cobrowse-advisor.js';
import { Connection } from './connection.js';
import type { ConnectionState, WebSocketLike } from './connection.js';
import { TypingIndicator, TypingSender } from './typing.js';

export type Presence = 'available' | 'away';

export interface AdvisorChat {
  readonly chatId: string;
  readonly visitor: VisitorCard;
  readonly log: ChatLog;
  readonly visitorTyping: TypingIndicator;
  readonly typing: TypingSender;
  /** The server no longer knows this chat (it ended while we were away, or the server restarted). */
  lost: boolean;
  /** Last problem the server reported for this chat. */
  problem: { code: string; message: string } | undefined;
  /** The server sent this chat since the socket opened: new messages may go out directly, in order. */
  synced: boolean;
  /** The advisor ended the chat; `chat.end` is repeated after every reconnect until the server confirms. */
  ending: boolean;
}

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
  presence: Presence = 'available';
  queue: QueueItem[] = [];
  /** Server clock minus local clock, from the last message that carried `now`. */
  clockOffset = 0;
  readonly chats = new Map<string, AdvisorChat>();
  problem: { code: string; message: string } | undefined;
  /** This advisor's co-browse sessions: every `cobrowse.*` message from the server goes there. */
  readonly cobrowse: CobrowseAdvisor;

  #conn: Connection<ServerToAdvisor>;
  #listeners = new Set<() => void>();
  #retry: ReturnType<typeof setTimeout> | undefined;
  #usedToken = '';
  /** The advisor chose a presence in this session: it wins over what the server remembers. */
  #presenceChosen = false;
  /** The advisor's own presence; `presence` shows `away` instead while the chat is closed (opening hours). */
  #choice: Presence = 'available';

  constructor(options: AdvisorSessionOptions) {
    this.cobrowse = new CobrowseAdvisor({
      send: (message) => this.#send(message),
      changed: () => this.#changed(),
      ...(options.createLink ? { createLink: options.createLink } : {}),
    });
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
        if (state !== 'connected') for (const chat of this.chats.values()) chat.synced = false;
        this.#changed();
      },
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.events ? { events: options.events } : {}),
    });
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  connect(): void {
    this.#conn.connect();
  }

  setPresence(status: Presence): void {
    this.presence = status;
    this.#choice = status;
    this.#presenceChosen = true;
    this.#send({ type: 'advisor.presence', status });
    this.#changed();
  }

  accept(chatId: string): void {
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

  /** Removes an ended or lost chat from the console. */
  dismiss(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return;
    chat.typing.close();
    chat.visitorTyping.close();
    this.chats.delete(chatId);
    this.#changed();
  }

  /** Closes the connection and forgets everything. Idempotent. */
  close(): void {
    clearTimeout(this.#retry);
    for (const chatId of [...this.chats.keys()]) this.dismiss(chatId);
    this.cobrowse.close();
    this.#conn.close();
    this.#listeners.clear();
  }

  #open(chatId: string): AdvisorChat {
    const chat = this.chats.get(chatId);
    if (chat === undefined || chat.lost || chat.log.ended) {
      throw new Error('LOTSE_ERR_INVALID_STATE: no open chat ' + chatId);
    }
    return chat;
  }

  #hello(): void {
    // Until the server sends each chat again, new messages wait in the outbox (order after reconnect).
    for (const chat of this.chats.values()) chat.synced = false;
    const chats = [...this.chats.values()]
      .filter((chat) => !chat.lost && !chat.log.ended)
      .map((chat) => ({ chatId: chat.chatId, lastSeq: chat.log.lastSeq }));
    this.#send({ type: 'advisor.hello', chats });
    if (this.#choice === 'away') this.#send({ type: 'advisor.presence', status: 'away' });
  }

  #onMessage(message: ServerToAdvisor): void {
    switch (message.type) {
      case 'advisor.welcome':
        this.advisor = message.advisor;
        this.clockOffset = message.now - Date.now();
        // Until the advisor picks one, show what the server has; after that, the advisor's choice wins (it may
        // have been made while offline, when no `advisor.presence` could be sent).
        // While the chat is closed the server says `away` whatever was chosen: shown, but not taken as a choice.
        if (!this.#presenceChosen) {
          this.presence = message.presence;
          if (message.closed !== true) this.#choice = message.presence;
        } else {
          this.presence = message.closed === true ? 'away' : this.#choice;
          if (message.closed !== true && message.presence !== this.#choice) this.#send({ type: 'advisor.presence', status: this.#choice });
        }
        break;
      case 'advisor.presence':
        this.presence = message.status;
        if (message.closed !== true) this.#choice = message.status;
        break;
      case 'queue.snapshot':
        this.queue = message.items;
        this.clockOffset = message.now - Date.now();
        break;
      case 'chat.assigned': {
        const known = this.chats.get(message.chatId);
        // A chat we had given up (lost, or ended here) may come back, e.g. accepted again from the queue.
        if (known !== undefined && (known.lost || known.log.ended)) this.dismiss(message.chatId);
        const chat = this.chats.get(message.chatId) ?? this.#adopt(message.chatId, message.visitor);
        chat.synced = true;
        this.#apply(chat, chat.log.applyAll(message.events));
        this.#flush(chat);
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
      case 'session.pong':
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
    const chat: AdvisorChat = {
      chatId,
      visitor,
      log: new ChatLog(),
      visitorTyping: new TypingIndicator(() => this.#changed()),
      typing: new TypingSender((typing) => this.#send({ type: 'chat.typing', chatId, typing })),
      lost: false,
      problem: undefined,
      synced: false,
      ending: false,
    };
    this.chats.set(chatId, chat);
    return chat;
  }

  #apply(chat: AdvisorChat, result: 'applied' | 'duplicate' | 'gap'): void {
    // A gap means frames were lost: a fresh hello brings everything after our last event of every chat.
    if (result === 'gap') this.#hello();
    if (chat.log.ended) {
      chat.typing.close();
      chat.visitorTyping.close();
    }
  }

  #onError(error: Extract<ServerToAdvisor, { type: 'error' }>): void {
    const problem = { code: error.code, message: error.message };
    if (this.cobrowse.handleError(error)) return;
    if (error.code === ErrorCode.RateLimited) {
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => this.chats.forEach((chat) => this.#flush(chat)), RATE_RETRY_MS);
      return;
    }
    const byId = error.ref === undefined ? undefined : this.chats.get(error.ref);
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

  #send(message: Outgoing<AdvisorToServer>): boolean {
    return this.#conn.send(encode<AdvisorToServer>(message));
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
