/**
 * One chat as the hub holds it. An anonymous chat lives in memory only (this process's, and its events in the
 * event log's: this process or a Redis that keeps nothing on disk), never written anywhere; a member chat is the
 * same in memory, and its transcript is written as it goes (`member/transcript-writer.ts`, a lifecycle
 * subscriber). `wipe` drops every piece of content so that nothing of an ended chat stays reachable, even from a
 * stale reference.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { nanoid } from 'nanoid';
import { RESUME_TOKEN_LENGTH } from '../../protocol/limits.js';
import type { Outgoing } from '../../protocol/parse.js';
import type { SequencedEvent, ServerToAdvisor, ServerToVisitor, VisitorCard } from '../../protocol/messages.js';
import type { AdvisorIdentity } from '../transport/advisor-auth.js';

/** A visitor connection as the hub sees it. */
export interface VisitorPeer {
  send(message: Outgoing<ServerToVisitor>): void;
  close(code: number, reason: string): void;
}

/** An authenticated advisor connection as the hub sees it. */
export interface AdvisorPeer {
  readonly advisor: AdvisorIdentity;
  send(message: Outgoing<ServerToAdvisor>): void;
  close(code: number, reason: string): void;
}

export type ChatState = 'waiting' | 'active' | 'ended';

/** A transfer's word to the advisor who takes the chat: who handed it on, and the internal note. */
export interface Handover {
  readonly from: string;
  readonly note?: string | undefined;
}

/** What the server alone knows of a member chat's member (from the verified token); never sent to a client. */
export interface ChatMember {
  /** The token's `sub`: a resume must present a token with the same one. */
  readonly sub: string;
  /** The audit log's name for the member (`member/pseudonym.ts`). */
  readonly pseudonym: string;
}

export interface Chat {
  readonly id: string;
  readonly resumeToken: string;
  /** The client's idempotency key of `chat.start`: a repeated start with it names this chat. */
  startId: string | undefined;
  readonly startedAt: number;
  visitor: VisitorCard;
  /** Set for a member chat only, at its start; an anonymous chat never gets one. */
  member: ChatMember | undefined;
  /**
   * The number of the last event both sides were sent (the events themselves are in the chat event log,
   * `state/chat-event-log.ts`); a `chat.read` never names a later one.
   */
  lastSeq: number;
  /** The chat's operations run one at a time (`ChatHub.serial`): this settles when the last one asked for has. */
  work: Promise<void>;
  /** How many of its operations were asked for and have not settled yet (`ChatHub.serial`). */
  pending: number;
  /**
   * Client message ids already appended, one set per side (a retried send is a repeat only of its own side's id). Two
   * sets, not one of `<from>:<id>`: the id is looked up as it came off the wire, with no string made for each message.
   */
  readonly seen: { readonly visitor: Set<string>; readonly advisor: Set<string> };
  state: ChatState;
  advisorId: string | undefined;
  /** The advisor who last held the chat, for its end (the chat may be back in the queue by then). */
  lastAdvisor: { readonly id: string; readonly name: string } | undefined;
  /** When the chat (re-)entered the queue. */
  waitingSince: number;
  /** The pseudonymous key of the client that started it (`transport/client-key.ts`), for its count of waiting chats. */
  clientKey: string;
  firstMessage: string | undefined;
  /** The chat's topic (a configured one, from `chat.start` or a transfer); none: the general queue. */
  topic: string | undefined;
  /** The visitor's language (from `chat.start`): a topic's label in the chat's log is in it. */
  lang: 'de' | 'en';
  /**
   * Who handed the chat on last, and their internal note (`chat.transfer`), for the advisor who holds it next. In this
   * process's memory only, never in the chat record, the event log or a transcript, and never sent to the visitor.
   */
  handover: Handover | undefined;
  /** Handed back to the queue by an advisor: it waits at the front (`QueueEntry.rank`). */
  front: boolean;
  visitorPeer: VisitorPeer | undefined;
  /** Since when the visitor has had no socket: the window to come back (`abandonAfterSeconds`) runs from here. */
  visitorGoneSince: number | undefined;
  /** The last `chat.queue` sent to the visitor (position and estimate), so that only a change is sent again. */
  queueSent: string | undefined;
  /** When the chat's last message came (or it started), `performance.now()` time: its idle timer ends it from there. */
  activeAt: number;
  idleTimer: NodeJS.Timeout | undefined;
  abandonTimer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
}

/**
 * A new chat; a member card comes with its `member` (both from a verified token), an anonymous one without. Without a
 * peer its visitor is away (a chat taken over from a node that died, `ChatHub.adopt`).
 */
export function createChat(
  visitor: VisitorCard,
  peer: VisitorPeer | undefined,
  now: number,
  startId?: string,
  member?: ChatMember,
): Chat {
  return {
    id: nanoid(),
    resumeToken: nanoid(RESUME_TOKEN_LENGTH),
    startId,
    startedAt: now,
    visitor,
    member,
    lastSeq: 0,
    work: Promise.resolve(),
    pending: 0,
    seen: { visitor: new Set(), advisor: new Set() },
    state: 'waiting',
    advisorId: undefined,
    lastAdvisor: undefined,
    waitingSince: now,
    clientKey: '',
    firstMessage: undefined,
    topic: undefined,
    lang: 'de',
    handover: undefined,
    front: false,
    visitorPeer: peer,
    visitorGoneSince: undefined,
    queueSent: undefined,
    activeAt: 0,
    idleTimer: undefined,
    abandonTimer: undefined,
    graceTimer: undefined,
  };
}

/** Constant-time comparison of a presented resume token with the chat's (or its tombstone's). */
export function tokenMatches(chat: Pick<Chat, 'resumeToken'>, presented: string): boolean {
  const a = createHash('sha256').update(chat.resumeToken).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

function clearTimers(chat: Chat): void {
  clearTimeout(chat.idleTimer);
  clearTimeout(chat.abandonTimer);
  clearTimeout(chat.graceTimer);
  chat.idleTimer = chat.abandonTimer = chat.graceTimer = undefined;
}

/** Drops all content and references of a chat that has ended. */
export function wipe(chat: Chat): void {
  clearTimers(chat);
  chat.state = 'ended';
  chat.lastSeq = 0;
  chat.seen.visitor.clear();
  chat.seen.advisor.clear();
  chat.visitor = { kind: 'anonymous', nickname: '' };
  chat.member = undefined;
  chat.firstMessage = undefined;
  chat.handover = undefined;
  chat.topic = undefined;
  chat.startId = undefined;
  chat.clientKey = '';
  chat.visitorPeer = undefined;
  chat.visitorGoneSince = undefined;
  chat.queueSent = undefined;
  chat.advisorId = undefined;
  chat.lastAdvisor = undefined;
}

/**
 * `chat.assigned` for the advisor who holds a chat: the card, the events it lacks, whether the visitor is away, its
 * topic, and the handover (who handed it on, the internal note) when it was transferred.
 */
export function assignedMessage(
  chat: Chat,
  events: SequencedEvent[],
): Extract<Outgoing<ServerToAdvisor>, { type: 'chat.assigned' }> {
  const message = {
    type: 'chat.assigned' as const,
    chatId: chat.id,
    visitor: chat.visitor,
    events,
    ...(chat.topic === undefined ? {} : { topic: chat.topic }),
    ...(chat.handover === undefined ? {} : { handover: { ...chat.handover } }),
  };
  return chat.visitorPeer === undefined ? { ...message, away: true } : message;
}
