/**
 * `NodeBus` over Redis pub/sub: each node subscribes to its own channel (`<prefix>node:<id>`) and to the topics it
 * needs (`<prefix>topic:<name>`) on the connection's subscriber client; it publishes on the command client. A
 * message is `{"from": <node id>, "message": {...}}` as JSON. node-redis subscribes again by itself after a
 * reconnect; what was published meanwhile is lost, as a message to a dead node is (the callers resend or resync).
 */
import { randomUUID } from 'node:crypto';
import type { BusHandler, BusMessage, NodeBus } from '../node-bus.js';
import type { RedisClient, RedisKeyspace } from './connection.js';

/** What the bus needs of the connection: the keyspace, and its pub/sub client. */
export interface RedisPubSub extends RedisKeyspace {
  subscriber(): Promise<RedisClient>;
}

interface Envelope {
  readonly from: string;
  readonly message: BusMessage;
}

function parse(raw: string): Envelope | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Envelope>;
    if (typeof value.from !== 'string' || typeof value.message?.kind !== 'string') return undefined;
    return value as Envelope;
  } catch {
    return undefined;
  }
}

export class RedisNodeBus implements NodeBus {
  readonly nodeId: string;
  readonly #redis: RedisPubSub;
  readonly #topics = new Set<string>();
  #listening = false;
  #closed = false;

  readonly #onError: (error: unknown) => void;

  /** `onError` hears what a handler threw (it is not rethrown). */
  constructor(redis: RedisPubSub, options: { nodeId?: string; onError?: (error: unknown) => void } = {}) {
    this.#redis = redis;
    this.nodeId = options.nodeId ?? randomUUID();
    this.#onError = options.onError ?? (() => undefined);
  }

  #nodeChannel(nodeId: string): string {
    return this.#redis.key('node', nodeId);
  }

  #topicChannel(topic: string): string {
    return this.#redis.key('topic', topic);
  }

  /** A handler that throws must not throw inside the client's dispatch (an uncaught exception): it is reported. */
  #deliver(handler: BusHandler): (raw: string) => void {
    return (raw) => {
      const envelope = parse(raw);
      if (envelope === undefined) return;
      try {
        handler(envelope.message, envelope.from);
      } catch (error) {
        this.#onError(error);
      }
    };
  }

  async listen(handler: BusHandler): Promise<void> {
    if (this.#listening) throw new Error('the node bus listens already');
    this.#listening = true;
    const subscriber = await this.#redis.subscriber();
    await subscriber.subscribe(this.#nodeChannel(this.nodeId), this.#deliver(handler));
  }

  async send(nodeId: string, message: BusMessage): Promise<boolean> {
    const envelope: Envelope = { from: this.nodeId, message };
    const receivers = await this.#redis.timed('publish', () =>
      this.#redis.client.publish(this.#nodeChannel(nodeId), JSON.stringify(envelope)),
    );
    return receivers > 0;
  }

  async subscribe(topic: string, handler: BusHandler): Promise<void> {
    const subscriber = await this.#redis.subscriber();
    const channel = this.#topicChannel(topic);
    if (this.#topics.has(topic)) await subscriber.unsubscribe(channel);
    this.#topics.add(topic);
    await subscriber.subscribe(channel, this.#deliver(handler));
  }

  async unsubscribe(topic: string): Promise<void> {
    if (!this.#topics.delete(topic)) return;
    const subscriber = await this.#redis.subscriber();
    await subscriber.unsubscribe(this.#topicChannel(topic));
  }

  async publish(topic: string, message: BusMessage): Promise<number> {
    const envelope: Envelope = { from: this.nodeId, message };
    return await this.#redis.timed('publish', () =>
      this.#redis.client.publish(this.#topicChannel(topic), JSON.stringify(envelope)),
    );
  }

  async alive(nodeId: string): Promise<boolean> {
    const counts = await this.#redis.timed('pubsub', () => this.#redis.client.pubSubNumSub(this.#nodeChannel(nodeId)));
    return (counts[this.#nodeChannel(nodeId)] ?? 0) > 0;
  }

  async listeners(topic: string): Promise<number> {
    const channel = this.#topicChannel(topic);
    const counts = await this.#redis.timed('pubsub', () => this.#redis.client.pubSubNumSub(channel));
    return counts[channel] ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#listening && this.#topics.size === 0) return;
    const subscriber = await this.#redis.subscriber();
    const channels = [...this.#topics].map((topic) => this.#topicChannel(topic));
    if (this.#listening) channels.push(this.#nodeChannel(this.nodeId));
    this.#topics.clear();
    await subscriber.unsubscribe(channels);
  }
}
