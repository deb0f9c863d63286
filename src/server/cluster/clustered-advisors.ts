/**
 * The connected advisors when several nodes share the service. An advisor's sockets may be on any node, and the
 * chats it holds on any other: what a chat's owner sends an advisor (`sendTo`) goes to its sockets here and, over
 * the topic `advisor:<id>` that every node with a socket of that advisor hears, to its sockets there. An advisor's
 * socket on another node that acts on a chat owned here is a remote peer (`addRemote`): it may act like a ready
 * socket of this node, but hears nothing from here except the answers to what it sent (what goes to all of the
 * advisor's sockets reaches it through the topic on its own node).
 */
import type { Outgoing } from '../../protocol/parse.js';
import type { ServerToAdvisor } from '../../protocol/messages.js';
import { AdvisorRegistry } from '../chat/advisors.js';
import type { AdvisorEntry } from '../chat/advisors.js';
import type { AdvisorPeer } from '../chat/chat.js';
import type { AdvisorPresence } from '../state/advisor-presence.js';
import type { NodeBus } from '../state/node-bus.js';

const topicOf = (advisorId: string): string => `advisor:${advisorId}`;

export class ClusteredAdvisorRegistry extends AdvisorRegistry {
  readonly #bus: NodeBus;
  readonly #onError: (error: unknown) => void;
  readonly #remote = new Set<AdvisorPeer>();

  constructor(
    bus: NodeBus,
    onError: (error: unknown) => void,
    presence?: AdvisorPresence,
    onPresenceError?: (error: unknown) => void,
  ) {
    super(presence, onPresenceError);
    this.#bus = bus;
    this.#onError = onError;
  }

  override add(peer: AdvisorPeer): AdvisorEntry {
    const { id } = peer.advisor;
    const first = this.get(id) === undefined;
    const entry = super.add(peer);
    if (first) {
      this.#bus
        .subscribe(topicOf(id), (message, from) => {
          if (from !== this.#bus.nodeId && typeof message.message === 'object' && message.message !== null) {
            super.sendTo(id, message.message as Outgoing<ServerToAdvisor>);
          }
        })
        .catch(this.#onError);
    }
    return entry;
  }

  override remove(peer: AdvisorPeer): boolean {
    const last = super.remove(peer);
    if (last) {
      const { id } = peer.advisor;
      // The other nodes hear that this node has no socket of the advisor any more: the owners of its chats start
      // its grace when no node has one (`cluster/chat-routing.ts`).
      this.#bus
        .unsubscribe(topicOf(id))
        .then(() => this.#bus.publish('advisors', { kind: 'advisor.left', advisorId: id }))
        .catch(this.#onError);
    }
    return last;
  }

  /** Whether a socket of the advisor is on some node now (this one included). */
  async connectedAnywhere(id: string): Promise<boolean> {
    return this.get(id) !== undefined || (await this.#bus.listeners(topicOf(id))) > 0;
  }

  /** To every ready socket of the advisor, on this node and on every other. */
  override sendTo(id: string, message: Outgoing<ServerToAdvisor>): void {
    super.sendTo(id, message);
    this.#bus.publish(topicOf(id), { kind: 'advisor.send', message }).catch(this.#onError);
  }

  /** An advisor socket of another node acts on a chat of this one. */
  addRemote(peer: AdvisorPeer): void {
    this.#remote.add(peer);
  }

  removeRemote(peer: AdvisorPeer): void {
    this.#remote.delete(peer);
  }

  override has(peer: AdvisorPeer): boolean {
    return this.#remote.has(peer) || super.has(peer);
  }

  override isReady(peer: AdvisorPeer): boolean {
    return this.#remote.has(peer) || super.isReady(peer);
  }

  override async clear(): Promise<void> {
    for (const id of this.ids()) this.#bus.unsubscribe(topicOf(id)).catch(this.#onError);
    this.#remote.clear();
    await super.clear();
  }
}
