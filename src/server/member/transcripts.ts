/**
 * The transcripts of member chats, written as they happen: the chat's row at its start, one row per event
 * (messages, joined, left, ended), and at its end the end columns plus the `webhook_deliveries` row that files it
 * into the member's record, in one transaction, after which `onFiled` kicks the deliverer. Anonymous chats never
 * come here.
 *
 * Writes never block a socket: they are queued in order and written by one writer, which takes everything queued
 * while the previous write ran as one transaction (multi-row INSERTs), so a burst of messages from many chats costs
 * a few round trips, not one per message. Every statement is idempotent (a retried batch that did commit changes
 * nothing). A failed write is logged (a count, never content) and retried with backoff: nothing is dropped while
 * the store is down; at `close()` a store that still fails gets a few last tries, and what could not be written is
 * logged as lost (counted), never silently. A single operation that a working store refuses is set aside (logged
 * as `member.transcript_refused`) so that it cannot hold up every other member chat behind it.
 */
import type { ChatEvent } from '../../protocol/messages.js';
import type { Logger } from '../log.js';
import type { Db, Queryable, SqlValue } from '../store/sql.js';

const DAY_MS = 24 * 3600_000;
/** Operations taken into one transaction at most. */
const MAX_BATCH = 2_000;
/** Rows in one INSERT statement (4 parameters each; PostgreSQL allows 65,535 parameters). */
const ROWS_PER_INSERT = 500;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;
/**
 * Times one operation may fail on its own, each time with the store answering a probe, before it is set aside:
 * more than one, so that a store coming back between the failure and the probe costs nothing.
 */
const REFUSALS_TO_SET_ASIDE = 3;
/** Tries a failing store gets once `close()` was called, before the rest is given up (and logged). */
const TRIES_AT_CLOSE = 3;

export type TranscriptEndedBy = 'visitor' | 'advisor' | 'timeout' | 'gone' | 'server';

export interface MemberChatStart {
  chatId: string;
  sub: string;
  name: string;
  insuranceNumber: string;
  startedAt: number;
}

export interface MemberChatEnd {
  chatId: string;
  endedAt: number;
  endedBy: TranscriptEndedBy;
  /** The advisor who last held the chat, if any did. */
  advisor: { id: string; name: string } | undefined;
}

type Op =
  | ({ kind: 'start' } & MemberChatStart)
  | { kind: 'event'; chatId: string; seq: number; event: ChatEvent }
  | ({ kind: 'end' } & MemberChatEnd);

export interface TranscriptStoreOptions {
  /** `null`: nothing is written (a server without storage); `useStore` sets it once open. */
  db: Db | null;
  log: Logger;
  retentionDays: number;
  /** Whether an end also queues the delivery of the transcript (a webhook URL is configured, or a plugin's receiver). */
  deliveries: boolean;
  /** Called after a chat's end and its delivery row were committed. */
  onFiled?: (chatId: string) => void;
  /** The clock of `created_at` and `next_attempt_at` of deliveries. */
  now?: () => number;
  retryMs?: { first: number; max: number };
}

/** Whether the store answers at all: tells a store that is down from one that refuses a single operation. */
async function answers(db: Db): Promise<boolean> {
  try {
    await db.query({ text: 'SELECT 1', values: [] });
    return true;
  } catch {
    return false;
  }
}

/** `($1, $2, …), (…)` for `rows` rows of `width` parameters, the n-th cast as given. */
function valuesList(rows: number, width: number, casts: readonly string[] = []): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const params: string[] = [];
    for (let c = 0; c < width; c++) params.push(`$${r * width + c + 1}${casts[c] ?? ''}`);
    tuples.push(`(${params.join(', ')})`);
  }
  return tuples.join(', ');
}

export class TranscriptStore {
  #db: Db | null;
  readonly #log: Logger;
  readonly #retentionMs: number;
  readonly #deliveries: boolean;
  readonly #onFiled: ((chatId: string) => void) | undefined;
  readonly #now: () => number;
  readonly #retry: { first: number; max: number };
  readonly #queue: Op[] = [];
  #running: Promise<void> | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #wait: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  #closed = false;

  constructor(options: TranscriptStoreOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#retentionMs = options.retentionDays * DAY_MS;
    this.#deliveries = options.deliveries;
    this.#onFiled = options.onFiled;
    this.#now = options.now ?? Date.now;
    this.#retry = options.retryMs ?? { first: RETRY_FIRST_MS, max: RETRY_MAX_MS };
  }

  /** The store, once open (the server opens it in `listen()`). */
  useStore(db: Db | null): void {
    this.#db = db;
  }

  /** Operations not yet committed. */
  get pending(): number {
    return this.#queue.length;
  }

  started(start: MemberChatStart): void {
    this.#enqueue({ kind: 'start', ...start });
  }

  appended(chatId: string, seq: number, event: ChatEvent): void {
    this.#enqueue({ kind: 'event', chatId, seq, event });
  }

  ended(end: MemberChatEnd): void {
    this.#enqueue({ kind: 'end', ...end });
  }

  /** Resolves when everything queued so far (and since) is committed, or given up at close. */
  flush(): Promise<void> {
    this.#kick();
    return this.#running ?? Promise.resolve();
  }

  /** Takes no more, writes what is queued (a failing store gets a few last tries). Idempotent; leaves the store open. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wait?.wake();
    await this.flush();
    clearImmediate(this.#immediate);
    this.#immediate = undefined;
  }

  #enqueue(op: Op): void {
    if (this.#db === null || this.#closed) return;
    this.#queue.push(op);
    // Everything queued until the next turn of the event loop goes into the same transaction.
    this.#immediate ??= setImmediate(() => {
      this.#immediate = undefined;
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running !== undefined || this.#queue.length === 0 || this.#db === null) return;
    this.#running = this.#run(this.#db);
  }

  async #run(db: Db): Promise<void> {
    let failures = 0;
    let triesAtClose = 0;
    /** Single-operation failures in a row while the store answered: `REFUSALS_TO_SET_ASIDE` sets the operation aside. */
    let refusals = 0;
    try {
      while (this.#queue.length > 0) {
        // After a failure, one operation per transaction until one commits: a single operation the store refuses
        // (while it answers everything else) must not hold up every member chat behind it.
        const batch = this.#queue.slice(0, failures === 0 ? MAX_BATCH : 1);
        try {
          const filed = await db.transaction((tx) => this.#write(tx, batch));
          this.#queue.splice(0, batch.length);
          failures = 0;
          refusals = 0;
          for (const chatId of filed) this.#notifyFiled(chatId);
        } catch {
          failures += 1;
          this.#log.error('member.transcript_write_failed', { count: batch.length });
          // A batch failed: try its operations one by one at once, before any waiting.
          if (batch.length > 1) continue;
          refusals = (await answers(db)) ? refusals + 1 : 0;
          if (refusals >= REFUSALS_TO_SET_ASIDE) {
            // The store answers, and refused this one operation again and again (its content, or its chat purged
            // meanwhile): set it aside, counted in the log, and go on with the rest.
            this.#queue.splice(0, 1);
            this.#log.error('member.transcript_refused', { count: 1 });
            failures = 0;
            refusals = 0;
            continue;
          }
          if (this.#closed && ++triesAtClose >= TRIES_AT_CLOSE) {
            this.#log.error('member.transcript_lost', { count: this.#queue.length });
            this.#queue.length = 0;
            return;
          }
          await this.#sleep(Math.min(this.#retry.max, this.#retry.first * 2 ** (failures - 1)));
        }
      }
    } finally {
      // Cleared in the same turn as the loop saw the queue empty: a later op starts a new run.
      this.#running = undefined;
    }
  }

  /** Waits before a retry; `close()` cuts the wait short. */
  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wait = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wait = { timer, wake };
    });
  }

  #notifyFiled(chatId: string): void {
    try {
      this.#onFiled?.(chatId);
    } catch {
      // The deliverer also polls: a failing kick delays the delivery, it does not lose it.
    }
  }

  /** Writes one batch in order, consecutive operations of a kind together; the chats whose end was written. */
  async #write(tx: Queryable, batch: readonly Op[]): Promise<string[]> {
    const filed: string[] = [];
    for (let i = 0; i < batch.length;) {
      const kind = batch[i]?.kind;
      let j = i;
      while (j < batch.length && batch[j]?.kind === kind && j - i < ROWS_PER_INSERT) j++;
      const run = batch.slice(i, j);
      if (kind === 'start') await this.#insertStarts(tx, run as Extract<Op, { kind: 'start' }>[]);
      else if (kind === 'event') await this.#insertEvents(tx, run as Extract<Op, { kind: 'event' }>[]);
      else {
        for (const end of run as Extract<Op, { kind: 'end' }>[]) {
          if (await this.#writeEnd(tx, end)) filed.push(end.chatId);
        }
      }
      i = j;
    }
    return filed;
  }

  async #insertStarts(tx: Queryable, starts: readonly Extract<Op, { kind: 'start' }>[]): Promise<void> {
    const values: SqlValue[] = starts.flatMap((s) => [
      s.chatId,
      s.sub,
      s.name,
      s.insuranceNumber,
      new Date(s.startedAt),
      new Date(s.startedAt + this.#retentionMs),
    ]);
    await tx.query({
      text: `INSERT INTO member_chats (id, member_sub, member_name, insurance_number, started_at, purge_after)
        VALUES ${valuesList(starts.length, 6)} ON CONFLICT (id) DO NOTHING`,
      values,
    });
  }

  async #insertEvents(tx: Queryable, events: readonly Extract<Op, { kind: 'event' }>[]): Promise<void> {
    const values: SqlValue[] = events.flatMap((e) => [e.chatId, e.seq, new Date(e.event.at), JSON.stringify(e.event)]);
    await tx.query({
      text: `INSERT INTO member_messages (chat_id, seq, at, event)
        VALUES ${valuesList(events.length, 4, ['', '', '', '::jsonb'])} ON CONFLICT (chat_id, seq) DO NOTHING`,
      values,
    });
  }

  /** The end columns, the transcript kept `retentionDays` from now on, and (when filing is on) its delivery row. */
  async #writeEnd(tx: Queryable, end: Extract<Op, { kind: 'end' }>): Promise<boolean> {
    const endedAt = new Date(end.endedAt);
    const updated = await tx.query({
      text: `UPDATE member_chats SET ended_at = $2, ended_by = $3, advisor_id = $4, advisor_name = $5, purge_after = $6
        WHERE id = $1 RETURNING 1 AS found`,
      values: [
        end.chatId,
        endedAt,
        end.endedBy,
        end.advisor?.id ?? null,
        end.advisor?.name ?? null,
        new Date(end.endedAt + this.#retentionMs),
      ],
    });
    // No row: the chat's start was never written, or it was purged. Nothing to file.
    if (updated.length === 0 || !this.#deliveries) return false;
    const now = new Date(this.#now());
    await tx.query({
      text: `INSERT INTO webhook_deliveries (chat_id, idempotency_key, status, attempts, next_attempt_at, created_at)
        VALUES ($1, $2, 'pending', 0, $3, $3) ON CONFLICT (chat_id) DO NOTHING`,
      values: [end.chatId, `lotse-transcript-${end.chatId}`, now],
    });
    return true;
  }
}
