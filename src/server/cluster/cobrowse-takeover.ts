/**
 * Co-browse sessions whose owner died, taken over by the node their sockets come back to, as chats are
 * (`takeover.ts`). The owner keeps each open session's record in the shared store (`state/cobrowse-sessions.ts`):
 * ids, advisor, state, resume token, times and link, nothing of the page. When a message to a session's owner is
 * heard by nobody, `recover` waits until that owner's lease has lapsed too, makes this node the owner (a
 * compare-and-set: of two nodes that try at once, one does), and rebuilds the session from its record
 * (`CobrowseHub.adopt`). Meanwhile the two browsers' data channel runs on without the server; their sockets then
 * attach to the session here (the visitor's resume, the console's hello), each naming the link it still has open,
 * and keep it. A dead node's sessions whose sockets never come back are found by the chats' sweep (`takeover.ts`,
 * `sweepAlso`): taken over here, their windows run out and they end, once, with their audit line.
 *
 * Fencing: the owner that was paused or cut off past its lease meanwhile writes nothing to a session taken over
 * (`state/redis/cobrowse-sessions.ts`), and its messages and timers wait until its lease is renewed and it has
 * looked at who owns each session it holds (`takeover.ts`, `checkAlso`; `CobrowseHub.dropLost`): one another node
 * took is forgotten there, its sockets told to come back.
 */
import type { CobrowseHub } from '../cobrowse/hub.js';
import { ownerOfSession } from '../cobrowse/session.js';
import type { Logger } from '../log.js';
import type { CobrowseSessionStore } from '../state/cobrowse-sessions.js';
import type { ChatTakeover } from './takeover.js';

export interface CobrowseTakeoverDeps {
  readonly cobrowse: CobrowseHub;
  readonly store: CobrowseSessionStore;
  /** The chats' takeover: this node's lease, and whether another node's has lapsed. */
  readonly takeover: ChatTakeover;
  readonly nodeId: string;
  readonly log: Logger;
}

export class CobrowseTakeover {
  readonly #deps: CobrowseTakeoverDeps;
  readonly #recovering = new Map<string, Promise<string | undefined>>();

  constructor(deps: CobrowseTakeoverDeps) {
    this.#deps = deps;
    deps.takeover.sweepAlso((node, limit) => this.#sweep(node, limit));
    // After a pause or cut past the lease: the sessions another node took over meanwhile are forgotten here.
    deps.takeover.checkAlso(() => deps.cobrowse.dropLost());
    deps.cobrowse.fenceWith(deps.takeover);
  }

  /** Takes over up to `limit` sessions of dead node `node`; true when it had any. */
  async #sweep(node: string, limit: number): Promise<boolean> {
    const { store } = this.#deps;
    const owned = await store.ownedBy(node, limit);
    for (const sessionId of owned) {
      const owner = await this.recover(sessionId, node);
      if (owner !== node) await store.disown(node, sessionId);
    }
    return owned.length > 0;
  }

  /** The node that owns the session now: the store's word, else the node its id names. */
  async ownerOf(sessionId: string): Promise<string | undefined> {
    return (await this.#deps.store.ownerOf(sessionId)) ?? ownerOfSession(sessionId);
  }

  /**
   * Node `gone` did not hear a message for the session. Resolves with its owner once that is settled: this node's id
   * when it took the session over (and holds it, or ended it at once: `CobrowseHub.adopt`), another node's when that
   * one owns it (it took it over first, or `gone` lives), `undefined` when the session is no more (it ended, or its
   * record lapsed).
   */
  recover(sessionId: string, gone: string): Promise<string | undefined> {
    let pending = this.#recovering.get(sessionId);
    if (pending === undefined) {
      pending = this.#recover(sessionId, gone).finally(() => this.#recovering.delete(sessionId));
      this.#recovering.set(sessionId, pending);
    }
    return pending;
  }

  async #recover(sessionId: string, gone: string): Promise<string | undefined> {
    const { cobrowse, store, takeover, nodeId, log } = this.#deps;
    if (cobrowse.getSession(sessionId) !== undefined) return nodeId;
    const owner = await store.ownerOf(sessionId);
    // No record: the session ended (or was never recorded); one that moved is asked where it is now.
    if (owner === undefined) return undefined;
    if (owner !== gone) return owner === nodeId ? undefined : owner;
    if (!(await takeover.lapsed(gone))) return gone;
    if (!(await store.takeOver(sessionId, gone, nodeId))) return await store.ownerOf(sessionId);
    const record = await store.record(sessionId);
    if (record === undefined) {
      await store.remove(sessionId);
      return undefined;
    }
    // A session that cannot go on ends here at once (its advisor is told, its end audited): this node answers for it.
    cobrowse.adopt(sessionId, record);
    log.info('cobrowse.taken_over', { sessionId, reached: record.state });
    return nodeId;
  }
}
