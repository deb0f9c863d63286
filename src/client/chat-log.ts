/**
 * One chat as a client holds it: the sequenced events the server confirmed, and the outbox of messages the
 * server has not confirmed yet. Shared by the visitor's chat and each of the advisor's chats.
 *
 * Guarantees: an event is applied once (by `seq`), in order; a gap is reported, never papered over; a message
 * stays in the outbox until its own echo (same client id) comes back, so it survives any number of reconnects
 * and is never shown twice.
 */
import { nanoid } from 'nanoid';
import { MAX_OUTBOX } from '../protocol/limits.js';
import type { ChatEvent, SequencedEvent } from '../protocol/messages.js';

export interface PendingMessage {
  id: string;
  text: string;
}

export type ApplyResult = 'applied' | 'duplicate' | 'gap';

export class ChatLog {
  readonly events: SequencedEvent[] = [];
  #outbox = new Map<string, PendingMessage>();

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Messages written but not yet confirmed by the server, oldest first. */
  get pending(): PendingMessage[] {
    return [...this.#outbox.values()];
  }

  get ended(): boolean {
    return this.events.some((item) => item.event.kind === 'ended');
  }

  /** Applies one event from the server. A `gap` means events are missing: resume from `lastSeq`. */
  apply(item: SequencedEvent): ApplyResult {
    if (item.seq <= this.lastSeq) return 'duplicate';
    if (item.seq !== this.lastSeq + 1) return 'gap';
    this.events.push(item);
    if (item.event.kind === 'message') this.#outbox.delete(item.event.id);
    return 'applied';
  }

  /** Applies a resumed run of events; stops at the first gap. */
  applyAll(items: readonly SequencedEvent[]): ApplyResult {
    let result: ApplyResult = 'duplicate';
    for (const item of items) {
      const one = this.apply(item);
      if (one === 'gap') return 'gap';
      if (one === 'applied') result = 'applied';
    }
    return result;
  }

  /** Puts a message in the outbox with a fresh idempotent client id. Throws when the outbox is full. */
  enqueue(text: string): PendingMessage {
    if (this.#outbox.size >= MAX_OUTBOX) throw new Error('LOTSE_ERR_OUTBOX_FULL: too many unsent messages');
    const message = { id: nanoid(), text };
    this.#outbox.set(message.id, message);
    return message;
  }

  /** Puts messages of an earlier page back into the outbox, with their ids: each still goes out exactly once. */
  restore(pending: readonly PendingMessage[]): void {
    for (const { id, text } of pending.slice(0, MAX_OUTBOX - this.#outbox.size)) {
      if (!this.events.some(({ event }) => event.kind === 'message' && event.id === id))
        this.#outbox.set(id, { id, text });
    }
  }

  /** Drops a pending message the server refused for good (too long, chat ended). */
  drop(id: string): PendingMessage | undefined {
    const message = this.#outbox.get(id);
    this.#outbox.delete(id);
    return message;
  }

  /** The conversation as plain text, one line per message, for the visitor's own copy. */
  transcript(label: (event: ChatEvent) => string | undefined): string {
    return this.events
      .map(({ event }) => label(event))
      .filter((line): line is string => line !== undefined)
      .join('\n');
  }
}
