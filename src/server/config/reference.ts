/**
 * The configuration reference, written from the schema's own fields (`fields.ts`): the table in
 * docs/configuration.md (between its `config-table` markers; `scripts/config-table.ts --write` puts it there, a test
 * fails when it differs) and the environment variables `lotse --help` and `lotse serve --help` print.
 */
import type { Field } from './fields.js';
import { ENV_ONLY_FIELDS, FIELDS } from './lotse-config.js';

export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

/** Every setting: those of the config file in the schema's order, then those only the environment sets. */
const ALL: readonly Field[] = [...FIELDS, ...ENV_ONLY_FIELDS];

function isEnvOnly(field: Field): boolean {
  return ENV_ONLY_FIELDS.includes(field);
}

/** Every environment variable the server reads, in the reference's order. */
export function envNames(): string[] {
  return ALL.flatMap((field) => (field.env === undefined ? [] : [field.env]));
}

const code = (text: string): string => `\`${text}\``;

function shownValue(value: unknown): string {
  if (value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : code(value.map(String).join(','));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return code(String(value));
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0
    ? 'none'
    : code(JSON.stringify(value));
}

/** The default as the docs show it (Markdown). */
export function shownDefault(field: Field): string {
  return field.meta.shownDefault ?? `${shownValue(field.default)}${field.meta.defaultNote ?? ''}`;
}

function shownEnv(field: Field): string {
  if (field.env === undefined) return '(file only)';
  return `${code(field.env)}${field.meta.envNote ?? (field.kind === 'list' ? ' (comma-separated)' : '')}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The Markdown table of every setting, with its markers: what docs/configuration.md holds between them. */
export function configTable(): string {
  const rows = ALL.map((field) => {
    const name = isEnvOnly(field) ? '' : (field.meta.label ?? code(field.path));
    return `|${[name, shownEnv(field), shownDefault(field), field.description].map((text) => (text === '' ? ' ' : ` ${cell(text)} `)).join('|')}|`;
  });
  return [
    TABLE_START,
    '| field | environment variable | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    TABLE_END,
  ].join('\n');
}

/** `text` with the table in place of what stood between the markers; throws when the markers are missing. */
export function withConfigTable(text: string): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the markers ${TABLE_START} … ${TABLE_END} are missing`);
  return `${text.slice(0, start)}${configTable()}${text.slice(end + TABLE_END.length)}`;
}

/** Markdown made plain for a terminal: no backticks, links as their text. */
function plain(markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');
}

/** Words wrapped to `width` columns, each line indented by `indent`. */
export function wrap(text: string, indent: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** The names of every environment variable, wrapped: for `lotse --help`. */
export function envSummary(): string {
  return wrap(envNames().join(', '), '  ');
}

/** Each environment variable with its field, default and meaning; then the settings of the file only. */
export function envReference(): string {
  const blocks = ALL.filter((field) => field.env !== undefined).map((field) => {
    const where = isEnvOnly(field) ? '' : `${field.path}, `;
    return `  ${field.env}  (${where}default ${plain(shownDefault(field))})\n${wrap(plain(field.description), '      ')}`;
  });
  const fileOnly = FIELDS.filter((field) => field.env === undefined).map((field) =>
    plain(field.meta.label ?? field.path),
  );
  return `${blocks.join('\n')}\n\nConfig file only:\n${wrap(fileOnly.join(', '), '  ')}\n`;
}
