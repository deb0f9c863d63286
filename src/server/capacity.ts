/**
 * How many WebSockets the server holds: all of them (upgrades in progress included), and visitor sockets per
 * client. A client is its pseudonymous key (`cobrowse/client-key.ts`): the address is hashed at once under a
 * key that lives in memory only; the raw address is neither stored nor logged.
 */
import { MAX_CONNECTIONS_PER_CLIENT } from '../protocol/limits.js';
import { ClientKeyer } from './cobrowse/client-key.js';

export interface CapacityOptions {
  maxConnections: number;
  maxPerClient?: number;
  now?: () => number;
}

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

export class Capacity {
  readonly #max: number;
  readonly #maxPerClient: number;
  // Counts are kept under the key a socket was admitted with, so a key rotation cannot unbalance them.
  readonly #keyer: ClientKeyer;
  readonly #perClient = new Map<string, number>();
  #total = 0;

  constructor(options: CapacityOptions) {
    this.#max = options.maxConnections;
    this.#maxPerClient = options.maxPerClient ?? MAX_CONNECTIONS_PER_CLIENT;
    this.#keyer = new ClientKeyer({ now: options.now ?? Date.now, onRotate: () => {} });
  }

  /** Connections held now (open sockets and upgrades in progress). */
  get total(): number {
    return this.#total;
  }

  /**
   * Takes a slot, counted per client when `address` is given (visitors; advisors are authenticated and count
   * towards the total only). `undefined` when the server or that client is at its limit.
   */
  admit(address: string | undefined): Release | undefined {
    if (this.#total >= this.#max) return undefined;
    const key = address === undefined ? undefined : this.#keyer.keyOf(address);
    const held = key === undefined ? 0 : (this.#perClient.get(key) ?? 0);
    if (key !== undefined && held >= this.#maxPerClient) return undefined;
    this.#total += 1;
    if (key !== undefined) this.#perClient.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      if (key === undefined) return;
      const left = (this.#perClient.get(key) ?? 1) - 1;
      if (left > 0) this.#perClient.set(key, left);
      else this.#perClient.delete(key);
    };
  }
}
