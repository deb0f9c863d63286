/**
 * A WebSocket that comes back. Reconnects with exponential backoff and full jitter, at once when the browser
 * says it is `online` again or the page becomes visible, and detects a dead socket by its own heartbeat
 * (browsers do not expose WebSocket pings). Every frame that arrives is parsed before anyone sees it.
 *
 * The connection knows nothing of chats: its owner sends its hello or resume in `onOpen` on every (re)connect.
 */
import { FINAL_CLOSE_CODES } from '../protocol/errors.js';
import {
  CLIENT_PING_INTERVAL_MS,
  CLIENT_PONG_TIMEOUT_MS,
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
  SUBPROTOCOL,
} from '../protocol/limits.js';
import type { ParseResult } from '../protocol/envelope.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The part of the WebSocket constructor we use; injectable so that Node tests can pass `ws`. */
export type WebSocketLike = new (url: string, protocols?: string[]) => WebSocket;

export interface ConnectionOptions<In> {
  url: string;
  /** Extra subprotocols after `lotse.v1`, asked for on every attempt (an advisor's token may have been renewed). */
  protocols?: () => string[];
  parse: (raw: string) => ParseResult<In>;
  /** Called on every successful (re)connect, before anything queued is sent. */
  onOpen: () => void;
  onMessage: (message: In) => void;
  onState?: (state: ConnectionState, detail?: { code?: number; attempt?: number }) => void;
  /** Frames from the server that did not parse. Never thrown: a bad frame must not break the conversation. */
  onInvalid?: (error: { code: string; message: string }) => void;
  /**
   * Asked when the server closed with a code that normally forbids reconnecting (policy, unauthorized, …):
   * true reconnects all the same, e.g. an advisor whose expired token was renewed in the meantime.
   */
  retryFinal?: (code: number) => boolean;
  /** The ping frame to send as heartbeat, already encoded. */
  pingFrame: string;
  WebSocket?: WebSocketLike;
  random?: () => number;
  /** Where `online` and `visibilitychange` come from; `globalThis` in a browser. */
  events?: { window?: EventTarget; document?: Document };
}

export class Connection<In> {
  #options: ConnectionOptions<In>;
  #socket: WebSocket | undefined;
  #state: ConnectionState = 'idle';
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #detach: (() => void) | undefined;

  constructor(options: ConnectionOptions<In>) {
    this.#options = options;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Opens the socket. Calling it again while open or connecting does nothing. */
  connect(): void {
    if (this.#state === 'connecting' || this.#state === 'connected') return;
    if (this.#state === 'closed') throw new Error('LOTSE_ERR_CLOSED: connection was closed');
    this.#listenToBrowser();
    this.#open();
  }

  /** Sends a frame if the socket is open. Returns false when it is not: the caller keeps it in its outbox. */
  send(frame: string): boolean {
    if (this.#state !== 'connected' || this.#socket === undefined) return false;
    this.#socket.send(frame);
    return true;
  }

  /** Drops the current socket and reconnects at once (for example after a sequence gap). */
  reconnectNow(): void {
    if (this.#state === 'closed') return;
    // Forget the old socket first: on a dead link its closing handshake may never finish.
    const old = this.#socket;
    this.#socket = undefined;
    this.#clearTimers();
    if (old !== undefined && old.readyState <= 1) old.close(4999, 'reconnect');
    this.#attempt = Math.max(this.#attempt, 1);
    this.#open();
  }

  /** Closes for good. Idempotent; no timer or listener is left behind. */
  close(code = 1000): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    this.#clearTimers();
    this.#detach?.();
    this.#detach = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket !== undefined && socket.readyState <= 1) socket.close(code);
  }

  #open(): void {
    const Impl = this.#options.WebSocket ?? WebSocket;
    this.#setState(this.#attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.#attempt });
    let socket: WebSocket;
    try {
      socket = new Impl(this.#options.url, [SUBPROTOCOL, ...(this.#options.protocols?.() ?? [])]);
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.#setState('connected');
      this.#startHeartbeat();
      this.#options.onOpen();
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (this.#socket !== socket) return;
      this.#alive();
      if (typeof event.data !== 'string') {
        this.#options.onInvalid?.({ code: 'LOTSE_ERR_MALFORMED', message: 'binary frame' });
        return;
      }
      const result = this.#options.parse(event.data);
      if (result.ok) this.#options.onMessage(result.message);
      else this.#options.onInvalid?.({ code: result.code, message: result.message });
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#clearTimers();
      if (this.#state === 'closed') return;
      if (FINAL_CLOSE_CODES.has(event.code) && this.#options.retryFinal?.(event.code) !== true) {
        this.#setState('closed', { code: event.code });
        this.#detach?.();
        return;
      }
      this.#scheduleRetry();
    });
    // 'error' is always followed by 'close'; nothing to do here but keep it from surfacing as unhandled.
    socket.addEventListener('error', () => undefined);
  }

  #scheduleRetry(): void {
    this.#attempt += 1;
    this.#setState('reconnecting', { attempt: this.#attempt });
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (this.#attempt - 1));
    const delay = Math.floor((this.#options.random ?? Math.random)() * ceiling);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#open();
    }, delay);
  }

  /** While waiting to retry, a sign of life from the browser means: try now. */
  #retrySoon = (): void => {
    if (this.#retryTimer === undefined) return;
    const doc = this.#options.events?.document ?? globalThis.document;
    if (doc !== undefined && doc.visibilityState === 'hidden') return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#open();
  };

  #listenToBrowser(): void {
    if (this.#detach !== undefined) return;
    const win = this.#options.events?.window ?? (typeof window === 'undefined' ? undefined : window);
    const doc = this.#options.events?.document ?? (typeof document === 'undefined' ? undefined : document);
    win?.addEventListener('online', this.#retrySoon);
    doc?.addEventListener('visibilitychange', this.#retrySoon);
    this.#detach = () => {
      win?.removeEventListener('online', this.#retrySoon);
      doc?.removeEventListener('visibilitychange', this.#retrySoon);
    };
  }

  #startHeartbeat(): void {
    this.#pingTimer = setInterval(() => {
      if (!this.send(this.#options.pingFrame)) return;
      if (this.#pongTimer === undefined) {
        this.#pongTimer = setTimeout(() => {
          // No frame at all since the ping: the socket is dead even if the browser has not noticed.
          this.#pongTimer = undefined;
          this.reconnectNow();
        }, CLIENT_PONG_TIMEOUT_MS);
      }
    }, CLIENT_PING_INTERVAL_MS);
  }

  #alive(): void {
    if (this.#pongTimer === undefined) return;
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  #clearTimers(): void {
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#retryTimer = undefined;
    this.#pingTimer = undefined;
    this.#pongTimer = undefined;
  }

  #setState(state: ConnectionState, detail?: { code?: number; attempt?: number }): void {
    this.#state = state;
    this.#options.onState?.(state, detail);
  }
}
