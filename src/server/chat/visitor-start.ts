/**
 * How a visitor socket starts or resumes a chat: anonymous with a nickname, or as a member with a verified member
 * token (`member/admission.ts`: verification, the one-chat-per-token claim, the card). The checks of a start run
 * before the token's verification (a closed chat costs no key fetch) and again after each wait: the chat may have
 * ended, the hours closed or the socket gone meanwhile. A `chat.start` repeated with the same start id takes the chat
 * over instead. The handler that dispatches every visitor message: `visitor-handler.ts`.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { VisitorToServer } from '../../protocol/messages.js';
import { tokenMatches } from './chat.js';
import type { Chat, VisitorPeer } from './chat.js';
import type { AdvisorRegistry } from './advisors.js';
import type { ChatHub } from './chat-hub.js';
import type { ChatQueue } from './queue.js';
import type { ChatRegistry } from './registry.js';
import type { ChatSockets } from './chat-sockets.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import type { Logger } from '../log.js';
import type { MemberAdmission } from '../member/admission.js';
import { knownTopic } from '../config/topics.js';
import type { Topic } from '../../protocol/messages.js';
import { MemberTokenError } from '../member/token.js';
import type { VerifiedMember } from '../member/token.js';

/** What a `chat.start` is checked against (the `terms` and `limits` areas of the configuration). */
export interface VisitorChatSettings {
  /** The terms version a start must have confirmed. */
  readonly termsVersion: string;
  readonly maxWaitingChats: number;
  readonly maxWaitingChatsPerClient: number;
  /** The configured topics (`chat.topics`): a start's topic counts when it is one of them. */
  readonly topics: readonly Topic[];
}

/** The start's topic when it is configured; none otherwise (the general queue: never an error for the visitor). */
function aboutOf(d: VisitorHandlerDeps, message: Start): { topic: string | undefined; lang: 'de' | 'en' } {
  return { topic: knownTopic(d.settings.topics, message.topic), lang: message.lang };
}

export interface VisitorHandlerDeps {
  readonly hub: ChatHub;
  /** The chats in memory, the queue and this node's advisors: the hub's own, handed in rather than reached through it. */
  readonly chats: ChatRegistry;
  readonly queue: ChatQueue;
  readonly advisors: AdvisorRegistry;
  readonly sockets: ChatSockets;
  readonly settings: VisitorChatSettings;
  /** Opening hours: `chat.start` only while open. */
  readonly hours: { readonly open: boolean };
  readonly members: MemberAdmission;
  readonly cobrowse: CobrowseHub;
  readonly log: Logger;
}

type Start = Extract<VisitorToServer, { type: 'chat.start' }>;
type Resume = Extract<VisitorToServer, { type: 'chat.resume' }>;

/**
 * A `chat.start` repeated with the same start id (the socket dropped before `chat.started` arrived): the new
 * socket takes over the chat and gets `chat.started` again, then every event so far (it has none of them).
 */
async function restart(d: VisitorHandlerDeps, peer: VisitorPeer, chat: Chat, ref: string): Promise<void> {
  const attached = await d.hub.attachVisitor(chat, peer, 0, (events) => {
    d.log.debug('chat.resumed');
    peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
    for (const { seq, event } of events) peer.send({ type: 'chat.event', seq, event });
  });
  if (!attached && d.sockets.isVisitorConnected(peer)) {
    d.hub.sendError(peer, ErrorCode.ChatEnded, 'the chat has ended', ref);
  }
}

/** A start the queue's limits refused (`gone`: the socket went while the queue was asked; nobody to tell). */
function refuseFull(
  d: VisitorHandlerDeps,
  peer: VisitorPeer,
  reason: 'per_client' | 'full' | 'gone',
  ref: string,
): void {
  if (reason === 'per_client') {
    const perClient = d.settings.maxWaitingChatsPerClient;
    d.log.info('chat.busy', { reason: 'per_client', count: perClient });
    d.hub.sendError(
      peer,
      ErrorCode.TooManyWaiting,
      'chats from this connection are already waiting; end one or try again later',
      ref,
    );
  } else if (reason === 'full') {
    d.log.info('chat.busy', { count: d.settings.maxWaitingChats });
    d.hub.sendError(peer, ErrorCode.Busy, 'the queue is full; please try again in a few minutes', ref);
  }
}

/**
 * The checks of a `chat.start` that need no token; an error is sent and `undefined` returned when one fails.
 * A repeated start id names its chat (`repeated`), which skips the checks for a new chat.
 */
async function checkStart(
  d: VisitorHandlerDeps,
  peer: VisitorPeer,
  message: Start,
): Promise<{ repeated: Chat | undefined } | undefined> {
  const current = d.sockets.chatOfVisitor(peer);
  const repeated = message.startId === undefined ? undefined : d.chats.byStartId(message.startId);
  if (typeof current === 'object' && current !== repeated) {
    d.hub.sendError(peer, ErrorCode.InvalidState, 'a chat is already running on this connection', message.type);
    return undefined;
  }
  if (repeated !== undefined) return { repeated };
  if (d.hub.closed) {
    d.hub.sendError(peer, ErrorCode.Busy, 'the server is restarting; please try again in a moment', message.type);
    return undefined;
  }
  if (!d.hours.open) {
    d.hub.sendError(
      peer,
      ErrorCode.Closed,
      'the chat is closed now; GET /availability says when it opens',
      message.type,
    );
    return undefined;
  }
  if (message.termsVersion !== d.settings.termsVersion) {
    d.hub.sendError(
      peer,
      ErrorCode.TermsOutdated,
      'the terms of use have changed; please confirm them again',
      message.type,
    );
    return undefined;
  }
  // Before the queue's own limit: a client that tries to fill the queue is told so, and leaves room for others. A
  // read here spares a member start its token's checks; the start itself is admitted in one step (`startChat`).
  if ((await d.sockets.waitingChatsOf(peer)) >= d.settings.maxWaitingChatsPerClient) {
    refuseFull(d, peer, 'per_client', message.type);
    return undefined;
  }
  if ((await d.queue.waitingCount()) >= d.settings.maxWaitingChats) {
    refuseFull(d, peer, 'full', message.type);
    return undefined;
  }
  return { repeated: undefined };
}

/** An anonymous `chat.start` (or the take-over of its chat, `restart`). */
export async function startAnonymous(d: VisitorHandlerDeps, peer: VisitorPeer, message: Start): Promise<void> {
  if (message.nickname === undefined) {
    d.hub.sendError(peer, ErrorCode.Malformed, 'chat.start needs a nickname (or a member token)', message.type);
    return;
  }
  const check = await checkStart(d, peer, message);
  if (check === undefined) return;
  if (check.repeated !== undefined) {
    // A member chat is taken over only with a token for its member.
    if (check.repeated.member === undefined) return restart(d, peer, check.repeated, message.type);
    d.hub.sendError(peer, ErrorCode.TokenInvalid, 'this chat needs a member token', message.type);
    return;
  }
  const card = { kind: 'anonymous', nickname: message.nickname, lang: message.lang } as const;
  const chat = await d.hub.startChat(peer, card, message.startId, undefined, d.settings, aboutOf(d, message));
  if (typeof chat === 'string') {
    refuseFull(d, peer, chat, message.type);
    return;
  }
  peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
  d.queue.push();
}

function refuseToken(d: VisitorHandlerDeps, peer: VisitorPeer, error: MemberTokenError, ref: string): void {
  // Keys that cannot be fetched refuse every member: that is the operator's to fix, so it is a warning.
  if (error.reason === 'keys') d.log.warn('member.token_refused', { reason: error.reason });
  else d.log.info('member.token_refused', { reason: error.reason });
  if (error.kind === 'expired') {
    d.hub.sendError(
      peer,
      ErrorCode.TokenExpired,
      'the member token has expired; send this again with a fresh one',
      ref,
    );
  } else {
    d.hub.sendError(peer, ErrorCode.TokenInvalid, 'the member token was not accepted', ref);
  }
}

/** The verified member, or `undefined` after the refusal was sent (when the socket is still there to hear it). */
async function verify(
  d: VisitorHandlerDeps,
  peer: VisitorPeer,
  token: string,
  ref: string,
): Promise<VerifiedMember | undefined> {
  if (!d.members.enabled) {
    refuseToken(d, peer, new MemberTokenError('invalid', 'off'), ref);
    return undefined;
  }
  try {
    return await d.members.verify(token);
  } catch (error) {
    if (d.sockets.isVisitorConnected(peer)) {
      refuseToken(d, peer, error instanceof MemberTokenError ? error : new MemberTokenError('invalid', 'keys'), ref);
    }
    return undefined;
  }
}

/** A member's `chat.start`: the nickname is ignored, the card comes from the verified token only. */
export async function startMember(
  d: VisitorHandlerDeps,
  peer: VisitorPeer,
  message: Start,
  token: string,
): Promise<void> {
  // The cheap checks first: a closed chat costs no key fetch.
  if (d.members.enabled && (await checkStart(d, peer, message)) === undefined) return;
  const member = await verify(d, peer, token, message.type);
  if (member === undefined || !d.sockets.isVisitorConnected(peer)) return;
  const check = await checkStart(d, peer, message);
  if (check === undefined) return;
  if (check.repeated !== undefined) {
    if (check.repeated.member?.sub === member.sub) await restart(d, peer, check.repeated, message.type);
    else if (check.repeated.member === undefined)
      d.hub.sendError(peer, ErrorCode.InvalidState, 'this start id names an anonymous chat', message.type);
    else refuseOtherMember(d, peer, message.type);
    return;
  }
  const claimed = await d.members.claim(member);
  if (!d.sockets.isVisitorConnected(peer)) {
    // Gone while the claim was awaited: no chat was started, so the token is not used.
    if (claimed === 'claimed') await d.members.release(member);
    return;
  }
  if (claimed === 'full') {
    // The limit state cannot remember the token now: no chat, but the token is not used either.
    d.hub.sendError(peer, ErrorCode.Busy, 'the server is busy; please try again shortly', message.type);
    return;
  }
  if (claimed === 'used') {
    d.log.info('member.token_refused', { reason: 'used' });
    d.hub.sendError(
      peer,
      ErrorCode.TokenUsed,
      'this member token has started a chat already; a new chat needs a fresh token',
      message.type,
    );
    return;
  }
  // The claim was awaited: the checks once more (a start id that turned up meanwhile is refused, not restarted).
  // A start refused now started no chat: the claim is given back, and the same token may try again.
  const again = await checkStart(d, peer, message);
  if (again === undefined) {
    await d.members.release(member);
    return;
  }
  if (again.repeated !== undefined) {
    await d.members.release(member);
    d.hub.sendError(peer, ErrorCode.InvalidState, 'this start id names another chat', message.type);
    return;
  }
  const { card, member: record } = d.members.chatOf(member);
  const chat = await d.hub.startChat(
    peer,
    { ...card, lang: message.lang },
    message.startId,
    record,
    d.settings,
    aboutOf(d, message),
  );
  if (typeof chat === 'string') {
    await d.members.release(member);
    refuseFull(d, peer, chat, message.type);
    return;
  }
  peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
  d.queue.push();
}

function refuseOtherMember(d: VisitorHandlerDeps, peer: VisitorPeer, ref: string): void {
  d.log.info('member.token_refused', { reason: 'other_member' });
  d.hub.sendError(peer, ErrorCode.TokenInvalid, 'the member token is not for this chat', ref);
}

/**
 * Resumes a chat (or hands out the last events of one that ended while the visitor was away). A member chat
 * resumes only for `member` with the chat's own `sub`; an anonymous chat ignores any member (it never becomes one).
 */
export async function resume(
  d: VisitorHandlerDeps,
  peer: VisitorPeer,
  message: Resume,
  member: VerifiedMember | undefined,
): Promise<void> {
  const sub = d.chats.memberSubOf(message.chatId, message.resumeToken);
  if (sub !== undefined && sub !== member?.sub) {
    refuseOtherMember(d, peer, message.type);
    return;
  }
  const current = d.sockets.chatOfVisitor(peer);
  const chat = d.chats.get(message.chatId);
  if (chat === undefined || !tokenMatches(chat, message.resumeToken)) {
    // A chat that ended while the visitor was away: its last events (with `ended`), once, with the token only.
    const ended =
      chat === undefined && typeof current !== 'object'
        ? await d.sockets.resumeEnded(peer, message.chatId, message.resumeToken, message.lastSeq)
        : undefined;
    if (ended === undefined) d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.type);
    else peer.send({ type: 'chat.resumed', chatId: message.chatId, events: ended });
    return;
  }
  if (typeof current === 'object' && current !== chat) {
    d.hub.sendError(peer, ErrorCode.InvalidState, 'another chat is running on this connection', message.type);
    return;
  }
  const attached = await d.hub.attachVisitor(chat, peer, message.lastSeq, (events) => {
    d.log.debug('chat.resumed');
    peer.send({ type: 'chat.resumed', chatId: chat.id, events });
  });
  if (attached || !d.sockets.isVisitorConnected(peer)) return;
  // Ended just before the resume's turn: its last events wait in a tombstone when the visitor was away.
  const ended = await d.sockets.resumeEnded(peer, message.chatId, message.resumeToken, message.lastSeq);
  if (ended === undefined) d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.type);
  else peer.send({ type: 'chat.resumed', chatId: message.chatId, events: ended });
}

/** A resume of a member chat: a fresh token for the same member, verified; then the checks run again. */
export async function resumeMember(
  d: VisitorHandlerDeps,
  peer: VisitorPeer,
  message: Resume,
  token: string,
): Promise<void> {
  const member = await verify(d, peer, token, message.type);
  if (member !== undefined && d.sockets.isVisitorConnected(peer)) await resume(d, peer, message, member);
}
