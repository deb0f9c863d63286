/**
 * The advisor's side, without any element: the queue, the chats this advisor holds (several at once), presence,
 * and the same outbox-and-resume guarantees per chat as the visitor has. On every (re)connect the session says
 * `advisor.hello` with the last event it has of each chat, and the server answers with what is missing.
 */
import { AUTH_SUBPROTOCOL_PREFIX } from '../protocol/limits.js';
import { ErrorCode } from '../protocol/errors.js';
import type { AdvisorToServer, QueueItem, ServerToAdvisor, VisitorCard } from '../protocol/messages.js';
import { encode, parseServerToAdvisor } from '../protocol/parse.js';
import type { Outgoing } from '../protocol/parse.js';
import { ChatLog } from './chat-log.js';
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
}

export interface AdvisorSessionOptions {
  /** WebSocket URL of the advisor endpoint, e.g. `wss://chat.example.de/ws/advisor`. */
  url: string;
  /** The advisor's signed token; asked for on every connect, so a renewed token is picked up. */
  token: () => string;
  WebSocket?: WebSocketLike;
  random?: () => number;
  events?: { window?: EventTarget; document?: Document };
}

const RATE_RETRY_MS = 1_000;

export class AdvisorSession {
  connection: ConnectionState = 'idle';
  advisor: { id: string; name: string } | undefined;
  presence: Presence = 'available';
  queue: QueueItem[] = [];
  /** Server clock minus local clock, from the last message that carried `now`. */
  clockOffset = 0;
  readonly chats = new Map<string, AdvisorChat>();
  problem: { code: string; message: string } | undefined;

  #conn: Connection<ServerToAdvisor>;
  #listeners = new Set<() => void>();
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** The advisor chose a presence in this session: it wins over what the server remembers. */
  #presenceChosen = false;

  constructor(options: AdvisorSessionOptions) {
    this.#conn = new Connection<ServerToAdvisor>({
      url: options.url,
      protocols: () => [AUTH_SUBPROTOCOL_PREFIX + options.token()],
      parse: parseServerToAdvisor,
      pingFrame: encode<AdvisorToServer>({ type: 'session.ping' }),
      onOpen: () => this.#hello(),
      onMessage: (message) => this.#onMessage(message),
      onState: (state) => {
        this.connection = state;
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
    // Sent once now; if the socket is down it stays in the outbox, and every resume sends the outbox again.
    this.#send({ type: 'chat.message', chatId, id, text });
    this.#changed();
  }

  input(chatId: string): void {
    this.#open(chatId).typing.input();
  }

  end(chatId: string): void {
    this.#open(chatId);
    this.#send({ type: 'chat.end', chatId });
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
    const chats = [...this.chats.values()]
      .filter((chat) => !chat.lost && !chat.log.ended)
      .map((chat) => ({ chatId: chat.chatId, lastSeq: chat.log.lastSeq }));
    this.#send({ type: 'advisor.hello', chats });
    if (this.presence === 'away') this.#send({ type: 'advisor.presence', status: 'away' });
  }

  #onMessage(message: ServerToAdvisor): void {
    switch (message.type) {
      case 'advisor.welcome':
        this.advisor = message.advisor;
        this.clockOffset = message.now - Date.now();
        // Until the advisor picks one, show what the server has; after that, the advisor's choice wins (it may
        // have been made while offline, when no `advisor.presence` could be sent).
        if (!this.#presenceChosen) this.presence = message.presence;
        else if (message.presence !== this.presence) this.#send({ type: 'advisor.presence', status: this.presence });
        break;
      case 'advisor.presence':
        this.presence = message.status;
        break;
      case 'queue.snapshot':
        this.queue = message.items;
        this.clockOffset = message.now - Date.now();
        break;
      case 'chat.assigned': {
        const chat = this.chats.get(message.chatId) ?? this.#adopt(message.chatId, message.visitor);
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
    for (const { id, text } of chat.log.pending) {
      if (!this.#send({ type: 'chat.message', chatId: chat.chatId, id, text })) return;
    }
  }

  #send(message: Outgoing<AdvisorToServer>): boolean {
    return this.#conn.send(encode<AdvisorToServer>(message));
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
