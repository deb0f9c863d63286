// npm test: every test, in order of speed, with one summary at the end and a non-zero exit on any failure.
// It first checks that this machine has what the tests need and stops at once, saying what to install, if not.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findChromium } from './chromium.mjs';
import { findFirefox } from './firefox.mjs';

/** Test files under the given folders (Node 20's test runner takes no globs), those `keep` accepts by file name. */
const testFiles = (dirs, keep = () => true) =>
  dirs.flatMap((dir) =>
    !existsSync(dir)
      ? []
      : readdirSync(dir, { recursive: true })
          .map(String)
          .filter((name) => name.endsWith('.test.ts') && !name.endsWith('.browser.test.ts'))
          .filter((name) => keep(basename(name)))
          .map((name) => join(dir, name))
          .sort(),
  );

/** End-to-end files whose visitor runs in Firefox: their names start with `firefox` (firefox.test.ts, firefox-…). */
const inFirefox = (name) => name.startsWith('firefox');

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

const installFirefox = 'sudo apt-get install -y firefox-esr  (or set FIREFOX_PATH)';

/**
 * Stops at once, saying what to install, when something the tests need is missing. Firefox is needed too, but
 * only its steps need it: without it they are skipped here and said so, in CI (`CI` set) it is missing like
 * the rest. Returns why the Firefox steps are skipped, or undefined when they run.
 */
function preflight() {
  const missing = [];
  if (findChromium() === undefined) {
    missing.push(
      'Chromium for the browser and end-to-end tests:  sudo apt-get install -y chromium  (or set CHROME_PATH)',
    );
  }
  const noFirefox = findFirefox() === undefined;
  if (noFirefox && process.env.CI) missing.push(`Firefox ESR for the Firefox steps:  ${installFirefox}`);
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 20) missing.push(`Node.js 20 or newer (this is ${process.version})`);
  if (missing.length > 0) {
    console.error('npm test cannot run on this machine yet. Install:\n  - ' + missing.join('\n  - '));
    process.exit(2);
  }
  if (!noFirefox) return undefined;
  console.warn(`\nFirefox ESR not found: the Firefox steps will be SKIPPED. To run them:  ${installFirefox}`);
  return `Firefox ESR not found; install it with:  ${installFirefox}`;
}

/** The steps running now, their process groups killed when npm test itself is stopped. */
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) if (child.pid !== undefined) killGroup(child.pid);
    process.exit(130);
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs one step, streaming its output, and reads its pass/fail counts from what it printed. A step that runs
 * longer than `limitMinutes` is killed with everything it started (its own process group) and counted failed:
 * one hung test must fail the run, by name, not hold it until CI's own deadline kills it unreported.
 */
function step(label, command, args, limitMinutes, buffered = false) {
  return new Promise((done) => {
    const started = Date.now();
    // A step run beside others keeps its output and prints it whole when it ends.
    let held = '';
    const out = (stream, chunk) => {
      if (buffered) held += chunk.toString();
      else stream.write(chunk);
    };
    if (!buffered) console.log(`\n=== ${label} ===`);
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let timedOut = false;
    const watchdog = setTimeout(() => {
      timedOut = true;
      console.error(`\n=== ${label}: still running after ${limitMinutes} min; killed (see the last test above) ===`);
      killGroup(child.pid);
    }, limitMinutes * 60_000);
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', (chunk) => {
      out(process.stdout, chunk);
      keep(chunk);
    });
    child.stderr.on('data', (chunk) => {
      out(process.stderr, chunk);
      keep(chunk);
    });
    child.on('close', (code) => {
      if (buffered) process.stdout.write(`\n=== ${label} ===\n${held}`);
      clearTimeout(watchdog);
      running.delete(child);
      const plain = tail.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const node = [...plain.matchAll(/^[#ℹ] (pass|fail|skipped) (\d+)$/gm)];
      const wtr = [...plain.matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].at(-1);
      const counts = { pass: 0, fail: 0, skipped: 0 };
      for (const [, kind, count] of node) counts[kind] = Number(count);
      if (node.length === 0 && wtr)
        [counts.pass, counts.fail, counts.skipped] = [1, 2, 3].map((i) => Number(wtr[i] ?? 0));
      const { pass: passed, fail: failed, skipped } = counts;
      const seconds = (Date.now() - started) / 1000;
      done({ label, ok: code === 0 && !timedOut, timedOut, passed, failed, skipped, seconds });
    });
  });
}

const firefoxSkipped = preflight();
const only = process.argv.slice(2);
// A test that runs for five minutes hangs: it fails by name (each file's tests take seconds, the longest ~25 s).
const nodeTest = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-timeout=300000'];
// The node tests wait more than they compute (leases, grace periods, child processes, Redis, PostgreSQL): two files
// at a time keep both cores busy. Every file starts its own servers on free ports, so files never share state; the
// whole step passed this way on a machine under a load average of 12. (Browser steps stay one file at a time.)
const nodeTestTwoAtATime = nodeTest.map((arg) => (arg === '--test-concurrency=1' ? '--test-concurrency=2' : arg));
// [label, command, args, needs Firefox, limit in minutes (the step is killed and fails beyond it; default 10)]
const steps = [
  // ESLint holds the layout rules of STYLE.md (eslint.config.js, eslint/layout.js) besides typescript-eslint's.
  // Prettier, the type check and the build start first and run beside ESLint (below).
  ['lint: Prettier (format check)', bin('prettier'), ['--check', '.']],
  ['type check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  // The build (for the end-to-end steps) needs only the sources: it runs beside ESLint too, into dist/, which the
  // lint steps and the type check never read.
  ['build (for end-to-end)', 'node', ['scripts/build.mjs']],
  ['lint: ESLint (layout rules, promises, types)', bin('eslint'), ['--max-warnings=0', '.']],
  [
    'node: protocol, server, client, lint rules',
    'node',
    [...nodeTestTwoAtATime, ...testFiles(['test/protocol', 'test/server', 'test/client', 'test/eslint'])],
    false,
    25,
  ],
  ['browser: elements (Web Test Runner, Chromium)', bin('web-test-runner'), []],
  // Not beside Chromium's: with both browsers on the CPU-heavy files at once (test/cobrowse/peer.test.ts), Chromium's
  // timed out 3 times in 3 under load, and never alone under the same load.
  [
    'browser: elements (Web Test Runner, Firefox)',
    bin('web-test-runner'),
    ['--config', 'web-test-runner.firefox.config.mjs'],
    true,
  ],
  ['build: the package in dist/ and its custom-elements manifest', 'node', [...nodeTest, ...testFiles(['test/build'])]],
  [
    'end-to-end: real browsers, real server',
    'node',
    [...nodeTest, ...testFiles(['test/e2e'], (name) => !inFirefox(name))],
    false,
    20,
  ],
  ['end-to-end: Firefox visitor, Chromium advisor', 'node', [...nodeTest, ...testFiles(['test/e2e'], inFirefox)], true],
].filter(([label]) => only.length === 0 || only.some((word) => label.includes(word)));

// A step named here starts, its output held, beside the step it names, and is awaited when that one ends; when that
// one is not run (`npm test <word>`), it runs on its own. The lint steps, the type check and the build read files and
// time nothing: they run beside ESLint (which uses one core).
const ESLINT = 'lint: ESLint (layout rules, promises, types)';
const besideStep = new Map([
  ['lint: Prettier (format check)', ESLINT],
  ['type check', ESLINT],
  ['build (for end-to-end)', ESLINT],
]);
const selected = new Set(steps.map(([label]) => label));
const results = [];
const beside = [];
for (const [label, command, args, needsFirefox, limitMinutes = 10] of steps) {
  if (needsFirefox && firefoxSkipped !== undefined) {
    console.log(`\n=== ${label} ===\nSKIPPED: ${firefoxSkipped}`);
    results.push({ label, ok: true, skippedStep: firefoxSkipped, passed: 0, failed: 0, skipped: 0, seconds: 0 });
    continue;
  }
  if (selected.has(besideStep.get(label))) {
    beside.push(step(label, command, args, limitMinutes, true));
    continue;
  }
  results.push(await step(label, command, args, limitMinutes));
  results.push(...(await Promise.all(beside.splice(0))));
}
results.push(...(await Promise.all(beside.splice(0))));

console.log('\n=== summary ===');
for (const r of results) {
  const skipped = r.skipped > 0 ? `, ${r.skipped} skipped` : '';
  const counts =
    r.skippedStep !== undefined
      ? `SKIPPED: ${r.skippedStep}`
      : r.timedOut
        ? `TIMED OUT (killed), ${r.passed} passed, ${r.failed} failed before`
        : r.passed + r.failed > 0
          ? `${r.passed} passed, ${r.failed} failed${skipped}`
          : r.ok
            ? 'ok'
            : 'FAILED';
  console.log(
    `${r.skippedStep !== undefined ? 'skip' : r.ok ? 'ok  ' : 'FAIL'}  ${r.label}: ${counts} (${r.seconds.toFixed(1)} s)`,
  );
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0) + results.filter((r) => !r.ok && r.failed === 0).length;
const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
if (firefoxSkipped !== undefined && results.some((r) => r.skippedStep !== undefined)) {
  console.log(`\nThe Firefox steps were SKIPPED: ${firefoxSkipped}`);
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
