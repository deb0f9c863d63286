/**
 * The audit tables and every statement on them: one row per event in `audit_events`, one row per actor in
 * `last_transactions` (upserted). Parametrised through `sql`; the same text runs on both drivers.
 */
import { sql } from '../store/sql.js';
import type { Queryable } from '../store/sql.js';

export type AuditKind =
  | 'advisor.login'
  | 'advisor.login_failed'
  | 'cobrowse.start'
  | 'cobrowse.end'
  | 'member_chat.start'
  | 'member_chat.end'
  | 'member_chat.transfer'
  | 'audit.export'
  | 'callback.requested'
  | 'callback.claimed'
  | 'callback.done'
  /** An admin changed the team's canned responses (`/admin/snippets`): who and how, never the text. */
  | 'snippets.change';

/** Kinds that are a transaction of a known user, and so move their "last transaction". */
export const TRANSACTION_KINDS: ReadonlySet<AuditKind> = new Set([
  'advisor.login',
  'cobrowse.start',
  'cobrowse.end',
  'member_chat.start',
  'member_chat.end',
  'member_chat.transfer',
  'audit.export',
  'callback.claimed',
  'callback.done',
  'snippets.change',
]);

/** Small, flat, never content: identifiers, counts, closed words. */
export type AuditDetail = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditEntry {
  at: Date;
  kind: AuditKind;
  /** An advisor id from a verified token, or a pseudonym. */
  actor: string;
  /** Keyed hash of the client's address under the day's key; `null` where no address belongs to the event. */
  ipHash: string | null;
  detail: AuditDetail;
}

export interface AuditRow {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  kind: string;
  actor: string;
  ipHash: string | null;
  detail: Record<string, unknown>;
}

export interface LastTransaction {
  actor: string;
  at: string;
  kind: string;
  ipHash: string | null;
}

interface RawRow {
  id: number;
  at: Date | string;
  kind: string;
  actor: string;
  ip_hash: string | null;
  detail: unknown;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

function detailOf(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

export async function insertEntry(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(sql`INSERT INTO audit_events (at, kind, actor, ip_hash, detail)
    VALUES (${entry.at}, ${entry.kind}, ${entry.actor}, ${entry.ipHash}, ${entry.detail}::jsonb)`);
}

/** The actor's last transaction becomes this one, unless a later one is stored already. */
export async function upsertLastTransaction(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(sql`INSERT INTO last_transactions (actor, at, kind, ip_hash)
    VALUES (${entry.actor}, ${entry.at}, ${entry.kind}, ${entry.ipHash})
    ON CONFLICT (actor) DO UPDATE SET at = EXCLUDED.at, kind = EXCLUDED.kind, ip_hash = EXCLUDED.ip_hash
    WHERE last_transactions.at <= EXCLUDED.at`);
}

export interface Range {
  since?: Date | undefined;
  until?: Date | undefined;
}

/** One page of events in `[since, until)`, oldest first, after the id `afterId`. */
export async function listEntries(q: Queryable, range: Range, afterId: number, limit: number): Promise<AuditRow[]> {
  const since = range.since ?? new Date(0);
  const until = range.until ?? new Date('9999-12-31T00:00:00Z');
  const rows = await q.query<RawRow>(sql`SELECT id::float8 AS id, at, kind, actor, ip_hash, detail FROM audit_events
    WHERE at >= ${since} AND at < ${until} AND id > ${afterId}
    ORDER BY id LIMIT ${limit}`);
  return rows.map((row) => ({
    id: Number(row.id),
    at: iso(row.at),
    kind: row.kind,
    actor: row.actor,
    ipHash: row.ip_hash,
    detail: detailOf(row.detail),
  }));
}

export async function lastTransactionOf(q: Queryable, actor: string): Promise<LastTransaction | undefined> {
  const [row] = await q.query<{ actor: string; at: Date | string; kind: string; ip_hash: string | null }>(
    sql`SELECT actor, at, kind, ip_hash FROM last_transactions WHERE actor = ${actor}`,
  );
  return row === undefined ? undefined : { actor: row.actor, at: iso(row.at), kind: row.kind, ipHash: row.ip_hash };
}

/** Deletes events and last transactions older than `cutoff`; how many of each. */
export async function deleteOlderThan(
  q: Queryable,
  cutoff: Date,
): Promise<{ events: number; lastTransactions: number }> {
  const events = await q.query(sql`DELETE FROM audit_events WHERE at < ${cutoff} RETURNING 1 AS gone`);
  const last = await q.query(sql`DELETE FROM last_transactions WHERE at < ${cutoff} RETURNING 1 AS gone`);
  return { events: events.length, lastTransactions: last.length };
}
