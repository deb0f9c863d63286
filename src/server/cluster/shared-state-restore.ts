/**
 * A Redis restart survived. Lotse's Redis keeps nothing on disk (anonymous chats must never reach it:
 * `state/redis/connection.ts`), so a restarted Redis comes back empty, while every node still holds its chats, its
 * sockets and its co-browse sessions in memory. Each node writes back what it owns:
 *
 * - its lease (`takeover.ts`);
 * - for each chat it owns: its owner entry, record and start id, its events (from the copy the owner keeps of each
 *   event it appended, `state/redis/chat-event-log.ts`) and, while it waits, its queue entry at its time (so the
 *   queue's order comes back across the nodes); for each chat that ended while its visitor was away, its owner entry
 *   and events until the visitor's window is over;
 * - the presence of the advisors it holds sockets of, with the choice last made on this node;
 * - the webcodes it gave out that are still unused, for the rest of their time, and the records of its co-browse
 *   sessions (what a node that takes one over needs; start codes live on the owning node only).
 *
 * Not written back: the counters of the limits and lockouts (a client's webcode attempts, failed logins, the daily
 * client keys; the client keys are made afresh) and the member tokens' "used" marks: those start again from zero.
 *
 * The connection says when Redis was lost and on which instance it came back (`RedisInstanceEvent`). From the loss
 * until the node knows it is the same instance, and for `windowMs` (about a lease) after a new one was found, the
 * node is `restoring`: the other nodes may not have written their state back yet, so a chat the shared state does
 * not know is not taken for unknown (a client would drop a chat that exists: the socket is told to come back,
 * 4003, instead), and no node's chats are taken over because its lease vanished with the restart.
 *
 * A node's pub/sub connection that came back may have missed messages (`state/node-bus.ts`: nothing is stored), so
 * then every socket whose messages cross nodes, and every advisor socket of this node, is told to come back (4003):
 * the clients resume, and get what they lack.
 */
import type { AdvisorRegistry } from '../chat/advisors.js';
import type { ChatHub } from '../chat/chat-hub.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import type { Logger } from '../log.js';
import type { RedisInstanceEvent } from '../state/redis/connection.js';
import type { RemoteSockets } from './remote-sockets.js';
import { CloseCode } from '../../protocol/errors.js';
import type { RestoreWindow } from './restore-window.js';
import { startTimer } from '../timers.js';

export interface SharedStateRestoreDeps {
  readonly hub: ChatHub;
  readonly advisors: AdvisorRegistry;
  readonly cobrowse: CobrowseHub;
  readonly remote: RemoteSockets;
  /** Writes this node's lease now (`ChatTakeover.renewNow`). */
  readonly renewLease: () => Promise<void>;
  readonly log: Logger;
  /** How long after a new instance was found the other nodes get to write theirs back (a lease and a reconnect). */
  readonly windowMs: number;
  readonly now?: () => number;
}

export class SharedStateRestore implements RestoreWindow {
  readonly #deps: SharedStateRestoreDeps;
  readonly #now: () => number;
  /** The command connection was lost, and it is not known yet whether Redis kept its data. */
  #uncertain = false;
  /** Until when the other nodes may still be writing back. */
  #until = 0;
  /** A write-back under way, and whether another one was asked for meanwhile. */
  #writing: Promise<void> | undefined;
  #again = false;
  #closed = false;
  /** Who waits for the end of the window (`settled`), and the timer that ends it. */
  readonly #waiting: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: SharedStateRestoreDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  get restoring(): boolean {
    return !this.#closed && (this.#uncertain || this.#now() < this.#until);
  }

  settled(): Promise<void> {
    if (!this.restoring) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#wake();
    });
  }

  /** Lets the waiters go once the node is not restoring; until then, looks again when the window ends. */
  #wake(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.restoring) {
      for (const resolve of this.#waiting.splice(0)) resolve();
    } else if (!this.#uncertain && this.#waiting.length > 0) {
      this.#timer = startTimer(Math.max(1, this.#until - this.#now()), () => this.#wake());
    }
  }

  /** What the Redis connection says about its instance. */
  heard(event: RedisInstanceEvent): void {
    if (this.#closed) return;
    switch (event) {
      case 'lost':
        this.#uncertain = true;
        break;
      case 'same':
        this.#uncertain = false;
        break;
      case 'new':
        this.#uncertain = false;
        this.#until = this.#now() + this.#deps.windowMs;
        this.#writeBack();
        break;
      case 'subscriber':
        this.#comeBack();
        break;
    }
    this.#wake();
  }

  /** The write-back, once at a time; a restart during one writes everything again after it. */
  #writeBack(): void {
    if (this.#writing !== undefined) {
      this.#again = true;
      return;
    }
    this.#writing = this.#write()
      .catch((error: unknown) =>
        this.#deps.log.error('state.failed', { errorName: error instanceof Error ? error.name : 'Error' }),
      )
      .finally(() => {
        this.#writing = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          this.#writeBack();
        }
      });
  }

  async #write(): Promise<void> {
    const { hub, advisors, cobrowse, renewLease, log } = this.#deps;
    const started = this.#now();
    await renewLease();
    const chats = hub.chats.all();
    // Every part is tried; the first failure is logged (a chat whose entries failed heals its events at its next
    // append, and everything is written again at the next restart found).
    const written = await Promise.allSettled([
      ...chats.map((chat) => hub.restoreShared(chat)),
      hub.chats.restoreEnded(hub.nodeId),
      advisors.restorePresence(),
      cobrowse.restoreWebcodes(),
    ]);
    // The advisors see the queue as it is again.
    hub.queue.push();
    // The other nodes get their window from when they found the new instance; this node's lasts past its own writing.
    this.#until = Math.max(this.#until, this.#now() + 1000);
    this.#wake();
    const failed = written.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    log.info('redis.restored', { count: chats.length, durationMs: this.#now() - started });
  }

  /** This node's pub/sub connection came back: what crossed nodes meanwhile may be lost; those clients resume. */
  #comeBack(): void {
    const { remote, advisors } = this.#deps;
    remote.reset(CloseCode.ServerShutdown, 'come back');
    for (const id of advisors.ids()) {
      for (const peer of [...(advisors.get(id)?.peers ?? [])]) peer.close(CloseCode.ServerShutdown, 'come back');
    }
  }

  /** Stops: nobody waits any more (the node closes). Idempotent. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }
}
