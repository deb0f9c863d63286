/**
 * Deleting callback requests after their retention, as a task of the hourly purge job (`audit/audit-purge.ts`,
 * after the audit's and the transcripts'): every request whose `purge_after` has passed goes with its delivery.
 * That is `callbacks.retentionDays` after it was done, or `callbacks.undoneDays` after its window for one never
 * done. Logs the count and duration only.
 */
import type { Logger } from '../log.js';
import type { Db } from '../store/sql.js';
import { purgeCallbacks } from './callback-store.js';

export function callbackPurgeTask(log: Logger): (db: Db, now: number) => Promise<void> {
  return async (db, now) => {
    const started = Date.now();
    try {
      const count = await purgeCallbacks(db, now);
      log.info('callbacks.purged', { count, durationMs: Date.now() - started });
    } catch {
      log.error('callbacks.purge_failed');
    }
  };
}
