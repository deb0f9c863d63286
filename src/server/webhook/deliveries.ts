/**
 * Every statement on `webhook_deliveries` and the transcript it carries. Shared by the deliverer, the operator
 * endpoint and the CLI; the same SQL runs on both drivers. A delivery row is only ever about a member chat that
 * has ended; it goes with the chat (`ON DELETE CASCADE`) when the retention purge deletes the transcript.
 */
import type { ChatEvent } from '../../protocol/messages.js';
import { ChatEventSchema } from '../../protocol/messages.js';
import * as v from 'valibot';
import { sql } from '../store/sql.js';
import type { Queryable } from '../store/sql.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failing';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failing'];
/** Failed attempts after which a delivery shows as `failing` (it keeps being retried). */
export const FAILING_AFTER_ATTEMPTS = 5;
/** The most rows `listDeliveries` returns. */
export const LIST_LIMIT = 1000;

type Instant = Date | string;

function iso(value: Instant): string {
  return new Date(value).toISOString();
}

function isoOrNull(value: Instant | null): string | null {
  return value === null ? null : iso(value);
}

export interface ClaimedDelivery {
  chatId: string;
  idempotencyKey: string;
  /** Failed attempts before this one. */
  attempts: number;
}

/**
 * Claims the most overdue delivery for this process: locks one due row, skipping rows another server holds, and
 * pushes its `next_attempt_at` to `leaseUntil` in the same statement, so that no other server (nor this one)
 * takes it again while the attempt runs. A server that dies mid-attempt leaves the row due again at `leaseUntil`.
 * Chats past their `purge_after` are not sent: their transcript is about to be deleted, and must not be filed late.
 */
export async function claimNext(db: Queryable, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | undefined> {
  const [row] = await db.query<{ chat_id: string; idempotency_key: string; attempts: number }>(sql`
    UPDATE webhook_deliveries SET next_attempt_at = ${leaseUntil}, last_attempt_at = ${now}
    WHERE chat_id = (
      SELECT d.chat_id FROM webhook_deliveries d JOIN member_chats c ON c.id = d.chat_id
      WHERE d.status <> 'delivered' AND d.next_attempt_at <= ${now} AND c.purge_after > ${now}
      ORDER BY d.next_attempt_at LIMIT 1
      FOR UPDATE OF d SKIP LOCKED
    )
    RETURNING chat_id, idempotency_key, attempts`);
  return row === undefined
    ? undefined
    : { chatId: row.chat_id, idempotencyKey: row.idempotency_key, attempts: Number(row.attempts) };
}

/** Marks a delivery as filed; the number of attempts it took. */
export async function recordDelivered(db: Queryable, chatId: string, now: Date): Promise<number> {
  const [row] = await db.query<{ attempts: number }>(sql`
    UPDATE webhook_deliveries
    SET status = 'delivered', delivered_at = ${now}, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
    WHERE chat_id = ${chatId} AND status <> 'delivered'
    RETURNING attempts`);
  return Number(row?.attempts ?? 0);
}

/**
 * Counts a failed attempt, keeps `error` (a status code or an error class, never a body) and schedules the next
 * attempt. From the fifth failure on the row shows as `failing`; it is retried all the same.
 */
export async function recordFailed(
  db: Queryable,
  chatId: string,
  error: string,
  nextAttemptAt: Date,
): Promise<{ attempts: number; status: DeliveryStatus } | undefined> {
  const [row] = await db.query<{ attempts: number; status: DeliveryStatus }>(sql`
    UPDATE webhook_deliveries
    SET attempts = attempts + 1, last_error = ${error.slice(0, 64)}, next_attempt_at = ${nextAttemptAt},
      status = CASE WHEN attempts + 1 >= ${FAILING_AFTER_ATTEMPTS} THEN 'failing' ELSE 'pending' END
    WHERE chat_id = ${chatId} AND status <> 'delivered'
    RETURNING attempts, status`);
  return row === undefined ? undefined : { attempts: Number(row.attempts), status: row.status };
}

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
