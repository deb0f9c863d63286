/**
 * What names the visitor's chat towards the server: the `chat.start` it began with (its idempotency key makes a
 * repeated start name the same chat), and once the server answered, the chat id and resume secret. From it come the
 * hello of every (re)connect (a resume, or the start again) and the snapshot that lets the next page come back
 * (`chat-storage.ts`). It holds nothing of the conversation.
 */
import { nanoid } from 'nanoid';
import { TOPIC_PATTERN } from '../protocol/limits.js';
import type { VisitorToServer } from '../protocol/messages.js';
import type { Outgoing } from '../protocol/parse.js';
import type { PendingMessage } from './chat-log.js';
import type { StoredStart } from './chat-storage.js';

type Start = Extract<VisitorToServer, { type: 'chat.start' }>;

/** A chat to come back to, from the page before (`chat-storage.ts`). */
export interface RestoredChat {
  start: StoredStart;
  /** Known once the server had answered the start; without it, the start is repeated with its idempotency key. */
  chatId?: string | undefined;
  resumeToken?: string | undefined;
  outbox: readonly PendingMessage[];
}

/** What to keep of a chat so that the next page can come back to it: everything but the conversation. */
export interface ChatSnapshot {
  start: StoredStart;
  chatId?: string;
  resumeToken?: string;
  outbox: PendingMessage[];
}

export class ChatTicket {
  #start: Start | undefined;
  #chatId: string | undefined;
  #resumeToken: string | undefined;

  /** The chat of an earlier page (a member chat sends no nickname, whatever was stored). */
  static restored(restored: RestoredChat, member: boolean): ChatTicket {
    const ticket = new ChatTicket();
    const { startId, termsVersion, lang, nickname, topic } = restored.start;
    ticket.#start = {
      v: 1,
      type: 'chat.start',
      startId,
      termsVersion,
      lang,
      ...(member || nickname === undefined ? {} : { nickname }),
      ...(topic === undefined ? {} : { topic }),
    };
    ticket.#chatId = restored.chatId;
    ticket.#resumeToken = restored.resumeToken;
    return ticket;
  }

  /** Whether a start was made (here or on an earlier page). */
  get begun(): boolean {
    return this.#start !== undefined;
  }

  /** The server's id of the chat, once it answered the start. */
  get chatId(): string | undefined {
    return this.#chatId;
  }

  /**
   * A new chat: anonymous with a nickname, or a member's (`nickname` undefined); with the page's `topic` when it
   * has the shape of one (`TOPIC_PATTERN`; any other is left out: the general queue, never an error).
   */
  begin(nickname: string | undefined, termsVersion: string, lang: 'de' | 'en', topic?: string): void {
    if (this.#start !== undefined) throw new Error('LOTSE_ERR_INVALID_STATE: chat already started');
    // The start id makes a repeated start (socket dropped before `chat.started`) name the same chat.
    const startId = nanoid();
    this.#start = {
      v: 1,
      type: 'chat.start',
      startId,
      termsVersion,
      lang,
      ...(nickname === undefined ? {} : { nickname }),
      ...(topic !== undefined && TOPIC_PATTERN.test(topic) ? { topic } : {}),
    };
  }

  started(chatId: string, resumeToken: string): void {
    this.#chatId = chatId;
    this.#resumeToken = resumeToken;
  }

  /** What a new socket says first: a resume after `lastSeq` once the chat is known, else the start again. */
  hello(lastSeq: number, memberToken: string | undefined): Outgoing<VisitorToServer> | undefined {
    const token = memberToken === undefined ? {} : { memberToken };
    if (this.#chatId !== undefined && this.#resumeToken !== undefined) {
      return { type: 'chat.resume', chatId: this.#chatId, resumeToken: this.#resumeToken, lastSeq, ...token };
    }
    if (this.#start === undefined) return undefined;
    const { v: _v, ...start } = this.#start;
    return { ...start, ...token };
  }

  snapshot(outbox: PendingMessage[]): ChatSnapshot | undefined {
    const start = this.#start;
    if (start?.startId === undefined) return undefined;
    const { startId, termsVersion, lang, nickname, topic } = start;
    const snapshot: ChatSnapshot = {
      start: {
        startId,
        termsVersion,
        lang,
        ...(nickname === undefined ? {} : { nickname }),
        ...(topic === undefined ? {} : { topic }),
      },
      outbox,
    };
    if (this.#chatId !== undefined && this.#resumeToken !== undefined) {
      Object.assign(snapshot, { chatId: this.#chatId, resumeToken: this.#resumeToken });
    }
    return snapshot;
  }
}
