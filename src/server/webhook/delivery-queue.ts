/**
 * The queue of webhook deliveries, one statement each for claiming a due row, recording success and recording a
 * failure, for every table of delivery rows (`webhook_deliveries` for member transcripts, `callback_deliveries` for
 * done callback requests). Those tables have the same columns but for the key naming what is filed, and each row
 * goes with its subject (`ON DELETE CASCADE`) when retention purges it. A fix to claiming, leasing or counting
 * failures lands here once, for both.
 */
import { sql } from '../store/sql.js';
import type { Queryable, SqlQuery } from '../store/sql.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failing';
/** Failed attempts after which a delivery shows as `failing` (it keeps being retried). */
export const FAILING_AFTER_ATTEMPTS = 5;

export interface ClaimedDelivery {
  /** What is filed: the chat id or the callback request id. */
  id: string;
  idempotencyKey: string;
  /** Failed attempts before this one. */
  attempts: number;
}

/** A table of delivery rows: its name, its key column and the table of what it files (with `purge_after`). */
export type DeliveryTables =
  | { deliveries: 'webhook_deliveries'; key: 'chat_id'; subject: 'member_chats' }
  | { deliveries: 'callback_deliveries'; key: 'callback_id'; subject: 'callback_requests' };

export interface DeliveryQueue {
  /**
   * Claims the most overdue delivery for this process: locks one due row, skipping rows another server holds, and
   * pushes its `next_attempt_at` to `leaseUntil` in the same statement, so that no other server (nor this one)
   * takes it again while the attempt runs. A server that dies mid-attempt leaves the row due again at
   * `leaseUntil`. What is past its `purge_after` is not sent: it is about to be deleted, and must not be filed late.
   */
  claimNext(db: Queryable, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | undefined>;
  /** Marks a delivery as filed; the number of attempts it took. */
  recordDelivered(db: Queryable, id: string, now: Date): Promise<number>;
  /**
   * Counts a failed attempt, keeps `error` (a status code or an error class, never a body) and schedules the next
   * attempt. From the fifth failure on the row shows as `failing`; it is retried all the same.
   */
  recordFailed(
    db: Queryable,
    id: string,
    error: string,
    nextAttemptAt: Date,
  ): Promise<{ attempts: number; status: DeliveryStatus } | undefined>;
}

/**
 * The queue's statements on `tables`. The names are spliced into the statement text (values never are: they stay
 * parameters); the type allows only the fixed names above.
 */
export function deliveryQueue(tables: DeliveryTables): DeliveryQueue {
  const on = (query: SqlQuery): SqlQuery => ({
    ...query,
    text: query.text
      .replaceAll('{deliveries}', tables.deliveries)
      .replaceAll('{key}', tables.key)
      .replaceAll('{subject}', tables.subject),
  });
  return {
    async claimNext(db, now, leaseUntil) {
      const [row] = await db.query<{ id: string; idempotency_key: string; attempts: number }>(
        on(sql`
        UPDATE {deliveries} SET next_attempt_at = ${leaseUntil}, last_attempt_at = ${now}
        WHERE {key} = (
          SELECT d.{key} FROM {deliveries} d JOIN {subject} s ON s.id = d.{key}
          WHERE d.status <> 'delivered' AND d.next_attempt_at <= ${now} AND s.purge_after > ${now}
          ORDER BY d.next_attempt_at LIMIT 1
          FOR UPDATE OF d SKIP LOCKED
        )
        RETURNING {key} AS id, idempotency_key, attempts`),
      );
      return row === undefined
        ? undefined
        : { id: row.id, idempotencyKey: row.idempotency_key, attempts: Number(row.attempts) };
    },

    async recordDelivered(db, id, now) {
      const [row] = await db.query<{ attempts: number }>(
        on(sql`
        UPDATE {deliveries}
        SET status = 'delivered', delivered_at = ${now}, attempts = attempts + 1, last_error = NULL,
          next_attempt_at = NULL
        WHERE {key} = ${id} AND status <> 'delivered'
        RETURNING attempts`),
      );
      return Number(row?.attempts ?? 0);
    },

    async recordFailed(db, id, error, nextAttemptAt) {
      const [row] = await db.query<{ attempts: number; status: DeliveryStatus }>(
        on(sql`
        UPDATE {deliveries}
        SET attempts = attempts + 1, last_error = ${error.slice(0, 64)}, next_attempt_at = ${nextAttemptAt},
          status = CASE WHEN attempts + 1 >= ${FAILING_AFTER_ATTEMPTS} THEN 'failing' ELSE 'pending' END
        WHERE {key} = ${id} AND status <> 'delivered'
        RETURNING attempts, status`),
      );
      return row === undefined ? undefined : { attempts: Number(row.attempts), status: row.status };
    },
  };
}
