/**
 * Which node owns each chat (`cluster/`): the node that started it holds the chat itself and its timers, and a
 * socket of the chat that reached another node is routed there. A chat's `chat.start` idempotency key names it too,
 * so a start repeated after a drop finds its chat on whichever node the new socket reached.
 *
 * Each chat's record (`ChatRecord`) goes with it: what a node that takes the chat over when its owner died needs.
 *
 * With Redis (`state/redis/chat-directory.ts`) each operation is one command (or one script) on
 * `<prefix>chat:<id>:owner`, `<prefix>chat:<id>:record` and `<prefix>start:<startId>`, with a time to live (the
 * owner's and the record's refreshed with each event the chat appends, `state/redis/chat-event-log.ts`), deleted at
 * the end, and on `<prefix>node:<id>:chats`, the chats each node owns: a node that died is found owning them even
 * when no client of theirs comes back (`cluster/takeover.ts`, `sweep`). In memory there is one node: every chat is
 * its own.
 */
import type { VisitorCard } from '../../protocol/messages.js';

/**
 * What another node needs to take a chat over when its owner died: written by the owner at the start and at each
 * change of who holds it, before it acts on the change. Its events are in the chat event log. In Redis's memory only,
 * like the events, and deleted at the end.
 */
export interface ChatRecord {
  readonly resumeToken: string;
  readonly startId?: string | undefined;
  readonly startedAt: number;
  readonly visitor: VisitorCard;
  readonly member?: { readonly sub: string; readonly pseudonym: string } | undefined;
  readonly state: 'waiting' | 'active';
  /** Who holds an active chat. */
  readonly advisor?: { readonly id: string; readonly name: string } | undefined;
  /** Who last held it (for its end, after a re-queue). */
  readonly lastAdvisor?: { readonly id: string; readonly name: string } | undefined;
  readonly waitingSince: number;
  readonly clientKey: string;
  /** The chat's topic, so that the node that takes it over queues it under it (never the transfer's note). */
  readonly topic?: string | undefined;
  /** The visitor's language. */
  readonly lang?: 'de' | 'en' | undefined;
  /** Handed back to the queue by an advisor: it waits at the front, also under the node that takes it over. */
  readonly front?: boolean | undefined;
}

/** The chat a start id names, and its owner. */
export interface StartEntry {
  readonly chatId: string;
  readonly owner: string;
}

export interface ChatDirectory {
  /** The chat started on node `owner`, with its record; its start id names it, when the client sent one. */
  add(chatId: string, owner: string, record: ChatRecord): Promise<void>;
  /**
   * The chat changed hands (assigned, re-queued): its record as it is now, written only while the chat has one. With
   * `owner` (fencing), not while its owner entry names another node: false then, and nothing written.
   */
  save(chatId: string, record: ChatRecord, owner?: string): Promise<boolean>;
  /** The chat's record; `undefined` for a chat unknown, ended, or lapsed. */
  record(chatId: string): Promise<ChatRecord | undefined>;
  /**
   * Makes node `to` the owner of a chat node `from` owned (it died): true when it did, false when the chat has
   * another owner by now (another node took it first) or none (it ended).
   */
  takeOver(chatId: string, from: string, to: string): Promise<boolean>;
  /** The node that owns the chat; `undefined` for a chat unknown, ended, or lapsed. */
  ownerOf(chatId: string): Promise<string | undefined>;
  /** The chat a start id names; `undefined` when none does (any more). */
  byStartId(startId: string): Promise<StartEntry | undefined>;
  /** The chat ended: it has no owner any more, and its start id names nothing. */
  remove(chatId: string, startId?: string): Promise<void>;
  /**
   * The chats node `owner` owns, as far as the directory knows (one that ended or lapsed meanwhile may be among
   * them: `takeOver` then says false); at most `limit`.
   */
  ownedBy(owner: string, limit: number): Promise<string[]>;
  /** Forgets that `owner` owns `chatId` (it ended or lapsed while its owner was dead). */
  disown(owner: string, chatId: string): Promise<void>;
  /**
   * Writes the owner's entries of a chat back (a restarted Redis lost them): its owner, its record (none for a chat
   * that ended while its visitor was away) and its start id. In memory there is nothing to lose: nothing happens.
   */
  restore(chatId: string, owner: string, record: ChatRecord | undefined, startId: string | undefined): Promise<void>;
}

/** The one-node directory: what this process started, until it ends. */
export class MemoryChatDirectory implements ChatDirectory {
  readonly #owners = new Map<string, string>();
  readonly #starts = new Map<string, string>();
  readonly #records = new Map<string, ChatRecord>();

  /** Chats known. */
  get size(): number {
    return this.#owners.size;
  }

  add(chatId: string, owner: string, record: ChatRecord): Promise<void> {
    this.#owners.set(chatId, owner);
    this.#records.set(chatId, record);
    if (record.startId !== undefined) this.#starts.set(record.startId, chatId);
    return Promise.resolve();
  }

  save(chatId: string, record: ChatRecord, owner?: string): Promise<boolean> {
    const known = this.#owners.get(chatId);
    if (owner !== undefined && known !== undefined && known !== owner) return Promise.resolve(false);
    if (known !== undefined) this.#records.set(chatId, record);
    return Promise.resolve(true);
  }

  record(chatId: string): Promise<ChatRecord | undefined> {
    return Promise.resolve(this.#records.get(chatId));
  }

  takeOver(chatId: string, from: string, to: string): Promise<boolean> {
    if (this.#owners.get(chatId) !== from) return Promise.resolve(false);
    this.#owners.set(chatId, to);
    return Promise.resolve(true);
  }

  ownerOf(chatId: string): Promise<string | undefined> {
    return Promise.resolve(this.#owners.get(chatId));
  }

  byStartId(startId: string): Promise<StartEntry | undefined> {
    const chatId = this.#starts.get(startId);
    const owner = chatId === undefined ? undefined : this.#owners.get(chatId);
    return Promise.resolve(chatId === undefined || owner === undefined ? undefined : { chatId, owner });
  }

  restore(): Promise<void> {
    return Promise.resolve();
  }

  ownedBy(owner: string, limit: number): Promise<string[]> {
    const owned: string[] = [];
    for (const [chatId, of] of this.#owners) {
      if (owned.length >= limit) break;
      if (of === owner) owned.push(chatId);
    }
    return Promise.resolve(owned);
  }

  disown(owner: string, chatId: string): Promise<void> {
    if (this.#owners.get(chatId) === owner) this.#owners.delete(chatId);
    return Promise.resolve();
  }

  remove(chatId: string, startId?: string): Promise<void> {
    this.#owners.delete(chatId);
    this.#records.delete(chatId);
    if (startId !== undefined && this.#starts.get(startId) === chatId) this.#starts.delete(startId);
    return Promise.resolve();
  }
}
