/**
 * Visitor sockets that hold nothing: no chat (waiting or active) and no co-browse session (joined, consented or
 * live). Each such socket has one timer; when it runs out the socket is closed with 4004 (`CloseCode.Idle`), so
 * that idle sockets cannot fill the server. A socket that gets a chat or a session stops its timer; one that loses
 * it (the chat or session ended) starts a fresh one. The chat says which (`chat/visitor-sockets.ts`, `recheck`).
 */
import { startTimer } from '../timers.js';

export class IdleVisitors<P> {
  readonly #ms: number;
  readonly #onIdle: (peer: P) => void;
  readonly #timers = new Map<P, NodeJS.Timeout>();

  /** `onIdle` runs once a socket has held nothing for `ms`; the socket is forgotten then. */
  constructor(ms: number, onIdle: (peer: P) => void) {
    this.#ms = ms;
    this.#onIdle = onIdle;
  }

  /** Sockets whose idle time runs now. */
  get size(): number {
    return this.#timers.size;
  }

  /** The socket holds nothing (now, or again): its idle time starts, unless it is running already. */
  idle(peer: P): void {
    if (this.#timers.has(peer)) return;
    this.#timers.set(
      peer,
      startTimer(this.#ms, () => {
        this.#timers.delete(peer);
        this.#onIdle(peer);
      }),
    );
  }

  /** The socket holds a chat or a session, or is gone: no idle time runs for it. */
  busy(peer: P): void {
    clearTimeout(this.#timers.get(peer));
    this.#timers.delete(peer);
  }

  /** Stops every timer. Idempotent. */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
