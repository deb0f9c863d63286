/**
 * Single-use rating tickets. At a chat's end the visitor is handed a random ticket; the ticket names only the day
 * and the chat's topic (never the chat, its visitor or advisor), and can be used once within its time. The stored
 * rating is then a count per (day, topic, score) that nothing can tie back to a chat: the server keeps no link
 * between the ticket and the chat it was handed to, neither here nor in a log line.
 *
 * The tickets live in a `CodeStore` (`state/code-store.ts`): in memory on one node, in Redis with `redis.url`, so a
 * ticket handed out by one node is redeemed on another, once (`GETDEL`).
 */
import { nanoid } from 'nanoid';
import type { CodeStore } from '../state/code-store.js';

/** What a ticket names: the day (`YYYY-MM-DD` in the opening hours' time zone) and the topic, if any. */
export interface RatingSlot {
  readonly day: string;
  readonly topic: string | undefined;
}

export interface RatingTicketsOptions {
  /** How long a ticket can be used. */
  ttlMs: number;
  /** The time zone whose calendar day a rating counts on. */
  timeZone: string;
  now?: () => number;
  /** Drops lapsed tickets from a store that keeps them until looked at (`MemoryCodeStore.sweep`), now and then. */
  sweep?: () => void;
  /** Whether a rating could be counted now (a store is open); without one no ticket is handed out. */
  storable?: () => boolean;
}

/** How many tickets are issued between two sweeps of an in-memory store. */
const SWEEP_EVERY = 100;

/** A ticket's form: what `chat.rating` carries and what `/rating` accepts. */
export const TICKET_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** The longest topic kept with a rating: a topic is configuration (a short key), not free text. */
export const MAX_TOPIC_LENGTH = 64;

/** `YYYY-MM-DD` of `at` in `timeZone`. */
export function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export class RatingTickets {
  readonly #store: CodeStore;
  readonly #options: RatingTicketsOptions;
  readonly #now: () => number;
  #issued = 0;

  constructor(store: CodeStore, options: RatingTicketsOptions) {
    this.#store = store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A new ticket for a rating of today under `topic`; `undefined` when the store refused (the chat ends all the same). */
  async issue(topic: string | undefined): Promise<string | undefined> {
    if (this.#options.storable?.() === false) return undefined;
    if (++this.#issued % SWEEP_EVERY === 0) this.#options.sweep?.();
    const slot = { d: dayIn(this.#options.timeZone, this.#now()), t: topic?.slice(0, MAX_TOPIC_LENGTH) ?? null };
    for (let attempt = 0; attempt < 3; attempt++) {
      const ticket = nanoid(32);
      if (await this.#store.put(ticket, JSON.stringify(slot), this.#options.ttlMs)) return ticket;
    }
    return undefined;
  }

  /** What the ticket names, once; `undefined` for an unknown, used or lapsed ticket. */
  async redeem(ticket: string): Promise<RatingSlot | undefined> {
    if (!TICKET_PATTERN.test(ticket)) return undefined;
    const value = await this.#store.take(ticket);
    if (value === undefined) return undefined;
    try {
      const parsed = JSON.parse(value) as { d?: unknown; t?: unknown };
      if (typeof parsed.d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(parsed.d)) return undefined;
      return { day: parsed.d, topic: typeof parsed.t === 'string' ? parsed.t : undefined };
    } catch {
      return undefined;
    }
  }
}
