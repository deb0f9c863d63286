/**
 * Filing done callback requests through the webhook (`webhook/webhook.ts`), like member transcripts: one row per
 * done request in `callback_deliveries` (written in the transaction that marks it done), claimed by one server at
 * a time (`webhook/delivery-queue.ts`), retried with backoff, signed, and identified by its `Idempotency-Key` so that the receiver keeps it once.
 * A request past its `purge_after` is not sent; its row goes with it (`ON DELETE CASCADE`).
 */
import { deliveryQueue } from '../webhook/delivery-queue.js';
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

export const callbackSource: DeliverySource = {
  ...deliveryQueue({ deliveries: 'callback_deliveries', key: 'callback_id', subject: 'callback_requests' }),
  load,
  fields: (callbackId) => ({ callbackId }),
};
