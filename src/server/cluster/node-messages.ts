/**
 * What this node hears from the other nodes of the service (`state/node-bus.ts`), handed to the part that handles
 * its kind: each part registers the kinds it speaks (`on`) before the server listens. Without Redis the bus is this
 * process alone (`MemoryNodeBus`) and nothing comes from elsewhere.
 */
import type { BusHandler, BusMessage, NodeBus } from '../state/node-bus.js';

export class NodeMessages {
  readonly bus: NodeBus;
  /** Whether other nodes may be there (a bus over Redis); false for this process alone. */
  readonly shared: boolean;
  readonly #handlers = new Map<string, BusHandler>();
  readonly #onError: (error: unknown, kind: string) => void;
  readonly #topics = new Map<string, BusHandler>();
  #listening = false;

  /** `onError` hears what a handler threw (it is not rethrown); a message of a kind nobody handles is dropped. */
  constructor(bus: NodeBus, onError: (error: unknown, kind: string) => void, options: { shared?: boolean } = {}) {
    this.bus = bus;
    this.shared = options.shared ?? false;
    this.#onError = onError;
  }

  /** This node's id on the bus. */
  get nodeId(): string {
    return this.bus.nodeId;
  }

  /** Hands messages of `kind` to `handler`; one handler per kind. */
  on(kind: string, handler: BusHandler): void {
    if (this.#handlers.has(kind)) throw new Error(`node messages of kind ${kind} are handled already`);
    this.#handlers.set(kind, handler);
  }

  /**
   * Hands what any node publishes on `topic` (this one too) to `handler`, from `listen()` on (at once when this
   * node listens already); one handler per topic.
   */
  onTopic(topic: string, handler: BusHandler): void {
    if (this.#topics.has(topic)) throw new Error(`the node topic ${topic} is handled already`);
    const safe: BusHandler = (message, from) => {
      try {
        handler(message, from);
      } catch (error) {
        this.#onError(error, message.kind);
      }
    };
    this.#topics.set(topic, safe);
    if (this.#listening) this.bus.subscribe(topic, safe).catch((error: unknown) => this.#onError(error, topic));
  }

  /** Tells every node that hears `topic`; a failure goes to `onError`. */
  publish(topic: string, message: BusMessage): void {
    this.bus.publish(topic, message).catch((error: unknown) => this.#onError(error, message.kind));
  }

  /** Sends a message to one node; false when that node is not there. */
  send(nodeId: string, message: BusMessage): Promise<boolean> {
    return this.bus.send(nodeId, message);
  }

  /** Starts hearing this node's messages (in `listen()`, once Redis is connected). */
  async listen(): Promise<void> {
    this.#listening = true;
    await Promise.all([...this.#topics].map(([topic, handler]) => this.bus.subscribe(topic, handler)));
    await this.bus.listen((message, from) => {
      const handler = this.#handlers.get(message.kind);
      if (handler === undefined) return;
      try {
        handler(message, from);
      } catch (error) {
        this.#onError(error, message.kind);
      }
    });
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
