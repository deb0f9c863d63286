/** What `lotse webhooks` prints: one line per delivery, in columns; state and times only, never content. */
import { DELIVERY_STATUSES } from './deliveries.js';
import type { DeliveryInfo, DeliveryStatus } from './deliveries.js';

/** `--status` as given, or `undefined` for all; a `RangeError` names the allowed values. */
export function parseDeliveryStatus(value: string | undefined): DeliveryStatus | undefined {
  if (value === undefined) return undefined;
  const found = DELIVERY_STATUSES.find((status) => status === value);
  if (found === undefined) throw new RangeError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`);
  return found;
}

const COLUMNS = ['CHAT', 'STATUS', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR', 'DELIVERED', 'PURGE AFTER'] as const;

/** Seconds are enough for an operator; `-` for a time that is not set. */
function time(value: string | null): string {
  return value === null ? '-' : value.replace(/\.\d{3}Z$/, 'Z');
}

export function formatDeliveries(deliveries: readonly DeliveryInfo[]): string {
  if (deliveries.length === 0) return 'no deliveries\n';
  const rows = deliveries.map((d) => [
    d.chatId,
    d.status,
    String(d.attempts),
    time(d.nextAttemptAt),
    d.lastError ?? '-',
    time(d.deliveredAt),
    time(d.purgeAfter),
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(COLUMNS), ...rows.map(line)].join('\n')}\n`;
}
