/**
 * One chat as the advisor's session holds it: the log with its outbox, typing both ways, and what is known beside
 * the log: whether the visitor's page is there, how far the visitor has read, and how far this console has said it
 * read. Presence and reading are relayed by the server as they happen and stored by no one: they are never events
 * of the log, and a page that comes back (a reload, a link) has lost them.
 */
import type { VisitorCard } from '../protocol/messages.js';
import { ChatLog } from './chat-log.js';
import { TypingIndicator, TypingSender } from './typing.js';

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
  /**
   * The visitor's page is gone (a link, a reload, a closed tab): the server waits out its grace period for it.
   * From `chat.assigned` and `chat.presence`.
   */
  away: boolean;
  /** How far the visitor has read: the highest sequence number a `chat.read` brought (0 before any). */
  visitorRead: number;
  /** How far this console has told the server it read: the last `chat.read` it sent (0 before any). */
  advisorRead: number;
  /** The chat's topic, when it has one (from `chat.assigned`). */
  topic: string | undefined;
  /** Handed to this advisor (`chat.transfer`): by whom, with their internal note. Never the visitor's to see. */
  handover: { from: string; note?: string | undefined } | undefined;
  /** A transfer this console asked for and the server has not answered yet. */
  transferring: boolean;
}

/** A chat the session has just been given. */
export function createAdvisorChat(
  chatId: string,
  visitor: VisitorCard,
  hooks: { changed: () => void; sendTyping: (typing: boolean) => void },
): AdvisorChat {
  return {
    chatId,
    visitor,
    log: new ChatLog(),
    visitorTyping: new TypingIndicator(hooks.changed),
    typing: new TypingSender(hooks.sendTyping),
    lost: false,
    problem: undefined,
    synced: false,
    ending: false,
    away: false,
    visitorRead: 0,
    advisorRead: 0,
    topic: undefined,
    handover: undefined,
    transferring: false,
  };
}

/** Stops the typing timers of a chat that is over or dismissed. */
export function stopTyping(chat: AdvisorChat): void {
  chat.typing.close();
  chat.visitorTyping.close();
}

/** The chat is still going on here: not ended, not lost. */
export function isOpen(chat: AdvisorChat): boolean {
  return !chat.lost && !chat.log.ended;
}

/**
 * The read position to send now: the chat's last event, when that is further than this console has said before.
 * Nothing for a chat that is over, or not synced on this socket yet (the console asks again after its
 * `chat.assigned`).
 */
export function unsentRead(chat: AdvisorChat): number | undefined {
  if (!isOpen(chat) || !chat.synced) return undefined;
  const seq = chat.log.lastSeq;
  return seq > chat.advisorRead ? seq : undefined;
}

/**
 * The read position to say again to a page that may not have heard it: after the visitor's page came back, or
 * after this console reconnected (the page may have changed meanwhile). The server keeps none. Nothing when this
 * console has read nothing yet, or the page is away.
 */
export function readToRepeat(chat: AdvisorChat): number | undefined {
  return chat.advisorRead > 0 && !chat.away && chat.synced && isOpen(chat) ? chat.advisorRead : undefined;
}

/** `chat.presence`: the visitor's page left or is there. True when it has come back (a new page). */
export function setPresent(chat: AdvisorChat, present: boolean): boolean {
  const back = chat.away && present;
  chat.away = !present;
  return back;
}

/** A read receipt from the visitor: only ever forward (a reloaded page may start lower). */
export function setVisitorRead(chat: AdvisorChat, seq: number): boolean {
  if (seq <= chat.visitorRead) return false;
  chat.visitorRead = seq;
  return true;
}
