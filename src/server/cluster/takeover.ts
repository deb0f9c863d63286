/**
 * Chats whose owner died, taken over by the node their clients come back to. Each node holds a lease
 * (`state/node-leases.ts`), renewed every third of `leaseMs`. When a message to a chat's owner is heard by nobody,
 * `recover` waits until that owner's lease has lapsed too (a node whose Redis connection only blinked keeps it, and
 * its chats), makes this node the owner (a compare-and-set in the directory: of two nodes that try at once, one
 * does), and rebuilds the chat from its record and its events (`ChatHub.adopt`). Both sides then resume as after any
 * reconnect: a visitor's `chat.resume` and an advisor's hello get what they lack.
 *
 * A dead node's chats whose clients never come back are found too: at each renewal a sweep looks for nodes named in
 * the leases (`NodeLeases.nodes`) whose lease has lapsed, and takes over what the directory says they own
 * (`ChatDirectory.ownedBy`), a bounded batch at a time, and what the other sweepers find it owned (co-browse
 * sessions: `cobrowse-takeover.ts`). Their timers then run here (the idle time, the visitor's window to come back,
 * the advisor's grace), so each such chat still ends, once, with its transcript, audit line and webhook, and its keys
 * leave Redis. A node that owns nothing any more is forgotten.
 */
import type { ChatHub } from '../chat/chat-hub.js';
import type { Logger } from '../log.js';
import type { NodeBus } from '../state/node-bus.js';
import type { NodeLeases } from '../state/node-leases.js';
import { startTimer } from '../timers.js';
import { NEVER_RESTORING } from './restore-window.js';
import type { RestoreWindow } from './restore-window.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Chats of a dead node taken over per sweep: a node that died with thousands is emptied over a few renewals. */
export const SWEEP_BATCH = 200;

/**
 * Takes over up to `limit` of what dead node `node` owned; resolves true while it may own more (the sweep forgets
 * a dead node only when no sweeper found anything).
 */
export type Sweeper = (node: string, limit: number) => Promise<boolean>;

export interface TakeoverDeps {
  readonly hub: ChatHub;
  readonly leases: NodeLeases;
  readonly bus: NodeBus;
  readonly log: Logger;
  /** How long a node's lease lasts (`redis.leaseSeconds`). */
  readonly leaseMs: number;
  /**
   * While a restarted Redis is written back (`shared-state-restore.ts`), a lease that is not there says nothing: no
   * chat is taken over until the window is over.
   */
  readonly restore?: RestoreWindow;
}

export class ChatTakeover {
  readonly #deps: TakeoverDeps;
  readonly #recovering = new Map<string, Promise<string | undefined>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** When the lease was last renewed (and, after a late renewal, what this node holds checked). */
  #renewedAt: number | undefined;
  /** When the last renewal that was answered (and checked) was sent: the lease lasts `leaseMs` from then at least. */
  #heldFrom: number | undefined;
  /** What waits for the lease to be known held again (`afterLease`). */
  #waiting: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;
  /** What else is checked after a late renewal (co-browse sessions: `cobrowse-takeover.ts`). */
  readonly #lostChecks: (() => Promise<void>)[] = [];
  /** The sweep under way, if any: one at a time, beside the renewals (never holding one up). */
  #sweeping: Promise<void> | undefined;
  readonly #watches: { owners: () => Iterable<string>; gone: (owner: string) => void }[] = [];
  readonly #sweepers: Sweeper[] = [(node, limit) => this.#sweepChats(node, limit)];

  constructor(deps: TakeoverDeps) {
    this.#deps = deps;
  }

  get #self(): string {
    return this.#deps.bus.nodeId;
  }

  /** Takes this node's lease and keeps it (in `listen()`, before any socket is taken). */
  async start(): Promise<void> {
    await this.#renew();
    const every = Math.max(200, Math.floor(this.#deps.leaseMs / 3));
    const tick = (): void => {
      if (this.#closed) return;
      this.#timer = startTimer(every, () => {
        if (this.#closed) return;
        this.#renew()
          .then(() => this.#check())
          .then(tick, (error: unknown) => {
            this.#deps.log.error('state.failed', {
              reason: 'node_message',
              errorName: error instanceof Error ? error.name : 'Error',
            });
            tick();
          });
      });
    };
    tick();
  }

  /**
   * At each renewal, the owners `owners` names (of sockets routed from this node) whose lease lapsed are passed to
   * `gone`: a node that died while nobody sent it anything is found within a lease.
   */
  watch(owners: () => Iterable<string>, gone: (owner: string) => void): void {
    this.#watches.push({ owners, gone });
  }

  async #check(): Promise<void> {
    if ((this.#deps.restore ?? NEVER_RESTORING).restoring) return;
    for (const watch of this.#watches) {
      for (const owner of new Set(watch.owners())) {
        if (owner === this.#self || (await this.#deps.leases.held(owner))) continue;
        // Asked before a restart was known and answered by the restarted, empty Redis: no lease is written back
        // yet, and the owner lives. Looked at again once the window is over.
        if ((this.#deps.restore ?? NEVER_RESTORING).restoring) return;
        watch.gone(owner);
      }
    }
    this.#sweeping ??= this.sweep()
      .catch((error: unknown) => {
        this.#deps.log.warn('state.failed', {
          reason: 'sweep',
          errorName: error instanceof Error ? error.name : 'Error',
        });
      })
      .finally(() => (this.#sweeping = undefined));
  }

  /** What else a dead node owned, taken over in each sweep after its chats (co-browse sessions). */
  sweepAlso(sweeper: Sweeper): void {
    this.#sweepers.push(sweeper);
  }

  /**
   * Takes over a batch (`SWEEP_BATCH`) of what each node whose lease has lapsed owned, and forgets a dead node that
   * owns nothing any more. Of several nodes sweeping at once, each chat goes to one (`takeOver` is a compare-and-set).
   */
  async sweep(): Promise<void> {
    const { leases } = this.#deps;
    if ((this.#deps.restore ?? NEVER_RESTORING).restoring) return;
    for (const node of await leases.nodes()) {
      if (this.#closed) return;
      if (node === this.#self || (await leases.held(node))) continue;
      if ((this.#deps.restore ?? NEVER_RESTORING).restoring) return; // as in `#check`
      let owns = false;
      for (const sweeper of this.#sweepers) {
        if (this.#closed) return;
        if (await sweeper(node, SWEEP_BATCH)) owns = true;
      }
      if (!owns) await leases.forget(node);
    }
  }

  async #sweepChats(node: string, limit: number): Promise<boolean> {
    const { hub, log } = this.#deps;
    const owned = await hub.directory.ownedBy(node, limit);
    let taken = 0;
    for (const chatId of owned) {
      if (this.#closed) break;
      const owner = await this.recover(chatId, node);
      if (owner === this.#self) taken += 1;
      // Ended or lapsed meanwhile, or taken by another node: no longer the dead node's.
      if (owner !== node) await hub.directory.disown(node, chatId);
    }
    if (taken > 0) log.info('chat.swept', { count: taken });
    return owned.length > 0;
  }

  /** After a late renewal, `check` looks for what else this node lost (as `ChatHub.dropLost` for chats). */
  checkAlso(check: () => Promise<void>): void {
    this.#lostChecks.push(check);
  }

  /**
   * `undefined` while this node knows it holds its lease (renewed less than `leaseMs` ago, by the time the renewal
   * was sent); otherwise (it was paused or cut off) a promise that settles once the lease is renewed and what this
   * node holds was checked against the owner entries (after a late renewal). What a node does for a co-browse
   * session waits for it (`CobrowseHub.whenLeased`): what it holds may be another node's by now.
   */
  afterLease(): Promise<void> | undefined {
    if (this.#closed || (this.#heldFrom !== undefined && Date.now() - this.#heldFrom < this.#deps.leaseMs)) {
      return undefined;
    }
    if (this.#waiting === undefined) {
      let resolve = (): void => {};
      const promise = new Promise<void>((done) => (resolve = done));
      this.#waiting = { promise, resolve };
    }
    return this.#waiting.promise;
  }

  /** Writes this node's lease now (a restarted Redis lost it). */
  renewNow(): Promise<void> {
    return this.#renew();
  }

  /**
   * Renews the lease. A renewal that comes later than the lease lasts (this node was paused or cut off: its lease
   * may have lapsed, and its chats been taken over) is followed by a look at who owns each chat it holds: one
   * another node took over is forgotten here, its sockets told to come back (`ChatHub.dropLost`). Its writes are
   * fenced anyway (`state/redis/chat-event-log.ts`); this finds the chats that would write nothing soon. The same
   * look is taken at the co-browse sessions (`checkAlso`), whose messages and timers wait for it (`afterLease`). A
   * look that failed is taken again at the next renewal.
   */
  async #renew(): Promise<void> {
    const sent = Date.now();
    const late = this.#renewedAt !== undefined && sent - this.#renewedAt > this.#deps.leaseMs;
    await this.#deps.leases.renew(this.#self, this.#deps.leaseMs);
    if (late && !(this.#deps.restore ?? NEVER_RESTORING).restoring) {
      await this.#deps.hub.dropLost();
      for (const check of this.#lostChecks) await check();
    }
    this.#renewedAt = Date.now();
    this.#heldFrom = sent;
    this.#waiting?.resolve();
    this.#waiting = undefined;
  }

  /**
   * The chat's owner `gone` did not hear a message. Resolves with the chat's owner once it is settled: this node's
   * id when it took the chat over, another node's when that one did first, `gone` when that node still holds its
   * lease after `leaseMs` (it lives: its chats are not taken), `undefined` when the chat is no more (it ended, or its
   * record lapsed).
   */
  recover(chatId: string, gone: string): Promise<string | undefined> {
    let pending = this.#recovering.get(chatId);
    if (pending === undefined) {
      pending = this.#recover(chatId, gone).finally(() => this.#recovering.delete(chatId));
      this.#recovering.set(chatId, pending);
    }
    return pending;
  }

  /** The takeover of this chat under way here, if any: a message for the chat waits for it. */
  pending(chatId: string): Promise<unknown> | undefined {
    return this.#recovering.get(chatId);
  }

  async #recover(chatId: string, gone: string): Promise<string | undefined> {
    const { hub, log } = this.#deps;
    if (hub.chats.get(chatId) !== undefined) return this.#self;
    if (!(await this.lapsed(gone))) return this.#closed ? undefined : gone;
    // Settled after a Redis restart (`lapsed` waits for the nodes' write-back): this node may hold it by now.
    if (hub.chats.get(chatId) !== undefined) return this.#self;
    if (!(await hub.directory.takeOver(chatId, gone, this.#self))) return await hub.directory.ownerOf(chatId);
    const record = await hub.directory.record(chatId);
    if (record === undefined) {
      await hub.directory.remove(chatId);
      return undefined;
    }
    const events = await hub.eventsOf(chatId);
    if (events.at(-1)?.event.kind === 'ended') {
      await hub.directory.remove(chatId, record.startId);
      return undefined;
    }
    hub.adopt(chatId, record, events);
    log.info('chat.taken_over', { count: events.length });
    return this.#self;
  }

  /**
   * Whether node `gone`, which did not hear a message, is dead: true once its lease has lapsed; false when it
   * still holds it after `leaseMs` or hears messages again (it lives: what it owns is never taken from it), or
   * when this node closes meanwhile.
   */
  async lapsed(gone: string): Promise<boolean> {
    const { leases, bus, leaseMs } = this.#deps;
    // A Redis that restarted lost every lease (and owner entry) until their nodes wrote them back: decided after.
    await (this.#deps.restore ?? NEVER_RESTORING).settled();
    // A lease outlives its node by at most `leaseMs`; a node that is back hears messages again. A lease still held
    // after that is a live node's (cut off from pub/sub, say).
    const until = Date.now() + leaseMs + 1000;
    while (await leases.held(gone)) {
      if (this.#closed) return false;
      if ((await bus.alive(gone)) || Date.now() >= until) return false;
      await sleep(Math.min(250, leaseMs / 4));
    }
    return !this.#closed;
  }

  /**
   * The node leaves: it stops renewing, gives its lease up, and tells the other nodes (topic `nodes`), whose sockets
   * routed here come back at once and have the chats taken over without waiting for a lease to lapse.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#waiting?.resolve();
    this.#waiting = undefined;
    await this.#sweeping;
    await this.#deps.leases.drop(this.#self).catch(() => undefined);
    await this.#deps.bus.publish('nodes', { kind: 'node.left' }).catch(() => undefined);
  }
}
