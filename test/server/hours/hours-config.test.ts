/** The `hours` configuration: defaults, environment variables, demo mode, and one clear message per mistake. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../src/server/config/lotse-config.js';
import { loadConfig, resolveConfig } from '../../../src/server/config/load.js';

const SECRET = 'a-very-long-secret-with-more-than-32-characters';
const BASE_ENV = { LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de', LOTSE_ADVISOR_TOKEN_SECRET: SECRET };

function withFile<T>(content: unknown, run: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-hours-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content));
  try {
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  assert.fail('expected a ConfigError');
}

test('hours defaults: Monday to Friday 08:00–20:00 Europe/Berlin, nationwide holidays of DE', () => {
  const { hours } = loadConfig({ env: BASE_ENV });
  assert.equal(hours.timeZone, 'Europe/Berlin');
  assert.equal(hours.alwaysOpen, false);
  assert.equal(hours.closedNow, false);
  assert.deepEqual(hours.weekly.mon, [['08:00', '20:00']]);
  assert.deepEqual(hours.weekly.fri, [['08:00', '20:00']]);
  assert.deepEqual(hours.weekly.sat, []);
  assert.deepEqual(hours.weekly.sun, []);
  assert.deepEqual(hours.holidays, { country: 'DE', states: [] });
  assert.deepEqual(hours.closedDates, []);
  assert.deepEqual(hours.openDates, {});
});

test('hours from the environment: switch, zone, Länder, closed dates', () => {
  const { hours } = loadConfig({
    env: {
      ...BASE_ENV,
      LOTSE_CLOSED_NOW: '1',
      LOTSE_HOURS_TIME_ZONE: 'Europe/Vienna',
      LOTSE_HOLIDAYS_STATES: 'by, NW',
      LOTSE_CLOSED_DATES: '2026-12-24,2026-12-31',
    },
  });
  assert.equal(hours.closedNow, true);
  assert.equal(hours.timeZone, 'Europe/Vienna');
  assert.deepEqual(hours.holidays.states, ['BY', 'NW']);
  assert.deepEqual(hours.closedDates, ['2026-12-24', '2026-12-31']);
});

test('hours from a file: a day given replaces only that day; split shifts and extra open days', () => {
  const hours = withFile(
    {
      hours: {
        weekly: {
          sat: [
            ['09:00', '12:00'],
            ['13:00', '15:00'],
          ],
          fri: [],
        },
        openDates: { '2026-12-27': [['10:00', '14:00']] },
      },
    },
    (file) => loadConfig({ env: BASE_ENV, file }).hours,
  );
  assert.deepEqual(hours.weekly.sat, [
    ['09:00', '12:00'],
    ['13:00', '15:00'],
  ]);
  assert.deepEqual(hours.weekly.fri, []);
  assert.deepEqual(hours.weekly.mon, [['08:00', '20:00']]);
  assert.deepEqual(hours.openDates, { '2026-12-27': [['10:00', '14:00']] });
});

test('demo mode is always open unless hours are configured; the manual switch alone does not count', () => {
  const demo = resolveConfig({ argv: ['--demo'], env: {} });
  assert.equal(demo.config.hours.alwaysOpen, true);
  assert.equal(demo.demoAlwaysOpen, true);
  const switched = resolveConfig({ argv: ['--demo'], env: { LOTSE_CLOSED_NOW: '1' } });
  assert.equal(switched.config.hours.alwaysOpen, true);
  assert.equal(switched.config.hours.closedNow, true);
  const explicit = resolveConfig({ argv: ['--demo'], env: { LOTSE_HOLIDAYS_STATES: 'BY' } });
  assert.equal(explicit.config.hours.alwaysOpen, false);
  assert.equal(explicit.demoAlwaysOpen, false);
  const fromFile = withFile({ hours: { weekly: { sat: [['10:00', '12:00']] } } }, (file) =>
    resolveConfig({ argv: ['--demo'], env: {}, file }),
  );
  assert.equal(fromFile.config.hours.alwaysOpen, false);
  assert.equal(resolveConfig({ env: BASE_ENV }).demoAlwaysOpen, false);
});

test('every hours mistake is reported at once, each with one clear message', () => {
  const issues = withFile(
    {
      hours: {
        timeZone: 'Europe/Berlinn',
        weekly: { mon: [['8:00', '20:00']], tue: [['08:00', '25:00']], wed: [['08:00']], thu: 'all day', someday: [] },
        holidays: { country: 'DE', states: ['XX'] },
        closedDates: ['2026-02-30', '2026-12-24'],
        openDates: { tomorrow: [['08:00', '12:00']], '2026-12-24': [['08:00', '12:00']] },
        closedNoww: true,
      },
    },
    (file) => issuesOf(() => loadConfig({ env: BASE_ENV, file })),
  );
  const expected = [
    'hours.timeZone (env LOTSE_HOURS_TIME_ZONE): "Europe/Berlinn" is not a time zone like Europe/Berlin',
    'hours.weekly.mon (config file only): "8:00" is not a time like 08:00 (two digits each)',
    'hours.weekly.tue (config file only): "25:00" is not a time like 08:00 (two digits each, 24:00 allowed as an end)',
    'hours.weekly.wed (config file only): must be a window like ["08:00", "20:00"]',
    'hours.weekly.thu (config file only): must be a list of windows like [["08:00", "12:00"], ["13:00", "20:00"]] ([] for closed)',
    'hours.weekly.someday (config file only): is not a known setting',
    'hours.closedDates (env LOTSE_CLOSED_DATES): "2026-02-30" is not a date like 2026-12-24',
    'hours.openDates.tomorrow (config file only): "tomorrow" is not a date like 2026-12-24',
    'hours.closedNoww (unknown field): is not a known setting',
  ];
  for (const line of expected) assert.ok(issues.includes(line), `missing: ${line}\n got:\n${issues.join('\n')}`);
  assert.equal(issues.length, expected.length, issues.join('\n'));
});

test('cross-field hours mistakes: unknown country or Land, a date both closed and open', () => {
  const issues = withFile(
    {
      hours: {
        holidays: { country: 'DE', states: ['XX'] },
        closedDates: ['2026-12-24'],
        openDates: { '2026-12-24': [['08:00', '12:00']] },
      },
    },
    (file) => issuesOf(() => loadConfig({ env: BASE_ENV, file })),
  );
  assert.deepEqual(issues, [
    'hours.holidays.states (env LOTSE_HOLIDAYS_STATES): "XX" is not a state of DE; one of BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH',
    'hours.closedDates (env LOTSE_CLOSED_DATES): 2026-12-24 is also in hours.openDates; keep it in one of them',
  ]);
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: { ...BASE_ENV, LOTSE_HOLIDAYS_COUNTRY: 'Germany' } })),
    [
      'hours.holidays.country (env LOTSE_HOLIDAYS_COUNTRY): "GERMANY" is not a country code known to date-holidays, like DE',
    ],
  );
  assert.deepEqual(
    issuesOf(() => loadConfig({ env: { ...BASE_ENV, LOTSE_CLOSED_NOW: 'maybe' } })),
    ['hours.closedNow (env LOTSE_CLOSED_NOW): must be 1/true or 0/false, got "maybe"'],
  );
});
