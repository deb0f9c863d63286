/**
 * Who is "one client" for the limits (sockets per client, waiting chats per client, webcode attempts), without
 * keeping an IP address: the address is reduced (IPv6 to its /64, which one subscriber usually holds whole), then
 * replaced at once by HMAC-SHA256 under a random key that lives only in memory and is replaced every day. The
 * gateway keys each upgrade once (`hold`) and hands the key down to capacity, the chat's waiting-clients count and
 * co-browsing. The raw address is never stored or logged.
 *
 * Several nodes must count one client under one key, or a client would gain a limit per node. With `shared` (Redis,
 * `state/redis/client-keys.ts`) the day's key is drawn once for the whole service: periods are aligned to the clock
 * (`floor(now / periodMs)`), the first node to ask for a period's key makes it (random, `SET NX`, in Redis's memory
 * only, with a time to live of its period plus `keepPreviousMs`), and every node fetches the next period's key ahead
 * of time. Should the fetch fail, the node draws its own key for that period and says so in the log: its limits are
 * its own until the next period.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

const DAY_MS = 24 * 3600_000;
/** How soon a failed fetch of the next period's shared key is tried again (sooner when the period starts sooner). */
const RETRY_MS = 5000;

/**
 * The client's address: the socket's peer, or with `trustProxy` the last entry of `X-Forwarded-For` (the one
 * the operator's own proxy appended; earlier entries come from the client and prove nothing).
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = request.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header[header.length - 1] : header;
    const last = value
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .pop();
    if (last !== undefined) return last;
  }
  return request.socket.remoteAddress ?? '';
}

/** The first four groups of an IPv6 address, expanded; `undefined` when it is not one. */
function ipv6Prefix64(address: string): string | undefined {
  if (!isIPv6(address)) return undefined;
  const [head = '', tail] = address.split('::');
  const groupsOf = (part: string): string[] =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':');
}

/** What one client is: an IPv4 address as is (also when IPv4-mapped), an IPv6 address by its /64. */
export function addressScope(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1] as string;
  const prefix = ipv6Prefix64(address.replace(/%.*$/, ''));
  return prefix === undefined ? address : `${prefix}::/64`;
}

/** How long one key is current. */
export const CLIENT_KEY_PERIOD_MS = DAY_MS;

/** A client as the limits count it: never its address, only keyed hashes of it. */
export interface ClientKey {
  /** Under today's key: what new counts go under. */
  readonly key: string;
  /** `key`, then the client's keys under replaced keys still kept (newest first): a count sums over all of them. */
  readonly keys: readonly string[];
}

/** A `ClientKey` that keeps its day's key alive until released (the socket it was taken for is gone). */
export interface HeldClientKey extends ClientKey {
  /** Gives the hold back; calling it again does nothing. */
  release(): void;
}

/** Where the nodes of one service get the same key for the same period. */
export interface SharedClientKeys {
  /** The key of period `index`: made by the first caller, the same for every later one, kept for `ttlMs`. */
  keyOf(index: number, ttlMs: number): Promise<Buffer>;
}

interface Generation {
  readonly key: Buffer;
  /** When it was replaced plus `keepPreviousMs` (the current one: never). */
  until: number;
  /** Sockets keyed under it that are still open: their counts are live, so it is kept while any is. */
  holders: number;
}

/**
 * Today's key and the replaced keys still needed. A replaced key is kept for `keepPreviousMs` (at least the
 * longest window counted under it: a webcode lockout) and for as long as a socket keyed under it is open, so that
 * a rotation forgets no live count: a client holding sockets (or waiting chats) from before it is counted with them
 * after it. Then the key is dropped, and with it any way to link its hashes to an address.
 */
export class ClientKeyer {
  readonly #now: () => number;
  readonly #periodMs: number;
  readonly #keepPreviousMs: number;
  #current: Generation;
  #since: number;
  /** Replaced generations still kept, newest first. */
  #previous: Generation[] = [];

  readonly #shared: SharedClientKeys | undefined;
  readonly #onFallback: (error: unknown) => void;
  /** The shared keys fetched ahead of their period, by period index. */
  readonly #fetched = new Map<number, Buffer>();
  /** The period of `#current` when the keys are shared. */
  #index: number;
  #prefetch: NodeJS.Timeout | undefined;
  #prefetching: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    options: {
      now?: () => number;
      periodMs?: number;
      keepPreviousMs?: number;
      /** The service's keys (several nodes); without, this node draws its own. */
      shared?: SharedClientKeys;
      /** A shared key could not be fetched: this node uses its own for that period. */
      onFallback?: (error: unknown) => void;
    } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#periodMs = options.periodMs ?? DAY_MS;
    this.#keepPreviousMs = options.keepPreviousMs ?? 0;
    this.#shared = options.shared;
    this.#onFallback = options.onFallback ?? (() => undefined);
    this.#current = { key: randomBytes(32), until: Number.POSITIVE_INFINITY, holders: 0 };
    this.#since = this.#now();
    this.#index = Math.floor(this.#since / this.#periodMs);
  }

  /**
   * With shared keys: fetches this period's key and the next one's (before the first upgrade is keyed), and from
   * then on each next one a while before its period starts. Without: nothing to do.
   */
  async ready(): Promise<void> {
    if (this.#shared === undefined) return;
    const index = Math.floor(this.#now() / this.#periodMs);
    try {
      this.#current = { key: await this.#fetch(index), until: Number.POSITIVE_INFINITY, holders: 0 };
      this.#index = index;
    } catch (error) {
      this.#onFallback(error);
    }
    this.#fetchNext();
  }

  /** The shared key of a period, kept long enough for the period and the replaced key's time after it. */
  #fetch(index: number): Promise<Buffer> {
    return (this.#shared as SharedClientKeys).keyOf(index, this.#periodMs * 2 + this.#keepPreviousMs);
  }

  /**
   * Fetches the next period's key now (again every few seconds until it has it), and again a tenth of a period
   * before the one after starts.
   */
  #fetchNext(): void {
    if (this.#shared === undefined || this.#closed) return;
    const next = Math.floor(this.#now() / this.#periodMs) + 1;
    clearTimeout(this.#prefetch);
    const startsIn = next * this.#periodMs - this.#now();
    const later = (ms: number): void => {
      clearTimeout(this.#prefetch);
      if (this.#closed) return;
      this.#prefetch = setTimeout(() => this.#fetchNext(), ms);
      this.#prefetch.unref();
    };
    if (this.#fetched.has(next)) {
      later(Math.max(1000, startsIn + this.#periodMs * 0.9));
      return;
    }
    this.#prefetching = this.#fetch(next).then(
      (key) => {
        this.#fetched.set(next, key);
        later(Math.max(1000, startsIn + this.#periodMs * 0.9));
      },
      (error: unknown) => {
        this.#onFallback(error);
        later(Math.min(RETRY_MS, Math.max(100, startsIn / 2)));
      },
    );
  }

  /** Settles when the next period's key fetched ahead has arrived (or failed): for tests. */
  prefetched(): Promise<void> {
    return this.#prefetching;
  }

  /** Stops fetching keys ahead (the server closes). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#prefetch);
    this.#prefetch = undefined;
  }

  /** The pseudonymous key of an address under today's key. */
  keyOf(address: string): string {
    this.#rotate();
    return hmacOf(this.#current.key, address);
  }

  /** The address's key now, then under each replaced key still kept (newest first). */
  keysOf(address: string): string[] {
    this.#rotate();
    return [this.#current, ...this.#previous].map((generation) => hmacOf(generation.key, address));
  }

  /**
   * Keys an address once (an upgrade, a request), and keeps today's key until `release()`: counts taken under
   * `key` then stay countable after a rotation.
   */
  hold(address: string): HeldClientKey {
    const keys = this.keysOf(address);
    const generation = this.#current;
    generation.holders += 1;
    let released = false;
    return {
      key: keys[0] ?? '',
      keys,
      release: () => {
        if (released) return;
        released = true;
        generation.holders -= 1;
      },
    };
  }

  /** How many keys are kept now, today's included (tests: a key is dropped once nothing needs it). */
  get keptKeys(): number {
    this.#rotate();
    return 1 + this.#previous.length;
  }

  #rotate(): void {
    const now = this.#now();
    if (this.#shared !== undefined) {
      const index = Math.floor(now / this.#periodMs);
      if (index !== this.#index) {
        const key = this.#fetched.get(index);
        if (key === undefined) this.#onFallback(new Error('the shared client key of this period was not fetched'));
        this.#replace(now, key ?? randomBytes(32));
        this.#index = index;
        for (const fetched of this.#fetched.keys()) if (fetched <= index) this.#fetched.delete(fetched);
        this.#fetchNext();
      }
    } else if (now - this.#since >= this.#periodMs) {
      this.#replace(now, randomBytes(32));
    }
    this.#previous = this.#previous.filter((generation) => generation.until > now || generation.holders > 0);
  }

  #replace(now: number, key: Buffer): void {
    this.#current.until = now + this.#keepPreviousMs;
    this.#previous.unshift(this.#current);
    this.#current = { key, until: Number.POSITIVE_INFINITY, holders: 0 };
    this.#since = now;
  }
}

function hmacOf(key: Buffer, address: string): string {
  return createHmac('sha256', key).update(addressScope(address)).digest('base64url');
}
