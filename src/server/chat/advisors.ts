/**
 * Connected advisors: one entry per advisor id, each with its sockets (an advisor may have several tabs open)
 * and its presence. A socket becomes "ready" with `advisor.hello`; only ready sockets get pushed queue updates.
 */
import type { Outgoing } from '../../protocol/parse.js';
import type { ServerToAdvisor } from '../../protocol/messages.js';
import type { AdvisorPeer } from './chat.js';

export type Presence = 'available' | 'away';

export interface AdvisorEntry {
  readonly id: string;
  name: string;
  presence: Presence;
  readonly peers: Set<AdvisorPeer>;
  readonly ready: Set<AdvisorPeer>;
}

export class AdvisorRegistry {
  private readonly entries = new Map<string, AdvisorEntry>();
  /** Outside the opening hours every advisor shows as away; each one's own choice is kept for the opening. */
  #closed = false;

  /** What an advisor's consoles show: `away` while closed, else the advisor's choice. */
  presenceMessage(entry: AdvisorEntry | undefined): { status: Presence; closed?: true } {
    return this.#closed ? { status: 'away', closed: true } : { status: entry?.presence ?? 'available' };
  }

  /** The chat opened or closed: every console hears its presence again. */
  setClosed(closed: boolean): void {
    if (closed === this.#closed) return;
    this.#closed = closed;
    for (const entry of this.entries.values())
      this.sendTo(entry.id, { type: 'advisor.presence', ...this.presenceMessage(entry) });
  }

  /** Whether any advisor could take a chat now: open hours, connected, and available. */
  anyAvailable(): boolean {
    if (this.#closed) return false;
    for (const entry of this.entries.values()) if (entry.presence === 'available' && entry.ready.size > 0) return true;
    return false;
  }

  add(peer: AdvisorPeer): AdvisorEntry {
    const { id, name } = peer.advisor;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { id, name, presence: 'available', peers: new Set(), ready: new Set() };
      this.entries.set(id, entry);
    }
    entry.name = name;
    entry.peers.add(peer);
    return entry;
  }

  /** Removes a socket; true when it was the advisor's last one. */
  remove(peer: AdvisorPeer): boolean {
    const entry = this.entries.get(peer.advisor.id);
    if (entry === undefined || !entry.peers.delete(peer)) return false;
    entry.ready.delete(peer);
    if (entry.peers.size > 0) return false;
    this.entries.delete(entry.id);
    return true;
  }

  get(id: string): AdvisorEntry | undefined {
    return this.entries.get(id);
  }

  markReady(peer: AdvisorPeer): AdvisorEntry | undefined {
    const entry = this.entries.get(peer.advisor.id);
    if (entry?.peers.has(peer)) entry.ready.add(peer);
    return entry;
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

  clear(): void {
    this.entries.clear();
  }
}
