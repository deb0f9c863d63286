/**
 * The statements on `webhook_deliveries` and the transcript it carries (the queue's own, claiming and recording
 * attempts, are `delivery-queue.ts`'s). Shared by the deliverer, the operator
 * endpoint and the CLI; the same SQL runs on both drivers. A delivery row is only ever about a member chat that
 * has ended; it goes with the chat (`ON DELETE CASCADE`) when the retention purge deletes the transcript.
 */
import type { ChatEvent } from '../../protocol/messages.js';
import { ChatEventSchema } from '../../protocol/messages.js';
import * as v from 'valibot';
import { deliveryQueue } from './delivery-queue.js';
import type { DeliveryStatus } from './delivery-queue.js';
import { sql } from '../store/sql.js';
import type { Queryable } from '../store/sql.js';

export type { DeliveryStatus } from './delivery-queue.js';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failing'];
/** The most rows `listDeliveries` returns. */
export const LIST_LIMIT = 1000;

type Instant = Date | string;

function iso(value: Instant): string {
  return new Date(value).toISOString();
}

function isoOrNull(value: Instant | null): string | null {
  return value === null ? null : iso(value);
}

/** The queue's statements on `webhook_deliveries` (claim, delivered, failed). */
export const transcriptQueue = deliveryQueue({
  deliveries: 'webhook_deliveries',
  key: 'chat_id',
  subject: 'member_chats',
});

/** What an operator sees of a delivery: state and times, nothing of the transcript. */
export interface DeliveryInfo {
  chatId: string;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /** When the transcript (and this row with it) is deleted, delivered or not. */
  purgeAfter: string;
}

interface DeliveryRow {
  chat_id: string;
  idempotency_key: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Instant | null;
  last_attempt_at: Instant | null;
  last_error: string | null;
  delivered_at: Instant | null;
  created_at: Instant;
  purge_after: Instant;
}

/** Deliveries not yet filed, by status (the backlog `/metrics` shows); a status without any counts 0. */
export async function countUndelivered(db: Queryable): Promise<{ pending: number; failing: number }> {
  const rows = await db.query<{ status: DeliveryStatus; n: number | string }>(sql`
    SELECT status, count(*) AS n FROM webhook_deliveries WHERE status <> 'delivered' GROUP BY status`);
  const of = (status: DeliveryStatus): number => Number(rows.find((row) => row.status === status)?.n ?? 0);
  return { pending: of('pending'), failing: of('failing') };
}

/** Deliveries, newest first, optionally of one status; at most `LIST_LIMIT`. */
export async function listDeliveries(db: Queryable, status?: DeliveryStatus): Promise<DeliveryInfo[]> {
  const rows = await db.query<DeliveryRow>(sql`
    SELECT d.chat_id, d.idempotency_key, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_error,
      d.delivered_at, d.created_at, c.purge_after
    FROM webhook_deliveries d JOIN member_chats c ON c.id = d.chat_id
    WHERE (${status ?? null}::text IS NULL OR d.status = ${status ?? null}::text)
    ORDER BY d.created_at DESC, d.chat_id LIMIT ${LIST_LIMIT}`);
  return rows.map((row) => ({
    chatId: row.chat_id,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    lastError: row.last_error,
    deliveredAt: isoOrNull(row.delivered_at),
    createdAt: iso(row.created_at),
    purgeAfter: iso(row.purge_after),
  }));
}

/**
 * Makes undelivered deliveries due now (`lotse webhook-retry`): one chat, or every `failing` one. The running
 * server's deliverer picks them up at its next poll. The chat ids it touched.
 */
export async function retryNow(
  db: Queryable,
  target: { chatId: string } | 'all-failing',
  now: Date,
): Promise<string[]> {
  const rows =
    target === 'all-failing'
      ? await db.query<{ chat_id: string }>(sql`UPDATE webhook_deliveries SET next_attempt_at = ${now}
        WHERE status = 'failing' RETURNING chat_id`)
      : await db.query<{ chat_id: string }>(sql`UPDATE webhook_deliveries SET next_attempt_at = ${now}
        WHERE chat_id = ${target.chatId} AND status <> 'delivered' RETURNING chat_id`);
  return rows.map((row) => row.chat_id).sort();
}

// --- the transcript ---------------------------------------------------------------------------------------------

export interface TranscriptMessage {
  seq: number;
  at: string;
  from: 'member' | 'advisor';
  text: string;
}
export type TranscriptEvent =
  | { seq: number; at: string; kind: 'joined'; advisor: string }
  | { seq: number; at: string; kind: 'left' }
  | { seq: number; at: string; kind: 'transferred'; to: string }
  | { seq: number; at: string; kind: 'ended'; by: string };

/** The webhook's JSON body. `id` is the idempotency key. */
export interface Transcript {
  id: string;
  chatId: string;
  member: { sub: string; name: string; insuranceNumber: string };
  startedAt: string;
  endedAt: string | null;
  endedBy: string | null;
  advisor: { id: string; name: string } | null;
  messages: TranscriptMessage[];
  events: TranscriptEvent[];
}

interface ChatRow {
  member_sub: string;
  member_name: string;
  insurance_number: string;
  started_at: Instant;
  ended_at: Instant | null;
  ended_by: string | null;
  advisor_id: string | null;
  advisor_name: string | null;
}

function toEntry(seq: number, at: string, event: ChatEvent): TranscriptMessage | TranscriptEvent {
  switch (event.kind) {
    case 'message':
      return { seq, at, from: event.from === 'visitor' ? 'member' : 'advisor', text: event.text };
    case 'joined':
      return { seq, at, kind: 'joined', advisor: event.advisor };
    case 'left':
      return { seq, at, kind: 'left' };
    case 'transferred':
      return { seq, at, kind: 'transferred', to: event.to };
    case 'ended':
      return { seq, at, kind: 'ended', by: event.by };
  }
}

/**
 * The chat and its messages in order, as the webhook sends them; `undefined` when the chat is gone (purged).
 * Each stored event is parsed, not cast: one that does not parse (written by a future version) is left out.
 */
export async function loadTranscript(
  db: Queryable,
  chatId: string,
  idempotencyKey: string,
): Promise<Transcript | undefined> {
  const [chat] = await db.query<ChatRow>(sql`
    SELECT member_sub, member_name, insurance_number, started_at, ended_at, ended_by, advisor_id, advisor_name
    FROM member_chats WHERE id = ${chatId}`);
  if (chat === undefined) return undefined;
  const rows = await db.query<{ seq: number; at: Instant; event: unknown }>(sql`
    SELECT seq, at, event FROM member_messages WHERE chat_id = ${chatId} ORDER BY seq`);
  const messages: TranscriptMessage[] = [];
  const events: TranscriptEvent[] = [];
  for (const row of rows) {
    const raw = typeof row.event === 'string' ? safeJson(row.event) : row.event;
    const parsed = v.safeParse(ChatEventSchema, raw);
    if (!parsed.success) continue;
    const entry = toEntry(Number(row.seq), iso(row.at), parsed.output);
    if ('kind' in entry) events.push(entry);
    else messages.push(entry);
  }
  return {
    id: idempotencyKey,
    chatId,
    member: { sub: chat.member_sub, name: chat.member_name, insuranceNumber: chat.insurance_number },
    startedAt: iso(chat.started_at),
    endedAt: isoOrNull(chat.ended_at),
    endedBy: chat.ended_by,
    advisor: chat.advisor_id === null ? null : { id: chat.advisor_id, name: chat.advisor_name ?? chat.advisor_id },
    messages,
    events,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
