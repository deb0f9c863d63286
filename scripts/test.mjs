// npm test: every test, in order of speed, with one summary at the end and a non-zero exit on any failure.
// It first checks that this machine has what the tests need and stops at once, saying what to install, if not.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './chromium.mjs';

/** Test files under the given folders (Node 20's test runner takes no globs). */
const testFiles = (...dirs) =>
  dirs.flatMap((dir) =>
    !existsSync(dir)
      ? []
      : readdirSync(dir, { recursive: true })
          .map(String)
          .filter((name) => name.endsWith('.test.ts') && !name.endsWith('.browser.test.ts'))
          .map((name) => join(dir, name))
          .sort(),
  );

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

function preflight() {
  const missing = [];
  if (findChromium() === undefined) {
    missing.push('Chromium for the browser and end-to-end tests:  sudo apt-get install -y chromium  (or set CHROME_PATH)');
  }
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 20) missing.push(`Node.js 20 or newer (this is ${process.version})`);
  if (missing.length > 0) {
    console.error('npm test cannot run on this machine yet. Install:\n  - ' + missing.join('\n  - '));
    process.exit(2);
  }
}

/** Runs one step, streaming its output, and reads its pass/fail counts from what it printed. */
function step(label, command, args, env = {}) {
  return new Promise((done) => {
    const started = Date.now();
    console.log(`\n=== ${label} ===`);
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    child.on('close', (code) => {
      const plain = tail.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const node = [...plain.matchAll(/^[#ℹ] (pass|fail) (\d+)$/gm)];
      const wtr = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
      let passed = 0;
      let failed = 0;
      for (const [, kind, count] of node) kind === 'pass' ? (passed = Number(count)) : (failed = Number(count));
      if (node.length === 0 && wtr) [passed, failed] = [Number(wtr[1]), Number(wtr[2])];
      done({ label, ok: code === 0, passed, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

preflight();
const only = process.argv.slice(2);
const steps = [
  ['layout rules', 'node', ['scripts/check-imports.mjs']],
  ['type check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['node: protocol, server, client', 'node', ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec',
    ...testFiles('test/protocol', 'test/server', 'test/client')]],
  ['browser: elements (Web Test Runner, Chromium)', bin('web-test-runner'), []],
  ['build (for end-to-end)', 'node', ['scripts/build.mjs']],
  ['end-to-end: real browsers, real server', 'node', ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec',
    ...testFiles('test/e2e')]],
].filter(([label]) => only.length === 0 || only.some((word) => label.includes(word)));

const results = [];
for (const [label, command, args] of steps) results.push(await step(label, command, args));

console.log('\n=== summary ===');
for (const r of results) {
  const counts = r.passed + r.failed > 0 ? `${r.passed} passed, ${r.failed} failed` : r.ok ? 'ok' : 'FAILED';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.label}: ${counts} (${r.seconds.toFixed(1)} s)`);
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0) + results.filter((r) => !r.ok && r.failed === 0).length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
