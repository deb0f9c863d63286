/**
 * The chat lifecycle bus: what happens to a chat, told to whoever listens. The hub (`chat-hub.ts`) emits; member
 * transcripts (`member/transcript-writer.ts`), the audit of member chats (`audit/chat-audit.ts`) and the chat's log
 * lines and counts (`lifecycle-log.ts`) subscribe, wired in the composition root (`app/chat-part.ts`). Core chat
 * code calls none of them.
 *
 * Delivery is synchronous and in order: each event reaches every subscriber, in the order they subscribed, before
 * `emit` returns, so a subscriber sees a chat's events in the order they happened (its `ended` after its last
 * `appended`) and the chat is still in memory meanwhile. A subscriber that throws is logged and skipped: the chat
 * goes on, and so do the other subscribers. A subscriber whose work goes on after `emit` (a transcript written to
 * the store) says so with `drain`, and the bus's `drain()` waits for each in turn: the server awaits it at shutdown,
 * after the hub ended the chats still running, so their ends are written before the store closes.
 *
 * Payloads are plain data: ids, the card, the member record, the event; never a socket, a timer or the hub.
 */
import type { ChatEvent, SequencedEvent, VisitorCard } from '../../protocol/messages.js';
import type { ChatMember } from './chat.js';

export type EndedBy = 'visitor' | 'advisor' | 'timeout' | 'gone' | 'server';

/** An advisor as the lifecycle names one: the id from the token, and the name the visitor sees. */
export interface AdvisorRef {
  readonly id: string;
  readonly name: string;
}

/** What every event says about its chat: the id, and the server's member record for a member chat. */
export interface ChatRef {
  readonly chatId: string;
  /** Set for a member chat only; an anonymous chat has none, and most subscribers ignore it then. */
  readonly member: ChatMember | undefined;
}

/** Each lifecycle event by name, with its payload. */
export interface ChatLifecycleEvents {
  /** A chat was started and waits in the queue. */
  'chat.started': ChatRef & {
    readonly startedAt: number;
    readonly visitor: VisitorCard;
    /**
     * The keyed hash of the visitor's address (the audit's day key), when the hub was given one to take at connect
     * (member chat on, with an audit log); never the address.
     */
    readonly addressHash: string | undefined;
    /** Chats in memory now, this one included. */
    readonly live: number;
  };
  /**
   * This node took the chat over from a node that died (`cluster/takeover.ts`), with its record and every event
   * the dead node had appended (in Redis). A subscriber that writes what a chat's owner heard (the member transcript)
   * writes them again: the dead node may have acknowledged events it had not written yet. Such writes must be
   * idempotent (by chat and sequence number). Not emitted on one node alone.
   */
  'chat.adopted': ChatRef & {
    readonly startedAt: number;
    readonly visitor: VisitorCard;
    readonly events: readonly SequencedEvent[];
  };
  /** An advisor took the chat from the queue (after its `joined` event was appended). */
  'chat.assigned': ChatRef & { readonly advisor: AdvisorRef; readonly waitedMs: number };
  /** An event was appended to the chat's log, before it goes to either side. */
  'chat.appended': ChatRef & { readonly seq: number; readonly event: ChatEvent };
  /** The visitor's page left (`present: false`) or came back. Never part of the chat's log. */
  'chat.presence': ChatRef & { readonly present: boolean };
  /** The advisor stayed away too long: the chat is back in the queue (after its `left` event). */
  'chat.requeued': ChatRef & { readonly advisor: AdvisorRef | undefined };
  /**
   * The advisor who held the chat handed it on (`chat.transfer`, after its `transferred` event): to a colleague
   * (`to`), or back to the queue under a topic (`topic`). Never the internal note.
   */
  'chat.transferred': ChatRef & {
    readonly from: AdvisorRef;
    readonly to: AdvisorRef | undefined;
    readonly topic: string | undefined;
  };
  /** The chat ended (after its `ended` event), before it is wiped from memory. */
  'chat.ended': ChatRef & {
    readonly by: EndedBy;
    readonly startedAt: number;
    readonly endedAt: number;
    /** Events in its log, `ended` included. */
    readonly events: number;
    /** The advisor who last held it, if any did (it may have been back in the queue since). */
    readonly advisor: AdvisorRef | undefined;
  };
}

export type ChatLifecycleEvent = keyof ChatLifecycleEvents;

/** A subscriber's handlers: any subset of the events, each with its own payload type. */
export type LifecycleHandlers = { readonly [K in ChatLifecycleEvent]?: (payload: ChatLifecycleEvents[K]) => void };

export interface LifecycleSubscriber {
  readonly on: LifecycleHandlers;
  /** Resolves when the work the handlers started is done (written, delivered); the bus's `drain()` waits for it. */
  drain?(): Promise<void>;
}

/** What the hub holds: it can only emit. */
export interface LifecycleEmitter {
  emit<K extends ChatLifecycleEvent>(type: K, payload: ChatLifecycleEvents[K]): void;
}

export class ChatLifecycle implements LifecycleEmitter {
  /**
   * Replaced, never changed in place: an `emit` goes through the subscribers there were when it began (one that
   * unsubscribes meanwhile still hears it, one added meanwhile does not), without a copy for each event.
   */
  #subscribers: readonly LifecycleSubscriber[] = [];
  readonly #onError: (type: ChatLifecycleEvent | 'drain', error: unknown) => void;

  /** `onError` hears each subscriber's failure (the server logs it); the bus goes on either way. */
  constructor(onError: (type: ChatLifecycleEvent | 'drain', error: unknown) => void) {
    this.#onError = onError;
  }

  /** Adds a subscriber after those already there; the returned function removes it again. */
  subscribe(subscriber: LifecycleSubscriber): () => void {
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      const index = this.#subscribers.indexOf(subscriber);
      if (index >= 0) this.#subscribers = this.#subscribers.filter((_, i) => i !== index);
    };
  }

  emit<K extends ChatLifecycleEvent>(type: K, payload: ChatLifecycleEvents[K]): void {
    for (const subscriber of this.#subscribers) {
      const handler = subscriber.on[type] as ((payload: ChatLifecycleEvents[K]) => void) | undefined;
      if (handler === undefined) continue;
      try {
        handler(payload);
      } catch (error) {
        this.#report(type, error);
      }
    }
  }

  /** Waits for each subscriber's outstanding work, in subscription order; one that fails does not stop the rest. */
  async drain(): Promise<void> {
    for (const subscriber of this.#subscribers) {
      try {
        await subscriber.drain?.();
      } catch (error) {
        this.#report('drain', error);
      }
    }
  }

  #report(type: ChatLifecycleEvent | 'drain', error: unknown): void {
    try {
      this.#onError(type, error);
    } catch {
      // Reporting must not break the chat either.
    }
  }
}
