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
  readonly #topics = new Map<string, BusHandler>();
  readonly #onError: (error: unknown, kind: string) => void;

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

  /** Hears a topic every node hears, from `listen()` on; its own messages too (`from` is this node's id then). */
  onTopic(topic: string, handler: BusHandler): void {
    if (this.#topics.has(topic)) throw new Error(`the topic ${topic} is heard already`);
    this.#topics.set(topic, (message, from) => {
      try {
        handler(message, from);
      } catch (error) {
        this.#onError(error, message.kind);
      }
    });
  }

  /** Tells every node that hears `topic`. */
  publish(topic: string, message: BusMessage): Promise<number> {
    return this.bus.publish(topic, message);
  }

  /** Sends a message to one node; false when that node is not there. */
  send(nodeId: string, message: BusMessage): Promise<boolean> {
    return this.bus.send(nodeId, message);
  }

  /** Starts hearing this node's messages (in `listen()`, once Redis is connected). */
  async listen(): Promise<void> {
    await this.bus.listen((message, from) => {
      const handler = this.#handlers.get(message.kind);
      if (handler === undefined) return;
      try {
        handler(message, from);
      } catch (error) {
        this.#onError(error, message.kind);
      }
    });
    for (const [topic, handler] of this.#topics) await this.bus.subscribe(topic, handler);
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
