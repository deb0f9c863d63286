/**
 * Filing done callback requests through the webhook (`webhook/webhook.ts`), like member transcripts: one row per
 * done request in `callback_deliveries` (written in the transaction that marks it done), claimed by one server at
 * a time, retried with backoff, signed, and identified by its `Idempotency-Key` so that the receiver keeps it once.
 * A request past its `purge_after` is not sent; its row goes with it (`ON DELETE CASCADE`).
 */
import type { ClaimedDelivery, DeliveryStatus } from '../webhook/deliveries.js';
import { FAILING_AFTER_ATTEMPTS } from '../webhook/deliveries.js';
import type { DeliverySource } from '../webhook/webhook.js';
import { sql } from '../store/sql.js';
import type { Queryable } from '../store/sql.js';

type Instant = Date | string;
const iso = (value: Instant): string => new Date(value).toISOString();

/** The webhook's JSON body for a callback request. `id` is the idempotency key; `kind` tells it from a transcript. */
export interface CallbackFiling {
  id: string;
  kind: 'callback';
  callbackId: string;
  phone: string;
  window: { from: string; to: string };
  topic: string | null;
  lang: string;
  requestedAt: string;
  doneAt: string | null;
  advisor: { id: string; name: string } | null;
}

async function claimNext(db: Queryable, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | undefined> {
  const [row] = await db.query<{ callback_id: string; idempotency_key: string; attempts: number }>(sql`
    UPDATE callback_deliveries SET next_attempt_at = ${leaseUntil}, last_attempt_at = ${now}
    WHERE callback_id = (
      SELECT d.callback_id FROM callback_deliveries d JOIN callback_requests c ON c.id = d.callback_id
      WHERE d.status <> 'delivered' AND d.next_attempt_at <= ${now} AND c.purge_after > ${now}
      ORDER BY d.next_attempt_at LIMIT 1
      FOR UPDATE OF d SKIP LOCKED
    )
    RETURNING callback_id, idempotency_key, attempts`);
  return row === undefined
    ? undefined
    : { chatId: row.callback_id, idempotencyKey: row.idempotency_key, attempts: Number(row.attempts) };
}

async function load(db: Queryable, id: string, idempotencyKey: string): Promise<CallbackFiling | undefined> {
  const [row] = await db.query<{
    phone: string;
    window_start: Instant;
    window_end: Instant;
    topic: string | null;
    lang: string;
    requested_at: Instant;
    done_at: Instant | null;
    claimed_by: string | null;
    claimed_by_name: string | null;
  }>(sql`SELECT phone, window_start, window_end, topic, lang, requested_at, done_at, claimed_by, claimed_by_name
    FROM callback_requests WHERE id = ${id}`);
  if (row === undefined) return undefined;
  return {
    id: idempotencyKey,
    kind: 'callback',
    callbackId: id,
    phone: row.phone,
    window: { from: iso(row.window_start), to: iso(row.window_end) },
    topic: row.topic,
    lang: row.lang,
    requestedAt: iso(row.requested_at),
    doneAt: row.done_at === null ? null : iso(row.done_at),
    advisor: row.claimed_by === null ? null : { id: row.claimed_by, name: row.claimed_by_name ?? row.claimed_by },
  };
}

async function recordDelivered(db: Queryable, id: string, now: Date): Promise<number> {
  const [row] = await db.query<{ attempts: number }>(sql`
    UPDATE callback_deliveries
    SET status = 'delivered', delivered_at = ${now}, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
    WHERE callback_id = ${id} AND status <> 'delivered'
    RETURNING attempts`);
  return Number(row?.attempts ?? 0);
}

async function recordFailed(
  db: Queryable,
  id: string,
  error: string,
  nextAttemptAt: Date,
): Promise<{ attempts: number; status: DeliveryStatus } | undefined> {
  const [row] = await db.query<{ attempts: number; status: DeliveryStatus }>(sql`
    UPDATE callback_deliveries
    SET attempts = attempts + 1, last_error = ${error.slice(0, 64)}, next_attempt_at = ${nextAttemptAt},
      status = CASE WHEN attempts + 1 >= ${FAILING_AFTER_ATTEMPTS} THEN 'failing' ELSE 'pending' END
    WHERE callback_id = ${id} AND status <> 'delivered'
    RETURNING attempts, status`);
  return row === undefined ? undefined : { attempts: Number(row.attempts), status: row.status };
}

export const callbackSource: DeliverySource = {
  claimNext,
  load,
  recordDelivered,
  recordFailed,
  fields: (callbackId) => ({ callbackId }),
};
