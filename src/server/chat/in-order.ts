/**
 * Message order on one socket while a message is handled asynchronously: a member token's verification (a JWKS
 * fetch may take seconds), or a chat operation that waits for the chat event log (`ChatHub.serial`). A client may
 * send `chat.message` right behind its `chat.start`: such messages are held, in order, and handled once the earlier
 * one settled, so that none is lost or overtakes another. A socket holds at most `max` messages: what its rate
 * limits admit at once (`transport/socket-pipeline.ts` drops the rest before they get here), so a burst the limits
 * allow is never refused here; the cap only bounds a socket's memory should the limits be raised without it.
 */

export interface HeldOptions<P, M> {
  /** The most messages held at once: at least the socket's rate-limit burst. */
  readonly max: number;
  /** Handles one message; a promise means "asynchronous: hold the socket's next messages until it settles". */
  handle(peer: P, message: M): Promise<void> | undefined;
  /** Whether the socket is still open: held messages of a closed socket are dropped. */
  isOpen(peer: P): boolean;
  /** A message arrived while `max` were held. */
  onOverflow(peer: P, message: M): void;
  /** A handler threw or rejected: the socket is closed (as the pipeline does for a synchronous failure). */
  onFailure(peer: P): void;
}

/** The messages each socket holds back, while one of its messages is handled asynchronously. */
const held = new WeakMap<object, unknown[]>();

/**
 * Sockets whose handler failed: they are being closed, and what they send meanwhile is dropped, so that no later
 * message overtakes the one that failed (the client sends both again, in order, from its next socket).
 */
const failed = new WeakSet<object>();

/**
 * Handles `message` now, or after the messages held before it, in arrival order. `options` is the role's, made
 * once: a message handled at once (the common case) allocates nothing here.
 */
export function handleInOrder<P extends object, M>(peer: P, message: M, options: HeldOptions<P, M>): void {
  if (failed.has(peer)) return;
  const waiting = held.get(peer) as M[] | undefined;
  if (waiting !== undefined) {
    if (waiting.length < options.max) waiting.push(message);
    else options.onOverflow(peer, message);
    return;
  }
  handleOne(peer, message, undefined, options);
}

/**
 * Handles one message. False when the socket failed, or when its next messages wait for this one's work (in
 * `queue`, made here when the socket had none: the common case allocates nothing).
 */
function handleOne<P extends object, M>(
  peer: P,
  message: M,
  queue: M[] | undefined,
  options: HeldOptions<P, M>,
): boolean {
  let work: Promise<void> | undefined;
  try {
    work = options.handle(peer, message);
  } catch {
    fail(peer, options);
    return false;
  }
  if (work === undefined) return true;
  hold(peer, queue ?? [], work, options);
  return false;
}

/** The socket's handler failed: it is closed, and nothing it sends meanwhile is handled. */
function fail<P extends object, M>(peer: P, options: HeldOptions<P, M>): void {
  failed.add(peer);
  options.onFailure(peer);
}

/** Holds the socket's next messages until `work` settled, then handles them in order. */
function hold<P extends object, M>(peer: P, queue: M[], work: Promise<void>, options: HeldOptions<P, M>): void {
  held.set(peer, queue);
  work.then(
    () => {
      held.delete(peer);
      if (options.isOpen(peer)) drain(peer, queue, options);
    },
    () => {
      held.delete(peer);
      fail(peer, options);
    },
  );
}

function drain<P extends object, M>(peer: P, queue: M[], options: HeldOptions<P, M>): void {
  while (queue.length > 0) {
    if (!handleOne(peer, queue.shift() as M, queue, options)) return;
  }
}
