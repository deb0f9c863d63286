/**
 * The stored ratings: one row per (day, topic, score) with its count, nothing else (migration 5, `ratings`). No
 * chat id, nickname, member, advisor or time of day ever reaches the table: a rating cannot be tied back to a chat.
 * A chat without a topic counts under the empty topic `''` (a primary key cannot hold NULL).
 */
import { sql } from '../store/sql.js';
import type { Queryable } from '../store/sql.js';
import type { RatingSlot } from './tickets.js';

export const MIN_SCORE = 1;
export const MAX_SCORE = 5;

export interface RatingCount {
  readonly day: string;
  /** The chat's topic; `null` for chats without one. */
  readonly topic: string | null;
  readonly score: number;
  readonly count: number;
}

export function validScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_SCORE && value <= MAX_SCORE;
}

/** Counts one rating. */
export async function recordRating(db: Queryable, slot: RatingSlot, score: number): Promise<void> {
  if (!validScore(score)) throw new RangeError('score must be a whole number from 1 to 5');
  await db.query(sql`INSERT INTO ratings (day, topic, score, count) VALUES (${slot.day}, ${slot.topic ?? ''}, ${score}, 1)
    ON CONFLICT (day, topic, score) DO UPDATE SET count = ratings.count + 1`);
}

/** The counts of the days from `from` to `to` (both `YYYY-MM-DD`, inclusive; either open), by day, topic, score. */
export async function listRatings(db: Queryable, range: { from?: string; to?: string }): Promise<RatingCount[]> {
  const rows = await db.query<{ day: string; topic: string; score: number; count: number | string }>(
    sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, topic, score, count FROM ratings
      WHERE (${range.from ?? null}::date IS NULL OR day >= ${range.from ?? null}::date)
        AND (${range.to ?? null}::date IS NULL OR day <= ${range.to ?? null}::date)
      ORDER BY day, topic, score`,
  );
  return rows.map((row) => ({
    day: row.day,
    topic: row.topic === '' ? null : row.topic,
    score: Number(row.score),
    count: Number(row.count),
  }));
}

/** `YYYY-MM-DD` or undefined for an absent value; a `RangeError` naming `name` otherwise. */
export function parseDay(name: string, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match === null ? undefined : new Date(`${value}T00:00:00Z`);
  if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new RangeError(`${name} must be a day as YYYY-MM-DD`);
  return value;
}
