/**
 * Connected advisors: one entry per advisor id with its sockets on this node (an advisor may have several tabs
 * open). A socket becomes "ready" with `advisor.hello`; only ready sockets get pushed queue updates. Each advisor's
 * presence (its choice, shown on every console, and whether anyone is available) is the service's: it sits behind
 * `state/advisor-presence.ts`, where this node holds the advisor from its first ready socket here to its last (and
 * touches its holds while it runs, for a store whose holds lapse: a node that died holds nobody for long).
 */
import type { Outgoing } from '../../protocol/parse.js';
import type { ServerToAdvisor } from '../../protocol/messages.js';
import { MemoryAdvisorPresence } from '../state/advisor-presence.js';
import type { AdvisorPresence, Presence } from '../state/advisor-presence.js';
import { startTimer } from '../timers.js';
import type { AdvisorPeer } from './chat.js';

export interface AdvisorEntry {
  readonly id: string;
  readonly peers: Set<AdvisorPeer>;
  readonly ready: Set<AdvisorPeer>;
}

export class AdvisorRegistry {
  private readonly entries = new Map<string, AdvisorEntry>();
  readonly #presence: AdvisorPresence;
  readonly #onError: (error: unknown) => void;
  /** The presence each advisor last chose from a socket of this node, while it has one here. */
  readonly #choices = new Map<string, Presence>();
  /** Outside the opening hours every advisor shows as away; each one's own choice is kept for the opening. */
  #closed = false;
  #touch: NodeJS.Timeout | undefined;

  /** `onError` hears a presence store that did not answer where nobody awaits it (a socket's close, a heartbeat). */
  constructor(
    presence: AdvisorPresence = new MemoryAdvisorPresence(),
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.#presence = presence;
    this.#onError = onError;
  }

  /** What an advisor's consoles show: `away` while closed, else the advisor's choice. */
  async presenceMessage(id: string): Promise<{ status: Presence; closed?: true }> {
    if (this.#closed) return { status: 'away', closed: true };
    const record = await this.#presence.get(id);
    return this.#closed ? { status: 'away', closed: true } : { status: record?.presence ?? 'available' };
  }

  /** The advisor chose to show as available or away (from a ready socket: it has a record). */
  setPresence(id: string, presence: Presence): Promise<void> {
    // Kept while the advisor has a socket here: a restarted Redis gets it back (`restorePresence`).
    if (this.entries.has(id)) this.#choices.set(id, presence);
    return this.#presence.set(id, presence);
  }

  /**
   * Holds this node's advisors again in the presence store, which lost them (a restarted Redis): each with the choice
   * last made from a socket of this node (available when none was). How many advisors that were.
   */
  async restorePresence(): Promise<number> {
    const held = [...this.entries.values()].filter((entry) => entry.ready.size > 0);
    await Promise.all(
      held.map(async (entry) => {
        const [peer] = entry.ready;
        if (peer === undefined) return;
        await this.#presence.join(entry.id, peer.advisor.name);
        const choice = this.#choices.get(entry.id);
        if (choice !== undefined) await this.#presence.set(entry.id, choice);
      }),
    );
    return held.length;
  }

  /** The chat opened or closed: every console hears its presence again. */
  setClosed(closed: boolean): void {
    if (closed === this.#closed) return;
    this.#closed = closed;
    for (const id of this.entries.keys()) {
      this.presenceMessage(id).then(
        (message) => this.sendTo(id, { type: 'advisor.presence', ...message }),
        this.#onError,
      );
    }
  }

  /** Whether any advisor could take a chat now: open hours, connected (to any node), and available. */
  async anyAvailable(): Promise<boolean> {
    return !this.#closed && (await this.#presence.anyAvailable());
  }

  /**
   * The advisors who could take a chat now (on any node): open hours, present and available; up to `max`, not
   * `except` (the advisor who asks).
   */
  async available(except: string, max: number): Promise<{ id: string; name: string }[]> {
    if (this.#closed) return [];
    const found = await this.#presence.available(max + 1);
    return this.#closed ? [] : found.filter((advisor) => advisor.id !== except).slice(0, max);
  }

  add(peer: AdvisorPeer): AdvisorEntry {
    const { id } = peer.advisor;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { id, peers: new Set(), ready: new Set() };
      this.entries.set(id, entry);
    }
    entry.peers.add(peer);
    return entry;
  }

  /** Removes a socket; true when it was the advisor's last one. With its last ready socket, its presence goes. */
  remove(peer: AdvisorPeer): boolean {
    const entry = this.entries.get(peer.advisor.id);
    if (entry === undefined || !entry.peers.delete(peer)) return false;
    if (entry.ready.delete(peer) && entry.ready.size === 0) this.#presence.leave(entry.id).catch(this.#onError);
    if (entry.peers.size > 0) return false;
    this.entries.delete(entry.id);
    this.#choices.delete(entry.id);
    return true;
  }

  /** The advisors with a socket on this node. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  get(id: string): AdvisorEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The socket said hello: it gets pushes from now on; the advisor's first ready socket on any node shows it as
   * available. Resolves once the presence store has it.
   */
  async markReady(peer: AdvisorPeer): Promise<AdvisorEntry | undefined> {
    const { id, name } = peer.advisor;
    const entry = this.entries.get(id);
    if (entry?.peers.has(peer)) {
      entry.ready.add(peer);
      await this.#presence.join(id, name);
      this.#startTouching();
    }
    return entry;
  }

  /** While this node holds advisors, their holds are touched (a store whose holds lapse). */
  #startTouching(): void {
    const every = this.#presence.touchEveryMs;
    if (every === undefined || this.#touch !== undefined) return;
    this.#touch = startTimer(every, () => {
      this.#touch = undefined;
      const held = [...this.entries.values()].filter((entry) => entry.ready.size > 0).map((entry) => entry.id);
      if (held.length === 0) return;
      this.#startTouching();
      this.#presence.touch(held).catch(this.#onError);
    });
  }

  /** Whether the socket is still connected (an answer that took a while may find it gone). */
  has(peer: AdvisorPeer): boolean {
    return this.entries.get(peer.advisor.id)?.peers.has(peer) ?? false;
  }

  isReady(peer: AdvisorPeer): boolean {
    return this.entries.get(peer.advisor.id)?.ready.has(peer) ?? false;
  }

  /** To every ready socket of one advisor. */
  sendTo(id: string, message: Outgoing<ServerToAdvisor>): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    for (const peer of entry.ready) peer.send(message);
  }

  /** Every ready socket of this node, by advisor id (for what differs per advisor, such as their own snippets). */
  readyByAdvisor(): Map<string, AdvisorPeer[]> {
    const ready = new Map<string, AdvisorPeer[]>();
    for (const entry of this.entries.values()) if (entry.ready.size > 0) ready.set(entry.id, [...entry.ready]);
    return ready;
  }

  /** To every ready socket of every advisor. */
  broadcast(message: Outgoing<ServerToAdvisor>): void {
    for (const entry of this.entries.values()) for (const peer of entry.ready) peer.send(message);
  }

  /** Forgets this node's advisors; this node holds none of them from now on (the server closes). */
  async clear(): Promise<void> {
    clearTimeout(this.#touch);
    this.#touch = undefined;
    const held = [...this.entries.values()].filter((entry) => entry.ready.size > 0).map((entry) => entry.id);
    this.entries.clear();
    this.#choices.clear();
    await Promise.all(held.map((id) => this.#presence.leave(id).catch(this.#onError)));
  }
}
