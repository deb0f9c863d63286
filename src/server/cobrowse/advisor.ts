/** What an advisor socket may do in co-browsing: create a webcode, start with the start code, signal, end. */
import { nanoid } from 'nanoid';
import { ErrorCode } from '../../protocol/errors.js';
import { RESUME_TOKEN_LENGTH, START_CODE_MAX_WRONG } from '../../protocol/limits.js';
import type { AdvisorToServer } from '../../protocol/messages.js';
import type { AdvisorPeer } from '../chat/chat.js';
import { secretMatches } from './codes.js';
import { MAX_SESSIONS_PER_ADVISOR } from './hub.js';
import type { CobrowseHub } from './hub.js';
import { clearTimer } from './session.js';
import type { CobrowseSession } from './session.js';

export type CobrowseFromAdvisor = Extract<AdvisorToServer, { type: `cobrowse.${string}` }>;

const UNKNOWN_SESSION = 'unknown co-browse session';

/** A session of this advisor, or a refusal sent back and `undefined`. */
function ownSession(hub: CobrowseHub, peer: AdvisorPeer, sessionId: string): CobrowseSession | undefined {
  const session = hub.getSession(sessionId);
  if (session !== undefined && session.advisorId === peer.advisor.id) return session;
  hub.refuse(peer, ErrorCode.InvalidState, UNKNOWN_SESSION, sessionId);
  return undefined;
}

/** `chatId` was checked by the caller: a chat this advisor holds. */
export async function createCode(hub: CobrowseHub, peer: AdvisorPeer, chatId: string | undefined): Promise<void> {
  const ref = 'cobrowse.code.create';
  if (hub.sessionsOf(peer.advisor.id).length >= MAX_SESSIONS_PER_ADVISOR) {
    hub.refuse(
      peer,
      ErrorCode.RateLimited,
      `at most ${MAX_SESSIONS_PER_ADVISOR} open co-browse sessions; end one first`,
      ref,
    );
    return;
  }
  const session = await hub.offer(peer.advisor, chatId);
  if (session === undefined) {
    hub.refuse(peer, ErrorCode.RateLimited, 'no webcode available; please try again later', ref);
    return;
  }
  hub.audit({ event: 'cobrowse.code.created', advisorId: session.advisorId, sessionId: session.id });
  peer.send({
    type: 'cobrowse.code',
    sessionId: session.id,
    webcode: session.webcode ?? '',
    expiresAt: session.deadline,
    chatId,
  });
}

function start(hub: CobrowseHub, peer: AdvisorPeer, sessionId: string, startCode: string): void {
  const session = ownSession(hub, peer, sessionId);
  if (session === undefined) return;
  if (session.state !== 'consented' || session.startCode === undefined) {
    const why =
      session.state === 'live' ? 'the co-browse session is live already' : 'the visitor has not consented yet';
    hub.refuse(peer, ErrorCode.InvalidState, why, sessionId);
    return;
  }
  if (hub.now() >= (session.startCodeExpiresAt ?? 0)) {
    hub.end(session, 'timeout');
    return;
  }
  if (!secretMatches(session.startCode, startCode)) {
    session.wrongStartCodes += 1;
    hub.refuse(peer, ErrorCode.InvalidCode, 'the code is not valid', sessionId);
    if (session.wrongStartCodes >= START_CODE_MAX_WRONG) hub.end(session, 'void');
    return;
  }
  session.state = 'live';
  session.startedAt = hub.now();
  session.startCode = undefined;
  session.startCodeExpiresAt = undefined;
  session.resumeToken = nanoid(RESUME_TOKEN_LENGTH);
  clearTimer(session, 'deadline');
  clearTimer(session, 'startCode');
  hub.attachViewer(session, peer);
  hub.sendStarted(session);
  hub.audit({ event: 'cobrowse.started', advisorId: session.advisorId, sessionId: session.id });
}

function signal(hub: CobrowseHub, peer: AdvisorPeer, sessionId: string, payload: string): void {
  const session = hub.getSession(sessionId);
  // Only the one socket that views the session signals for it; another tab of the same advisor does not.
  if (
    session === undefined ||
    session.advisorId !== peer.advisor.id ||
    (session.state === 'live' && session.viewer !== peer)
  ) {
    hub.refuse(peer, ErrorCode.InvalidState, UNKNOWN_SESSION, sessionId);
    return;
  }
  if (session.state !== 'live') {
    hub.refuse(peer, ErrorCode.InvalidState, 'the co-browse session is not live', sessionId);
    return;
  }
  // While the visitor's page reloads the signal has no one to go to; the next `cobrowse.started` starts over.
  session.visitor?.send({ type: 'cobrowse.signal', sessionId, signal: payload });
}

type SessionMessage = Exclude<CobrowseFromAdvisor, { type: 'cobrowse.code.create' }>;

/**
 * Everything but `cobrowse.code.create`, which needs the chat check of the caller. While this node's lease may have
 * lapsed, later (`CobrowseHub.whenLeased`: the session may be another node's by now), in order.
 */
export function handleCobrowseAdvisor(hub: CobrowseHub, peer: AdvisorPeer, message: SessionMessage): void {
  void hub.whenLeased(() => handle(hub, peer, message));
}

function handle(hub: CobrowseHub, peer: AdvisorPeer, message: SessionMessage): void {
  switch (message.type) {
    case 'cobrowse.start':
      start(hub, peer, message.sessionId, message.startCode);
      return;
    case 'cobrowse.signal':
      signal(hub, peer, message.sessionId, message.signal);
      return;
    case 'cobrowse.end': {
      const session = ownSession(hub, peer, message.sessionId);
      if (session !== undefined) hub.end(session, 'advisor');
      return;
    }
    default: {
      const unhandled: never = message;
      throw new Error(`unhandled co-browse message ${(unhandled as { type: string }).type}`);
    }
  }
}
