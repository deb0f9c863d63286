/**
 * The visitor's side of one co-browse session, without any element: webcode, consent, start code, then the page
 * recorded and streamed peer to peer while the advisor watches.
 *
 *   idle → checking (join sent) → terms (cobrowse.pending) → startcode (consent sent; the code arrives)
 *        → connecting (cobrowse.started, peer negotiating) → live (data channel open, recording) → ended
 *
 * Nothing is recorded before `cobrowse.started` and an open data channel (`cobrowse-stream.ts`: only then is the
 * recording code loaded, by dynamic `import()`). Every (re)connect starts with a fresh full snapshot; a batch
 * that was not sent when the channel closed is dropped, never replayed. The session survives a reload through
 * `cobrowse-storage.ts`.
 *
 * The data channel does not need the server once it is open: when the socket drops (its node died, the network
 * blinked), the stream goes on while the socket reconnects, and the resume names the link whose channel is open.
 * The server answers with that link (this page keeps its peer; the answer may come late, after another node took
 * the session over) or with a new one (both sides make new peers); a session that is over is refused.
 */
import { ErrorCode } from '../protocol/errors.js';
import { WEBCODE_PATTERN } from '../protocol/limits.js';
import type { ServerToCobrowseVisitor, VisitorToServer } from '../protocol/messages.js';
import { parseCobrowseVisitorFrame } from '../protocol/cobrowse-visitor-parse.js';
import { encode } from '../protocol/envelope.js';
import type { Outgoing } from '../protocol/envelope.js';
import { clearSession, readSession, writeSession } from './cobrowse-storage.js';
import type { StoredSession } from './cobrowse-storage.js';
import { Connection } from './connection.js';
import type { WebSocketLike } from './connection.js';
import { CobrowseStream } from './cobrowse-stream.js';
import type { LinkFactory, PointerState, RecorderModule } from './cobrowse-stream.js';

export type { LinkFactory, LinkLike, PointerState, RecorderModule } from './cobrowse-stream.js';

export type CobrowsePhase = 'idle' | 'checking' | 'terms' | 'startcode' | 'connecting' | 'live' | 'ended';
/** What went wrong, for the view: a wrong webcode, a refusal, or a lost connection before the session started. */
export type CobrowseProblem = 'invalid-code' | 'refused' | 'connection';
export type EndedBy = 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';

export interface CobrowseVisitorOptions {
  /** WebSocket URL of the visitor endpoint, e.g. `wss://chat.example.de/ws/visitor`. */
  url: string;
  /** Extra selectors to block and to mask, on top of the privacy defaults. */
  block?: string | undefined;
  mask?: string | undefined;
  /** Where the session is kept across reloads; `sessionStorage` unless given. */
  storage?: Storage | undefined;
  WebSocket?: WebSocketLike | undefined;
  random?: () => number;
  events?: { window?: EventTarget; document?: Document };
  /** Test seams: the peer link and the recorder (both loaded by dynamic import when not given). */
  createLink?: LinkFactory | undefined;
  loadRecorder?: (() => Promise<RecorderModule>) | undefined;
}

/** `state`: phase or anything shown changed; `pointer`: only the advisor's pointer moved. */
export type CobrowseChange = 'state' | 'pointer';

/** The data channel closed but the server said nothing: ask for a new peer after this long. */
const RELINK_MS = 3_000;

/** Digits only, spaces removed; `undefined` when it is not a webcode. */
export function normaliseWebcode(text: string): string | undefined {
  const code = text.replace(/\s+/g, '');
  return WEBCODE_PATTERN.test(code) ? code : undefined;
}

type Started = Extract<ServerToCobrowseVisitor, { type: 'cobrowse.started' }>;

export class CobrowseVisitor {
  phase: CobrowsePhase = 'idle';
  problem: CobrowseProblem | undefined;
  /** The advisor's display name (from `cobrowse.pending`, and again from `cobrowse.started` after a reload). */
  advisor: string | undefined;
  startCode: string | undefined;
  expiresAt: number | undefined;
  endedBy: EndedBy | undefined;
  pointer: PointerState = { x: 0, y: 0, visible: false };

  #options: CobrowseVisitorOptions;
  #conn: Connection<ServerToCobrowseVisitor> | undefined;
  #opens = 0;
  #sessionId: string | undefined;
  #resume: StoredSession | undefined;
  #pendingJoin: string | undefined;
  #stream: CobrowseStream | undefined;
  /** The link (`cobrowse.started`) the current stream was made for. */
  #link: number | undefined;
  #relinkTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #listeners = new Set<(change: CobrowseChange) => void>();

  constructor(options: CobrowseVisitorOptions) {
    this.#options = options;
  }

  /** The session kept from before a reload, if any. */
  static stored(storage?: Storage): StoredSession | undefined {
    return readSession(storage);
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  subscribe(listener: (change: CobrowseChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends the webcode. False (and nothing sent) when it is not 6 digits or a session is under way. */
  join(webcode: string): boolean {
    const code = normaliseWebcode(webcode);
    if (code === undefined || this.#closed || (this.phase !== 'idle' && this.phase !== 'ended')) return false;
    this.#reset();
    this.phase = 'checking';
    this.#pendingJoin = code;
    this.#open();
    this.#changed();
    return true;
  }

  /** Comes back into a session after a reload: `cobrowse.resume` on a new socket, then a new peer. */
  resume(session: StoredSession): void {
    if (this.#closed || (this.phase !== 'idle' && this.phase !== 'ended')) return;
    this.#reset();
    this.#sessionId = session.sessionId;
    this.#resume = session;
    this.phase = 'connecting';
    this.#open();
    this.#changed();
  }

  /** The visitor ticked the co-browse terms and clicked start: the first thing that lets the session go on. */
  consent(termsVersion: string): void {
    if (this.phase !== 'terms' || this.#sessionId === undefined) return;
    this.phase = 'startcode';
    if (!this.#send({ type: 'cobrowse.consent', sessionId: this.#sessionId, termsVersion })) this.#fail('connection');
    this.#changed();
  }

  /** Ends the session for both sides at once. */
  end(): void {
    if (this.phase === 'idle' || this.phase === 'ended') return;
    if (this.#sessionId !== undefined) this.#send({ type: 'cobrowse.end', sessionId: this.#sessionId });
    this.#stream?.close(true);
    this.#finish('visitor');
  }

  /** Forgets everything: socket, peer, recording, timers, listeners. Idempotent. */
  close(): void {
    if (this.#closed) return;
    if (this.phase !== 'ended' && this.phase !== 'idle') this.end();
    this.#release();
    this.#closed = true;
    this.#listeners.clear();
  }

  #open(): void {
    this.#opens = 0;
    this.#conn = new Connection<ServerToCobrowseVisitor>({
      url: this.#options.url,
      parse: parseCobrowseVisitorFrame,
      pingFrame: encode<VisitorToServer>({ type: 'session.ping' }),
      onOpen: () => this.#onOpen(),
      onMessage: (message) => this.#onMessage(message),
      onState: (state, detail) => {
        if (state === 'closed' && detail?.code !== undefined) this.#lost();
      },
      ...(this.#options.WebSocket ? { WebSocket: this.#options.WebSocket } : {}),
      ...(this.#options.random ? { random: this.#options.random } : {}),
      ...(this.#options.events ? { events: this.#options.events } : {}),
    });
    this.#conn.connect();
  }

  #onOpen(): void {
    this.#opens += 1;
    const stored = this.#resume;
    if (stored !== undefined) {
      // A new socket of the same page: its open data channel goes on if the server still knows its link.
      const link = this.phase === 'live' && this.#stream !== undefined ? this.#link : undefined;
      this.#send({
        type: 'cobrowse.resume',
        sessionId: stored.sessionId,
        resumeToken: stored.resumeToken,
        ...(link === undefined ? {} : { link }),
      });
    } else if (this.#opens === 1 && this.#pendingJoin !== undefined) {
      this.#send({ type: 'cobrowse.join', webcode: this.#pendingJoin });
    } else {
      // A new socket before the session started: the server cannot tie it to the old one.
      this.#fail('connection');
    }
  }

  #onMessage(message: ServerToCobrowseVisitor): void {
    switch (message.type) {
      case 'cobrowse.pending':
        if (this.phase !== 'checking') return;
        this.#sessionId = message.sessionId;
        this.advisor = message.advisor;
        this.phase = 'terms';
        break;
      case 'cobrowse.startcode':
        if (message.sessionId !== this.#sessionId || this.phase !== 'startcode') return;
        this.startCode = message.startCode;
        this.expiresAt = message.expiresAt;
        break;
      case 'cobrowse.started':
        if (this.#sessionId !== undefined && message.sessionId !== this.#sessionId) return;
        this.advisor = message.advisor;
        if (message.link !== undefined && message.link === this.#link) {
          this.#sameLink(message);
          return;
        }
        this.#started(message);
        break;
      case 'cobrowse.signal':
        if (message.sessionId === this.#sessionId) this.#stream?.signal(message.signal);
        return;
      case 'cobrowse.ended':
        if (message.sessionId === this.#sessionId) this.#finish(message.by);
        return;
      case 'error':
        this.#onError(message.code);
        return;
      default:
        return;
    }
    this.#changed();
  }

  #onError(code: string): void {
    if (this.phase === 'checking' || this.phase === 'terms' || this.phase === 'startcode') {
      this.#fail(code === ErrorCode.InvalidCode ? 'invalid-code' : 'refused');
    } else if (
      (this.phase === 'connecting' || this.phase === 'live') &&
      (code === ErrorCode.InvalidCode || code === ErrorCode.UnknownChat || code === ErrorCode.ChatEnded)
    ) {
      // The session is gone on the server (a resume too late, a restart).
      this.#finish('void');
    }
  }

  #started(message: Started): void {
    this.#sessionId = message.sessionId;
    this.#resume = { sessionId: message.sessionId, resumeToken: message.resumeToken };
    writeSession(this.#resume, this.#options.storage);
    this.startCode = undefined;
    this.phase = 'connecting';
    this.#newStream(message);
  }

  /**
   * The server knows the link this page has: an open stream goes on (nothing else changes). One that closed
   * meanwhile cannot be made again for that link, whose other peer is the advisor's: a new link is asked for.
   */
  #sameLink(message: Started): void {
    this.#resume = { sessionId: message.sessionId, resumeToken: message.resumeToken };
    writeSession(this.#resume, this.#options.storage);
    if (this.#stream !== undefined) return;
    this.#link = undefined;
    clearTimeout(this.#relinkTimer);
    this.#send({ type: 'cobrowse.resume', sessionId: message.sessionId, resumeToken: message.resumeToken });
  }

  #newStream(message: Started): void {
    this.#stream?.close();
    clearTimeout(this.#relinkTimer);
    this.#link = message.link;
    const sessionId = message.sessionId;
    const stream: CobrowseStream = new CobrowseStream({
      initiator: message.initiator,
      iceServers: message.iceServers,
      iceTransportPolicy: message.iceTransportPolicy,
      block: this.#options.block,
      mask: this.#options.mask,
      createLink: this.#options.createLink,
      loadRecorder: this.#options.loadRecorder,
      onSignal: (signal) => this.#send({ type: 'cobrowse.signal', sessionId, signal }),
      onOpen: () => {
        if (this.#stream !== stream) return;
        clearTimeout(this.#relinkTimer);
        this.phase = 'live';
        this.problem = undefined;
        this.#changed();
      },
      onClose: () => {
        if (this.#stream === stream) this.#streamClosed();
      },
      onPointer: (pointer) => {
        if (this.#stream !== stream) return;
        this.pointer = pointer;
        for (const listener of this.#listeners) listener('pointer');
      },
      onBye: () => {
        if (this.#stream === stream) this.#finish('advisor');
      },
    });
    this.#stream = stream;
  }

  #streamClosed(): void {
    this.#stream = undefined;
    if (this.phase !== 'live' && this.phase !== 'connecting') return;
    this.phase = 'connecting';
    this.#changed();
    // Usually the server sends a new `cobrowse.started` (the advisor reconnected); if not, ask for one.
    clearTimeout(this.#relinkTimer);
    this.#relinkTimer = setTimeout(() => {
      const stored = this.#resume;
      if (this.phase === 'connecting' && this.#stream === undefined && stored !== undefined) {
        this.#send({ type: 'cobrowse.resume', sessionId: stored.sessionId, resumeToken: stored.resumeToken });
      }
    }, RELINK_MS);
  }

  /** Before the session started: back to the webcode, with a reason. */
  #fail(problem: CobrowseProblem): void {
    this.#release();
    this.#sessionId = undefined;
    this.phase = 'idle';
    this.problem = problem;
    this.#changed();
  }

  #lost(): void {
    if (this.phase === 'idle' || this.phase === 'ended') return;
    if (this.phase === 'connecting' || this.phase === 'live') this.#finish('void');
    else this.#fail('connection');
  }

  #finish(by: EndedBy): void {
    if (this.phase === 'ended') return;
    clearSession(this.#options.storage);
    this.#release();
    this.phase = 'ended';
    this.endedBy = by;
    this.pointer = { ...this.pointer, visible: false };
    this.#changed();
  }

  #release(): void {
    this.#stream?.close();
    this.#stream = undefined;
    this.#link = undefined;
    clearTimeout(this.#relinkTimer);
    this.#relinkTimer = undefined;
    this.#resume = undefined;
    this.#pendingJoin = undefined;
    this.startCode = undefined;
    this.expiresAt = undefined;
    const conn = this.#conn;
    this.#conn = undefined;
    conn?.close();
  }

  #reset(): void {
    this.#release();
    this.#sessionId = undefined;
    this.problem = undefined;
    this.advisor = undefined;
    this.endedBy = undefined;
    this.pointer = { x: 0, y: 0, visible: false };
  }

  #send(message: Outgoing<VisitorToServer>): boolean {
    return this.#conn?.send(encode<VisitorToServer>(message)) ?? false;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener('state');
  }
}
