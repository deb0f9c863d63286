/**
 * A delayed acknowledgement, as TCP's: the echo of a client's own chat message (its `chat.event`, which carries the
 * sequence number and server time and confirms the message) waits up to `delayMs` for another frame to the same
 * socket, and leaves in the same write with it (`send-batch.ts` corks the socket for the rest of the turn), or
 * alone once `delayMs` has passed. Each frame is its own write otherwise, and under load the writes are most of a
 * relay's time (`scripts/bench-relay.ts`): a visitor's echo rides with the advisor's answer or read mark, an
 * advisor's with the next frame of any of their chats.
 *
 * Order is kept: any later frame to the socket, and its close, first sends what the socket holds, in the order
 * held. The deadlines are one FIFO queue (the delay is the same for all, so the queue is in deadline order) under
 * one timer, not a timer per echo. What is due leaves with the next echo held (in a turn the loop takes anyway),
 * else when the timer fires, which sends every echo due within the next quarter of the delay with it: the timer
 * wakes the loop at most about four times per delay however many sockets hold one, and under load hardly at all.
 *
 * What a held echo may cost: a socket that dies while it holds one never hears it, as if the echo had been lost on
 * the wire. The client keeps the message in its outbox until its echo comes (`client/chat-log.ts`), sends it again
 * with the same id after the reconnect, and the server takes it as a repeat (`ChatHub.addMessage`); the resume
 * brings the event itself. Nothing of a chat stays here longer than `delayMs`.
 */
import type { Outgoing } from '../../protocol/envelope.js';
import type { ServerToAdvisor, ServerToVisitor } from '../../protocol/messages.js';
import { startTimer } from '../timers.js';
import type { Role } from './upgrade.js';

/**
 * The default delay (`echoDelayMs`): about a round trip between a browser and a server, far below what a person
 * notices, and enough for an answer or read mark that is on its way.
 */
export const ECHO_DELAY_MS = 25;

/** Whether a frame for a socket of `role` is the echo of that side's own message (to the sender, or its other tabs). */
export function isOwnMessage(role: Role, message: Outgoing<ServerToVisitor> | Outgoing<ServerToAdvisor>): boolean {
  return message.type === 'chat.event' && message.event.kind === 'message' && message.event.from === role;
}

interface Held<S> {
  readonly socket: S;
  readonly frames: string[];
  /** When the frames leave at the latest (`now()` time). */
  readonly due: number;
  /** Sent or dropped before its deadline: the queue skips it. */
  done: boolean;
}

export class HeldEchoes<S extends object> {
  readonly delayMs: number;
  readonly #write: (socket: S, frame: string) => void;
  readonly #now: () => number;
  /** What each socket holds now. */
  readonly #bySocket = new Map<S, Held<S>>();
  /** Every hold in the order made, which is the order of their deadlines; from `#head` on, those not yet due. */
  #queue: Held<S>[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #fire = (): void => this.#due();

  /**
   * `delayMs` 0 holds nothing: `hold` writes at once. `write` sends one frame on the socket (it may find the socket
   * closed meanwhile, and then sends nothing); `now` is a clock in milliseconds.
   */
  constructor(delayMs: number, write: (socket: S, frame: string) => void, now: () => number = () => performance.now()) {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new TypeError('delayMs must be a finite number, 0 or more');
    this.delayMs = delayMs;
    this.#write = write;
    this.#now = now;
  }

  /** Sockets that hold an echo now. */
  get size(): number {
    return this.#bySocket.size;
  }

  /** Holds an echo for `socket`, after whatever it holds already (which keeps its deadline). */
  hold(socket: S, frame: string): void {
    if (this.delayMs === 0) {
      this.#write(socket, frame);
      return;
    }
    const held = this.#bySocket.get(socket);
    if (held !== undefined) {
      held.frames.push(frame);
      return;
    }
    const now = this.#now();
    // What is due leaves now, in this turn, rather than in a turn of the timer's own.
    this.#sendDue(now);
    const entry: Held<S> = { socket, frames: [frame], due: now + this.delayMs, done: false };
    this.#bySocket.set(socket, entry);
    this.#queue.push(entry);
    this.#timer ??= startTimer(this.delayMs, this.#fire);
  }

  /** Sends what `socket` holds now: before another frame to it, or before it is closed. */
  release(socket: S): void {
    if (this.#bySocket.size === 0) return;
    const held = this.#bySocket.get(socket);
    if (held !== undefined) this.#send(held);
  }

  /** Forgets what `socket` holds without sending it (the socket is gone). */
  drop(socket: S): void {
    const held = this.#bySocket.get(socket);
    if (held === undefined) return;
    held.done = true;
    this.#bySocket.delete(socket);
  }

  /** Sends everything held, in the order held (before a shutdown). */
  releaseAll(): void {
    for (let i = this.#head; i < this.#queue.length; i += 1) {
      const held = this.#queue[i] as Held<S>;
      if (!held.done) this.#send(held);
    }
    this.#queue = [];
    this.#head = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Sends everything held and stops the timer. Idempotent; a later `hold` starts it again. */
  close(): void {
    this.releaseAll();
  }

  #send(held: Held<S>): void {
    held.done = true;
    this.#bySocket.delete(held.socket);
    for (const frame of held.frames) this.#write(held.socket, frame);
  }

  /** The timer: sends what is due (or nearly: within a quarter of the delay), then waits for the next deadline. */
  #due(): void {
    this.#timer = undefined;
    this.#sendDue(this.#now() + this.delayMs / 4);
    if (this.#head < this.#queue.length) {
      this.#timer = startTimer((this.#queue[this.#head] as Held<S>).due - this.#now(), this.#fire);
    }
  }

  /** Sends what is due by `until`, in the order held. */
  #sendDue(until: number): void {
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const held = queue[head] as Held<S>;
      if (!held.done && held.due > until) break;
      head += 1;
      if (!held.done) this.#send(held);
    }
    if (head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      // Drops the sent part once it is the larger one: the array's copy is paid for by the entries it drops.
      this.#queue = queue.slice(head);
      this.#head = 0;
    } else {
      this.#head = head;
    }
  }
}
