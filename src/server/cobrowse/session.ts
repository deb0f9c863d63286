/**
 * One co-browse session as the server holds it: two parties, the codes, the timers. In memory only; when it ends
 * it is deleted and `wipe` drops every secret, so nothing of it stays reachable, even from a stale reference.
 */
import { nanoid } from 'nanoid';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { Reached } from './audit.js';

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
  /** The visitor socket that joined (or resumed); undefined while it is gone. */
  visitor: VisitorPeer | undefined;
  visitorGoneAt: number | undefined;
  /** While live: the one advisor socket that views and signals (the one that started, or took over). */
  viewer: AdvisorPeer | undefined;
  readonly timers: SessionTimers;
}

export function createSession(
  advisor: AdvisorPeer['advisor'],
  chatId: string | undefined,
  webcode: string,
  now: number,
  ttlMs: number,
): CobrowseSession {
  return {
    id: nanoid(),
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
