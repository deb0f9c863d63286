/** Export of the audit log as JSON lines or CSV, page by page, for `lotse audit-export` and `GET /admin/audit`. */
import type { Queryable } from '../store/sql.js';
import { listEntries } from './records.js';
import type { AuditRow, Range } from './records.js';

export type ExportFormat = 'jsonl' | 'csv';

const PAGE = 1000;

export const CSV_HEADER = 'id,at,kind,actor,ip_hash,detail';

function csvCell(value: string): string {
  // A cell a spreadsheet would run as a formula is prefixed with a quote mark.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function formatRow(row: AuditRow, format: ExportFormat): string {
  if (format === 'jsonl') {
    return JSON.stringify({
      id: row.id,
      at: row.at,
      kind: row.kind,
      actor: row.actor,
      ipHash: row.ipHash,
      detail: row.detail,
    });
  }
  return [String(row.id), row.at, row.kind, row.actor, row.ipHash ?? '', JSON.stringify(row.detail)]
    .map(csvCell)
    .join(',');
}

/** Writes every row in the range, oldest first, one line each (CSV with a header); the number of rows. */
export async function exportAudit(
  q: Queryable,
  range: Range,
  format: ExportFormat,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  if (format === 'csv') await write(`${CSV_HEADER}\n`);
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await listEntries(q, range, afterId, PAGE);
    if (rows.length === 0) return count;
    await write(rows.map((row) => `${formatRow(row, format)}\n`).join(''));
    count += rows.length;
    afterId = (rows[rows.length - 1] as AuditRow).id;
  }
}

/** Reads an ISO 8601 date or time; `undefined` when absent; throws a `RangeError` naming `name` when unreadable. */
export function parseInstant(name: string, text: string | null | undefined): Date | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  const date = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
    ? new Date(text)
    : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()))
    throw new RangeError(`${name} must be an ISO 8601 date or time, like 2026-04-01 or 2026-04-01T08:00:00Z`);
  return date;
}

export function parseFormat(text: string | null | undefined): ExportFormat {
  if (text === null || text === undefined || text === '' || text === 'jsonl') return 'jsonl';
  if (text === 'csv') return 'csv';
  throw new RangeError('format must be jsonl or csv');
}
