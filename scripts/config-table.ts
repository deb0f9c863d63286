// The configuration table of docs/configuration.md, written from the schema (src/server/config/reference.ts).
//   node --import tsx scripts/config-table.ts           exits 1 when the docs and the schema disagree
//   node --import tsx scripts/config-table.ts --write   puts the table between the config-table markers
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../src/server/config/reference.js';

const DOCS = new URL('../docs/configuration.md', import.meta.url);
const text = readFileSync(DOCS, 'utf8');
const updated = withConfigTable(text);
if (process.argv.includes('--write')) {
  if (updated !== text) writeFileSync(DOCS, updated);
  console.log(updated === text ? 'docs/configuration.md: table up to date' : 'docs/configuration.md: table written');
} else if (updated !== text) {
  console.error(
    'docs/configuration.md: the configuration table differs from the schema; run node --import tsx scripts/config-table.ts --write',
  );
  process.exitCode = 1;
}
