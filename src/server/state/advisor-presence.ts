/**
 * What each advisor chose to show (available or away) and whether any advisor is available: the advisor state that
 * every node needs (the wait estimate a visitor is told depends on it), while the advisors' sockets stay on the node
 * that holds them (`chat/advisors.ts`). An advisor has a record while it has a console that said hello; kept behind
 * `AdvisorPresence` so that a shared store can hold it for several nodes; each operation maps onto one Redis
 * primitive (`set` and `remove` one `MULTI` of two):
 *
 * - `set(id, presence, name)`: `HSET presence <id> <presence>:<name>` + `SADD`/`SREM available <id>`;
 * - `get(id)`: `HGET presence <id>`;
 * - `remove(id)`: `HDEL presence <id>` + `SREM available <id>`;
 * - `anyAvailable()`: `SCARD available` > 0.
 *
 * `MemoryAdvisorPresence` is the one-process version.
 */

export type Presence = 'available' | 'away';

export interface PresenceRecord {
  readonly presence: Presence;
  /** The advisor's display name, from its token. */
  readonly name: string;
}

export interface AdvisorPresence {
  /** The advisor's choice and name (a new record, or a changed one); `available` counts it among the available. */
  set(id: string, presence: Presence, name: string): void;
  /** The advisor's record; `undefined` while it has no console that said hello. */
  get(id: string): PresenceRecord | undefined;
  /** The advisor's last console went: its record and its place among the available go. Nothing when it had none. */
  remove(id: string): void;
  /** Whether any advisor with a record chose `available` (opening hours are each node's own concern). */
  anyAvailable(): boolean;
}

export class MemoryAdvisorPresence implements AdvisorPresence {
  readonly #records = new Map<string, PresenceRecord>();
  readonly #available = new Set<string>();

  /** Advisors with a record. */
  get size(): number {
    return this.#records.size;
  }

  set(id: string, presence: Presence, name: string): void {
    this.#records.set(id, { presence, name });
    if (presence === 'available') this.#available.add(id);
    else this.#available.delete(id);
  }

  get(id: string): PresenceRecord | undefined {
    return this.#records.get(id);
  }

  remove(id: string): void {
    this.#records.delete(id);
    this.#available.delete(id);
  }

  anyAvailable(): boolean {
    return this.#available.size > 0;
  }
}
