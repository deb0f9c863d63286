/** What a visitor socket may do in co-browsing: join with a webcode, consent, resume, signal, end. */
import { ErrorCode } from '../../protocol/errors.js';
import type { VisitorToServer } from '../../protocol/messages.js';
import type { VisitorPeer } from '../chat/chat.js';
import { newStartCode, secretMatches } from './codes.js';
import type { CobrowseHub } from './hub.js';
import type { CobrowseSession } from './session.js';

export type CobrowseFromVisitor = Extract<VisitorToServer, { type: `cobrowse.${string}` }>;

/** The same answer for a wrong, expired, used or unknown webcode: it must not tell which. */
const INVALID_CODE = 'the code is not valid';
/** The same answer for a session that does not exist and one that is not this socket's. */
const UNKNOWN_SESSION = 'unknown co-browse session';

/** The session whose visitor this socket is, or a refusal sent back and `undefined`. */
function ownSession(hub: CobrowseHub, peer: VisitorPeer, sessionId: string): CobrowseSession | undefined {
  const session = hub.getSession(sessionId);
  if (session !== undefined && session.visitor === peer) return session;
  hub.refuse(peer, ErrorCode.InvalidState, UNKNOWN_SESSION, sessionId);
  return undefined;
}

const TOO_MANY = 'too many wrong codes; please try again later';

/**
 * A webcode: the socket's own lock, then the client's attempt counted (and, over the server-wide budget, a wait for
 * a slot: `wrong-codes.ts`), then the code. Asynchronous: the socket's later messages wait for it, in order.
 */
async function join(hub: CobrowseHub, peer: VisitorPeer, webcode: string): Promise<void> {
  const ref = 'cobrowse.join';
  const binding = hub.bindingOf(peer);
  if (binding === undefined) return;
  if (hub.limiter.isLocked(binding.wrong)) {
    hub.refuse(peer, ErrorCode.RateLimited, TOO_MANY, ref);
    return;
  }
  if (hub.sessionOfVisitor(peer) !== undefined) {
    hub.refuse(peer, ErrorCode.InvalidState, 'a co-browse session is already open on this connection', ref);
    return;
  }
  // A check may wait for its slot (up to `slowQueue` × `slowdownMs`): the socket is busy meanwhile, not idle.
  const admission = await hub.whileJoining(peer, hub.guard.admit(binding.clientKeys));
  // The socket may have gone (or the hub closed) while the count or the slot was awaited.
  if (hub.bindingOf(peer) !== binding) return;
  if (admission.verdict === 'locked') {
    hub.refuse(peer, ErrorCode.RateLimited, TOO_MANY, ref);
    return;
  }
  if (admission.verdict === 'busy') {
    hub.refuse(
      peer,
      ErrorCode.RateLimited,
      'too many co-browse codes are being checked; please try again in a minute',
      ref,
    );
    return;
  }
  const taken = hub.sessionOfVisitor(peer) === undefined ? await hub.takeWebcode(webcode) : undefined;
  // The socket may have gone while the code was looked up.
  if (hub.bindingOf(peer) !== binding) return;
  // A session of another node: the socket joins it there (`cluster/cobrowse-routing.ts`); the attempt was right.
  if (taken !== undefined && 'elsewhere' in taken && hub.joinElsewhere?.(peer, taken.elsewhere) === true) {
    void hub.guard.right(binding.clientKey);
    return;
  }
  const session = taken === undefined || 'elsewhere' in taken ? undefined : taken;
  if (session === undefined) {
    const socketLocked = hub.limiter.bump(binding.wrong);
    if (socketLocked || admission.count === hub.guard.limits.maxWrong) hub.log.info('cobrowse.webcode_lockout');
    hub.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, ref);
    return;
  }
  void hub.guard.right(binding.clientKey);
  hub.joined(session, peer);
}

function consent(hub: CobrowseHub, peer: VisitorPeer, sessionId: string, termsVersion: string): void {
  const session = ownSession(hub, peer, sessionId);
  if (session === undefined) return;
  if (session.state !== 'joined') {
    hub.refuse(peer, ErrorCode.InvalidState, 'consent was given already', sessionId);
    return;
  }
  if (termsVersion !== hub.config.cobrowse.terms.version) {
    hub.refuse(peer, ErrorCode.TermsOutdated, 'the co-browse terms have changed; please confirm them again', sessionId);
    return;
  }
  const expiresAt = Math.min(hub.now() + hub.timing.startCodeTtlMs, session.deadline);
  session.state = 'consented';
  session.startCode = newStartCode();
  session.startCodeExpiresAt = expiresAt;
  session.timers.startCode = hub.timer(expiresAt - hub.now(), () => hub.end(session, 'timeout'));
  hub.persist(session);
  peer.send({ type: 'cobrowse.startcode', sessionId, startCode: session.startCode, expiresAt });
  hub.sendToAdvisor(session, { type: 'cobrowse.consented', sessionId, expiresAt });
}

function resume(
  hub: CobrowseHub,
  peer: VisitorPeer,
  sessionId: string,
  resumeToken: string,
  link: number | undefined,
): void {
  const session = hub.getSession(sessionId);
  const matches = secretMatches(session?.resumeToken ?? '', resumeToken);
  // A resume token is a secret like the codes: wrong, too late or unknown all get the same answer, and the
  // client knows from it that the session is over.
  if (session === undefined || session.state !== 'live' || session.resumeToken === undefined || !matches) {
    hub.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, sessionId);
    return;
  }
  if (session.visitorGoneAt !== undefined && hub.now() - session.visitorGoneAt >= hub.timing.resumeMs) {
    // The timer is late (a busy loop); the window is over all the same.
    hub.end(session, 'timeout');
    hub.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, sessionId);
    return;
  }
  const current = hub.sessionOfVisitor(peer);
  if (current !== undefined && current !== session) {
    hub.refuse(peer, ErrorCode.InvalidState, 'another co-browse session is open on this connection', sessionId);
    return;
  }
  hub.attachVisitor(session, peer);
  // The same page on a new socket, its data channel open: the stream goes on. A new page: new peers on both sides.
  if (link === session.link) hub.keepLink(session, 'visitor');
  else hub.sendStarted(session);
}

function signal(hub: CobrowseHub, peer: VisitorPeer, sessionId: string, payload: string): void {
  const session = ownSession(hub, peer, sessionId);
  if (session === undefined) return;
  if (session.state !== 'live') {
    hub.refuse(peer, ErrorCode.InvalidState, 'the co-browse session is not live', sessionId);
    return;
  }
  // While the advisor is away the signal has no one to go to; the next `cobrowse.started` starts over.
  session.viewer?.send({ type: 'cobrowse.signal', sessionId, signal: payload });
}

/**
 * One co-browse message; a promise (the socket's next messages wait for it) for a webcode, or while this node's lease
 * may have lapsed (`CobrowseHub.whenLeased`: the session may be another node's by now).
 */
export function handleCobrowseVisitor(
  hub: CobrowseHub,
  peer: VisitorPeer,
  message: CobrowseFromVisitor,
): Promise<void> | undefined {
  return hub.whenLeased(() => handle(hub, peer, message));
}

function handle(hub: CobrowseHub, peer: VisitorPeer, message: CobrowseFromVisitor): Promise<void> | undefined {
  switch (message.type) {
    case 'cobrowse.join':
      return join(hub, peer, message.webcode);
    case 'cobrowse.consent':
      consent(hub, peer, message.sessionId, message.termsVersion);
      return;
    case 'cobrowse.resume':
      resume(hub, peer, message.sessionId, message.resumeToken, message.link);
      return;
    case 'cobrowse.signal':
      signal(hub, peer, message.sessionId, message.signal);
      return;
    case 'cobrowse.end': {
      const session = ownSession(hub, peer, message.sessionId);
      if (session !== undefined) hub.end(session, 'visitor');
      return;
    }
    default: {
      const unhandled: never = message;
      throw new Error(`unhandled co-browse message ${(unhandled as { type: string }).type}`);
    }
  }
}
