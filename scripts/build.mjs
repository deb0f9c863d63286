// npm run build: dist/lib (tsc: npm entries with type declarations), dist/cdn (rollup: script-tag bundles),
// dist/custom-elements.json (the elements' manifest). Each step's failure stops the build with its output.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (label, command, args) => {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  if (result.status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(result.status ?? 1);
  }
  console.error(`build: ${label} (${Date.now() - started} ms)`);
};

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
run('tsc → dist/lib', bin('tsc'), ['-p', 'tsconfig.build.json']);
run('rollup → dist/cdn', bin('rollup'), ['-c', '--silent']);
run('custom-elements manifest', bin('cem'), [
  'analyze', '--litelement', '--quiet', '--outdir', 'dist',
  '--globs', 'src/visitor/**/*.ts', 'src/advisor/**/*.ts',
]);
