/**
 * How many WebSockets the server holds: all of them (upgrades in progress included), the share only advisors may
 * take, and visitor sockets per client. A client is its pseudonymous key (`transport/client-key.ts`), taken by the
 * caller: the address is hashed at once under a key that lives in memory only; the raw address never gets here.
 */
import { MAX_CONNECTIONS_PER_CLIENT } from '../../protocol/limits.js';
import type { ClientKey } from './client-key.js';

export interface CapacityOptions {
  maxConnections: number;
  /** Of `maxConnections`, this many are for advisors only (0: none). */
  advisorReserved?: number;
  maxPerClient?: number;
}

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

export class Capacity {
  readonly #max: number;
  readonly #visitorMax: number;
  readonly #maxPerClient: number;
  // Counts are kept under the key a socket was admitted with, so a key rotation cannot unbalance them; a client's
  // count is the sum under all its keys still kept, so a rotation cannot reset it either.
  readonly #perClient = new Map<string, number>();
  #total = 0;

  constructor(options: CapacityOptions) {
    this.#max = options.maxConnections;
    this.#visitorMax = Math.max(0, options.maxConnections - (options.advisorReserved ?? 0));
    this.#maxPerClient = options.maxPerClient ?? MAX_CONNECTIONS_PER_CLIENT;
  }

  /** Connections held now (open sockets and upgrades in progress). */
  get total(): number {
    return this.#total;
  }

  /**
   * Takes a slot. An advisor (`'advisor'`: authenticated, and a contact centre shares one address) may use the
   * whole budget and counts towards the total only. Anyone else comes with its client key and stays out of the
   * advisors' reserved share, at most `maxPerClient` per client (counted under all its keys, also those from
   * before a rotation). `undefined` when the server or that client is full.
   */
  admit(who: 'advisor' | { client: ClientKey }): Release | undefined {
    const client = who === 'advisor' ? undefined : who.client;
    const key = client?.key;
    if (this.#total >= (key === undefined ? this.#max : this.#visitorMax)) return undefined;
    const held =
      client === undefined ? 0 : client.keys.reduce((sum, each) => sum + (this.#perClient.get(each) ?? 0), 0);
    if (key !== undefined && held >= this.#maxPerClient) return undefined;
    this.#total += 1;
    if (key !== undefined) this.#perClient.set(key, (this.#perClient.get(key) ?? 0) + 1);
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
