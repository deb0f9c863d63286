/**
 * Which node owns each chat (`cluster/`): the node that started it holds the chat itself and its timers, and a
 * socket of the chat that reached another node is routed there. A chat's `chat.start` idempotency key names it too,
 * so a start repeated after a drop finds its chat on whichever node the new socket reached.
 *
 * With Redis (`state/redis/chat-directory.ts`) each operation is one command on `<prefix>chat:<id>:owner` and
 * `<prefix>start:<startId>`, with a time to live (the owner's is refreshed with each event the chat appends,
 * `state/redis/chat-event-log.ts`), deleted at the end. In memory there is one node: every chat is its own.
 */

/** The chat a start id names, and its owner. */
export interface StartEntry {
  readonly chatId: string;
  readonly owner: string;
}

export interface ChatDirectory {
  /** The chat started on node `owner`; with its start id, when the client sent one. */
  add(chatId: string, owner: string, startId?: string): Promise<void>;
  /** The node that owns the chat; `undefined` for a chat unknown, ended, or lapsed. */
  ownerOf(chatId: string): Promise<string | undefined>;
  /** The chat a start id names; `undefined` when none does (any more). */
  byStartId(startId: string): Promise<StartEntry | undefined>;
  /** The chat ended: it has no owner any more, and its start id names nothing. */
  remove(chatId: string, startId?: string): Promise<void>;
}

/** The one-node directory: what this process started, until it ends. */
export class MemoryChatDirectory implements ChatDirectory {
  readonly #owners = new Map<string, string>();
  readonly #starts = new Map<string, string>();

  /** Chats known. */
  get size(): number {
    return this.#owners.size;
  }

  add(chatId: string, owner: string, startId?: string): Promise<void> {
    this.#owners.set(chatId, owner);
    if (startId !== undefined) this.#starts.set(startId, chatId);
    return Promise.resolve();
  }

  ownerOf(chatId: string): Promise<string | undefined> {
    return Promise.resolve(this.#owners.get(chatId));
  }

  byStartId(startId: string): Promise<StartEntry | undefined> {
    const chatId = this.#starts.get(startId);
    const owner = chatId === undefined ? undefined : this.#owners.get(chatId);
    return Promise.resolve(chatId === undefined || owner === undefined ? undefined : { chatId, owner });
  }

  remove(chatId: string, startId?: string): Promise<void> {
    this.#owners.delete(chatId);
    if (startId !== undefined && this.#starts.get(startId) === chatId) this.#starts.delete(startId);
    return Promise.resolve();
  }
}
