/**
 * The co-browse sessions of a service of several nodes (`cluster/cobrowse-takeover.ts`): each session's owner (the
 * node that holds it; at first the node its id names) and its record, what another node needs to take it over when
 * the owner died. Nothing of the page: the page travels peer to peer and never through the server.
 *
 * With Redis (`state/redis/cobrowse-sessions.ts`): `<prefix>cobrowse:<id>:owner` and `<prefix>cobrowse:<id>:record`,
 * in memory only, with a time to live that the owner refreshes while the session is open, deleted at its end. One
 * node alone keeps no records (its sessions end with it).
 *
 * Fenced: a save and the removal at a session's end are done only for the node the owner entry names (a node that
 * was paused or cut off past its lease, while another took the session over, is refused: `CobrowseHub` then forgets
 * the session without ending it).
 */

/** What another node needs of a session to take it over: written by the owner at each change of state or link. */
export interface CobrowseRecord {
  readonly advisorId: string;
  readonly advisorName: string;
  readonly chatId?: string | undefined;
  readonly state: 'offered' | 'joined' | 'consented' | 'live';
  readonly createdAt: number;
  /** Live by then, or over (the webcode's time to live). */
  readonly deadline: number;
  /** From `live` on: the visitor's secret to come back with, when it went live, and its link (`cobrowse.started`). */
  readonly resumeToken?: string | undefined;
  readonly startedAt?: number | undefined;
  readonly link: number;
}

export interface CobrowseSessionStore {
  /** How often the owner refreshes its sessions' keys (a third of their time to live). */
  readonly refreshMs: number;
  /**
   * A changed session's record as it is now, saved while its owner entry names node `owner`; with `create`, a new
   * session, whose owner entry is made `owner`'s when there is none. False (nothing written) when the entry names
   * another node, or is gone and not to be made (the session was taken over, or ended there).
   */
  save(sessionId: string, owner: string, record: CobrowseRecord, create?: boolean): Promise<boolean>;
  /** The sessions' keys live on (the owner, while they are open). */
  refresh(sessionIds: readonly string[]): Promise<void>;
  record(sessionId: string): Promise<CobrowseRecord | undefined>;
  ownerOf(sessionId: string): Promise<string | undefined>;
  /** Makes node `to` the owner of a session node `from` owned (it died): true when it did, false otherwise. */
  takeOver(sessionId: string, from: string, to: string): Promise<boolean>;
  /**
   * The session ended: its keys are deleted. With `owner`, only while its owner entry names that node (false, and
   * nothing deleted, otherwise: another node holds the session, or ended it).
   */
  remove(sessionId: string, owner?: string): Promise<boolean>;
  /** The sessions node `owner` owns, as far as the store knows (for the sweep of a dead node's); at most `limit`. */
  ownedBy(owner: string, limit: number): Promise<string[]>;
  /** Forgets that `owner` owns the session (it ended or lapsed while its owner was dead). */
  disown(owner: string, sessionId: string): Promise<void>;
  /**
   * A shared store: while `window` is `restoring` (a restarted Redis, whose owner entries the nodes write back), a
   * save or removal of a session without an owner entry is taken; outside it, refused.
   */
  fenceOutside?(window: { readonly restoring: boolean }): void;
}

/** In memory, for tests of several nodes in one process without Redis. */
export class MemoryCobrowseSessionStore implements CobrowseSessionStore {
  readonly #owners = new Map<string, string>();
  readonly #records = new Map<string, CobrowseRecord>();
  readonly refreshMs = 60_000;

  get size(): number {
    return this.#records.size;
  }

  save(sessionId: string, owner: string, record: CobrowseRecord, create = false): Promise<boolean> {
    const known = this.#owners.get(sessionId);
    if (known !== owner && (known !== undefined || !create)) return Promise.resolve(false);
    this.#owners.set(sessionId, owner);
    this.#records.set(sessionId, record);
    return Promise.resolve(true);
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }

  record(sessionId: string): Promise<CobrowseRecord | undefined> {
    return Promise.resolve(this.#records.get(sessionId));
  }

  ownerOf(sessionId: string): Promise<string | undefined> {
    return Promise.resolve(this.#owners.get(sessionId));
  }

  takeOver(sessionId: string, from: string, to: string): Promise<boolean> {
    if (this.#owners.get(sessionId) !== from) return Promise.resolve(false);
    this.#owners.set(sessionId, to);
    return Promise.resolve(true);
  }

  remove(sessionId: string, owner?: string): Promise<boolean> {
    if (owner !== undefined && this.#owners.get(sessionId) !== owner) return Promise.resolve(false);
    this.#owners.delete(sessionId);
    this.#records.delete(sessionId);
    return Promise.resolve(true);
  }

  ownedBy(owner: string, limit: number): Promise<string[]> {
    return Promise.resolve(
      [...this.#owners]
        .filter(([, of]) => of === owner)
        .map(([id]) => id)
        .slice(0, limit),
    );
  }

  disown(owner: string, sessionId: string): Promise<void> {
    if (this.#owners.get(sessionId) === owner) this.#owners.delete(sessionId);
    return Promise.resolve();
  }
}
