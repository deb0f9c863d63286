/**
 * What a visitor socket may do: start or resume one chat (anonymous with a nickname, or as a member with a verified
 * member token), write, type, end it; and co-browse (`cobrowse/`).
 *
 * A member token is verified on every `chat.start` and `chat.resume` that needs one. That is asynchronous, so the
 * socket's later messages wait for it in order (`member/held-messages.ts`), and every check is made again once the
 * token is verified: the chat may have ended, the hours closed or the socket gone meanwhile.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { VisitorToServer } from '../../protocol/messages.js';
import { eventsAfter, tokenMatches } from './chat.js';
import type { Chat, VisitorPeer } from './chat.js';
import type { ChatHub } from './chat-hub.js';
import { handleCobrowseVisitor } from '../cobrowse/visitor.js';
import { LimitStoreFullError } from '../state/limit-store.js';
import { handleInOrder } from '../member/held-messages.js';
import { MemberTokenError, verifyMemberToken } from '../member/token.js';
import type { VerifiedMember } from '../member/token.js';

type Start = Extract<VisitorToServer, { type: 'chat.start' }>;
type Resume = Extract<VisitorToServer, { type: 'chat.resume' }>;

/** The socket's chat, or an error sent back and `undefined`. */
function requireChat(hub: ChatHub, peer: VisitorPeer, ref: string): Chat | undefined {
  const chat = hub.chatOfVisitor(peer);
  if (chat === 'ended') hub.sendError(peer, ErrorCode.ChatEnded, 'the chat has ended', ref);
  else if (chat === 'none') hub.sendError(peer, ErrorCode.InvalidState, 'no chat: send chat.start first', ref);
  else return chat;
  return undefined;
}

/**
 * A `chat.start` repeated with the same start id (the socket dropped before `chat.started` arrived): the new
 * socket takes over the chat and gets `chat.started` again, then every event so far (it has none of them).
 */
function restart(hub: ChatHub, peer: VisitorPeer, chat: Chat): void {
  hub.attachVisitor(chat, peer);
  hub.log.debug('chat.resumed');
  peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
  for (const { seq, event } of chat.events) peer.send({ type: 'chat.event', seq, event });
}

/**
 * The checks of a `chat.start` that need no token; an error is sent and `undefined` returned when one fails.
 * A repeated start id names its chat (`repeated`), which skips the checks for a new chat.
 */
function checkStart(hub: ChatHub, peer: VisitorPeer, message: Start): { repeated: Chat | undefined } | undefined {
  const current = hub.chatOfVisitor(peer);
  const repeated = message.startId === undefined ? undefined : hub.chats.byStartId(message.startId);
  if (typeof current === 'object' && current !== repeated) {
    hub.sendError(peer, ErrorCode.InvalidState, 'a chat is already running on this connection', message.type);
    return undefined;
  }
  if (repeated !== undefined) return { repeated };
  if (!hub.hours.open) {
    hub.sendError(peer, ErrorCode.Closed, 'the chat is closed now; GET /availability says when it opens', message.type);
    return undefined;
  }
  if (message.termsVersion !== hub.config.terms.version) {
    hub.sendError(peer, ErrorCode.TermsOutdated, 'the terms of use have changed; please confirm them again', message.type);
    return undefined;
  }
  // Before the queue's own limit: a client that tries to fill the queue is told so, and leaves room for others.
  const perClient = hub.config.limits.maxWaitingChatsPerClient;
  if (hub.waitingChatsOf(peer) >= perClient) {
    hub.log.info('chat.busy', { reason: 'per_client', count: perClient });
    hub.sendError(peer, ErrorCode.TooManyWaiting, 'chats from this connection are already waiting; end one or try again later', message.type);
    return undefined;
  }
  if (hub.queue.waitingCount >= hub.config.limits.maxWaitingChats) {
    hub.log.info('chat.busy', { count: hub.config.limits.maxWaitingChats });
    hub.sendError(peer, ErrorCode.Busy, 'the queue is full; please try again in a few minutes', message.type);
    return undefined;
  }
  return { repeated: undefined };
}

function startAnonymous(hub: ChatHub, peer: VisitorPeer, message: Start): void {
  if (message.nickname === undefined) {
    hub.sendError(peer, ErrorCode.Malformed, 'chat.start needs a nickname (or a member token)', message.type);
    return;
  }
  const check = checkStart(hub, peer, message);
  if (check === undefined) return;
  if (check.repeated !== undefined) {
    // A member chat is taken over only with a token for its member.
    if (check.repeated.member === undefined) restart(hub, peer, check.repeated);
    else hub.sendError(peer, ErrorCode.TokenInvalid, 'this chat needs a member token', message.type);
    return;
  }
  const chat = hub.startChat(peer, message.nickname, message.startId);
  peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
  hub.queue.push();
}

function refuseToken(hub: ChatHub, peer: VisitorPeer, error: MemberTokenError, ref: string): void {
  // Keys that cannot be fetched refuse every member: that is the operator's to fix, so it is a warning.
  if (error.reason === 'keys') hub.log.warn('member.token_refused', { reason: error.reason });
  else hub.log.info('member.token_refused', { reason: error.reason });
  if (error.kind === 'expired') {
    hub.sendError(peer, ErrorCode.TokenExpired, 'the member token has expired; send this again with a fresh one', ref);
  } else {
    hub.sendError(peer, ErrorCode.TokenInvalid, 'the member token was not accepted', ref);
  }
}

/** The verified member, or `undefined` after the refusal was sent (when the socket is still there to hear it). */
async function verify(hub: ChatHub, peer: VisitorPeer, token: string, ref: string): Promise<VerifiedMember | undefined> {
  const verifier = hub.members.verifier;
  if (verifier === undefined) {
    refuseToken(hub, peer, new MemberTokenError('invalid', 'off'), ref);
    return undefined;
  }
  try {
    return await verifyMemberToken(token, verifier);
  } catch (error) {
    if (hub.isVisitorConnected(peer)) {
      refuseToken(hub, peer, error instanceof MemberTokenError ? error : new MemberTokenError('invalid', 'keys'), ref);
    }
    return undefined;
  }
}

/** A member's `chat.start`: the nickname is ignored, the card comes from the verified token only. */
async function startMember(hub: ChatHub, peer: VisitorPeer, message: Start, token: string): Promise<void> {
  // The cheap checks first: a closed chat costs no key fetch.
  if (hub.members.verifier !== undefined && checkStart(hub, peer, message) === undefined) return;
  const member = await verify(hub, peer, token, message.type);
  if (member === undefined || !hub.isVisitorConnected(peer)) return;
  const check = checkStart(hub, peer, message);
  if (check === undefined) return;
  if (check.repeated !== undefined) {
    if (check.repeated.member?.sub === member.sub) restart(hub, peer, check.repeated);
    else if (check.repeated.member === undefined) hub.sendError(peer, ErrorCode.InvalidState, 'this start id names an anonymous chat', message.type);
    else refuseOtherMember(hub, peer, message.type);
    return;
  }
  const claimed = await claimToken(hub, member);
  if (!hub.isVisitorConnected(peer)) {
    // Gone while the claim was awaited: no chat was started, so the token is not used.
    if (claimed === 'claimed') await releaseToken(hub, member);
    return;
  }
  if (claimed === 'full') {
    // The limit state cannot remember the token now: no chat, but the token is not used either.
    hub.sendError(peer, ErrorCode.Busy, 'the server is busy; please try again shortly', message.type);
    return;
  }
  if (claimed === 'used') {
    hub.log.info('member.token_refused', { reason: 'used' });
    hub.sendError(peer, ErrorCode.TokenUsed, 'this member token has started a chat already; a new chat needs a fresh token', message.type);
    return;
  }
  // The claim was awaited: the checks once more (a start id that turned up meanwhile is refused, not restarted).
  // A start refused now started no chat: the claim is given back, and the same token may try again.
  const again = checkStart(hub, peer, message);
  if (again === undefined) {
    await releaseToken(hub, member);
    return;
  }
  if (again.repeated !== undefined) {
    await releaseToken(hub, member);
    hub.sendError(peer, ErrorCode.InvalidState, 'this start id names another chat', message.type);
    return;
  }
  const chat = hub.startMemberChat(peer, member, message.startId);
  peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
  hub.queue.push();
}

/**
 * A member token starts at most one chat: its id is claimed in the limit state until the token expires (and the
 * clock tolerance with it). A resume with it, or the same start repeated, is no new chat and claims nothing.
 * A full limit state refuses (fails closed) with its own answer: the server is busy, the token is not used.
 */
async function claimToken(hub: ChatHub, member: VerifiedMember): Promise<'claimed' | 'used' | 'full'> {
  const tolerance = (hub.members.verifier?.clockToleranceSeconds ?? 0) * 1000;
  try {
    return (await hub.limitStore.claim(tokenKey(member), member.expiresAt - hub.now() + tolerance)) ? 'claimed' : 'used';
  } catch (error) {
    if (!(error instanceof LimitStoreFullError)) throw error;
    hub.log.warn('limits.store_full');
    return 'full';
  }
}

const tokenKey = (member: VerifiedMember): string => `member-token:${member.tokenId}`;

/** Gives a claim back when the start it was made for was refused after all (no chat came of it). */
async function releaseToken(hub: ChatHub, member: VerifiedMember): Promise<void> {
  await hub.limitStore.release(tokenKey(member)).catch(() => hub.log.warn('limits.release_failed'));
}

function refuseOtherMember(hub: ChatHub, peer: VisitorPeer, ref: string): void {
  hub.log.info('member.token_refused', { reason: 'other_member' });
  hub.sendError(peer, ErrorCode.TokenInvalid, 'the member token is not for this chat', ref);
}

/**
 * Resumes a chat (or hands out the last events of one that ended while the visitor was away). A member chat
 * resumes only for `member` with the chat's own `sub`; an anonymous chat ignores any member (it never becomes one).
 */
function resume(hub: ChatHub, peer: VisitorPeer, message: Resume, member: VerifiedMember | undefined): void {
  const sub = hub.chats.memberSubOf(message.chatId, message.resumeToken);
  if (sub !== undefined && sub !== member?.sub) {
    refuseOtherMember(hub, peer, message.type);
    return;
  }
  const current = hub.chatOfVisitor(peer);
  const chat = hub.chats.get(message.chatId);
  if (chat === undefined || !tokenMatches(chat, message.resumeToken)) {
    // A chat that ended while the visitor was away: its last events (with `ended`), once, with the token only.
    const ended = chat === undefined && typeof current !== 'object'
      ? hub.resumeEnded(peer, message.chatId, message.resumeToken, message.lastSeq)
      : undefined;
    if (ended === undefined) hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.type);
    else peer.send({ type: 'chat.resumed', chatId: message.chatId, events: ended });
    return;
  }
  if (typeof current === 'object' && current !== chat) {
    hub.sendError(peer, ErrorCode.InvalidState, 'another chat is running on this connection', message.type);
    return;
  }
  hub.attachVisitor(chat, peer);
  hub.log.debug('chat.resumed');
  peer.send({ type: 'chat.resumed', chatId: chat.id, events: eventsAfter(chat, message.lastSeq) });
}

/** A resume of a member chat: a fresh token for the same member, verified; then the checks run again. */
async function resumeMember(hub: ChatHub, peer: VisitorPeer, message: Resume, token: string): Promise<void> {
  const member = await verify(hub, peer, token, message.type);
  if (member !== undefined && hub.isVisitorConnected(peer)) resume(hub, peer, message, member);
}

/** One message; a promise when it waits for a member token's verification. */
function dispatch(hub: ChatHub, peer: VisitorPeer, message: VisitorToServer): Promise<void> | undefined {
  switch (message.type) {
    case 'session.ping':
      peer.send({ type: 'session.pong' });
      return undefined;

    case 'chat.start':
      if (message.memberToken !== undefined) return startMember(hub, peer, message, message.memberToken);
      startAnonymous(hub, peer, message);
      return undefined;

    case 'chat.resume':
      if (hub.chats.memberSubOf(message.chatId, message.resumeToken) === undefined) {
        resume(hub, peer, message, undefined);
        return undefined;
      }
      if (message.memberToken === undefined) {
        hub.sendError(peer, ErrorCode.TokenInvalid, 'a member chat resumes only with a member token', message.type);
        return undefined;
      }
      return resumeMember(hub, peer, message, message.memberToken);

    case 'chat.message': {
      const chat = requireChat(hub, peer, message.id);
      if (chat === undefined) return undefined;
      if (hub.addMessage(chat, 'visitor', message.id, message.text) === 'full') {
        hub.sendError(peer, ErrorCode.ChatFull, 'the chat reached its size limit and was ended', message.id);
      }
      return undefined;
    }

    case 'chat.typing': {
      const chat = requireChat(hub, peer, message.type);
      if (chat?.advisorId === undefined) return undefined;
      hub.advisors.sendTo(chat.advisorId, { type: 'chat.typing', chatId: chat.id, typing: message.typing });
      return undefined;
    }

    case 'chat.read': {
      // Silent without a chat: a read racing the chat's end is no error.
      const chat = hub.chatOfVisitor(peer);
      if (typeof chat === 'object' && chat.advisorId !== undefined) {
        hub.advisors.sendTo(chat.advisorId, { type: 'chat.read', chatId: chat.id, seq: Math.min(message.seq, chat.events.length) });
      }
      return undefined;
    }

    case 'chat.end': {
      const chat = requireChat(hub, peer, message.type);
      if (chat !== undefined) hub.end(chat, 'visitor');
      return undefined;
    }

    case 'cobrowse.join':
    case 'cobrowse.consent':
    case 'cobrowse.resume':
    case 'cobrowse.signal':
    case 'cobrowse.end':
      return handleCobrowseVisitor(hub.cobrowse, peer, message);

    default: {
      // A message type added to the protocol must be handled here, or this stops compiling.
      const unhandled: never = message;
      throw new Error(`unhandled visitor message ${(unhandled as { type: string }).type}`);
    }
  }
}

/** Handles a visitor's message in arrival order, also across a member token's verification. */
export function handleVisitorMessage(hub: ChatHub, peer: VisitorPeer, message: VisitorToServer): void {
  handleInOrder(peer, message, {
    handle: (next) => dispatch(hub, peer, next),
    isOpen: () => hub.isVisitorConnected(peer),
    onOverflow: () => hub.sendError(peer, ErrorCode.RateLimited, 'too many messages while the member token is checked; dropped'),
    onFailure: () => {
      hub.log.error('connection.handler_failed', { role: 'visitor', closeCode: 1011 });
      peer.close(1011, 'internal error');
    },
  });
}
