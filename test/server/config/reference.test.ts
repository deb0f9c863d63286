/** The configuration reference comes from the schema: the docs table agrees with it, and it names every env var read. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENV_ONLY_FIELDS, FIELDS } from '../../../src/server/config/lotse-config.js';
import {
  configTable,
  envNames,
  envReference,
  envSummary,
  withConfigTable,
} from '../../../src/server/config/reference.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

test('the table in docs/configuration.md is the one the schema writes (node --import tsx scripts/config-table.ts --write)', () => {
  const docs = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  assert.equal(withConfigTable(docs), docs);
  assert.ok(docs.includes(configTable()));
});

test('a changed description, default or env var shows as a difference from the docs', () => {
  const docs = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  const drifted = docs.replace('| `port` | `PORT` | `8080` |', '| `port` | `PORT` | `8081` |');
  assert.notEqual(drifted, docs);
  assert.notEqual(withConfigTable(drifted), drifted);
});

test('every setting is documented, every env var names one setting', () => {
  for (const field of [...FIELDS, ...ENV_ONLY_FIELDS]) assert.ok(field.description.trim() !== '', field.path);
  const names = envNames();
  assert.equal(new Set(names).size, names.length, 'no env var twice');
  assert.ok(
    names.includes('LOTSE_COBROWSE_TURN_SECRET') &&
      names.includes('LOTSE_TRUST_PROXY') &&
      names.includes('LOTSE_LOG_LEVEL'),
  );
});

/** Every `.ts` file under src/server. */
function serverSources(): string[] {
  const dir = join(ROOT, 'src/server');
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

test('every LOTSE_* variable the server reads is in the schema, so --help and the docs name it', () => {
  const names = new Set(envNames());
  const read = new Map<string, string>();
  for (const file of serverSources()) {
    const text = readFileSync(file, 'utf8');
    // Any LOTSE_ name but the error codes, and any name read from an env object (`env['PORT']`, `process.env.X`).
    for (const match of text.matchAll(/\bLOTSE_(?!ERR_)[A-Z0-9_]+\b/g)) read.set(match[0], file);
    for (const match of text.matchAll(/\benv(?:\[['"]([A-Z0-9_]+)['"]\]|\.([A-Z0-9_]+))/g))
      read.set(match[1] ?? match[2] ?? '', file);
  }
  assert.ok(read.has('LOTSE_LOG_LEVEL') && read.has('LOTSE_CONFIG'), 'the scan finds the direct reads');
  const missing = [...read]
    .filter(([name]) => !names.has(name))
    .map(([name, file]) => `${name} (${file.slice(ROOT.length)})`);
  assert.deepEqual(missing, []);
});

test('the help names every env var, with its field and default', () => {
  const summary = envSummary();
  const reference = envReference();
  for (const name of envNames()) {
    assert.match(summary, new RegExp(`\\b${name}\\b`), name);
    assert.match(reference, new RegExp(`^  ${name}  \\(`, 'm'), name);
  }
  assert.match(reference, /^ {2}LOTSE_HOST {2}\(host, default 0\.0\.0\.0; demo: 127\.0\.0\.1\)$/m);
  assert.ok(!reference.includes('`'), 'plain text, no Markdown');
});
