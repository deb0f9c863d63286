/**
 * Deletion after the retention period: a function (`lotse purge`) and the job the server runs hourly, which also
 * runs other purges after the audit's (member transcripts: `member/member-purge.ts`).
 */
import type { Logger } from '../log.js';
import type { Db } from '../store/sql.js';
import { deleteOlderThan } from './records.js';

const DAY_MS = 24 * 3600_000;
export const PURGE_INTERVAL_MS = 3600_000;

export interface PurgeResult {
  events: number;
  lastTransactions: number;
  cutoff: Date;
}

/** Deletes audit rows older than `retentionDays` before `now`. */
export async function purgeAudit(db: Db, retentionDays: number, now: number = Date.now()): Promise<PurgeResult> {
  const cutoff = new Date(now - retentionDays * DAY_MS);
  const counts = await db.transaction((tx) => deleteOlderThan(tx, cutoff));
  return { ...counts, cutoff };
}

export interface PurgeJob {
  /** The run in progress, if any (tests await it). */
  readonly running: Promise<void> | undefined;
  /** Stops the timer and waits for a run in progress. Idempotent. */
  close(): Promise<void>;
}

/** A further purge run after the audit's; it logs its own result and catches its own failure. */
export type PurgeTask = (db: Db, now: number) => Promise<void>;

/** Purges once at start, then every `intervalMs`; a run never overlaps the previous one. */
export function startPurgeJob(options: {
  db: Db;
  retentionDays: number;
  log: Logger;
  intervalMs?: number;
  now?: () => number;
  /** Run in order after the audit purge, on the same schedule. */
  also?: readonly PurgeTask[];
}): PurgeJob {
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  let closed = false;
  const run = (): void => {
    if (running !== undefined || closed) return;
    const started = Date.now();
    const at = now();
    running = purgeAudit(options.db, options.retentionDays, at)
      .then(
        (result) =>
          options.log.info('audit.purged', {
            count: result.events + result.lastTransactions,
            durationMs: Date.now() - started,
          }),
        () => options.log.error('audit.purge_failed'),
      )
      .then(async () => {
        for (const task of options.also ?? []) await task(options.db, at);
      })
      .catch(() => options.log.error('audit.purge_failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, options.intervalMs ?? PURGE_INTERVAL_MS);
  timer.unref();
  run();
  return {
    get running() {
      return running;
    },
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
