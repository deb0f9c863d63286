/**
 * Deleting member transcripts after their retention: every ended member chat whose `purge_after` has passed goes,
 * with its messages and its delivery (ON DELETE CASCADE), whether or not the delivery succeeded. Run by the server's
 * hourly purge job (after the audit purge) and by `lotse purge`.
 *
 * The counts are computed in the database (one row back, not one per deleted row), so a purge of 100,000 messages
 * costs the DELETE and nothing more.
 */
import type { Logger } from '../log.js';
import { sql } from '../store/sql.js';
import type { Db } from '../store/sql.js';

/**
 * How much longer than its retention a chat without a recorded end is kept. A chat ends at the latest when it
 * reaches `MAX_EVENTS_PER_CHAT` events with less than `chat.idleMinutes` between them (2,000 × 30 min ≈ 42 days);
 * 60 days covers that, so no running chat loses its rows.
 */
export const UNENDED_GRACE_MS = 60 * 24 * 3600_000;

export interface TranscriptPurgeResult {
  chats: number;
  messages: number;
}

/** Deletes the member chats due at `now`, with their messages and deliveries; how many of each. */
export async function purgeTranscripts(db: Db, now: number = Date.now()): Promise<TranscriptPurgeResult> {
  const cutoff = new Date(now);
  // A chat still running keeps its transcript: its `purge_after` (start + retention) moves to end + retention when
  // it ends. Only a chat that never recorded an end (the server died) goes after `UNENDED_GRACE_MS` more.
  const unendedCutoff = new Date(now - UNENDED_GRACE_MS);
  return db.transaction(async (tx) => {
    const [counted] = await tx.query<{ messages: number }>(sql`SELECT count(*)::int AS messages
      FROM member_messages m JOIN member_chats c ON c.id = m.chat_id
      WHERE c.purge_after <= ${cutoff} AND (c.ended_at IS NOT NULL OR c.purge_after <= ${unendedCutoff})`);
    const [deleted] = await tx.query<{ chats: number }>(sql`WITH gone AS (
        DELETE FROM member_chats
        WHERE purge_after <= ${cutoff} AND (ended_at IS NOT NULL OR purge_after <= ${unendedCutoff}) RETURNING 1
      ) SELECT count(*)::int AS chats FROM gone`);
    return { chats: Number(deleted?.chats ?? 0), messages: Number(counted?.messages ?? 0) };
  });
}

/** The purge as a task of the hourly job: logs count and duration only, never a chat or a member. */
export function transcriptPurgeTask(log: Logger): (db: Db, now: number) => Promise<void> {
  return async (db, now) => {
    const started = Date.now();
    try {
      const result = await purgeTranscripts(db, now);
      log.info('member.transcripts_purged', {
        count: result.chats,
        events: result.messages,
        durationMs: Date.now() - started,
      });
    } catch {
      log.error('member.purge_failed');
    }
  };
}
