// npm run build: dist/lib (tsc: npm entries with type declarations), dist/cdn (rollup: script-tag bundles),
// dist/custom-elements.json (the elements' manifest). Each step's failure stops the build with its output.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

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
// After tsc: the manifest's modules are the dist/lib files, and custom-elements-manifest.config.mjs checks each exists.
run('custom-elements manifest', bin('cem'), ['analyze', '--quiet', '--config', 'custom-elements-manifest.config.mjs']);
// The analyzer goes on without its configuration when that fails to load: then the manifest would name sources.
const manifest = JSON.parse(readFileSync(new URL('../dist/custom-elements.json', import.meta.url), 'utf8'));
const unshipped = manifest.modules.filter((m) => !m.path.startsWith('dist/lib/')).map((m) => m.path);
if (manifest.modules.length === 0 || unshipped.length > 0) {
  console.error(`build: custom-elements manifest names no shipped modules: ${unshipped.slice(0, 3).join(', ')}`);
  process.exit(1);
}
