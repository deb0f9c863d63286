/** `lotse ratings`: the satisfaction ratings as counts per day, topic and score (nothing else is stored). */
import { listRatings, parseDay } from '../rating/ratings-store.js';
import type { RatingCount } from '../rating/ratings-store.js';
import { openStore } from '../store/index.js';
import { UsageError } from './args.js';
import { CONFIG_OPTION, storageConfigFrom } from './command.js';
import type { Command } from './command.js';

/** One line per day and topic: the count of each score, the total and the mean. */
export function formatRatings(rows: readonly RatingCount[]): string {
  if (rows.length === 0) return 'no ratings\n';
  const groups = new Map<string, { day: string; topic: string; counts: number[] }>();
  for (const row of rows) {
    const topic = row.topic ?? '-';
    const key = `${row.day}\u0000${topic}`;
    const group = groups.get(key) ?? { day: row.day, topic, counts: [0, 0, 0, 0, 0] };
    group.counts[row.score - 1] = (group.counts[row.score - 1] ?? 0) + row.count;
    groups.set(key, group);
  }
  const lines = ['day         topic                 1     2     3     4     5   total  mean'];
  for (const { day, topic, counts } of groups.values()) {
    const total = counts.reduce((a, b) => a + b, 0);
    const mean = counts.reduce((sum, count, index) => sum + count * (index + 1), 0) / total;
    lines.push(
      `${day}  ${topic.padEnd(20)}${counts.map((c) => String(c).padStart(6)).join('')}${String(total).padStart(8)}` +
        `  ${mean.toFixed(2)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const ratings: Command = {
  name: 'ratings',
  usage: 'ratings [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--config FILE]',
  summary:
    'show the satisfaction ratings: counts per day, topic and score (never linked to a chat); ' +
    'with the embedded store: server stopped',
  options: [
    { name: 'from', value: 'YYYY-MM-DD', help: 'from this day on (inclusive)' },
    { name: 'to', value: 'YYYY-MM-DD', help: 'up to this day (inclusive)' },
    { name: 'json', help: 'one JSON object per line ({ day, topic, score, count }) instead of the table' },
    CONFIG_OPTION,
  ],
  async run(args, io) {
    let range;
    try {
      range = { from: parseDay('--from', args.text('from')), to: parseDay('--to', args.text('to')) };
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const db = await openStore(storageConfigFrom(args, io).storage);
    try {
      const rows = await listRatings(db, range);
      io.out.write(args.flag('json') ? rows.map((row) => `${JSON.stringify(row)}\n`).join('') : formatRatings(rows));
    } finally {
      await db.close();
    }
    return 0;
  },
};
