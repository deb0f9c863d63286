/**
 * The queue as the service's one queue: every waiting chat's queue item (what advisors see of it: card, since,
 * first message, away) in the order of the time it (re-)entered the queue, and each client's waiting chats (under
 * its pseudonymous key, `transport/client-key.ts`: never an address), so that one client cannot fill it. The chats
 * themselves stay with the node that holds them (`chat/registry.ts`); that node writes their items here, and every
 * node reads the queue for its advisors (`chat/queue.ts`).
 *
 * A new chat enters only through `admit`, which checks both limits and adds it in one step: two nodes cannot both
 * admit a chat past a limit. A chat back from its advisor (`put`) counts again for its client, even beyond the
 * client's limit. Each entry lapses `ttlMs` after its node last touched it (`touch`, from a heartbeat of the node
 * that holds it): the chats of a node that died leave the queue on their own.
 *
 * Redis (`state/redis/queue-store.ts`): one Lua script per operation over a sorted set by since (a counter folded
 * into the score keeps entries of one millisecond in the order added), a sorted set of deadlines, a hash of items,
 * a hash of client keys, a hash of counts per client key, and the service's pace for the wait estimate (`QueuePace`).
 * `MemoryQueueStore` is the one-process version.
 */
import type { QueueItem } from '../../protocol/messages.js';

export interface QueueEntry {
  readonly item: QueueItem;
  /** The pseudonymous key the chat counts under for its client. */
  readonly clientKey: string;
  /**
   * Where the chat stands: before every entry of a later rank; `item.since` when absent. A chat an advisor handed
   * back to the queue (`chat.transfer` to a topic) has rank 0: at the front, behind those handed back before it.
   */
  readonly rank?: number | undefined;
}

export interface AdmissionLimits {
  /** The queue admits a chat while fewer than this wait. */
  readonly maxWaiting: number;
  /** … and while the client has fewer than this waiting, under all of `clientKeys` together. */
  readonly maxPerClient: number;
  /** Every key of the client (after a key rotation its older chats wait under the older key, and still count). */
  readonly clientKeys: readonly string[];
}

/** What `admit` did: the chat waits, or which limit refused it (the client's is checked first). */
export type Admission = 'admitted' | 'per_client' | 'full';

/**
 * How fast the service's advisors take chats off the queue, for the wait estimate (`chat/wait-estimate.ts`): the
 * accepts of the recent window, and the queue's busy clock (how long it was non-empty, in ms, on the store's own
 * clock) at the first and the last of them and now.
 */
export interface QueuePace {
  readonly accepts: number;
  readonly firstBusyMs: number;
  readonly lastBusyMs: number;
  readonly busyNowMs: number;
}

/** Where waiting chats stand: their places (1 for the longest-waiting; `undefined`: not waiting), and how many wait. */
export interface QueuePlaces {
  readonly positions: (number | undefined)[];
  readonly size: number;
  /** The service's pace, from a store several nodes share; absent: each node keeps its own (one node: all there is). */
  readonly pace?: QueuePace;
}

export interface QueueStore {
  /** How often the node that holds waiting chats must `touch` them; `undefined` when entries never lapse. */
  readonly touchEveryMs: number | undefined;
  /** A new chat enters the queue at `item.since`, if both limits allow it; checked and added in one step. */
  admit(entry: QueueEntry, limits: AdmissionLimits): Promise<Admission>;
  /** The chat waits (again) since `item.since`, whatever the limits (back from its advisor). */
  put(entry: QueueEntry): Promise<void>;
  /** The item of a waiting chat changed (its first message, its visitor away or back); nothing when it does not wait. */
  update(item: QueueItem): Promise<void>;
  /**
   * The chat waits no longer (taken, or ended): everything of it goes; resolves with how many wait then. `accepted`:
   * an advisor took it (a store that keeps the pace counts it).
   */
  remove(chatId: string, accepted?: boolean): Promise<number>;
  /** These waiting chats' node is alive: they stay another `ttlMs`. */
  touch(chatIds: readonly string[]): Promise<void>;
  /** The `n` longest-waiting chats' items, longest first. */
  first(n: number): Promise<QueueItem[]>;
  /** The places of these chats, and how many wait. */
  places(chatIds: readonly string[]): Promise<QueuePlaces>;
  /** How many chats wait. */
  size(): Promise<number>;
  /** How many chats of the client (under all these keys) wait. */
  countOf(clientKeys: readonly string[]): Promise<number>;
}

/** A third of the time to live: an entry survives two missed touches. */
export const touchEveryMs = (ttlMs: number): number => Math.max(1, Math.floor(ttlMs / 3));

interface Entry extends QueueEntry {
  readonly rank: number;
  deadline: number;
}

export interface MemoryQueueStoreOptions {
  /** How long an entry lives after its last touch; absent: for ever (one node: its own chats cannot outlive it). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class MemoryQueueStore implements QueueStore {
  /** Longest-waiting first. */
  readonly #entries: Entry[] = [];
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly touchEveryMs: number | undefined;

  constructor(options: MemoryQueueStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? Infinity;
    this.#now = options.now ?? Date.now;
    this.touchEveryMs = options.ttlMs === undefined ? undefined : touchEveryMs(options.ttlMs);
  }

  admit(entry: QueueEntry, limits: AdmissionLimits): Promise<Admission> {
    this.#purge();
    if (this.#countOf(limits.clientKeys) >= limits.maxPerClient) return Promise.resolve('per_client');
    if (this.#entries.length >= limits.maxWaiting) return Promise.resolve('full');
    this.#add(entry);
    return Promise.resolve('admitted');
  }

  put(entry: QueueEntry): Promise<void> {
    this.#add(entry);
    return Promise.resolve();
  }

  update(item: QueueItem): Promise<void> {
    const index = this.#indexOf(item.chatId);
    const entry = this.#entries[index];
    if (entry !== undefined) this.#entries[index] = { ...entry, item: structuredClone(item) };
    return Promise.resolve();
  }

  remove(chatId: string): Promise<number> {
    this.#remove(chatId);
    return this.size();
  }

  touch(chatIds: readonly string[]): Promise<void> {
    const deadline = this.#now() + this.#ttlMs;
    for (const chatId of chatIds) {
      const entry = this.#entries[this.#indexOf(chatId)];
      if (entry !== undefined) entry.deadline = deadline;
    }
    return Promise.resolve();
  }

  first(n: number): Promise<QueueItem[]> {
    this.#purge();
    return Promise.resolve(this.#entries.slice(0, Math.max(0, n)).map((entry) => structuredClone(entry.item)));
  }

  places(chatIds: readonly string[]): Promise<QueuePlaces> {
    this.#purge();
    const positions = chatIds.map((chatId) => {
      const index = this.#indexOf(chatId);
      return index < 0 ? undefined : index + 1;
    });
    return Promise.resolve({ positions, size: this.#entries.length });
  }

  size(): Promise<number> {
    this.#purge();
    return Promise.resolve(this.#entries.length);
  }

  countOf(clientKeys: readonly string[]): Promise<number> {
    this.#purge();
    return Promise.resolve(this.#countOf(clientKeys));
  }

  /** Chats waiting (tests). */
  get length(): number {
    return this.#entries.length;
  }

  #countOf(clientKeys: readonly string[]): number {
    const keys = new Set(clientKeys);
    return this.#entries.filter((entry) => keys.has(entry.clientKey)).length;
  }

  #add({ item, clientKey, rank = item.since }: QueueEntry): void {
    this.#remove(item.chatId);
    const entry: Entry = {
      item: structuredClone(item),
      clientKey,
      rank,
      deadline: this.#now() + this.#ttlMs,
    };
    // Behind every entry that waits as long or longer: the first index whose entry came later.
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#entries[mid]!.rank <= rank) low = mid + 1;
      else high = mid;
    }
    this.#entries.splice(low, 0, entry);
  }

  #remove(chatId: string): void {
    const index = this.#indexOf(chatId);
    if (index >= 0) this.#entries.splice(index, 1);
  }

  /** Drops the entries whose node stopped touching them. */
  #purge(): void {
    if (this.#ttlMs === Infinity) return;
    const now = this.#now();
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i]!.deadline <= now) this.#entries.splice(i, 1);
    }
  }

  #indexOf(chatId: string): number {
    return this.#entries.findIndex((entry) => entry.item.chatId === chatId);
  }
}
