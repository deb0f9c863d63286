/**
 * What travels beside the visitor's chat log and is never part of it, nor stored anywhere: read receipts both ways
 * (by sequence number), the place in the queue while waiting, and a count of the advisor messages that arrived
 * live on this page (what a tone is for; a resumed history is not news). Fed by `VisitorChat`, read by the pop-up.
 */
import type { ServerToChatVisitor, VisitorToServer } from '../protocol/messages.js';
import type { Outgoing } from '../protocol/parse.js';

/** The visitor's place in the queue while waiting, and the expected wait when the server has one. */
export interface QueuePlace {
  position: number;
  waitSeconds?: number | undefined;
  /** No advisor takes chats now (the server's `unstaffed`). */
  unstaffed?: boolean | undefined;
}

export class Sideband {
  /** The advisor has read the chat up to this event (0: nothing yet, or not heard since this page loaded). */
  advisorRead = 0;
  /** While waiting for an advisor: the place in the queue, as the server last said it. */
  queue: QueuePlace | undefined;
  /** Advisor messages that arrived live on this page (not with a resumed history). */
  liveAdvisorMessages = 0;

  #send: (message: Outgoing<VisitorToServer>) => boolean;
  /** How far the visitor has read, and what of it this socket has told the server. */
  #read = 0;
  #readSent = 0;

  constructor(send: (message: Outgoing<VisitorToServer>) => boolean) {
    this.#send = send;
  }

  /** A message beside the log; false when it is not one of those. `lastSeq` clamps a read to what is here. */
  handle(message: ServerToChatVisitor, lastSeq: number): boolean {
    if (message.type === 'chat.read') this.advisorRead = Math.max(this.advisorRead, Math.min(message.seq, lastSeq));
    else if (message.type === 'chat.queue')
      this.queue = { position: message.position, waitSeconds: message.waitSeconds, unstaffed: message.unstaffed };
    else return false;
    return true;
  }

  /** A live advisor message was applied. */
  advisorMessage(): void {
    this.liveAdvisorMessages += 1;
  }

  /** An advisor has joined: the queue is behind the visitor. */
  joined(): void {
    this.queue = undefined;
  }

  /** The visitor has seen the chat up to `seq`; it goes out now if `synced`, else with the next `resend`. */
  read(seq: number, synced: boolean): void {
    if (seq <= this.#read) return;
    this.#read = seq;
    if (synced) this.#tell();
  }

  /** A new socket knows nothing: it hears the read position again once synced (the server keeps nothing). */
  newSocket(): void {
    this.#readSent = 0;
  }

  /** The chat is synced on this socket: tell what is not told yet. */
  synced(): void {
    this.#tell();
  }

  #tell(): void {
    if (this.#read > this.#readSent && this.#send({ type: 'chat.read', seq: this.#read })) this.#readSent = this.#read;
  }
}
