/**
 * Who is "one client" for the webcode limit, without keeping an IP address: the address is reduced (IPv6 to its
 * /64, which one subscriber usually holds whole), then replaced at once by HMAC-SHA256 under a random key that
 * lives only in memory and is replaced every day. The raw address is never stored or logged.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

const DAY_MS = 24 * 3600_000;

/**
 * The client's address: the socket's peer, or with `trustProxy` the last entry of `X-Forwarded-For` (the one
 * the operator's own proxy appended; earlier entries come from the client and prove nothing).
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = request.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header[header.length - 1] : header;
    const last = value?.split(',').map((item) => item.trim()).filter((item) => item !== '').pop();
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
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':');
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

export class ClientKeyer {
  readonly #now: () => number;
  readonly #periodMs: number;
  readonly #keepPreviousMs: number;
  readonly #onRotate: () => void;
  #key: Buffer;
  #since: number;
  /** Keys replaced less than `keepPreviousMs` ago, newest first: counts made under them are still live. */
  #previous: { key: Buffer; until: number }[] = [];

  /**
   * `onRotate` runs when the key changes. `keepPreviousMs`: how long a replaced key is still handed out by
   * `keysOf` (at least the longest window counted under it, so that a rotation forgets no live limit).
   */
  constructor(options: { now: () => number; onRotate: () => void; periodMs?: number; keepPreviousMs?: number }) {
    this.#now = options.now;
    this.#periodMs = options.periodMs ?? DAY_MS;
    this.#keepPreviousMs = options.keepPreviousMs ?? 0;
    this.#onRotate = options.onRotate;
    this.#key = randomBytes(32);
    this.#since = this.#now();
  }

  /** The pseudonymous key of an address under today's key. */
  keyOf(address: string): string {
    this.#rotate();
    return hmacOf(this.#key, address);
  }

  /** The address's key now, then under each replaced key still kept (newest first). */
  keysOf(address: string): string[] {
    this.#rotate();
    const now = this.#now();
    this.#previous = this.#previous.filter((previous) => previous.until > now);
    return [hmacOf(this.#key, address), ...this.#previous.map((previous) => hmacOf(previous.key, address))];
  }

  #rotate(): void {
    const now = this.#now();
    if (now - this.#since < this.#periodMs) return;
    if (this.#keepPreviousMs > 0) this.#previous.unshift({ key: this.#key, until: now + this.#keepPreviousMs });
    this.#key = randomBytes(32);
    this.#since = now;
    this.#onRotate();
  }
}

function hmacOf(key: Buffer, address: string): string {
  return createHmac('sha256', key).update(addressScope(address)).digest('base64url');
}
