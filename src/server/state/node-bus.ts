/**
 * How the nodes of one service speak to each other: a message to one node (the one that holds a chat or a socket),
 * and topics every interested node hears (an advisor's sockets on any node; "the queue changed"). Messages are
 * relayed, never stored: a node that is not there does not get them, and the sender learns it at once (`send`
 * answers false), which is how a node finds that another one died and takes over its chats.
 *
 * With Redis (`state/redis/node-bus.ts`) each operation is one command: `send` is `PUBLISH <prefix>node:<id>`
 * (whose reply is the number of subscribers: 0 when the node is gone), `publish` is `PUBLISH <prefix>topic:<name>`,
 * `alive` is `PUBSUB NUMSUB <prefix>node:<id>`. Redis drops a node's subscription the moment its connection closes,
 * also when the process was killed, so a dead node is seen dead within a round trip. `MemoryNodeBus` is the one-node
 * version: every message stays in this process.
 */

/** What the nodes send each other: a kind and its payload, as JSON. */
export interface BusMessage {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export type BusHandler = (message: BusMessage, from: string) => void;

export interface NodeBus {
  /** This node's id: unique per process (a restarted node is a new node). */
  readonly nodeId: string;
  /** Starts hearing this node's messages (`send` to it); call once, before the node takes sockets. */
  listen(handler: BusHandler): Promise<void>;
  /** Sends a message to one node; false when that node is not there (it died, or left). */
  send(nodeId: string, message: BusMessage): Promise<boolean>;
  /** Hears a topic from now on (again after a reconnect); a second handler for the same topic replaces the first. */
  subscribe(topic: string, handler: BusHandler): Promise<void>;
  unsubscribe(topic: string): Promise<void>;
  /** Tells every node that hears `topic`; resolves with how many nodes heard it. */
  publish(topic: string, message: BusMessage): Promise<number>;
  /** Whether a node is there now. */
  alive(nodeId: string): Promise<boolean>;
  /** How many nodes hear `topic` now (`PUBSUB NUMSUB`). */
  listeners(topic: string): Promise<number>;
  /** Stops hearing anything. Idempotent. */
  close(): Promise<void>;
}

/**
 * The one-node bus: this node is the only one there is. Messages are handed over on a later microtask, as a real
 * bus would (never inside the sender's call).
 */
export class MemoryNodeBus implements NodeBus {
  readonly nodeId: string;
  #handler: BusHandler | undefined;
  readonly #topics = new Map<string, BusHandler>();

  constructor(nodeId = 'local') {
    this.nodeId = nodeId;
  }

  listen(handler: BusHandler): Promise<void> {
    this.#handler = handler;
    return Promise.resolve();
  }

  send(nodeId: string, message: BusMessage): Promise<boolean> {
    const handler = nodeId === this.nodeId ? this.#handler : undefined;
    if (handler === undefined) return Promise.resolve(false);
    const copy = structuredClone(message);
    return Promise.resolve().then(() => {
      handler(copy, this.nodeId);
      return true;
    });
  }

  subscribe(topic: string, handler: BusHandler): Promise<void> {
    this.#topics.set(topic, handler);
    return Promise.resolve();
  }

  unsubscribe(topic: string): Promise<void> {
    this.#topics.delete(topic);
    return Promise.resolve();
  }

  publish(topic: string, message: BusMessage): Promise<number> {
    const handler = this.#topics.get(topic);
    if (handler === undefined) return Promise.resolve(0);
    const copy = structuredClone(message);
    return Promise.resolve().then(() => {
      handler(copy, this.nodeId);
      return 1;
    });
  }

  alive(nodeId: string): Promise<boolean> {
    return Promise.resolve(nodeId === this.nodeId && this.#handler !== undefined);
  }

  listeners(topic: string): Promise<number> {
    return Promise.resolve(this.#topics.has(topic) ? 1 : 0);
  }

  close(): Promise<void> {
    this.#handler = undefined;
    this.#topics.clear();
    return Promise.resolve();
  }
}
