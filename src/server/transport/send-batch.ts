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
 * Nothing about the frames changes: each goes, in the order sent, into the same stream as everything else `ws`
 * writes (its pings, its close frame), whole; only the moment the stream hands them to the kernel moves. A socket
 * destroyed or ended while corked drops or flushes its frames as it would have anyway (Node's `end()` uncorks; a
 * destroyed stream writes nothing), and its later uncork is a no-op.
 *
 * Each frame is written as `ws.send` would write it, but in one piece: an unmasked text frame (RFC 6455 5.2, what a
 * server sends), header and UTF-8 payload in one buffer, one stream write. `ws.send` makes two writes of each frame
 * (its header, then the string, which Node encodes in the system call's own copy) and works out the string's length
 * on its way: about a microsecond a frame more on this machine (`scripts/bench-relay.ts`, 2 frames a message). Only
 * where `ws.send` would write at once too: a socket with an extension (permessage-deflate, which the gateway never
 * offers) queues and compresses, and goes through `ws.send`.
 */
import type { WebSocket } from 'ws';

interface Corkable {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
}

/** FIN and the text opcode: a whole text frame (RFC 6455 5.2). */
const FIN_TEXT = 0x81;

/** One unmasked text frame, as `ws`'s Sender makes it for a server: header and UTF-8 payload in one buffer. */
export function textFrame(data: string): Buffer {
  const length = Buffer.byteLength(data);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_TEXT;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2); // frames of 4 GiB and more: never (`MAX_BUFFERED_BYTES` ends a socket long before)
    frame.writeUInt32BE(length, 6);
  }
  frame.write(data, header, length, 'utf8');
  return frame;
}

/** The TCP socket under a `ws` WebSocket (`_socket`: not in ws's types, there since ws 1); undefined when closed. */
function streamOf(ws: WebSocket): Corkable | undefined {
  const socket = (ws as unknown as { _socket?: Partial<Corkable> | null })._socket;
  return typeof socket?.cork === 'function' && typeof socket.uncork === 'function' ? (socket as Corkable) : undefined;
}

/** The default `maxSockets`: the frames of a few dozen messages wait for each other, not those of a whole turn. */
export const MAX_BATCH_SOCKETS = 32;

export class SendBatch {
  /**
   * The sockets corked in this turn, in the order of their first frame; each with whether its frames are framed here
   * (no extension), else by `ws.send`.
   */
  readonly #corked = new Map<Corkable, boolean>();
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
    if (stream === undefined || ws.readyState !== ws.OPEN) {
      ws.send(frame); // which finds the socket closed (and sends nothing), as it would have anyway
      return;
    }
    let plain = this.#corked.get(stream);
    if (plain === undefined) {
      if (this.#corked.size >= this.#maxSockets) this.#uncork();
      stream.cork();
      plain = ws.extensions === '';
      this.#corked.set(stream, plain);
      this.#scheduled ??= setImmediate(this.#flush);
    }
    if (plain) stream.write(textFrame(frame));
    else ws.send(frame);
  }

  /** Hands every corked socket's frames to the kernel now (what the check phase does; also before a shutdown). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#uncork();
  }

  /** Hands the frames of every corked socket to the kernel (the turn's flush, still scheduled, finds the rest). */
  #uncork(): void {
    for (const stream of this.#corked.keys()) stream.uncork();
    this.#corked.clear();
  }
}
