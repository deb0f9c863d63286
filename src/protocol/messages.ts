/**
 * Every message on the wire, as valibot schemas (parsed on arrival at both ends, never cast) and the TypeScript
 * types inferred from them. Four directions: visitor → server, server → visitor, advisor → server,
 * server → advisor. Each message is `{ v: 1, type: '<area>.<action>', ... }`.
 */
import * as v from 'valibot';
import {
  CHAT_ID_PATTERN,
  CLIENT_ID_PATTERN,
  MAX_HELLO_SESSIONS,
  MAX_NICKNAME_LENGTH,
  MAX_TEXT_LENGTH,
  MIN_NICKNAME_LENGTH,
  PROTOCOL_VERSION,
  MAX_INSURANCE_NUMBER_LENGTH,
  MAX_MEMBER_TOKEN_LENGTH,
  RESUME_TOKEN_LENGTH,
  MAX_TRANSFER_NOTE_LENGTH,
  TOPIC_PATTERN,
} from './limits.js';
import { ErrorCode } from './errors.js';
import { NICKNAME_FORBIDDEN, TEXT_FORBIDDEN } from './text.js';
import { cobrowseFromAdvisor, cobrowseFromVisitor, cobrowseToAdvisor, cobrowseToVisitor, link } from './cobrowse.js';
import { callbackFromAdvisor, callbackToAdvisor } from './callback.js';
import { snippetsFromAdvisor, snippetsToAdvisor } from './snippets.js';

const version = v.literal(PROTOCOL_VERSION);
const clientId = v.pipe(v.string(), v.regex(CLIENT_ID_PATTERN));
const chatId = v.pipe(v.string(), v.regex(CHAT_ID_PATTERN));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0));
const text = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(MAX_TEXT_LENGTH),
  v.check((value) => !TEXT_FORBIDDEN.test(value)),
);
const nickname = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(MIN_NICKNAME_LENGTH),
  v.maxLength(MAX_NICKNAME_LENGTH),
  v.check((value) => !NICKNAME_FORBIDDEN.test(value)),
);
const shortText = v.pipe(v.string(), v.maxLength(200));
/** A read receipt's sequence number: the last event read (0 before the first). */
const readSeq = v.pipe(seq, v.maxValue(1_000_000));
/**
 * A member token (compact JWS) from the insurer's member area. Only its shape is checked here; the server verifies
 * it (`server/member/token.ts`) on every `chat.start` and `chat.resume` that carries one.
 */
const memberToken = v.pipe(
  v.string(),
  v.maxLength(MAX_MEMBER_TOKEN_LENGTH),
  v.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
);
const lang = v.picklist(['de', 'en']);
/** A topic's id (`TOPIC_PATTERN`): the server files one it does not know under the general queue. */
const topic = v.pipe(v.string(), v.regex(TOPIC_PATTERN));

// ---------------------------------------------------------------------------------------------------------------
// Chat events: the sequenced log of one chat. Both sides render the same log.

export const ChatEventSchema = v.variant('kind', [
  v.object({ kind: v.literal('message'), id: clientId, from: v.picklist(['visitor', 'advisor']), text, at: epochMs }),
  v.object({ kind: v.literal('joined'), advisor: shortText, at: epochMs }),
  v.object({ kind: v.literal('left'), at: epochMs }),
  /**
   * The advisor handed the chat on: to a colleague (`to` is the colleague's name, a `joined` follows) or to a topic
   * queue (`to` is the topic's label in the chat's language). The visitor reads "Sie werden mit … verbunden".
   */
  v.object({ kind: v.literal('transferred'), to: shortText, at: epochMs }),
  /**
   * `gone`: the visitor's page was away longer than the navigation grace period (`chat.abandonAfterSeconds`);
   * `timeout`: nobody wrote for `chat.idleMinutes`.
   */
  v.object({
    kind: v.literal('ended'),
    by: v.picklist(['visitor', 'advisor', 'timeout', 'gone', 'server']),
    at: epochMs,
  }),
]);
export type ChatEvent = v.InferOutput<typeof ChatEventSchema>;
/** Who or what ended a chat, as its `ended` event says. */
export type ChatEndedBy = Extract<ChatEvent, { kind: 'ended' }>['by'];

export const SequencedEventSchema = v.object({ seq: v.pipe(seq, v.minValue(1)), event: ChatEventSchema });
export type SequencedEvent = v.InferOutput<typeof SequencedEventSchema>;

const errorMessage = v.object({
  v: version,
  type: v.literal('error'),
  code: v.picklist(Object.values(ErrorCode)),
  message: v.pipe(v.string(), v.maxLength(500)),
  /** The client message id or the message type the error refers to, when there is one. */
  ref: v.optional(shortText),
});
const ping = v.object({ v: version, type: v.literal('session.ping') });
const pong = v.object({ v: version, type: v.literal('session.pong') });

// ---------------------------------------------------------------------------------------------------------------
// Visitor → server

export const VisitorToServerSchema = v.variant('type', [
  v.object({
    v: version,
    type: v.literal('chat.start'),
    /** Idempotency: a `chat.start` repeated after a dropped socket names the same chat instead of a second one. */
    startId: v.optional(clientId),
    /**
     * Required for an anonymous chat. With `memberToken` it is ignored: a member's name comes only from the
     * verified token.
     */
    nickname: v.optional(nickname),
    /** Member chat: the short-lived token the member area handed to the widget. */
    memberToken: v.optional(memberToken),
    termsVersion: shortText,
    lang,
    /** The page's topic (`<lotse-chat topic>`): the chat waits in that topic's queue, when the server knows it. */
    topic: v.optional(topic),
  }),
  v.object({
    v: version,
    type: v.literal('chat.resume'),
    chatId,
    resumeToken: v.pipe(v.string(), v.length(RESUME_TOKEN_LENGTH)),
    lastSeq: seq,
    /** Required to resume a member chat: a fresh token for the same member (verified again on every resume). */
    memberToken: v.optional(memberToken),
  }),
  v.object({ v: version, type: v.literal('chat.message'), id: clientId, text }),
  v.object({ v: version, type: v.literal('chat.typing'), typing: v.boolean() }),
  /**
   * The visitor has seen the chat up to this event (the pop-up open in a visible tab). Relayed to the advisor,
   * never stored.
   */
  v.object({ v: version, type: v.literal('chat.read'), seq: readSeq }),
  v.object({ v: version, type: v.literal('chat.end') }),
  ping,
  ...cobrowseFromVisitor,
]);
export type VisitorToServer = v.InferOutput<typeof VisitorToServerSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Server → visitor

/** What the server sends about the chat itself. */
const chatToVisitor = [
  v.object({
    v: version,
    type: v.literal('chat.started'),
    chatId,
    resumeToken: v.pipe(v.string(), v.length(RESUME_TOKEN_LENGTH)),
  }),
  /** Answer to `chat.resume`: every event after the client's `lastSeq`, in order. */
  v.object({ v: version, type: v.literal('chat.resumed'), chatId, events: v.array(SequencedEventSchema) }),
  v.object({ v: version, type: v.literal('chat.event'), seq: v.pipe(seq, v.minValue(1)), event: ChatEventSchema }),
  v.object({ v: version, type: v.literal('chat.typing'), typing: v.boolean() }),
  /** The advisor has read the chat up to this event. Relayed as it happens, never stored. */
  v.object({ v: version, type: v.literal('chat.read'), seq: readSeq }),
  /**
   * While the chat waits for an advisor: its place in the queue (1 = next) and, only when the server has enough
   * recent data to be honest about it, the expected wait in seconds. Sent on every change.
   */
  /**
   * Just before the `ended` event of a chat an advisor held: a single-use ticket for one satisfaction rating
   * (`POST /rating`). It names only the day and the chat's topic on the server, never the chat. (The server's are
   * 32 characters; the form is that of an id.)
   */
  v.object({ v: version, type: v.literal('chat.rating'), ticket: chatId }),
  v.object({
    v: version,
    type: v.literal('chat.queue'),
    position: v.pipe(v.number(), v.integer(), v.minValue(1)),
    waitSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    /** No advisor takes chats now (none signed in as available): the wait has no end in sight. */
    unstaffed: v.optional(v.boolean()),
  }),
] as const;

export const ServerToVisitorSchema = v.variant('type', [...chatToVisitor, pong, errorMessage, ...cobrowseToVisitor]);
export type ServerToVisitor = v.InferOutput<typeof ServerToVisitorSchema>;

/**
 * The part of server → visitor that the chat's own socket receives (it never joins a co-browse session: that has
 * a socket of its own). Its own schema so that the chat pop-up parses nothing of co-browsing.
 */
export const ServerToChatVisitorSchema = v.variant('type', [...chatToVisitor, pong, errorMessage]);
export type ServerToChatVisitor = v.InferOutput<typeof ServerToChatVisitorSchema>;

/**
 * The part of server → visitor that a co-browse-only socket receives. Its own schema so that a visitor who only
 * co-browses does not load the chat's schemas.
 */
export const ServerToCobrowseVisitorSchema = v.variant('type', [pong, errorMessage, ...cobrowseToVisitor]);
export type ServerToCobrowseVisitor = v.InferOutput<typeof ServerToCobrowseVisitorSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Advisor → server

export const AdvisorToServerSchema = v.variant('type', [
  /** First message after every (re)connect: the chats the console holds and the last event it has of each. */
  v.object({
    v: version,
    type: v.literal('advisor.hello'),
    chats: v.pipe(v.array(v.object({ chatId, lastSeq: seq })), v.maxLength(50)),
    /**
     * The co-browse sessions the console holds (not ended), each with the link whose data channel is open, if
     * one is: a session whose node died is taken over, and an open link is kept (`cobrowse.ts`).
     */
    cobrowse: v.optional(
      v.pipe(v.array(v.object({ sessionId: chatId, link: v.optional(link) })), v.maxLength(MAX_HELLO_SESSIONS)),
    ),
  }),
  v.object({ v: version, type: v.literal('advisor.presence'), status: v.picklist(['available', 'away']) }),
  v.object({ v: version, type: v.literal('queue.accept'), chatId }),
  v.object({ v: version, type: v.literal('chat.message'), chatId, id: clientId, text }),
  v.object({ v: version, type: v.literal('chat.typing'), chatId, typing: v.boolean() }),
  /** The advisor has read this chat up to this event (it is in front, in a visible tab). Relayed, never stored. */
  v.object({ v: version, type: v.literal('chat.read'), chatId, seq: readSeq }),
  v.object({ v: version, type: v.literal('chat.end'), chatId }),
  /** Who could take a chat now: answered with `advisor.colleagues` (the available colleagues and the topics). */
  v.object({ v: version, type: v.literal('advisor.colleagues') }),
  /**
   * Hands a chat this advisor holds to an available colleague (`to.advisor`: an id from `advisor.colleagues`) or
   * back to the queue under a topic, at its front (`to.topic`). The `note` goes to the advisor who takes the chat
   * next, never to the visitor, and is stored nowhere. Answered with `chat.transferred`, or an error and the chat
   * stays (`LOTSE_ERR_UNAVAILABLE`).
   */
  v.object({
    v: version,
    type: v.literal('chat.transfer'),
    chatId,
    to: v.union([v.strictObject({ advisor: shortText }), v.strictObject({ topic })]),
    note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(MAX_TRANSFER_NOTE_LENGTH))),
  }),
  ping,
  ...cobrowseFromAdvisor,
  ...callbackFromAdvisor,
  ...snippetsFromAdvisor,
]);
export type AdvisorToServer = v.InferOutput<typeof AdvisorToServerSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Server → advisor

export const VisitorCardSchema = v.variant('kind', [
  /** `lang`: the language the visitor's widget speaks (from `chat.start`), for the advisor's canned responses. */
  v.object({
    kind: v.literal('anonymous'),
    nickname: v.pipe(v.string(), v.maxLength(MAX_NICKNAME_LENGTH)),
    lang: v.optional(lang),
  }),
  /** Only ever built by the server from a verified member token; never from anything a client typed. */
  v.object({
    kind: v.literal('member'),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    insuranceNumber: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_INSURANCE_NUMBER_LENGTH)),
    lang: v.optional(lang),
  }),
]);
export type VisitorCard = v.InferOutput<typeof VisitorCardSchema>;

export const QueueItemSchema = v.object({
  chatId,
  visitor: VisitorCardSchema,
  /** When the visitor started waiting (server clock, epoch ms). */
  since: epochMs,
  /** The visitor's first message, when there is one yet. */
  firstMessage: v.optional(v.pipe(v.string(), v.maxLength(MAX_TEXT_LENGTH))),
  /** The visitor's page is gone (a navigation, a closed tab): the chat waits out the grace period for it. */
  away: v.optional(v.literal(true)),
  /** The chat's topic (a configured one); none: the general queue. */
  topic: v.optional(topic),
  /** Handed back to the queue by an advisor (`chat.transfer` to a topic): it stands at the front. */
  transferred: v.optional(v.literal(true)),
});
export type QueueItem = v.InferOutput<typeof QueueItemSchema>;

/**
 * An error to an advisor. `retryAfterMs` comes with `LOTSE_ERR_RATE_LIMITED` for a burst over the advisor's rate:
 * the message named in `ref` (its type) and everything after it until then was dropped; send them again after
 * this long, no faster than the `rate` of `advisor.welcome`.
 */
const advisorErrorMessage = v.object({
  ...errorMessage.entries,
  retryAfterMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3_600_000))),
});

/** A configured topic: its id and its label in German and English. */
export const TopicSchema = v.object({ id: topic, label: v.object({ de: shortText, en: shortText }) });
export type Topic = v.InferOutput<typeof TopicSchema>;

/** Who handed a chat on, and their note (for the advisor who takes it; never for the visitor). */
const handover = v.object({
  from: shortText,
  note: v.optional(v.pipe(v.string(), v.maxLength(MAX_TRANSFER_NOTE_LENGTH))),
});

export const ServerToAdvisorSchema = v.variant('type', [
  v.object({
    v: version,
    type: v.literal('advisor.welcome'),
    /** `topics`: the topics the advisor's token names (their chats come first in the queue). */
    advisor: v.object({ id: shortText, name: shortText, topics: v.optional(v.array(topic)) }),
    /** The configured topics, for the queue's labels and a transfer's choice. */
    topics: v.optional(v.array(TopicSchema)),
    presence: v.picklist(['available', 'away']),
    /** Outside the opening hours: `presence` is `away` whatever the advisor chose; the choice returns on opening. */
    closed: v.optional(v.literal(true)),
    /** Server clock at sending, so the console can show waiting times without trusting its own clock. */
    now: epochMs,
    /**
     * This socket's budget (`limits.advisorRate`): `burst` messages at once, refilled at `perSecond`
     * (`cobrowse.signal` aside). The console sends well below it; without it, it assumes the defaults.
     */
    rate: v.optional(
      v.object({
        burst: v.pipe(v.number(), v.integer(), v.minValue(1)),
        perSecond: v.pipe(v.number(), v.gtValue(0)),
      }),
    ),
  }),
  v.object({ v: version, type: v.literal('queue.snapshot'), items: v.array(QueueItemSchema), now: epochMs }),
  /**
   * A chat this advisor holds: sent after `queue.accept` and after `advisor.hello` for each held chat, with the
   * events after the `lastSeq` the console named (all of them for a chat it did not name).
   */
  v.object({
    v: version,
    type: v.literal('chat.assigned'),
    chatId,
    visitor: VisitorCardSchema,
    events: v.array(SequencedEventSchema),
    /** The visitor's page is gone right now (as `chat.presence` with `present: false`). */
    away: v.optional(v.literal(true)),
    /** The chat's topic, when it has one. */
    topic: v.optional(topic),
    /** The chat was handed to this advisor (`chat.transfer`): by whom, with their internal note. */
    handover: v.optional(handover),
  }),
  /** Answer to `advisor.colleagues`: the colleagues available now (this advisor not among them), and the topics. */
  v.object({
    v: version,
    type: v.literal('advisor.colleagues'),
    advisors: v.pipe(v.array(v.object({ id: shortText, name: shortText })), v.maxLength(500)),
    topics: v.array(TopicSchema),
  }),
  /** The chat this advisor handed on is no longer theirs: to a colleague (`to`: the name) or to a topic (`topic`). */
  v.object({ v: version, type: v.literal('chat.transferred'), chatId, to: shortText, topic: v.optional(topic) }),
  v.object({
    v: version,
    type: v.literal('chat.event'),
    chatId,
    seq: v.pipe(seq, v.minValue(1)),
    event: ChatEventSchema,
  }),
  v.object({ v: version, type: v.literal('chat.typing'), chatId, typing: v.boolean() }),
  /** The visitor has read this chat up to this event. Relayed, never stored. */
  v.object({ v: version, type: v.literal('chat.read'), chatId, seq: readSeq }),
  /**
   * The visitor's page left (`present: false`: a link, a reload, a closed tab; the chat waits out the grace period)
   * or came back. Not part of the chat's log: the visitor never sees it.
   */
  v.object({ v: version, type: v.literal('chat.presence'), chatId, present: v.boolean() }),
  v.object({
    v: version,
    type: v.literal('advisor.presence'),
    status: v.picklist(['available', 'away']),
    /** As in `advisor.welcome`: `away` because the chat is closed, not by the advisor's choice. */
    closed: v.optional(v.literal(true)),
  }),
  pong,
  advisorErrorMessage,
  ...cobrowseToAdvisor,
  ...callbackToAdvisor,
  ...snippetsToAdvisor,
]);
export type ServerToAdvisor = v.InferOutput<typeof ServerToAdvisorSchema>;

export type ErrorMessage = v.InferOutput<typeof errorMessage>;
