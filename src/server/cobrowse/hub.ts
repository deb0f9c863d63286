/**
 * The in-memory CobrowseHub: open sessions, the active webcodes, which visitor socket is in which session, the
 * wrong-code limits, and the timers that end sessions. It relays signalling but never sees a page: that travels
 * peer to peer. What each role may send lives in `visitor.ts` and `advisor.ts`.
 */
import { COBROWSE_RESUME_MS, MAX_COBROWSE_LINK, START_CODE_TTL_MS } from '../../protocol/limits.js';
import { CloseCode } from '../../protocol/errors.js';
import type { ErrorCode } from '../../protocol/errors.js';
import type { Outgoing } from '../../protocol/parse.js';
import type { ServerToAdvisor } from '../../protocol/messages.js';
import type { AdvisorRegistry } from '../chat/advisors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { CobrowseConfig } from '../config/cobrowse.js';
import type { Logger } from '../log.js';
import { startTimer } from '../timers.js';
import { createAudit } from './audit.js';
import type { Audit, EndedBy } from './audit.js';
import type { ClientKey } from '../transport/client-key.js';
import { assetOriginsOf } from '../config/cobrowse.js';
import { iceServersFor } from './ice.js';
import { clearTimer, createSession, recordOf, sessionFromRecord, wipe } from './session.js';
import type { CobrowseRecord, CobrowseSessionStore } from '../state/cobrowse-sessions.js';
import type { CobrowseSession, SessionState } from './session.js';
import { newWebcode } from './codes.js';
import { MemoryCodeStore } from '../state/code-store.js';
import type { CodeStore } from '../state/code-store.js';
import type { LimitStore } from '../state/limit-store.js';
import { WebcodeGuard, WrongCodeLimiter } from './wrong-codes.js';
import type { WrongCount } from './wrong-codes.js';

/**
 * With other nodes: this node's lease (`cluster/takeover.ts`). `afterLease` is `undefined` while the lease is known
 * held; after a pause or cut longer than the lease, a promise that settles once it is renewed and what this node holds
 * was checked against the owner entries (`CobrowseHub.dropLost`).
 */
export interface LeaseGate {
  afterLease(): Promise<void> | undefined;
}

/** Open (not ended) sessions one advisor may have at once. */
export const MAX_SESSIONS_PER_ADVISOR = 5;

/** Windows the protocol fixes; only tests shorten them. */
export interface CobrowseTiming {
  resumeMs: number;
  startCodeTtlMs: number;
}

/** What the hub knows of a visitor socket: its pseudonymous client key, its own wrong count, its session. */
export interface VisitorBinding {
  readonly clientKey: string;
  /** `clientKey`, then the client's keys from before a rotation whose counts may still be live. */
  readonly clientKeys: readonly string[];
  readonly wrong: WrongCount;
  sessionId: string | undefined;
}

/** What co-browsing reads of the configuration: its own area, the origins its replay may load from, the grace. */
export interface CobrowseSettings {
  readonly cobrowse: CobrowseConfig;
  readonly allowedOrigins: readonly string[];
  /** An advisor whose console closed gets this long to come back before the session ends (the chat's grace). */
  readonly chat: { readonly advisorGraceSeconds: number };
}

export interface CobrowseHubOptions {
  config: CobrowseSettings;
  log: Logger;
  now: () => number;
  advisors: AdvisorRegistry;
  audit?: Audit;
  /** Where start and end are recorded (the store); without it, log lines only. */
  auditLog?: AuditLog;
  timing?: Partial<CobrowseTiming>;
  onVisitorChange?: (peer: VisitorPeer) => void;
  /** Where the per-client and server-wide webcode counts live (shared by every node one day). */
  limitStore: LimitStore;
  /** The active webcodes, each naming its session until used once or lapsed; in memory by default. */
  webcodes?: CodeStore;
  /** With other nodes (Redis): this node's id, named in the ids of the sessions it creates (`session.ts`). */
  nodeId?: string;
  /**
   * With other nodes: where each open session's record is kept for a node that takes it over when this one died
   * (`cluster/cobrowse-takeover.ts`); this node refreshes its sessions' records there while they are open.
   */
  records?: CobrowseSessionStore;
}

export class CobrowseHub {
  readonly config: CobrowseSettings;
  readonly log: Logger;
  readonly now: () => number;
  readonly advisors: AdvisorRegistry;
  readonly audit: Audit;
  readonly timing: CobrowseTiming;
  /** Wrong webcodes per socket. */
  readonly limiter: WrongCodeLimiter;
  /** Attempts per client and server-wide, and the slowdown over the budget. */
  readonly guard: WebcodeGuard;
  readonly #sessions = new Map<string, CobrowseSession>();
  /** Active webcode → session id (`state/code-store.ts`). */
  readonly #webcodes: CodeStore;
  readonly #visitors = new Map<VisitorPeer, VisitorBinding>();
  readonly #onVisitorChange: (peer: VisitorPeer) => void;
  /** Visitor sockets whose webcode check is under way (counted, or waiting for its slot). */
  readonly #joining = new Set<VisitorPeer>();
  /** Visitor sockets of this node whose session another node holds (`cluster/cobrowse-routing.ts`). */
  readonly #elsewhere = new Set<VisitorPeer>();
  readonly #nodeId: string | undefined;
  readonly #records: CobrowseSessionStore | undefined;
  /** Sessions whose end waits for the store's word that this node still owns them (fencing), and how they end. */
  readonly #ending = new Map<CobrowseSession, EndedBy>();
  #lease: LeaseGate | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: CobrowseHubOptions) {
    this.config = options.config;
    this.log = options.log;
    this.now = options.now;
    this.advisors = options.advisors;
    this.audit = options.audit ?? createAudit(options.log, options.auditLog);
    this.timing = { resumeMs: COBROWSE_RESUME_MS, startCodeTtlMs: START_CODE_TTL_MS, ...options.timing };
    this.#onVisitorChange = options.onVisitorChange ?? (() => {});
    this.#webcodes = options.webcodes ?? new MemoryCodeStore(this.now);
    this.#nodeId = options.nodeId;
    this.#records = options.nodeId === undefined ? undefined : options.records;
    if (this.#records !== undefined) this.#refreshEvery(Math.max(200, this.#records.refreshMs));
    const { cobrowse } = this.config;
    const lockoutMs = cobrowse.webcodeLockoutMinutes * 60_000;
    this.limiter = new WrongCodeLimiter({ now: this.now, maxWrong: cobrowse.webcodeMaxWrong, lockoutMs });
    this.guard = new WebcodeGuard({
      store: options.limitStore,
      now: this.now,
      log: this.log,
      limits: {
        maxWrong: cobrowse.webcodeMaxWrong,
        lockoutMs,
        budgetPerMinute: cobrowse.webcodeWrongBudgetPerMinute,
        slowdownMs: cobrowse.webcodeSlowdownMs,
        slowQueue: cobrowse.webcodeSlowQueue,
      },
    });
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Open sessions by the furthest state each reached (`/metrics`). */
  sessionCountsByState(): Record<SessionState, number> {
    const counts: Record<SessionState, number> = { offered: 0, joined: 0, consented: 0, live: 0 };
    for (const session of this.#sessions.values()) counts[session.state] += 1;
    return counts;
  }

  /** Sessions whose webcode was not used yet. */
  get activeWebcodeCount(): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.webcode !== undefined) count += 1;
    return count;
  }

  getSession(sessionId: string): CobrowseSession | undefined {
    return this.#sessions.get(sessionId);
  }

  sessionsOf(advisorId: string): CobrowseSession[] {
    return [...this.#sessions.values()].filter((session) => session.advisorId === advisorId);
  }

  bindingOf(peer: VisitorPeer): VisitorBinding | undefined {
    return this.#visitors.get(peer);
  }

  /** Whether the socket's webcode check is under way: it is not idle then. */
  isJoining(peer: VisitorPeer): boolean {
    return this.#joining.has(peer);
  }

  /**
   * Whether the socket co-browses: the visitor of an open session, its webcode check under way, or its session held
   * by another node.
   */
  holds(peer: VisitorPeer): boolean {
    return this.sessionOfVisitor(peer) !== undefined || this.isJoining(peer) || this.#elsewhere.has(peer);
  }

  /** This node's socket co-browses in a session another node holds (or no more): its idle time stops (or starts). */
  heldElsewhere(peer: VisitorPeer, held: boolean): void {
    if (held === this.#elsewhere.has(peer)) return;
    if (held) this.#elsewhere.add(peer);
    else this.#elsewhere.delete(peer);
    if (this.#visitors.has(peer)) this.#onVisitorChange(peer);
  }

  /**
   * With other nodes (`cluster/cobrowse-routing.ts`): a webcode this node took names a session another node holds;
   * true when the socket is sent there to join it (the answer comes from there).
   */
  joinElsewhere: ((peer: VisitorPeer, sessionId: string) => boolean) | undefined = undefined;

  /**
   * A webcode of this node's session that another node took (and counted): the visitor's socket there joins it, as
   * with the code typed here. False when the session is gone or past its webcode meanwhile.
   */
  joinTaken(peer: VisitorPeer, sessionId: string): boolean {
    const session = this.#sessions.get(sessionId);
    if (session?.state !== 'offered' || session.webcode === undefined || !this.#visitors.has(peer)) return false;
    if (this.sessionOfVisitor(peer) !== undefined) return false;
    session.webcode = undefined;
    this.joined(session, peer);
    return true;
  }

  /** The visitor's webcode was right: it is the session's visitor, and both sides hear it. */
  joined(session: CobrowseSession, peer: VisitorPeer): void {
    session.state = 'joined';
    this.persist(session);
    this.attachVisitor(session, peer);
    peer.send({ type: 'cobrowse.pending', sessionId: session.id, advisor: session.advisorName });
    this.sendToAdvisor(session, { type: 'cobrowse.joined', sessionId: session.id });
  }

  /** Marks the socket as joining until `check` settles (the hub hears of both changes). */
  async whileJoining<T>(peer: VisitorPeer, check: Promise<T>): Promise<T> {
    this.#joining.add(peer);
    this.#onVisitorChange(peer);
    try {
      return await check;
    } finally {
      this.#joining.delete(peer);
      if (this.#visitors.has(peer)) this.#onVisitorChange(peer);
    }
  }

  /** The open session this visitor socket is the visitor of, if any. */
  sessionOfVisitor(peer: VisitorPeer): CobrowseSession | undefined {
    const sessionId = this.#visitors.get(peer)?.sessionId;
    const session = sessionId === undefined ? undefined : this.#sessions.get(sessionId);
    return session?.visitor === peer ? session : undefined;
  }

  refuse(peer: VisitorPeer | AdvisorPeer, code: ErrorCode, message: string, ref: string): void {
    this.log.debug('message.refused', { errorCode: code });
    peer.send({ type: 'error', code, message, ref });
  }

  // --- sessions -------------------------------------------------------------------------------------------------

  /** A new session with a fresh webcode; `undefined` when no free webcode could be drawn. */
  async offer(advisor: AdvisorPeer['advisor'], chatId: string | undefined): Promise<CobrowseSession | undefined> {
    const ttlMs = this.config.cobrowse.webcodeTtlMinutes * 60_000;
    const session = createSession(advisor, chatId, '', this.now(), ttlMs, this.#nodeId);
    const webcode = await newWebcode((code) => this.#webcodes.put(code, session.id, ttlMs));
    if (webcode === undefined || this.#closed) return undefined;
    session.webcode = webcode;
    this.#sessions.set(session.id, session);
    session.timers.deadline = this.timer(session.deadline - this.now(), () => this.end(session, 'timeout'));
    this.persist(session, true);
    return session;
  }

  /**
   * The session of an active webcode, which is consumed: a webcode works once. A session of another node comes as
   * its id (`elsewhere`).
   */
  async takeWebcode(webcode: string): Promise<CobrowseSession | { elsewhere: string } | undefined> {
    const sessionId = await this.#webcodes.take(webcode);
    const session = sessionId === undefined ? undefined : this.#sessions.get(sessionId);
    if (session === undefined) return sessionId === undefined ? undefined : { elsewhere: sessionId };
    session.webcode = undefined;
    return session;
  }

  /** Makes `peer` the session's visitor socket; an older socket of the same visitor is detached from it. */
  attachVisitor(session: CobrowseSession, peer: VisitorPeer): void {
    const older = session.visitor;
    if (older !== undefined && older !== peer) {
      const binding = this.#visitors.get(older);
      if (binding?.sessionId === session.id) binding.sessionId = undefined;
    }
    session.visitor = peer;
    session.visitorGoneAt = undefined;
    clearTimer(session, 'resume');
    const binding = this.#visitors.get(peer);
    if (binding !== undefined) binding.sessionId = session.id;
    if (older !== undefined && older !== peer) this.#onVisitorChange(older);
    this.#onVisitorChange(peer);
  }

  /** Binds the advisor socket that views a live session. */
  attachViewer(session: CobrowseSession, peer: AdvisorPeer): void {
    session.viewer = peer;
    clearTimer(session, 'grace');
  }

  sendToAdvisor(session: CobrowseSession, message: Outgoing<ServerToAdvisor>): void {
    this.advisors.sendTo(session.advisorId, message);
  }

  /**
   * `cobrowse.started` with a new link to each side present: both (re)create their peer, the visitor takes a fresh
   * snapshot.
   */
  sendStarted(session: CobrowseSession): void {
    if (session.state !== 'live' || session.resumeToken === undefined) return;
    session.link = Math.min(session.link + 1, MAX_COBROWSE_LINK);
    this.persist(session);
    this.#started(session, 'visitor');
    this.#started(session, 'viewer');
  }

  /**
   * A side came back with the session's link still open (its socket moved, its page did not): it alone hears
   * `cobrowse.started`, with the same link, and keeps its peer; the other side hears nothing.
   */
  keepLink(session: CobrowseSession, side: 'visitor' | 'viewer'): void {
    if (session.state === 'live' && session.resumeToken !== undefined) this.#started(session, side);
  }

  #started(session: CobrowseSession, side: 'visitor' | 'viewer'): void {
    const { resumeToken } = session;
    if (resumeToken === undefined) return;
    const iceServers = iceServersFor(this.config.cobrowse.ice, session.id, this.now());
    const iceTransportPolicy = this.config.cobrowse.ice.transportPolicy;
    const base = {
      type: 'cobrowse.started',
      sessionId: session.id,
      iceServers,
      iceTransportPolicy,
      link: session.link,
    } as const;
    if (side === 'visitor') {
      session.visitor?.send({ ...base, resumeToken, initiator: true, advisor: session.advisorName });
    } else {
      // The console's replay loads nothing from anywhere else, whatever the visitor's page names (issue 12, item 11).
      session.viewer?.send({ ...base, initiator: false, assetOrigins: assetOriginsOf(this.config) });
    }
  }

  /**
   * With other nodes: the session's record as it is now, for a node that takes it over (`state/cobrowse-sessions.ts`;
   * `create`: a new session). Fenced: refused when another node owns the session now, which is then forgotten here
   * (`#lose`).
   */
  persist(session: CobrowseSession, create = false): void {
    if (this.#records === undefined || this.#nodeId === undefined || this.#sessions.get(session.id) !== session) return;
    this.#records.save(session.id, this.#nodeId, recordOf(session), create).then(
      (saved) => {
        if (!saved) this.#lose(session);
      },
      (error: unknown) => this.#failed(error),
    );
  }

  /**
   * With other nodes: what this node does for a session (its messages, its timers) waits while its lease may have
   * lapsed (`LeaseGate`), so that a node that was paused or cut off acts on nothing another node took over meanwhile.
   */
  fenceWith(lease: LeaseGate): void {
    this.#lease = lease;
  }

  /** `run` now, or once this node knows it still holds its lease (and forgot what it lost): `LeaseGate`. */
  whenLeased<T>(run: () => T): T | Promise<Awaited<T>> {
    const pending = this.#lease?.afterLease();
    return pending === undefined ? run() : (pending.then(run) as Promise<Awaited<T>>);
  }

  /**
   * Forgets (`#lose`) every session held here whose owner entry names another node, or is gone: this node was paused
   * or cut off past its lease, and another took them over (`cluster/takeover.ts`, after a late renewal).
   */
  async dropLost(): Promise<void> {
    const records = this.#records;
    if (records === undefined) return;
    for (const session of [...this.#sessions.values()]) {
      const owner = await records.ownerOf(session.id);
      if (owner !== this.#nodeId) this.#lose(session);
    }
  }

  /**
   * Fencing: the shared store refused this node's write, since another node took the session over (this node was
   * cut off or paused past its lease) or ended it. Forgotten here without a word to the shared state or the audit
   * (no end: it is the owner's), its timers stop, and both sides' sockets on it are closed to come back (4003): they
   * resume on the owner (the visitor's resume, the console's hello).
   */
  #lose(session: CobrowseSession): void {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
    else if (!this.#ending.delete(session)) return;
    const { visitor, viewer } = session;
    if (visitor !== undefined) {
      const binding = this.#visitors.get(visitor);
      if (binding?.sessionId === session.id) binding.sessionId = undefined;
      if (binding !== undefined) this.#onVisitorChange(visitor);
    }
    wipe(session);
    this.log.warn('cobrowse.lost');
    visitor?.close(CloseCode.ServerShutdown, 'the session moved; come back');
    viewer?.close(CloseCode.ServerShutdown, 'the session moved; come back');
  }

  /**
   * A session of a node that died, taken over by this node (`cluster/cobrowse-takeover.ts`, which made this node its
   * owner): rebuilt from its record, with nobody attached. A live one waits for its visitor's resume and its
   * advisor's console (each within its window), an offered one for its webcode; one that was joined or consented
   * ends (its visitor's socket was tied to the dead node, and its page is back at the webcode), with its audit line.
   * No audit line is written for the takeover itself: the start was recorded by the dead node, the end is recorded
   * here, once.
   */
  adopt(sessionId: string, record: CobrowseRecord): CobrowseSession | undefined {
    const known = this.#sessions.get(sessionId);
    if (known !== undefined || this.#closed) return known;
    const session = sessionFromRecord(sessionId, record);
    this.#sessions.set(sessionId, session);
    if (session.state === 'joined' || session.state === 'consented') {
      this.end(session, 'server');
      return undefined;
    }
    if (session.state === 'offered') {
      session.timers.deadline = this.timer(session.deadline - this.now(), () => this.end(session, 'timeout'));
    } else {
      session.visitorGoneAt = this.now();
      session.timers.resume = this.timer(this.timing.resumeMs, () => this.end(session, 'timeout'));
    }
    session.timers.grace = this.timer(this.config.chat.advisorGraceSeconds * 1000, () => this.end(session, 'timeout'));
    return session;
  }

  #refreshEvery(ms: number): void {
    this.#refreshTimer = this.timer(ms, () => {
      if (this.#closed || this.#records === undefined) return;
      this.#records
        .refresh([...this.#sessions.keys()])
        .catch((error: unknown) => this.#failed(error))
        .finally(() => {
          if (!this.#closed) this.#refreshEvery(ms);
        });
    });
  }

  #failed(error: unknown): void {
    this.log.warn('state.failed', { errorName: error instanceof Error ? error.name : 'Error' });
  }

  /**
   * Ends a session: `cobrowse.ended` to both sides, one audit record, then it is deleted. Idempotent. With other
   * nodes, fenced: its keys are removed first, only while this node owns it; when another node does (this node was
   * paused or cut off past its lease), it is forgotten here instead (`#lose`), not ended.
   */
  end(session: CobrowseSession, by: EndedBy): void {
    if (this.#sessions.get(session.id) !== session) return;
    this.#sessions.delete(session.id);
    const records = this.#records;
    const nodeId = this.#nodeId;
    if (records === undefined || nodeId === undefined) {
      this.#ended(session, by);
      return;
    }
    this.#ending.set(session, by);
    records.remove(session.id, nodeId).then(
      (removed) => {
        if (!removed) this.#lose(session);
        else if (this.#ending.delete(session)) this.#ended(session, by);
      },
      (error: unknown) => {
        this.#failed(error);
        if (this.#ending.delete(session)) this.#ended(session, by);
      },
    );
  }

  /** The end itself, once the session is this node's to end. */
  #ended(session: CobrowseSession, by: EndedBy): void {
    if (session.webcode !== undefined) this.#forgetWebcode(session.webcode);
    const message = { type: 'cobrowse.ended', sessionId: session.id, by } as const;
    session.visitor?.send(message);
    this.sendToAdvisor(session, message);
    if (session.visitor !== undefined) {
      const binding = this.#visitors.get(session.visitor);
      if (binding?.sessionId === session.id) binding.sessionId = undefined;
      // Its socket may have gone while the end waited for the store (`end`).
      if (binding !== undefined) this.#onVisitorChange(session.visitor);
    }
    const endedAt = this.now();
    const { startedAt } = session;
    this.audit({
      event: 'cobrowse.session',
      advisorId: session.advisorId,
      sessionId: session.id,
      startedAt,
      endedAt,
      durationMs: startedAt === undefined ? 0 : endedAt - startedAt,
      endedBy: by,
      reached: session.state,
    });
    wipe(session);
  }

  /** A session's timer; fired after a pause, it waits for the lease (`whenLeased`). */
  timer(ms: number, run: () => void): NodeJS.Timeout {
    return startTimer(ms, () => void this.whenLeased(run));
  }

  // --- sockets --------------------------------------------------------------------------------------------------

  /**
   * A visitor socket opened, with its client's keys as the gateway took them (`transport/client-key.ts`): the
   * replaced keys come along for a lockout after a rotation, so their counts still count (a lock is never forgotten
   * before it expires), and then lapse in the limit store on their own.
   */
  visitorConnected(peer: VisitorPeer, client: ClientKey): void {
    this.#visitors.set(peer, {
      clientKey: client.key,
      clientKeys: client.keys,
      wrong: { wrong: 0, expiresAt: 0 },
      sessionId: undefined,
    });
  }

  /** Live: the visitor may come back (`cobrowse.resume`) for a while. Before that: the session is over. */
  visitorDisconnected(peer: VisitorPeer): void {
    const session = this.sessionOfVisitor(peer);
    this.#visitors.delete(peer);
    this.#elsewhere.delete(peer);
    if (session === undefined || this.#closed) return;
    session.visitor = undefined;
    if (session.state !== 'live') {
      this.end(session, 'visitor');
      return;
    }
    session.visitorGoneAt = this.now();
    session.timers.resume = this.timer(this.timing.resumeMs, () => this.end(session, 'timeout'));
  }

  /**
   * After an advisor socket was removed from the registry. A live session it viewed moves to another ready socket
   * of the same advisor if there is one; otherwise (and for a session whose advisor has no socket left) the grace
   * period runs.
   */
  advisorDisconnected(peer: AdvisorPeer): void {
    if (this.#closed) return;
    const entry = this.advisors.get(peer.advisor.id);
    for (const session of this.sessionsOf(peer.advisor.id)) {
      if (session.viewer === peer) {
        session.viewer = undefined;
        const other = entry === undefined ? undefined : [...entry.ready][0];
        if (other !== undefined) {
          this.attachViewer(session, other);
          this.sendStarted(session);
          continue;
        }
      }
      const orphaned = session.state === 'live' ? session.viewer === undefined : entry === undefined;
      if (orphaned && session.timers.grace === undefined) {
        session.timers.grace = this.timer(this.config.chat.advisorGraceSeconds * 1000, () =>
          this.end(session, 'timeout'),
        );
      }
    }
  }

  /**
   * `advisor.hello`: the console learns where each of its sessions stands; a live one without viewer resumes, and
   * keeps its peer when `links` names the session's link as open on the console (`keepLink`).
   */
  advisorHello(peer: AdvisorPeer, links?: ReadonlyMap<string, number | undefined>): void {
    for (const session of this.sessionsOf(peer.advisor.id)) {
      const sessionId = session.id;
      switch (session.state) {
        case 'offered':
          if (session.webcode !== undefined) {
            peer.send({
              type: 'cobrowse.code',
              sessionId,
              webcode: session.webcode,
              expiresAt: session.deadline,
              chatId: session.chatId,
            });
          }
          clearTimer(session, 'grace');
          break;
        case 'joined':
          peer.send({ type: 'cobrowse.joined', sessionId });
          clearTimer(session, 'grace');
          break;
        case 'consented':
          peer.send({
            type: 'cobrowse.consented',
            sessionId,
            expiresAt: session.startCodeExpiresAt ?? session.deadline,
          });
          clearTimer(session, 'grace');
          break;
        case 'live':
          if (session.viewer === undefined) {
            this.attachViewer(session, peer);
            if (links?.get(sessionId) === session.link) this.keepLink(session, 'viewer');
            else this.sendStarted(session);
          }
          break;
      }
    }
  }

  /**
   * Writes back what a restarted Redis lost of this node's sessions: each webcode it gave out that is not yet used,
   * for the rest of its time, and each session's record (what a node needs to take the session over should this one
   * die later). Start codes live on this node only. How many webcodes there were.
   */
  async restoreWebcodes(): Promise<number> {
    const now = this.now();
    const sessions = [...this.#sessions.values()];
    const offered = sessions.filter(
      (session) => session.state === 'offered' && session.webcode !== undefined && session.deadline > now,
    );
    const records = this.#records;
    const nodeId = this.#nodeId;
    await Promise.all([
      ...offered.map(async (session) => {
        if (session.webcode !== undefined)
          await this.#webcodes.put(session.webcode, session.id, session.deadline - now);
      }),
      ...(records === undefined || nodeId === undefined
        ? []
        : sessions.map(async (session) => {
            if (!(await records.save(session.id, nodeId, recordOf(session), true))) this.#lose(session);
          })),
    ]);
    return offered.length;
  }

  /** Frees a webcode whose session ended unused; a store that fails lets it lapse on its own (its TTL). */
  #forgetWebcode(webcode: string): void {
    this.#webcodes.delete(webcode).catch((error: unknown) => {
      this.log.warn('state.failed', { errorName: error instanceof Error ? error.name : 'Error' });
    });
  }

  /**
   * With other nodes, this node stops (a rolling update): a live session and one whose webcode is unused go on on
   * the node their sockets come back to, which takes them over from their records at once (this node gives its
   * lease up next): nothing is said and nothing audited here, and their records stay. A joined or consented one
   * ends (its visitor's socket is tied to this node). Then as `close()`. Without records, the same as `close()`.
   */
  release(): void {
    if (this.#closed) return;
    for (const session of [...this.#sessions.values()]) {
      if (this.#records === undefined || (session.state !== 'live' && session.state !== 'offered')) continue;
      this.#sessions.delete(session.id);
      wipe(session);
    }
    this.close();
  }

  /** Ends every session (`by: 'server'`), which frees their webcodes, and forgets every socket and count. Idempotent. */
  close(): void {
    if (this.#closed) return;
    // Ends waiting for the store's word end now: this node stops.
    for (const [session, by] of [...this.#ending]) {
      this.#ending.delete(session);
      this.#ended(session, by);
    }
    for (const session of [...this.#sessions.values()]) {
      this.#sessions.delete(session.id);
      this.#records?.remove(session.id, this.#nodeId).catch((error: unknown) => this.#failed(error));
      this.#ended(session, 'server');
    }
    this.#closed = true;
    clearTimeout(this.#refreshTimer);
    this.#visitors.clear();
    this.#elsewhere.clear();
    this.guard.close();
  }
}
