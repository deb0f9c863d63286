/**
 * Frames one socket gets within one turn of the event loop leave in one write. Each `ws.send` is otherwise a
 * `writev` of its own, and under load the system calls, not the JavaScript, are most of a relay's time
 * (`scripts/bench-relay.ts`). The first send to a socket in a turn corks its TCP socket; the batch uncorks every
 * corked socket in the loop's check phase (`setImmediate`), after the I/O callbacks of the turn and the promise
 * continuations they started. A frame waits at most for the rest of the turn it was sent in: Node does not block
 * in the poll phase while an immediate is pending.
 *
 * A batch holds at most `maxSockets` sockets: under load one turn reads hundreds of sockets (all that became
 * readable while the last one ran), and a frame that waited for the end of such a turn waited for the handling of
 * every message in it, the round trip's tail (`scripts/bench-relay.ts`, p99). Corking one socket more than that
 * first sends what the batch holds. Frames sent one right after the other to one socket (a held echo and the frame
 * that releases it, `held-echoes.ts`) still leave together: only a socket not yet in the batch starts a new one.
 *
 * Nothing about the frames changes: each still goes through `ws.send`, in the order sent, into the same stream;
 * only the moment the stream hands them to the kernel moves. A socket destroyed or ended while corked drops or
 * flushes its frames as it would have anyway (Node's `end()` uncorks; a destroyed stream writes nothing), and its
 * later uncork is a no-op.
 */
import type { WebSocket } from 'ws';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under a `ws` WebSocket (`_socket`: not in ws's types, there since ws 1); undefined when closed. */
function streamOf(ws: WebSocket): Corkable | undefined {
  const socket = (ws as unknown as { _socket?: Partial<Corkable> | null })._socket;
  return typeof socket?.cork === 'function' && typeof socket.uncork === 'function' ? (socket as Corkable) : undefined;
}

/** The default `maxSockets`: the frames of a few dozen messages wait for each other, not those of a whole turn. */
export const MAX_BATCH_SOCKETS = 32;

export class SendBatch {
  /** The sockets corked in this turn, in the order of their first frame. */
  readonly #corked = new Set<Corkable>();
  readonly #flush = (): void => this.flush();
  readonly #maxSockets: number;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(maxSockets = MAX_BATCH_SOCKETS) {
    if (!Number.isInteger(maxSockets) || maxSockets < 1)
      throw new TypeError('maxSockets must be an integer, 1 or more');
    this.#maxSockets = maxSockets;
  }

  /** Sends one text frame on an open socket; it leaves with every other frame the socket gets in this turn. */
  send(ws: WebSocket, frame: string): void {
    const stream = streamOf(ws);
    if (stream !== undefined && !this.#corked.has(stream)) {
      if (this.#corked.size >= this.#maxSockets) this.#uncork();
      stream.cork();
      this.#corked.add(stream);
      this.#scheduled ??= setImmediate(this.#flush);
    }
    ws.send(frame);
  }

  /** Hands every corked socket's frames to the kernel now (what the check phase does; also before a shutdown). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#uncork();
  }

  /** Hands the frames of every corked socket to the kernel (the turn's flush, still scheduled, finds the rest). */
  #uncork(): void {
    for (const stream of this.#corked) stream.uncork();
    this.#corked.clear();
  }
}
