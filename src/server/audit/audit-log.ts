/**
 * The audit log of seed 002: logins, failed logins, co-browse and member chat start and end, and each user's last
 * transaction; who, when, what kind, and a pseudonymised address. Writes are queued in order and never block a
 * socket; a failed write is logged (without its content) and the next one goes on. The raw address reaches this
 * module only inside `ipHashOf`/`ipHashOfAddress` and leaves it as a keyed hash under a key that lives in memory
 * and rotates daily.
 */
import type { IncomingMessage } from 'node:http';
import { ClientKeyer, clientAddress } from '../cobrowse/client-key.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/sql.js';
import { TRANSACTION_KINDS, insertEntry, upsertLastTransaction } from './records.js';
import type { AuditDetail, AuditKind } from './records.js';

const IDENTIFIER = /^[A-Za-z0-9_.:@-]{1,200}$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MAX_DETAIL_KEYS = 12;
const MAX_DETAIL_STRING = 128;

/** Actors that are not an identifier (a failed login's claim, say) are not stored as typed. */
export const UNKNOWN_ACTOR = 'unknown';

export interface AuditLogOptions {
  /** `null`: nothing is stored (a server embedded without storage); records are dropped. */
  db: Db | null;
  log: Logger;
  trustProxy: boolean;
  now?: () => number;
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
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: AuditLogOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#trustProxy = options.trustProxy;
    this.#now = options.now ?? Date.now;
    this.#keyer = new ClientKeyer({ now: this.#now, onRotate: () => {} });
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
      db.transaction(async (tx) => {
        await insertEntry(tx, entry);
        if (TRANSACTION_KINDS.has(kind) && entry.actor !== UNKNOWN_ACTOR) await upsertLastTransaction(tx, entry);
      }).catch(() => this.#log.error('audit.write_failed')),
    );
  }

  advisorLogin(advisorId: string, ipHash: string): void {
    this.record('advisor.login', advisorId, { ipHash });
  }

  /** A refused advisor token; `claimed` is the token's unverified subject, if it had one. */
  loginFailed(claimed: string | undefined, ipHash: string, via: 'ws' | 'admin'): void {
    this.record('advisor.login_failed', claimed ?? UNKNOWN_ACTOR, { ipHash, detail: { via, verified: false } });
  }

  cobrowseStarted(advisorId: string, sessionId: string): void {
    this.record('cobrowse.start', advisorId, { detail: { sessionId } });
  }

  cobrowseEnded(advisorId: string, sessionId: string, detail: { durationMs: number; endedBy: string; reached: string }): void {
    this.record('cobrowse.end', advisorId, { detail: { sessionId, ...detail } });
  }

  /** For the member chat: `member` is a pseudonym of the member (never a name or insurance number). */
  memberChatStarted(member: string, chatId: string, ipHash: string | null): void {
    this.record('member_chat.start', member, { ipHash, detail: { chatId } });
  }

  memberChatEnded(member: string, chatId: string, detail: { durationMs: number; endedBy: string }): void {
    this.record('member_chat.end', member, { detail: { chatId, ...detail } });
  }

  /** Resolves when every record queued so far is written (or failed). */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Writes what is queued, then takes no more. Idempotent; does not close the store. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }
}
