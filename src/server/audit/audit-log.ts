/**
 * The audit log of seed 002: logins, failed logins, co-browse and member chat start and end, and each user's last
 * transaction; who, when, what kind, and a pseudonymised address. Writes are queued in order and never block a
 * socket; a failed write is logged (without its content) and the next one goes on. The raw address reaches this
 * module only inside `ipHashOf`/`ipHashOfAddress` and leaves it as a keyed hash under a key that lives in memory
 * and rotates daily.
 */
import type { IncomingMessage } from 'node:http';
import { ClientKeyer, clientAddress } from '../transport/client-key.js';
import { LimitStoreFullError, MemoryLimitStore } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import type { Logger } from '../log.js';
import { startTimer } from '../timers.js';
import type { Db } from '../store/sql.js';
import { TRANSACTION_KINDS, insertEntry, upsertLastTransaction } from './records.js';
import type { AuditDetail, AuditKind } from './records.js';

const IDENTIFIER = /^[A-Za-z0-9_.:@-]{1,200}$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MAX_DETAIL_KEYS = 12;
const MAX_DETAIL_STRING = 128;

/** Actors that are not an identifier are not stored as typed. */
export const UNKNOWN_ACTOR = 'unknown';
/** The actor of a refused token: whatever it claimed is not recorded, only the client's keyed hash. */
export const UNVERIFIED_ACTOR = 'unverified';
/** Default of `audit.failedLoginWindowSeconds`. */
export const FAILED_LOGIN_WINDOW_MS = 300_000;

export interface AuditLogOptions {
  /** `null`: nothing is stored (a server embedded without storage); records are dropped. */
  db: Db | null;
  log: Logger;
  trustProxy: boolean;
  now?: () => number;
  /** Where failed logins are counted per client and window (Redis when several nodes run); in memory by default. */
  limitStore?: LimitStore;
  /** Failed logins of one client within this window are one row (plus the first, at once). */
  failedLoginWindowMs?: number;
}

export interface RecordOptions {
  ipHash?: string | null;
  detail?: AuditDetail;
}

/** Keeps only what fits an audit detail: a few flat values, short strings, no nesting. */
function cleanDetail(detail: AuditDetail): AuditDetail {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(detail).slice(0, MAX_DETAIL_KEYS)) {
    if (!DETAIL_KEY.test(key)) continue;
    if (typeof value === 'string') out[key] = value.slice(0, MAX_DETAIL_STRING);
    else if (typeof value === 'number' ? Number.isFinite(value) : true) out[key] = value;
  }
  return out;
}

export class AuditLog {
  #db: Db | null;
  readonly #log: Logger;
  readonly #trustProxy: boolean;
  readonly #now: () => number;
  readonly #keyer: ClientKeyer;
  readonly #limits: LimitStore;
  readonly #failedWindowMs: number;
  /** The windows this node writes the summary of, by their limit key, and when (timer). */
  readonly #windows = new Map<string, { timer: NodeJS.Timeout; write: () => void }>();
  /** Failed logins that could not be counted per client (the limit store was full), this window: one row. */
  #overflow = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: AuditLogOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#trustProxy = options.trustProxy;
    this.#now = options.now ?? Date.now;
    // Its own key, not the gateway's client key: this hash is stored (for `audit.retentionDays`) and exported to
    // admins, and names advisors too. Sharing the limits' key would let an export be joined to the limit state and
    // keep the stored hash linkable to an address for as long as a replaced limit key is still held.
    this.#keyer = new ClientKeyer({ now: this.#now });
    this.#limits = options.limitStore ?? new MemoryLimitStore({ now: this.#now });
    this.#failedWindowMs = options.failedLoginWindowMs ?? FAILED_LOGIN_WINDOW_MS;
  }

  get db(): Db | null {
    return this.#db;
  }

  /** The store, once open (the server opens it in `listen()`); records before that are dropped. */
  useStore(db: Db | null): void {
    this.#db = db;
  }

  /** The pseudonymised address of a request's client (today's key). The raw address is not kept. */
  ipHashOf(request: IncomingMessage): string {
    return this.ipHashOfAddress(clientAddress(request, this.#trustProxy));
  }

  /** The same for an address already taken from its request (the hub gets a visitor's at connect). */
  ipHashOfAddress(address: string): string {
    return this.#keyer.keyOf(address);
  }

  /** Queues one record (and, for a user's transaction, the upsert of their last transaction). */
  record(kind: AuditKind, actor: string, options: RecordOptions = {}): void {
    const db = this.#db;
    if (db === null || this.#closed) return;
    const entry = {
      at: new Date(this.#now()),
      kind,
      actor: IDENTIFIER.test(actor) ? actor : UNKNOWN_ACTOR,
      ipHash: options.ipHash ?? null,
      detail: cleanDetail(options.detail ?? {}),
    };
    this.#queue = this.#queue.then(() =>
      db
        .transaction(async (tx) => {
          await insertEntry(tx, entry);
          if (TRANSACTION_KINDS.has(kind) && entry.actor !== UNKNOWN_ACTOR) await upsertLastTransaction(tx, entry);
        })
        .catch(() => this.#log.error('audit.write_failed')),
    );
  }

  advisorLogin(advisorId: string, ipHash: string): void {
    this.record('advisor.login', advisorId, { ipHash });
  }

  /**
   * A refused advisor token. Nothing it claims is recorded: the actor is `unverified`, with the client's keyed
   * hash. Per client and window (`failedLoginWindowMs`, fixed windows) the first failure is written at once
   * (`count: 1`), the further ones as one row at the window's end with their `count`: a flood adds two rows per
   * client and window. The counts live in the limit store; the node that counted the first writes the summary.
   */
  loginFailed(ipHash: string, via: 'ws' | 'admin'): void {
    if (this.#db === null || this.#closed) return;
    const windowMs = this.#failedWindowMs;
    const windowEnd = (Math.floor(this.#now() / windowMs) + 1) * windowMs;
    const key = `audit:login_failed:${via}:${ipHash}:${windowEnd}`;
    this.#enqueue(async () => {
      let count: number;
      try {
        count = await this.#limits.increment(key, 1, 2 * windowMs);
      } catch (error) {
        if (!(error instanceof LimitStoreFullError)) throw error;
        this.#countOverflow(via, windowEnd);
        return;
      }
      if (count !== 1) return;
      await this.#write(this.#failedEntry(ipHash, { via, verified: false, count: 1 }));
      this.#later(key, windowEnd, async () => {
        const total = await this.#limits.get(key);
        if (total > 1)
          await this.#write(
            this.#failedEntry(ipHash, { via, verified: false, count: total - 1, windowSeconds: windowMs / 1000 }),
          );
      });
    });
  }

  #failedEntry(ipHash: string | null, detail: AuditDetail) {
    return {
      at: new Date(this.#now()),
      kind: 'advisor.login_failed' as const,
      actor: UNVERIFIED_ACTOR,
      ipHash,
      detail,
    };
  }

  /** The limit store is full: counted here, one row without a client for all of them at the window's end. */
  #countOverflow(via: 'ws' | 'admin', windowEnd: number): void {
    this.#overflow += 1;
    this.#log.warn('limits.store_full');
    this.#later('audit:login_failed:overflow', windowEnd, async () => {
      const count = this.#overflow;
      this.#overflow = 0;
      if (count > 0) await this.#write(this.#failedEntry(null, { via, verified: false, count }));
    });
  }

  /** Runs `write` (queued) at `at`, or at `close()`; once per key. */
  #later(key: string, at: number, write: () => Promise<void>): void {
    if (this.#windows.has(key)) return;
    const run = (): void => {
      const window = this.#windows.get(key);
      if (window === undefined) return;
      clearTimeout(window.timer);
      this.#windows.delete(key);
      this.#enqueue(write);
    };
    this.#windows.set(key, { timer: startTimer(at - this.#now(), run), write: run });
  }

  /** Queues a step that may write; a failure is logged and the next goes on. */
  #enqueue(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch(() => this.#log.error('audit.write_failed'));
  }

  async #write(entry: {
    at: Date;
    kind: AuditKind;
    actor: string;
    ipHash: string | null;
    detail: AuditDetail;
  }): Promise<void> {
    const db = this.#db;
    if (db !== null) await insertEntry(db, { ...entry, detail: cleanDetail(entry.detail) });
  }

  cobrowseStarted(advisorId: string, sessionId: string): void {
    this.record('cobrowse.start', advisorId, { detail: { sessionId } });
  }

  cobrowseEnded(
    advisorId: string,
    sessionId: string,
    detail: { durationMs: number; endedBy: string; reached: string },
  ): void {
    this.record('cobrowse.end', advisorId, { detail: { sessionId, ...detail } });
  }

  /** For the member chat: `member` is a pseudonym of the member (never a name or insurance number). */
  memberChatStarted(member: string, chatId: string, ipHash: string | null): void {
    this.record('member_chat.start', member, { ipHash, detail: { chatId } });
  }

  memberChatEnded(member: string, chatId: string, detail: { durationMs: number; endedBy: string }): void {
    this.record('member_chat.end', member, { detail: { chatId, ...detail } });
  }

  /**
   * A member chat handed on by advisor `from` (the actor) to advisor `to` or to a topic's queue: ids only, never the
   * internal note or anything of the conversation.
   */
  memberChatTransferred(from: string, chatId: string, to: { advisor: string } | { topic: string }): void {
    this.record('member_chat.transfer', from, { detail: { chatId, ...to } });
  }

  /** Resolves when every record queued so far is written (or failed). */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Writes what is queued, then takes no more. Idempotent; does not close the store. */
  async close(): Promise<void> {
    // The windows still open are summed up now (a failed login counted so far is not lost).
    await this.#queue;
    for (const { write } of [...this.#windows.values()]) write();
    this.#closed = true;
    await this.#queue;
  }
}
