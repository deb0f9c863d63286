/**
 * The schema, as numbered migrations shared by both drivers (PGlite speaks PostgreSQL's SQL). Each runs once, in
 * order, inside a transaction that also records it in `lotse_migrations`; running them again changes nothing.
 * Never edit a migration that has shipped: add the next number.
 */
import { SNIPPETS_MIGRATION } from '../snippets/snippets-schema.js';
import { sql } from './sql.js';
import type { Db } from './sql.js';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'audit',
    sql: `
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        actor text NOT NULL,
        ip_hash text,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
      );
      CREATE INDEX audit_events_at ON audit_events (at);
      CREATE TABLE last_transactions (
        actor text PRIMARY KEY,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        ip_hash text
      );
      CREATE INDEX last_transactions_at ON last_transactions (at);
    `,
  },
  {
    id: 2,
    name: 'member_chat',
    // Member chats only: an anonymous chat never reaches any table. `purge_after` is when the transcript goes
    // (set at the start, moved at the end to end + retention); deleting a chat deletes its messages and delivery.
    sql: `
      CREATE TABLE member_chats (
        id text PRIMARY KEY,
        member_sub text NOT NULL,
        member_name text NOT NULL,
        insurance_number text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        ended_by text,
        advisor_id text,
        advisor_name text,
        purge_after timestamptz NOT NULL
      );
      CREATE INDEX member_chats_purge_after ON member_chats (purge_after);
      CREATE TABLE member_messages (
        chat_id text NOT NULL REFERENCES member_chats (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        at timestamptz NOT NULL,
        event jsonb NOT NULL,
        PRIMARY KEY (chat_id, seq)
      );
      CREATE TABLE webhook_deliveries (
        chat_id text PRIMARY KEY REFERENCES member_chats (id) ON DELETE CASCADE,
        idempotency_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failing')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status <> 'delivered';
    `,
  },
  SNIPPETS_MIGRATION,
  {
    id: 4,
    name: 'callbacks',
    // Callback requests (`callback/`): a phone number, a window, an optional topic; no name. `purge_after` is the
    // end of the window + `callbacks.undoneDays` until the request is done, then done + `callbacks.retentionDays`.
    // Their webhook deliveries have a table of their own, shaped like `webhook_deliveries`, and go with the request.
    sql: `
      CREATE TABLE callback_requests (
        id text PRIMARY KEY,
        phone text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        topic text,
        lang text NOT NULL,
        consent_version text NOT NULL,
        requested_at timestamptz NOT NULL,
        claimed_by text,
        claimed_by_name text,
        claimed_at timestamptz,
        done_at timestamptz,
        done_by text,
        purge_after timestamptz NOT NULL
      );
      CREATE INDEX callback_requests_open ON callback_requests (window_start) WHERE done_at IS NULL;
      CREATE INDEX callback_requests_purge_after ON callback_requests (purge_after);
      CREATE TABLE callback_deliveries (
        callback_id text PRIMARY KEY REFERENCES callback_requests (id) ON DELETE CASCADE,
        idempotency_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failing')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX callback_deliveries_due ON callback_deliveries (next_attempt_at) WHERE status <> 'delivered';
    `,
  },
  {
    id: 5,
    name: 'ratings',
    // Satisfaction ratings as counts only (`rating/`): no chat, nickname, member, advisor or time of day, so a
    // rating cannot be tied back to a chat. `topic` is '' for chats without one (a primary key holds no NULL).
    sql: `
      CREATE TABLE ratings (
        day date NOT NULL,
        topic text NOT NULL DEFAULT '',
        score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        count integer NOT NULL CHECK (count > 0),
        PRIMARY KEY (day, topic, score)
      );
    `,
  },
];

/** Applies the migrations not yet recorded; the ids it applied (empty when the schema was current). */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS lotse_migrations (
    id integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
    const done = await db.transaction(async (tx) => {
      // Two servers starting at once on one database: the second waits here, then sees the row and skips.
      await tx.exec('LOCK TABLE lotse_migrations IN EXCLUSIVE MODE');
      const rows = await tx.query(sql`SELECT id FROM lotse_migrations WHERE id = ${migration.id}`);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query(sql`INSERT INTO lotse_migrations (id, name) VALUES (${migration.id}, ${migration.name})`);
      return true;
    });
    if (done) applied.push(migration.id);
  }
  return applied;
}
