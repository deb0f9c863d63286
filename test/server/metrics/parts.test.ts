/**
 * The pieces of the metrics part on their own: the metrics area of the configuration, which log lines count as
 * refusals of which limit, the cached backlog figure, and the readiness list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ConfigError, redactConfig } from '../../../src/server/config/lotse-config.js';
import { loadConfig } from '../../../src/server/config/load.js';
import { createLogger } from '../../../src/server/log.js';
import type { LogEvent, LogFields } from '../../../src/server/log.js';
import { CachedFigure } from '../../../src/server/metrics/cached.js';
import { LIMITS } from '../../../src/server/metrics/names.js';
import type { LimitName } from '../../../src/server/metrics/names.js';
import { Readiness } from '../../../src/server/metrics/readiness.js';
import { countingLogger, limitOf } from '../../../src/server/metrics/refusals.js';

const BASE_ENV = {
  LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de',
  LOTSE_ADVISOR_TOKEN_SECRET: 'a-very-long-secret-with-more-than-32-characters',
};

test('the metrics area: on by default without a token; the token from the environment, printed redacted', () => {
  const plain = loadConfig({ env: BASE_ENV });
  assert.deepEqual(plain.metrics, { enabled: true, readyTimeoutSeconds: 2 });
  const config = loadConfig({
    env: { ...BASE_ENV, LOTSE_METRICS_TOKEN: 'scrape-token-0123456789', LOTSE_READY_TIMEOUT_SECONDS: '0.5' },
  });
  assert.equal(config.metrics.token, 'scrape-token-0123456789');
  assert.equal(config.metrics.readyTimeoutSeconds, 0.5);
  assert.equal(redactConfig(config).metrics.token, '[redacted]');
  assert.equal(loadConfig({ env: { ...BASE_ENV, LOTSE_METRICS: 'false' } }).metrics.enabled, false);
  assert.throws(
    () => loadConfig({ env: { ...BASE_ENV, LOTSE_METRICS_TOKEN: 'short' } }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.issues.some((issue) => /^metrics\.token \(env LOTSE_METRICS_TOKEN\): must be at least 16/.test(issue)) &&
      !error.issues.some((issue) => issue.includes('short')),
  );
});

test('each limit is counted from the log line its refusal writes; other lines count nothing', () => {
  const lines: [LogEvent, LogFields | undefined, LimitName | undefined][] = [
    ['upgrade.refused', { status: 503, reason: 'capacity' }, 'connections'],
    ['upgrade.refused', { status: 403, reason: 'origin' }, undefined],
    ['message.refused', { errorCode: ErrorCode.RateLimited }, 'rate_limited'],
    ['message.refused', { errorCode: ErrorCode.Malformed }, undefined],
    ['connection.closed', { role: 'visitor', closeCode: 1008, reason: 'rate' }, 'rate_close'],
    ['connection.closed', { role: 'advisor', reason: 'expired' }, undefined],
    ['chat.busy', { reason: 'per_client', count: 3 }, 'waiting_per_client'],
    ['chat.busy', { count: 200 }, 'queue_full'],
    ['cobrowse.webcode_lockout', undefined, 'webcode_lockout'],
    ['cobrowse.webcode_flood', undefined, 'webcode_flood'],
    ['limits.store_full', undefined, 'state_full'],
    ['connection.terminated', { role: 'visitor', reason: 'slow' }, 'slow_reader'],
    ['connection.terminated', { role: 'visitor', reason: 'heartbeat' }, undefined],
    ['chat.started', undefined, undefined],
  ];
  for (const [event, fields, limit] of lines) assert.equal(limitOf(event, fields), limit, event);
  assert.deepEqual(new Set(lines.map(([, , limit]) => limit).filter((l) => l !== undefined)), new Set(LIMITS));

  const counted: string[] = [];
  const written: string[] = [];
  const log = countingLogger(createLogger({ level: 'info', write: (line) => written.push(line) }), {
    refused: (limit) => counted.push(limit),
    upgradeRefused: (reason) => counted.push(`upgrade:${String(reason)}`),
  });
  // Counted whatever the level; written as before.
  log.debug('message.refused', { errorCode: ErrorCode.RateLimited });
  log.info('upgrade.refused', { status: 503, reason: 'capacity' });
  assert.deepEqual(counted, ['rate_limited', 'upgrade:capacity', 'connections']);
  assert.equal(written.length, 1);
});

test('the cached figure: read at most once per period, never twice at once; a slow read shows the last figure', async () => {
  let now = 0;
  let reads = 0;
  let answer: (value: number) => void = () => {};
  const figure = new CachedFigure(
    () => {
      reads += 1;
      return new Promise<number>((resolve) => (answer = resolve));
    },
    { maxAgeMs: 10_000, waitMs: 20, now: () => now },
  );
  assert.equal(await figure.get(), undefined, 'no answer within the wait, nothing read before');
  assert.equal(await figure.get(), undefined);
  assert.equal(reads, 1, 'the read in flight is not started again');
  answer(7);
  assert.equal(await figure.get(), 7);
  now = 9_999;
  assert.equal(await figure.get(), 7);
  assert.equal(reads, 1);
  now = 10_000;
  const next = figure.get();
  answer(8);
  assert.equal(await next, 8);
  assert.equal(reads, 2);
});

test('readiness: every check within the timeout, names only; closing fails it whatever the checks say', async () => {
  const readiness = new Readiness({ timeoutMs: 50 });
  assert.deepEqual(await readiness.run(), { ready: true, failed: [] });
  readiness.add({ name: 'store', check: () => Promise.resolve() });
  readiness.add({ name: 'redis', check: () => Promise.resolve(false) });
  readiness.add({ name: 'slow', check: () => new Promise(() => {}) });
  assert.deepEqual(await readiness.run(), { ready: false, failed: ['redis', 'slow'] });
  assert.throws(() => readiness.add({ name: 'store', check: () => Promise.resolve() }), /added twice/);
  readiness.markClosing();
  assert.deepEqual(await readiness.run(), { ready: false, failed: ['closing'] });
});
