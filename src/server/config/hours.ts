/**
 * The opening-hours part of the server configuration: its type, defaults, the fields with their environment
 * variables, the schema, and the checks that span several fields. `config.ts` merges it into the whole.
 */
import * as v from 'valibot';
import { countryKnown, statesOf } from '../hours/holidays.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** `["08:00", "20:00"]`, wall-clock time; an end before or equal to the start runs past midnight. */
export type Window = readonly [string, string];

export interface HoursConfig {
  /** Open around the clock (demo mode and tests); `closedNow` still wins. */
  alwaysOpen: boolean;
  /** The manual switch: closed until switched off again, whatever the hours say. */
  closedNow: boolean;
  /** IANA time zone the windows are wall-clock times in. */
  timeZone: string;
  weekly: Readonly<Record<Weekday, readonly Window[]>>;
  /** Statutory public holidays (type `public` of `date-holidays`): nationwide, plus those of the listed Länder. */
  holidays: { country: string; states: readonly string[] };
  /** Extra closed days, `YYYY-MM-DD` in the configured time zone. */
  closedDates: readonly string[];
  /** Extra open days with their own windows; they win over weekly hours, holidays and closed dates. */
  openDates: Readonly<Record<string, readonly Window[]>>;
}

const BUSINESS: readonly Window[] = [['08:00', '20:00']];

export const hoursDefaults = {
  alwaysOpen: false,
  closedNow: false,
  timeZone: 'Europe/Berlin',
  weekly: { mon: BUSINESS, tue: BUSINESS, wed: BUSINESS, thu: BUSINESS, fri: BUSINESS, sat: [], sun: [] },
  holidays: { country: 'DE', states: [] },
  closedDates: [],
  openDates: {},
} as const satisfies HoursConfig;

/** The rows `config.ts` adds to its FIELDS table (same shape). */
export const HOURS_FIELDS = [
  { path: 'hours.alwaysOpen', env: 'LOTSE_HOURS_ALWAYS_OPEN', kind: 'bool' },
  { path: 'hours.closedNow', env: 'LOTSE_CLOSED_NOW', kind: 'bool' },
  { path: 'hours.timeZone', env: 'LOTSE_HOURS_TIME_ZONE', kind: 'string' },
  { path: 'hours.weekly', kind: 'list' },
  { path: 'hours.holidays.country', env: 'LOTSE_HOLIDAYS_COUNTRY', kind: 'string' },
  { path: 'hours.holidays.states', env: 'LOTSE_HOLIDAYS_STATES', kind: 'list' },
  { path: 'hours.closedDates', env: 'LOTSE_CLOSED_DATES', kind: 'list' },
  { path: 'hours.openDates', kind: 'list' },
] as const;

/** Minutes after midnight of `HH:MM` (00:00 to 24:00). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const time = (end: boolean) =>
  v.pipe(
    // A missing end arrives here as undefined: say what a window is.
    v.string((issue) => (issue.input === undefined ? 'must be a window like ["08:00", "20:00"]' : 'must be a time like "08:00"')),
    v.check(
      (value) => TIME.test(value) || (end && value === '24:00'),
      (issue) => `"${String(issue.input).slice(0, 20)}" is not a time like 08:00 (two digits each${end ? ', 24:00 allowed as an end' : ''})`,
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

export const HoursConfigSchema = v.strictObject({
  alwaysOpen: v.boolean('must be true or false'),
  closedNow: v.boolean('must be true or false'),
  timeZone: v.pipe(
    v.string('must be a string'),
    v.check(isTimeZone, (issue) => `"${String(issue.input).slice(0, 40)}" is not a time zone like Europe/Berlin`),
  ),
  weekly: v.strictObject(
    Object.fromEntries(WEEKDAYS.map((day) => [day, v.optional(windows(), [])])) as Record<Weekday, v.OptionalSchema<ReturnType<typeof windows>, []>>,
    'must be an object with the days mon, tue, wed, thu, fri, sat, sun',
  ),
  holidays: v.strictObject({
    country: v.pipe(v.string('must be a string'), v.toUpperCase()),
    states: v.array(v.pipe(v.string('must be a string'), v.toUpperCase()), 'must be a list of Länder codes like BY'),
  }, 'must be an object'),
  closedDates: v.array(dateKey(), 'must be a list of dates like 2026-12-24'),
  openDates: v.record(dateKey(), windows(), 'must be an object of dates with their windows'),
}, 'must be an object');

/** Checks across fields, after the schema passed. `label` names a field with its environment variable. */
export function hoursIssues(config: HoursConfig, label: (path: string) => string): string[] {
  const issues: string[] = [];
  const { country, states } = config.holidays;
  if (!countryKnown(country)) {
    issues.push(`${label('hours.holidays.country')}: "${country.slice(0, 20)}" is not a country code known to date-holidays, like DE`);
  } else {
    const known = statesOf(country);
    for (const state of states) {
      if (!known.includes(state)) {
        issues.push(`${label('hours.holidays.states')}: "${state.slice(0, 20)}" is not a state of ${country}; one of ${known.join(', ') || '(none)'}`);
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
