/**
 * Where the hub keeps its chats in memory and finds them again: by id, by the `chat.start` idempotency key, by the
 * advisor who holds them, and, for a chat that ended while its visitor was away, its tombstone (`tombstones.ts`)
 * until the visitor's `chat.resume` or the end of the visitor's window. It only keeps and finds; what happens to a
 * chat (start, events, timers, end) is the hub's (`chat/chat-hub.ts`).
 */
import type { SequencedEvent } from '../../protocol/messages.js';
import { tokenMatches } from './chat.js';
import type { Chat } from './chat.js';
import { Tombstones } from './tombstones.js';
import type { TombstoneDeps } from './tombstones.js';

export class ChatRegistry {
  // Plain (not `#`) fields on purpose: tests walk the hub to prove nothing of an ended chat is left.
  private readonly entries = new Map<string, Chat>();
  /** `chat.start` idempotency keys of the chats in memory. */
  private readonly startIds = new Map<string, Chat>();
  private readonly tombstones: Tombstones;

  /**
   * The tombstones keep an ended chat's events in `events` (the chat event log); `onExpire` runs after one was wiped
   * because nobody fetched it in time (`size` says how many are left).
   */
  constructor(deps: TombstoneDeps) {
    this.tombstones = new Tombstones(deps);
  }

  /** Number of tombstones: chats that ended while their visitor was away, waiting for its `chat.resume`. */
  get endedSize(): number {
    return this.tombstones.size;
  }

  /** Number of chats in memory (waiting or active). */
  get size(): number {
    return this.entries.size;
  }

  get(chatId: string): Chat | undefined {
    return this.entries.get(chatId);
  }

  /** The chat a `chat.start` with this idempotency key started, while it lasts. */
  byStartId(startId: string): Chat | undefined {
    return this.startIds.get(startId);
  }

  /** Chats held by one advisor, oldest first. */
  heldBy(advisorId: string): Chat[] {
    return this.all().filter((chat) => chat.state === 'active' && chat.advisorId === advisorId);
  }

  /** Every chat in memory, oldest first (a copy: the caller may end chats while it walks them). */
  all(): Chat[] {
    return [...this.entries.values()];
  }

  add(chat: Chat): void {
    this.entries.set(chat.id, chat);
    if (chat.startId !== undefined) this.startIds.set(chat.startId, chat);
  }

  /** Forgets a chat (and its start id); false when it was not (or no longer) this registry's. */
  delete(chat: Chat): boolean {
    if (this.entries.get(chat.id) !== chat) return false;
    this.entries.delete(chat.id);
    if (chat.startId !== undefined) this.startIds.delete(chat.startId);
    return true;
  }

  /**
   * The member (`sub`) of the member chat, live or ended while its visitor was away, that this resume token opens;
   * `undefined` for an anonymous chat, an unknown one, or a wrong token.
   */
  memberSubOf(chatId: string, resumeToken: string): string | undefined {
    const chat = this.entries.get(chatId);
    if (chat !== undefined) return tokenMatches(chat, resumeToken) ? chat.member?.sub : undefined;
    return this.tombstones.memberSubOf(chatId, resumeToken);
  }

  /** Whether this node holds the chat, live or ended while its visitor was away. */
  knows(chatId: string): boolean {
    return this.entries.has(chatId) || this.tombstones.has(chatId);
  }

  /** Keeps the events of a chat that ended while its visitor was away (before `wipe(chat)`) for `ms`. */
  keepForVisitor(chat: Chat, ms: number): Promise<void> {
    return this.tombstones.keep(chat, ms);
  }

  /**
   * The events after `lastSeq` of a chat that ended while its visitor was away, once, with its resume token;
   * `undefined` for an unknown chat and a wrong token alike.
   */
  takeEnded(chatId: string, resumeToken: string, lastSeq: number): Promise<SequencedEvent[] | undefined> {
    return this.tombstones.take(chatId, resumeToken, lastSeq);
  }

  /** Writes the tombstones back to the shared state, which lost them (`Tombstones.restoreShared`). */
  restoreEnded(owner: string): Promise<number> {
    return this.tombstones.restoreShared(owner);
  }

  /** Wipes every tombstone, its events and its timer (the hub ends the live chats itself first). Idempotent. */
  clearEnded(): void {
    this.tombstones.clear();
  }
}
