/**
 * Message order on a visitor socket while a member token is verified. Verification is asynchronous (a JWKS fetch
 * may take seconds), but a client may send `chat.message` right behind its `chat.start`: such messages are held,
 * in order, and handled once the verification settled, so that none is lost or overtakes the start. A socket holds
 * at most `MAX_HELD` messages (the rate limit admits far fewer in a JWKS timeout); beyond that they are refused.
 */
import type { VisitorPeer } from '../chat/chat.js';

export const MAX_HELD = 32;

export interface HeldOptions<M> {
  /** Handles one message; a promise means "asynchronous: hold the socket's next messages until it settles". */
  handle(message: M): Promise<void> | undefined;
  /** Whether the socket is still open: held messages of a closed socket are dropped. */
  isOpen(): boolean;
  /** A message arrived while `MAX_HELD` were held. */
  onOverflow(message: M): void;
  /** A handler threw or rejected: the socket is closed (as the pipeline does for a synchronous failure). */
  onFailure(): void;
}

const held = new WeakMap<VisitorPeer, unknown[]>();

/** Handles `message` now, or after the messages held before it, in arrival order. */
export function handleInOrder<M>(peer: VisitorPeer, message: M, options: HeldOptions<M>): void {
  const waiting = held.get(peer) as M[] | undefined;
  if (waiting === undefined) drain(peer, [message], options);
  else if (waiting.length < MAX_HELD) waiting.push(message);
  else options.onOverflow(message);
}

function drain<M>(peer: VisitorPeer, queue: M[], options: HeldOptions<M>): void {
  while (queue.length > 0) {
    const message = queue.shift() as M;
    let work: Promise<void> | undefined;
    try {
      work = options.handle(message);
    } catch {
      options.onFailure();
      return;
    }
    if (work !== undefined) {
      held.set(peer, queue);
      work.then(
        () => {
          held.delete(peer);
          if (options.isOpen()) drain(peer, queue, options);
        },
        () => {
          held.delete(peer);
          options.onFailure();
        },
      );
      return;
    }
  }
}
