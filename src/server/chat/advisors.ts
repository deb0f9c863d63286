/**
 * Connected advisors: one entry per advisor id with its sockets on this node (an advisor may have several tabs
 * open). A socket becomes "ready" with `advisor.hello`; only ready sockets get pushed queue updates. Each advisor's
 * presence (its choice, shown on every console, and whether anyone is available) is state several nodes will share:
 * it sits behind `state/advisor-presence.ts`, recorded from the advisor's first ready socket to its last.
 */
import type { Outgoing } from '../../protocol/parse.js';
import type { ServerToAdvisor } from '../../protocol/messages.js';
import { MemoryAdvisorPresence } from '../state/advisor-presence.js';
import type { AdvisorPresence, Presence } from '../state/advisor-presence.js';
import type { AdvisorPeer } from './chat.js';

export interface AdvisorEntry {
  readonly id: string;
  readonly peers: Set<AdvisorPeer>;
  readonly ready: Set<AdvisorPeer>;
}

export class AdvisorRegistry {
  private readonly entries = new Map<string, AdvisorEntry>();
  readonly #presence: AdvisorPresence;
  /** Outside the opening hours every advisor shows as away; each one's own choice is kept for the opening. */
  #closed = false;

  constructor(presence: AdvisorPresence = new MemoryAdvisorPresence()) {
    this.#presence = presence;
  }

  /** What an advisor's consoles show: `away` while closed, else the advisor's choice. */
  presenceMessage(id: string): { status: Presence; closed?: true } {
    return this.#closed
      ? { status: 'away', closed: true }
      : { status: this.#presence.get(id)?.presence ?? 'available' };
  }

  /** The advisor chose to show as available or away (from a ready socket: it has a record). */
  setPresence(id: string, presence: Presence): void {
    const record = this.#presence.get(id);
    if (record !== undefined) this.#presence.set(id, presence, record.name);
  }

  /** The chat opened or closed: every console hears its presence again. */
  setClosed(closed: boolean): void {
    if (closed === this.#closed) return;
    this.#closed = closed;
    for (const id of this.entries.keys()) this.sendTo(id, { type: 'advisor.presence', ...this.presenceMessage(id) });
  }

  /** Whether any advisor could take a chat now: open hours, connected, and available. */
  anyAvailable(): boolean {
    return !this.#closed && this.#presence.anyAvailable();
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
    if (entry.ready.delete(peer) && entry.ready.size === 0) this.#presence.remove(entry.id);
    if (entry.peers.size > 0) return false;
    this.entries.delete(entry.id);
    return true;
  }

  /** The advisors with a socket on this node. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  get(id: string): AdvisorEntry | undefined {
    return this.entries.get(id);
  }

  /** The socket said hello: it gets pushes from now on; the advisor's first ready socket shows it as available. */
  markReady(peer: AdvisorPeer): AdvisorEntry | undefined {
    const { id, name } = peer.advisor;
    const entry = this.entries.get(id);
    if (entry?.peers.has(peer)) {
      entry.ready.add(peer);
      this.#presence.set(id, this.#presence.get(id)?.presence ?? 'available', name);
    }
    return entry;
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

  /** To every ready socket of every advisor. */
  broadcast(message: Outgoing<ServerToAdvisor>): void {
    for (const entry of this.entries.values()) for (const peer of entry.ready) peer.send(message);
  }

  /** Forgets this node's advisors and their presence (the server closes). */
  clear(): void {
    for (const id of this.entries.keys()) this.#presence.remove(id);
    this.entries.clear();
  }
}
