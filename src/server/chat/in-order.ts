/**
 * Message order on one socket while a message is handled asynchronously: a member token's verification (a JWKS
 * fetch may take seconds), or a chat operation that waits for the chat event log (`ChatHub.serial`). A client may
 * send `chat.message` right behind its `chat.start`: such messages are held, in order, and handled once the earlier
 * one settled, so that none is lost or overtakes another. A socket holds at most `max` messages: what its rate
 * limits admit at once (`transport/socket-pipeline.ts` drops the rest before they get here), so a burst the limits
 * allow is never refused here; the cap only bounds a socket's memory should the limits be raised without it.
 */

export interface HeldOptions<M> {
  /** The most messages held at once: at least the socket's rate-limit burst. */
  readonly max: number;
  /** Handles one message; a promise means "asynchronous: hold the socket's next messages until it settles". */
  handle(message: M): Promise<void> | undefined;
  /** Whether the socket is still open: held messages of a closed socket are dropped. */
  isOpen(): boolean;
  /** A message arrived while `max` were held. */
  onOverflow(message: M): void;
  /** A handler threw or rejected: the socket is closed (as the pipeline does for a synchronous failure). */
  onFailure(): void;
}

/** The messages each socket holds back, while one of its messages is handled asynchronously. */
const held = new WeakMap<object, unknown[]>();

/**
 * Sockets whose handler failed: they are being closed, and what they send meanwhile is dropped, so that no later
 * message overtakes the one that failed (the client sends both again, in order, from its next socket).
 */
const failed = new WeakSet<object>();

/** Handles `message` now, or after the messages held before it, in arrival order. */
export function handleInOrder<M>(peer: object, message: M, options: HeldOptions<M>): void {
  if (failed.has(peer)) return;
  const waiting = held.get(peer) as M[] | undefined;
  if (waiting === undefined) drain(peer, [message], options);
  else if (waiting.length < options.max) waiting.push(message);
  else options.onOverflow(message);
}

function drain<M>(peer: object, queue: M[], options: HeldOptions<M>): void {
  while (queue.length > 0) {
    const message = queue.shift() as M;
    let work: Promise<void> | undefined;
    try {
      work = options.handle(message);
    } catch {
      failed.add(peer);
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
          failed.add(peer);
          options.onFailure();
        },
      );
      return;
    }
  }
}
