/**
 * Demo mode is one plugin (`src/server/demo/`), mounted by the composition root: no production module of the
 * server mentions it. Allowed besides the plugin: the root's mount (`app/plugins.ts`), the configuration's `demo`
 * switch (`config/`) and the CLI's `--demo` (`cli.ts`, `cli/`). ESLint's layout rules keep the imports out; this keeps the word out.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../../src/server/transport/static.js';

/** A folder ends in `/`. The CLI is `cli.ts`, or a `cli/` folder once it has one. */
const ALLOWED = [
  'src/server/demo/',
  'src/server/app/plugins.ts',
  'src/server/config/',
  'src/server/cli.ts',
  'src/server/cli/',
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('no server module outside the demo plugin, its mount, the config switch and the CLI mentions demo', () => {
  const root = packageRoot();
  const files = sources(join(root, 'src', 'server')).map((path) => relative(root, path).split(sep).join('/'));
  assert.ok(files.length > 50, 'the server sources were found');
  const offenders = files
    .filter(
      (file) => !ALLOWED.some((allowed) => file === allowed || (allowed.endsWith('/') && file.startsWith(allowed))),
    )
    .flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (/demo/i.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
  assert.deepEqual(offenders, []);
});
