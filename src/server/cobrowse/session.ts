/**
 * One co-browse session as the server holds it: two parties, the codes, the timers. In memory only; when it ends
 * it is deleted and `wipe` drops every secret, so nothing of it stays reachable, even from a stale reference.
 */
import { nanoid } from 'nanoid';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { Reached } from './audit.js';
import type { CobrowseRecord } from '../state/cobrowse-sessions.js';

/** `offered` → `joined` (webcode entered) → `consented` (start code shown) → `live`; ended sessions are deleted. */
export type SessionState = Reached;

export interface SessionTimers {
  /** Not live within the webcode TTL: ends by timeout. */
  deadline: NodeJS.Timeout | undefined;
  /** The start code expired: ends by timeout. */
  startCode: NodeJS.Timeout | undefined;
  /** The visitor's socket is gone while live: ends by timeout unless resumed. */
  resume: NodeJS.Timeout | undefined;
  /** The advisor is gone: ends by timeout unless back. */
  grace: NodeJS.Timeout | undefined;
}

export interface CobrowseSession {
  readonly id: string;
  readonly advisorId: string;
  readonly advisorName: string;
  readonly chatId: string | undefined;
  readonly createdAt: number;
  /** createdAt + webcode TTL: live by then, or over. */
  readonly deadline: number;
  state: SessionState;
  /** While `offered` only: consumed by the join. */
  webcode: string | undefined;
  /** While `consented` only. */
  startCode: string | undefined;
  startCodeExpiresAt: number | undefined;
  wrongStartCodes: number;
  /** From `live` on. */
  resumeToken: string | undefined;
  startedAt: number | undefined;
  /**
   * From `live` on: which pair of peers the last `cobrowse.started` asked for (1, 2, …). A side that comes back
   * with this link's data channel still open keeps it (`protocol/cobrowse.ts`).
   */
  link: number;
  /** The visitor socket that joined (or resumed); undefined while it is gone. */
  visitor: VisitorPeer | undefined;
  visitorGoneAt: number | undefined;
  /** While live: the one advisor socket that views and signals (the one that started, or took over). */
  viewer: AdvisorPeer | undefined;
  readonly timers: SessionTimers;
}

/** The random part of a session id; an owner's node id may follow it, after `_`. */
const RANDOM_LENGTH = 21;
/** What a node id may be to be named in a session id (a protocol id has at most 64 characters). */
const NODE_ID = /^[A-Za-z0-9-]{1,42}$/;

/**
 * A fresh session id. With other nodes (`owner` given) it names the node that holds the session, so that a socket
 * on any node knows where its `cobrowse.resume` or signal goes without asking anyone (`cluster/cobrowse-routing.ts`);
 * the node id is a random UUID, nothing about the visitor. One node alone: the random part only, as always.
 */
export function newSessionId(owner?: string): string {
  const random = nanoid(RANDOM_LENGTH);
  return owner !== undefined && NODE_ID.test(owner) ? `${random}_${owner}` : random;
}

/** The node a session id names as its owner; `undefined` for an id of one node alone (or not a session id). */
export function ownerOfSession(sessionId: string): string | undefined {
  if (sessionId.length <= RANDOM_LENGTH + 1 || sessionId[RANDOM_LENGTH] !== '_') return undefined;
  const owner = sessionId.slice(RANDOM_LENGTH + 1);
  return NODE_ID.test(owner) ? owner : undefined;
}

export function createSession(
  advisor: AdvisorPeer['advisor'],
  chatId: string | undefined,
  webcode: string,
  now: number,
  ttlMs: number,
  owner?: string,
): CobrowseSession {
  return {
    id: newSessionId(owner),
    advisorId: advisor.id,
    advisorName: advisor.name,
    chatId,
    createdAt: now,
    deadline: now + ttlMs,
    state: 'offered',
    webcode,
    startCode: undefined,
    startCodeExpiresAt: undefined,
    wrongStartCodes: 0,
    resumeToken: undefined,
    startedAt: undefined,
    link: 0,
    visitor: undefined,
    visitorGoneAt: undefined,
    viewer: undefined,
    timers: { deadline: undefined, startCode: undefined, resume: undefined, grace: undefined },
  };
}

/** What another node needs to take the session over (`state/cobrowse-sessions.ts`): no secret but the resume token. */
export function recordOf(session: CobrowseSession): CobrowseRecord {
  return {
    advisorId: session.advisorId,
    advisorName: session.advisorName,
    chatId: session.chatId,
    state: session.state,
    createdAt: session.createdAt,
    deadline: session.deadline,
    resumeToken: session.resumeToken,
    startedAt: session.startedAt,
    link: session.link,
  };
}

/** A session of another node, rebuilt from its record: nobody attached yet, no timer running. */
export function sessionFromRecord(id: string, record: CobrowseRecord): CobrowseSession {
  return {
    id,
    advisorId: record.advisorId,
    advisorName: record.advisorName,
    chatId: record.chatId,
    createdAt: record.createdAt,
    deadline: record.deadline,
    state: record.state,
    webcode: undefined,
    startCode: undefined,
    startCodeExpiresAt: undefined,
    wrongStartCodes: 0,
    resumeToken: record.resumeToken,
    startedAt: record.startedAt,
    link: record.link,
    visitor: undefined,
    visitorGoneAt: undefined,
    viewer: undefined,
    timers: { deadline: undefined, startCode: undefined, resume: undefined, grace: undefined },
  };
}

export function clearTimer(session: CobrowseSession, name: keyof SessionTimers): void {
  clearTimeout(session.timers[name]);
  session.timers[name] = undefined;
}

/** Clears every timer and drops the secrets and the parties of a session that has ended. */
export function wipe(session: CobrowseSession): void {
  for (const name of Object.keys(session.timers) as (keyof SessionTimers)[]) clearTimer(session, name);
  session.webcode = undefined;
  session.startCode = undefined;
  session.resumeToken = undefined;
  session.visitor = undefined;
  session.viewer = undefined;
}
