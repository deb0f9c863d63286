/**
 * Whether the chat is open at an instant, why not, and when it opens next: a pure function of the instant and
 * the configuration (the holidays come from `date-holidays`, computed here). Windows are wall-clock times in the
 * configured zone; one whose end is before or equal to its start runs past midnight into the next day.
 */
import type { HoursConfig, Window } from '../config/hours.js';
import { WEEKDAYS, minutesOf } from '../config/hours.js';
import { holidayOn } from './holidays.js';
import { addDays, dayOf, instantOf, keyOf, weekdayOf } from './zone.js';
import type { Day } from './zone.js';

export type AvailabilityReason = 'open' | 'outside-hours' | 'holiday' | 'closed-date' | 'closed-now';

/** The body of `GET /availability`. */
export interface Availability {
  open: boolean;
  reason: AvailabilityReason;
  /** German name of today's statutory holiday (reason `holiday`). */
  holiday?: string;
  /** When the chat opens next (ISO instant), while closed; absent when no opening is known. */
  nextOpen?: string;
}

/** How far ahead an opening is looked for. */
const SEARCH_DAYS = 400;

export interface Span {
  start: number;
  end: number;
}

interface DayPlan {
  windows: readonly Window[];
  reason?: 'holiday' | 'closed-date';
  holiday?: string;
}

function planOf(day: Day, config: HoursConfig): DayPlan {
  const key = keyOf(day);
  const extra = config.openDates[key];
  if (extra !== undefined) return { windows: extra };
  if (config.closedDates.includes(key)) return { windows: [], reason: 'closed-date' };
  const holiday = holidayOn(key, config.holidays);
  if (holiday !== undefined) return { windows: [], reason: 'holiday', holiday };
  return { windows: config.weekly[WEEKDAYS[weekdayOf(day)]!] };
}

/** The open spans that start on `day`, earliest first. */
function spansOf(day: Day, config: HoursConfig): Span[] {
  return planOf(day, config)
    .windows.map(([from, to]) => {
      const start = minutesOf(from);
      let end = minutesOf(to);
      if (end <= start) end += 24 * 60;
      return { start: instantOf(day, start, config.timeZone), end: instantOf(day, end, config.timeZone) };
    })
    .sort((a, b) => a.start - b.start);
}

/** The span holding `at` (one that started yesterday and runs past midnight included). */
function spanAt(at: number, config: HoursConfig): Span | undefined {
  const today = dayOf(at, config.timeZone);
  return [...spansOf(addDays(today, -1), config), ...spansOf(today, config)].find(
    (span) => span.start <= at && at < span.end,
  );
}

/** The first opening after `at`, or `undefined` within `SEARCH_DAYS`. */
function nextStart(at: number, config: HoursConfig): number | undefined {
  const today = dayOf(at, config.timeZone);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const span = spansOf(addDays(today, i), config).find((candidate) => candidate.start > at);
    if (span !== undefined) return span.start;
  }
  return undefined;
}

/**
 * The open spans that end after `at`, earliest first, over the next `days` days (the span running at `at`
 * included): what `hours/slots.ts` cuts callback windows from. Nothing while closed by the switch; always-open
 * hours are every day from midnight to midnight.
 */
export function openSpansFrom(at: number, config: HoursConfig, days: number): Span[] {
  if (config.closedNow) return [];
  const today = dayOf(at, config.timeZone);
  const spans: Span[] = [];
  for (let i = -1; i <= days; i++) {
    const day = addDays(today, i);
    const own = config.alwaysOpen
      ? [{ start: instantOf(day, 0, config.timeZone), end: instantOf(addDays(day, 1), 0, config.timeZone) }]
      : spansOf(day, config);
    spans.push(...own.filter((span) => span.end > at));
  }
  return spans.sort((a, b) => a.start - b.start);
}

export function availability(now: Date, config: HoursConfig): Availability {
  if (config.closedNow) return { open: false, reason: 'closed-now' };
  if (config.alwaysOpen) return { open: true, reason: 'open' };
  const at = now.getTime();
  if (spanAt(at, config) !== undefined) return { open: true, reason: 'open' };
  const plan = planOf(dayOf(at, config.timeZone), config);
  const result: Availability = { open: false, reason: plan.reason ?? 'outside-hours' };
  if (plan.holiday !== undefined) result.holiday = plan.holiday;
  const next = nextStart(at, config);
  if (next !== undefined) result.nextOpen = new Date(next).toISOString();
  return result;
}

/**
 * When `availability` next changes between open and closed (epoch ms), or `undefined` if it never does by the
 * hours alone (always open, closed by the switch, or no opening within `SEARCH_DAYS`).
 */
export function nextChange(now: Date, config: HoursConfig): number | undefined {
  if (config.closedNow || config.alwaysOpen) return undefined;
  const at = now.getTime();
  let span = spanAt(at, config);
  if (span === undefined) return nextStart(at, config);
  // Back-to-back windows (a shift to midnight, the next from midnight) are one opening.
  for (let i = 0; i < 14; i++) {
    const end: number = span.end;
    const following = spanAt(end, config);
    if (following === undefined || following.end <= end) return end;
    span = following;
  }
  return span.end;
}
