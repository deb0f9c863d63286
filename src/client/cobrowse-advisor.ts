/**
 * The advisor's co-browse sessions, without any element: owned by `AdvisorSession`, which routes every
 * `cobrowse.*` message from the server here and lends its send function. Per session:
 *
 *   offered (webcode known) → joined (the visitor reads the terms) → consented (ask for the start code)
 *   → connecting (`cobrowse.started`: a new peer) → live (data channel open) → ended
 *
 * Every `cobrowse.started` (the first, and again after the visitor's page reloaded or the advisor reconnected) closes
 * the old peer and resets the viewer: the visitor records a fresh full snapshot for the new peer, and no backlog
 * is ever replayed. Over the open channel the session pings the visitor to learn the offset between the two clocks,
 * which the viewer needs to replay without delay.
 *
 * The data channel does not need the server once it is open: when the console's socket drops, its peers go on, and
 * the hello of the new socket names each session with the link whose channel is open (`helloSessions`). A
 * `cobrowse.started` with that link (the session's node may have died, and another taken it over) keeps the peer.
 */
import { START_CODE_MAX_WRONG, START_CODE_PATTERN } from '../protocol/limits.js';
import type { AdvisorToServer, ServerToAdvisor } from '../protocol/messages.js';
import type { Outgoing } from '../protocol/parse.js';
import type { RrwebEventEnvelope } from '../protocol/peer.js';
import type { ClockSample } from './clock-probe.js';
import { CobrowsePeer } from './cobrowse-peer.js';
import type { LinkFactory } from './cobrowse-peer.js';

export type CobrowseState = 'offered' | 'joined' | 'consented' | 'connecting' | 'live' | 'ended';
export type CobrowseEndedBy = 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';
type CobrowseMessage = Extract<ServerToAdvisor, { type: `cobrowse.${string}` }>;
type ErrorMessage = Extract<ServerToAdvisor, { type: 'error' }>;

export interface CobrowseSession {
  readonly sessionId: string;
  /** The chat the webcode was made for; undefined for an offer made on the phone. */
  readonly chatId: string | undefined;
  /** The six digits, ungrouped; empty for a session this console did not offer (adopted after a reload). */
  readonly webcode: string;
  /** When the webcode stops working, by the server's clock. */
  readonly webcodeExpiresAt: number;
  state: CobrowseState;
  /** When the visitor's start code stops working, by the server's clock (known once consented). */
  startCodeExpiresAt: number | undefined;
  /** A start code is on its way to the server. */
  checking: boolean;
  /** Wrong start codes so far; at `START_CODE_MAX_WRONG` the server voids the session. */
  wrongCodes: number;
  problem: { code: string; message: string } | undefined;
  endedBy: CobrowseEndedBy | undefined;
  /** The best clock estimate of the current peer. */
  clock: ClockSample | undefined;
  /** Peers so far: 2 and more means the visitor came back after a reload (or we reconnected). */
  peers: number;
  /** Where the replay may load images, styles and fonts from: the server's list (`cobrowse.started`); none before. */
  assetOrigins: readonly string[];
}

/** Where a live session's page goes: the viewer (`LiveViewer` behind the element's controller). */
export interface CobrowseSink {
  addEvents(events: readonly RrwebEventEnvelope[]): void;
  setClockOffset(ms: number): void;
  /** The origins the replay may load from, as the server said; before any event of a peer. */
  setAssetOrigins(origins: readonly string[]): void;
  /** A new peer starts over: drop what is shown and wait for its full snapshot. */
  reset(): void;
}

export interface CobrowseAdvisorOptions {
  send: (message: Outgoing<AdvisorToServer>) => boolean;
  changed: () => void;
  /** Test seam: how a peer link is made. */
  createLink?: LinkFactory;
}

export type StartResult = 'sent' | 'format' | 'offline' | 'unknown';

/** Case, spaces and dashes do not matter in a start code. */
export function normaliseStartCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]+/g, '');
}

export function attemptsLeft(session: CobrowseSession): number {
  return Math.max(0, START_CODE_MAX_WRONG - session.wrongCodes);
}

function newSession(
  sessionId: string,
  chatId: string | undefined,
  webcode: string,
  expiresAt: number,
): CobrowseSession {
  return {
    sessionId,
    chatId,
    webcode,
    webcodeExpiresAt: expiresAt,
    state: 'offered',
    startCodeExpiresAt: undefined,
    checking: false,
    wrongCodes: 0,
    problem: undefined,
    endedBy: undefined,
    clock: undefined,
    peers: 0,
    assetOrigins: [],
  };
}

export class CobrowseAdvisor {
  readonly sessions = new Map<string, CobrowseSession>();

  #options: CobrowseAdvisorOptions;
  #peers = new Map<string, CobrowsePeer>();
  /** The link (`cobrowse.started`) each peer was made for. */
  #links = new Map<string, number>();
  #sinks = new Map<string, CobrowseSink>();
  /** Sessions withdrawn here: what the server still says about them is of no interest. */
  #withdrawn = new Set<string>();

  constructor(options: CobrowseAdvisorOptions) {
    this.#options = options;
  }

  /**
   * Asks for a webcode, for a chat or (without `chatId`) for a phone call. One co-browse per chat (or phone) at a
   * time: an earlier one that is not connected yet is withdrawn. False when the connection is down.
   */
  offer(chatId?: string): boolean {
    for (const session of [...this.sessions.values()]) {
      if (session.chatId !== chatId) continue;
      if (session.state === 'ended') this.dismiss(session.sessionId);
      else if (session.state !== 'connecting' && session.state !== 'live') this.#withdraw(session);
    }
    this.#options.changed();
    return this.#options.send(
      chatId === undefined ? { type: 'cobrowse.code.create' } : { type: 'cobrowse.code.create', chatId },
    );
  }

  start(sessionId: string, typed: string): StartResult {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.state !== 'consented') return 'unknown';
    const startCode = normaliseStartCode(typed);
    if (!START_CODE_PATTERN.test(startCode)) return 'format';
    if (!this.#options.send({ type: 'cobrowse.start', sessionId, startCode })) return 'offline';
    session.checking = true;
    session.problem = undefined;
    this.#options.changed();
    return 'sent';
  }

  end(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.state === 'ended') return;
    this.#peers.get(sessionId)?.bye();
    this.#peers.delete(sessionId);
    this.#options.send({ type: 'cobrowse.end', sessionId });
    this.#finish(session, 'advisor');
  }

  /** Forgets an ended session. */
  dismiss(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.state !== 'ended') return;
    this.sessions.delete(sessionId);
    this.#sinks.delete(sessionId);
    this.#options.changed();
  }

  /** The viewer of a session attaches here; if the channel is open already, it asks for a fresh snapshot. */
  attach(sessionId: string, sink: CobrowseSink): () => void {
    this.#sinks.set(sessionId, sink);
    sink.setAssetOrigins(this.sessions.get(sessionId)?.assetOrigins ?? []);
    const peer = this.#peers.get(sessionId);
    if (peer?.probe.best !== undefined) sink.setClockOffset(peer.probe.best.offset);
    peer?.send({ t: 'snapshot' });
    return () => {
      if (this.#sinks.get(sessionId) === sink) this.#sinks.delete(sessionId);
    };
  }

  /** The advisor's pointer, in the visitor's document coordinates. */
  pointer(sessionId: string, x: number, y: number, visible: boolean): void {
    this.#peers.get(sessionId)?.send({ t: 'pointer', x, y, visible });
  }

  requestSnapshot(sessionId: string): void {
    this.#peers.get(sessionId)?.send({ t: 'snapshot' });
  }

  /**
   * For the hello of a new socket: the sessions that are not over, each with the link whose data channel is open,
   * so that the server keeps it (and knows the sessions, should their node have died).
   */
  helloSessions(): { sessionId: string; link?: number }[] {
    return [...this.sessions.values()]
      .filter((session) => session.state !== 'ended')
      .map(({ sessionId }) => {
        const link = this.#peers.get(sessionId)?.open === true ? this.#links.get(sessionId) : undefined;
        return link === undefined ? { sessionId } : { sessionId, link };
      });
  }

  /** A `cobrowse.*` message from the server. */
  handle(message: CobrowseMessage): void {
    if (message.type === 'cobrowse.code') {
      this.sessions.set(
        message.sessionId,
        newSession(message.sessionId, message.chatId, message.webcode, message.expiresAt),
      );
      return;
    }
    if (this.#withdrawn.has(message.sessionId)) return;
    const session = this.sessions.get(message.sessionId) ?? this.#adopt(message);
    if (session === undefined || (session.state === 'ended' && message.type !== 'cobrowse.ended')) return;
    switch (message.type) {
      case 'cobrowse.joined':
        session.state = 'joined';
        break;
      case 'cobrowse.consented':
        session.state = 'consented';
        session.startCodeExpiresAt = message.expiresAt;
        break;
      case 'cobrowse.started':
        session.checking = false;
        session.problem = undefined;
        // The link this console's open channel was made for: it goes on.
        if (
          message.link !== undefined &&
          this.#links.get(session.sessionId) === message.link &&
          this.#peers.get(session.sessionId)?.open === true
        ) {
          session.state = 'live';
          break;
        }
        this.#connect(session, message);
        break;
      case 'cobrowse.signal':
        this.#peers.get(session.sessionId)?.signal(message.signal);
        return;
      case 'cobrowse.ended':
        this.#finish(session, message.by);
        return;
    }
  }

  /** An error from the server; true when it named one of our sessions (a wrong start code). */
  handleError(error: ErrorMessage): boolean {
    if (error.ref !== undefined && this.#withdrawn.has(error.ref)) return true;
    const session = error.ref === undefined ? undefined : this.sessions.get(error.ref);
    if (session === undefined) return false;
    session.checking = false;
    session.problem = { code: error.code, message: error.message };
    if (error.code === 'LOTSE_ERR_INVALID_CODE') session.wrongCodes += 1;
    return true;
  }

  /** Closes every peer and timer; the sessions stay readable. Idempotent. */
  close(): void {
    for (const sessionId of [...this.#peers.keys()]) this.#disconnect(sessionId);
    this.#sinks.clear();
  }

  /** A `cobrowse.started` for a session this console does not know (it was reloaded): show it as a phone one. */
  #adopt(message: CobrowseMessage): CobrowseSession | undefined {
    if (message.type !== 'cobrowse.started') return undefined;
    const session = newSession(message.sessionId, undefined, '', 0);
    session.state = 'connecting';
    this.sessions.set(session.sessionId, session);
    return session;
  }

  #connect(session: CobrowseSession, started: Extract<CobrowseMessage, { type: 'cobrowse.started' }>): void {
    const { sessionId } = session;
    this.#disconnect(sessionId);
    if (started.link !== undefined) this.#links.set(sessionId, started.link);
    // Only the server says where the replay may load from; the visitor's page has no say.
    session.assetOrigins = started.assetOrigins ?? [];
    this.#sinks.get(sessionId)?.setAssetOrigins(session.assetOrigins);
    this.#sinks.get(sessionId)?.reset();
    session.state = 'connecting';
    session.clock = undefined;
    session.peers += 1;
    const peer = new CobrowsePeer({
      initiator: started.initiator,
      iceServers: started.iceServers,
      iceTransportPolicy: started.iceTransportPolicy,
      createLink: this.#options.createLink,
      onSignal: (signal) => this.#options.send({ type: 'cobrowse.signal', sessionId, signal }),
      onOpen: () => {
        session.state = 'live';
        this.#options.changed();
      },
      onClose: () => {
        this.#peers.delete(sessionId);
        // The visitor's page is reloading, or the network hiccupped: the server starts a new peer when it is back.
        if (session.state === 'live') session.state = 'connecting';
        this.#options.changed();
      },
      onEvents: (events) => this.#sinks.get(sessionId)?.addEvents(events),
      onClock: (sample) => {
        session.clock = sample;
        this.#sinks.get(sessionId)?.setClockOffset(sample.offset);
      },
      onBye: () => this.#finish(session, 'visitor'),
    });
    this.#peers.set(sessionId, peer);
  }

  #withdraw(session: CobrowseSession): void {
    this.#options.send({ type: 'cobrowse.end', sessionId: session.sessionId });
    this.#disconnect(session.sessionId);
    this.sessions.delete(session.sessionId);
    this.#sinks.delete(session.sessionId);
    this.#withdrawn.add(session.sessionId);
  }

  #finish(session: CobrowseSession, by: CobrowseEndedBy): void {
    if (session.state !== 'ended') {
      session.state = 'ended';
      session.endedBy = by;
    } else if (by !== 'visitor') {
      session.endedBy = by; // the server's word is the last one
    }
    session.checking = false;
    this.#disconnect(session.sessionId);
    this.#options.changed();
  }

  #disconnect(sessionId: string): void {
    this.#peers.get(sessionId)?.close();
    this.#peers.delete(sessionId);
    this.#links.delete(sessionId);
  }
}
