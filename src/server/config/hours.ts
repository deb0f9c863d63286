/**
 * The opening-hours area of the server configuration: one schema, every setting with its environment variable,
 * default and description (`fields.ts`); the type is inferred from it. Plus the checks that span several fields.
 */
import * as v from 'valibot';
import { countryKnown, statesOf } from '../hours/holidays.js';
import { defaultsOf, setting } from './fields.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** `["08:00", "20:00"]`, wall-clock time; an end before or equal to the start runs past midnight. */
export type Window = readonly [string, string];

/** Minutes after midnight of `HH:MM` (00:00 to 24:00). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const time = (end: boolean) =>
  v.pipe(
    // A missing end arrives here as undefined: say what a window is.
    v.string((issue) =>
      issue.input === undefined ? 'must be a window like ["08:00", "20:00"]' : 'must be a time like "08:00"',
    ),
    v.check(
      (value) => TIME.test(value) || (end && value === '24:00'),
      (issue) =>
        `"${String(issue.input).slice(0, 20)}" is not a time like 08:00 (two digits each${end ? ', 24:00 allowed as an end' : ''})`,
    ),
  );
const windows = () =>
  v.array(
    v.strictTuple([time(false), time(true)], 'must be a window like ["08:00", "20:00"]'),
    'must be a list of windows like [["08:00", "12:00"], ["13:00", "20:00"]] ([] for closed)',
  );

/** A real calendar day written `YYYY-MM-DD`. */
export function isDateKey(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value !== '';
  } catch {
    return false;
  }
}

const dateKey = () =>
  v.pipe(
    v.string('must be a string'),
    v.check(isDateKey, (issue) => `"${String(issue.input).slice(0, 20)}" is not a date like 2026-12-24`),
  );

const BUSINESS: [string, string][] = [['08:00', '20:00']];

/** Opening hours with statutory public holidays (`hours/`). */
export const HoursConfigSchema = v.strictObject(
  {
    alwaysOpen: v.optional(
      setting(v.boolean('must be true or false'), 'ignore the hours (`closedNow` still wins)', {
        env: 'LOTSE_HOURS_ALWAYS_OPEN',
        defaultNote: ' (demo: `true` unless hours are configured)',
      }),
      false,
    ),
    closedNow: v.optional(
      setting(
        v.boolean('must be true or false'),
        'the manual switch: closed now, whatever the hours say (restart to apply)',
        { env: 'LOTSE_CLOSED_NOW' },
      ),
      false,
    ),
    timeZone: v.optional(
      setting(
        v.pipe(
          v.string('must be a string'),
          v.check(isTimeZone, (issue) => `"${String(issue.input).slice(0, 40)}" is not a time zone like Europe/Berlin`),
        ),
        "IANA time zone the windows are wall-clock times in (DST follows the zone's rules)",
        { env: 'LOTSE_HOURS_TIME_ZONE' },
      ),
      'Europe/Berlin',
    ),
    weekly: v.optional(
      setting(
        v.strictObject(
          Object.fromEntries(WEEKDAYS.map((day) => [day, v.optional(windows(), [])])) as Record<
            Weekday,
            v.OptionalSchema<ReturnType<typeof windows>, []>
          >,
          'must be an object with the days mon, tue, wed, thu, fri, sat, sun',
        ),
        'windows per weekday; several make split shifts; an end before or equal to its start runs past midnight (`["22:00","02:00"]`); `[]` closes the day; a day not given keeps its default',
        {
          label: '`hours.weekly.mon` … `hours.weekly.sun`',
          shownDefault: 'Mon–Fri `[["08:00","20:00"]]`, Sat/Sun `[]`',
        },
      ),
      { mon: BUSINESS, tue: BUSINESS, wed: BUSINESS, thu: BUSINESS, fri: BUSINESS, sat: [], sun: [] },
    ),
    holidays: v.strictObject(
      {
        country: v.optional(
          setting(
            v.pipe(v.string('must be a string'), v.toUpperCase()),
            'statutory public holidays (`date-holidays`, type `public` only: 24 and 31 December are not closed)',
            { env: 'LOTSE_HOLIDAYS_COUNTRY' },
          ),
          'DE',
        ),
        states: v.optional(
          setting(
            v.array(v.pipe(v.string('must be a string'), v.toUpperCase()), 'must be a list of Länder codes like BY'),
            'Länder codes (`BY`, `NW`, …) whose holidays close the chat too; none = nationwide holidays only',
            { env: 'LOTSE_HOLIDAYS_STATES' },
          ),
          [],
        ),
      },
      'must be an object',
    ),
    closedDates: v.optional(
      setting(v.array(dateKey(), 'must be a list of dates like 2026-12-24'), 'extra closed days, `YYYY-MM-DD`', {
        env: 'LOTSE_CLOSED_DATES',
      }),
      [],
    ),
    openDates: v.optional(
      setting(
        v.record(dateKey(), windows(), 'must be an object of dates with their windows'),
        'extra open days with their own windows, `{"2026-12-27": [["10:00","14:00"]]}`; win over weekly hours, holidays and closed dates',
      ),
      {},
    ),
  },
  'must be an object',
);

export type HoursConfig = v.InferOutput<typeof HoursConfigSchema>;

export const hoursDefaults = defaultsOf(HoursConfigSchema);

/** Checks across fields, after the schema passed. `label` names a field with its environment variable. */
export function hoursIssues(config: HoursConfig, label: (path: string) => string): string[] {
  const issues: string[] = [];
  const { country, states } = config.holidays;
  if (!countryKnown(country)) {
    issues.push(
      `${label('hours.holidays.country')}: "${country.slice(0, 20)}" is not a country code known to date-holidays, like DE`,
    );
  } else {
    const known = statesOf(country);
    for (const state of states) {
      if (!known.includes(state)) {
        issues.push(
          `${label('hours.holidays.states')}: "${state.slice(0, 20)}" is not a state of ${country}; one of ${known.join(', ') || '(none)'}`,
        );
      }
    }
  }
  for (const date of config.closedDates) {
    if (Object.hasOwn(config.openDates, date)) {
      issues.push(`${label('hours.closedDates')}: ${date} is also in hours.openDates; keep it in one of them`);
    }
  }
  return issues;
}
