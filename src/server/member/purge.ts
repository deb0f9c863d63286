/**
 * Deleting member transcripts after their retention: every member chat whose `purge_after` has passed goes, with
 * its messages and its delivery (ON DELETE CASCADE), whether or not the delivery succeeded. Run by the server's
 * hourly purge job (after the audit purge) and by `lotse purge`.
 *
 * The counts are computed in the database (one row back, not one per deleted row), so a purge of 100,000 messages
 * costs the DELETE and nothing more.
 */
import type { Logger } from '../log.js';
import { sql } from '../store/sql.js';
import type { Db } from '../store/sql.js';

export interface TranscriptPurgeResult {
  chats: number;
  messages: number;
}

/** Deletes the member chats due at `now`, with their messages and deliveries; how many of each. */
export async function purgeTranscripts(db: Db, now: number = Date.now()): Promise<TranscriptPurgeResult> {
  const cutoff = new Date(now);
  return db.transaction(async (tx) => {
    const [counted] = await tx.query<{ messages: number }>(sql`SELECT count(*)::int AS messages
      FROM member_messages m JOIN member_chats c ON c.id = m.chat_id WHERE c.purge_after <= ${cutoff}`);
    const [deleted] = await tx.query<{ chats: number }>(sql`WITH gone AS (
        DELETE FROM member_chats WHERE purge_after <= ${cutoff} RETURNING 1
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
      log.info('member.transcripts_purged', { count: result.chats, events: result.messages, durationMs: Date.now() - started });
    } catch {
      log.error('member.purge_failed');
    }
  };
}
