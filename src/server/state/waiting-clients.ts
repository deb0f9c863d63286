/**
 * Which waiting chats each client has: queue state, so that one client (its pseudonymous key, `transport/
 * client-key.ts`: never an address) cannot fill the queue. Kept behind `WaitingClients` so that a shared store
 * (Redis: a set per client key, `SADD`/`SREM`/`SCARD`) can hold it for several nodes; `MemoryWaitingClients` is the
 * one-process version. Each entry is a chat id, so that counting a chat twice or forgetting it twice cannot
 * unbalance a count.
 */

export interface WaitingClients {
  /** How many chats of this client wait now. */
  count(clientKey: string): number;
  /** The chat waits (again): it counts for its client. */
  add(clientKey: string, chatId: string): void;
  /** The chat waits no longer (taken by an advisor, or ended). Nothing happens when it was not counted. */
  remove(clientKey: string, chatId: string): void;
  /** Forgets everything (the server closes). */
  clear(): void;
}

export class MemoryWaitingClients implements WaitingClients {
  readonly #chats = new Map<string, Set<string>>();

  count(clientKey: string): number {
    return this.#chats.get(clientKey)?.size ?? 0;
  }

  add(clientKey: string, chatId: string): void {
    const chats = this.#chats.get(clientKey) ?? new Set<string>();
    chats.add(chatId);
    this.#chats.set(clientKey, chats);
  }

  remove(clientKey: string, chatId: string): void {
    const chats = this.#chats.get(clientKey);
    if (chats === undefined) return;
    chats.delete(chatId);
    if (chats.size === 0) this.#chats.delete(clientKey);
  }

  clear(): void {
    this.#chats.clear();
  }
}
