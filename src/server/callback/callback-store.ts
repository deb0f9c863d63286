/**
 * Every statement on `callback_requests` (migration 4): insert, the open list, the atomic claim, done, and the
 * retention purge. The same SQL runs on both drivers. A request holds a phone number, a window, an optional topic
 * and the language: no name, no address, nothing else of the visitor.
 */
import type { CallbackItem } from '../../protocol/callback.js';
import { MAX_CALLBACK_LIST } from '../../protocol/callback.js';
import { sql } from '../store/sql.js';
import type { Db, Queryable } from '../store/sql.js';

const DAY_MS = 24 * 3600_000;

type Instant = Date | string;
const ms = (value: Instant): number => new Date(value).getTime();

export interface NewCallback {
  id: string;
  phone: string;
  from: number;
  to: number;
  topic?: string | undefined;
  lang: 'de' | 'en';
  consentVersion: string;
  requestedAt: number;
}

export interface Retention {
  /** Days after done. */
  retentionDays: number;
  /** Days after the window's end, for a request never done. */
  undoneDays: number;
}

/** Stores a request unless the service holds `maxOpen` open ones already; false when it is full. */
export async function insertCallback(
  db: Db,
  request: NewCallback,
  retention: Retention,
  maxOpen: number,
): Promise<boolean> {
  const purgeAfter = new Date(request.to + retention.undoneDays * DAY_MS);
  const rows = await db.query<{ id: string }>(sql`
    INSERT INTO callback_requests (id, phone, window_start, window_end, topic, lang, consent_version, requested_at,
      purge_after)
    SELECT ${request.id}, ${request.phone}, ${new Date(request.from)}, ${new Date(request.to)}, ${request.topic ?? null},
      ${request.lang}, ${request.consentVersion}, ${new Date(request.requestedAt)}, ${purgeAfter}
    WHERE (SELECT count(*) FROM callback_requests WHERE done_at IS NULL) < ${maxOpen}
    RETURNING id`);
  return rows.length === 1;
}

interface Row {
  id: string;
  phone: string;
  window_start: Instant;
  window_end: Instant;
  topic: string | null;
  lang: 'de' | 'en';
  requested_at: Instant;
  claimed_by: string | null;
  claimed_by_name: string | null;
}

function itemOf(row: Row): CallbackItem {
  const item: CallbackItem = {
    id: row.id,
    phone: row.phone,
    from: ms(row.window_start),
    to: ms(row.window_end),
    lang: row.lang,
    requestedAt: ms(row.requested_at),
  };
  if (row.topic !== null) item.topic = row.topic;
  if (row.claimed_by !== null) item.claimedBy = { id: row.claimed_by, name: row.claimed_by_name ?? row.claimed_by };
  return item;
}

/** Open requests (not done), earliest window first; at most `MAX_CALLBACK_LIST`, and whether there are more. */
export async function listOpen(db: Queryable): Promise<{ items: CallbackItem[]; more: boolean }> {
  const rows = await db.query<Row>(sql`
    SELECT id, phone, window_start, window_end, topic, lang, requested_at, claimed_by, claimed_by_name
    FROM callback_requests WHERE done_at IS NULL
    ORDER BY window_start, requested_at, id LIMIT ${MAX_CALLBACK_LIST + 1}`);
  return { items: rows.slice(0, MAX_CALLBACK_LIST).map(itemOf), more: rows.length > MAX_CALLBACK_LIST };
}

/** One request, done or not; `undefined` when there is none (purged). */
export async function getCallback(
  db: Queryable,
  id: string,
): Promise<(CallbackItem & { doneAt?: number }) | undefined> {
  const [row] = await db.query<Row & { done_at: Instant | null }>(sql`
    SELECT id, phone, window_start, window_end, topic, lang, requested_at, claimed_by, claimed_by_name, done_at
    FROM callback_requests WHERE id = ${id}`);
  if (row === undefined) return undefined;
  const item = itemOf(row);
  return row.done_at === null ? item : { ...item, doneAt: ms(row.done_at) };
}

export type ClaimResult = 'claimed' | 'taken' | 'unknown';

/**
 * One advisor takes an open request: a single conditional UPDATE, so that of two advisors (on any node) exactly one
 * wins. Claiming one's own claim again is `claimed`.
 */
export async function claimCallback(
  db: Queryable,
  id: string,
  advisor: { id: string; name: string },
  now: number,
): Promise<ClaimResult> {
  const rows = await db.query<{ id: string }>(sql`
    UPDATE callback_requests SET claimed_by = ${advisor.id}, claimed_by_name = ${advisor.name},
      claimed_at = ${new Date(now)}
    WHERE id = ${id} AND done_at IS NULL AND (claimed_by IS NULL OR claimed_by = ${advisor.id})
    RETURNING id`);
  if (rows.length === 1) return 'claimed';
  const [found] = await db.query<{ id: string }>(
    sql`SELECT id FROM callback_requests WHERE id = ${id} AND done_at IS NULL`,
  );
  return found === undefined ? 'unknown' : 'taken';
}

/**
 * The claimer called back: the request is done, its retention now runs from here, and (when `file`) its webhook
 * delivery is written in the same transaction. `false` when it is not open and claimed by this advisor.
 */
export async function markDone(
  db: Db,
  id: string,
  advisorId: string,
  now: number,
  retentionDays: number,
  file: { idempotencyKey: string } | undefined,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(sql`
      UPDATE callback_requests SET done_at = ${new Date(now)}, done_by = ${advisorId},
        purge_after = ${new Date(now + retentionDays * DAY_MS)}
      WHERE id = ${id} AND done_at IS NULL AND claimed_by = ${advisorId}
      RETURNING id`);
    if (rows.length !== 1) return false;
    if (file !== undefined) {
      await tx.query(sql`
        INSERT INTO callback_deliveries (callback_id, idempotency_key, status, next_attempt_at, created_at)
        VALUES (${id}, ${file.idempotencyKey}, 'pending', ${new Date(now)}, ${new Date(now)})`);
    }
    return true;
  });
}

/** Deletes every request whose `purge_after` has passed (done or not), with its delivery; how many. */
export async function purgeCallbacks(db: Db, now: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql`WITH gone AS (
      DELETE FROM callback_requests WHERE purge_after <= ${new Date(now)} RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`);
  return Number(row?.n ?? 0);
}
