/**
 * Wall-clock calendar arithmetic in an IANA time zone with `Intl.DateTimeFormat`: never a fixed offset, so both
 * DST changes fall where the zone's rules put them.
 */

/** A calendar day; `m` is 1 to 12. */
export interface Day {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let found = formats.get(timeZone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, found);
  }
  return found;
}

/** The wall-clock reading of an instant, as if it were UTC (milliseconds), to subtract instants from. */
function wallAt(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of format(timeZone).formatToParts(at)) parts[part.type] = Number(part.value);
  return Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day']!,
    parts['hour']!,
    parts['minute']!,
    parts['second']!,
  );
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  return wallAt(at, timeZone) - (at - (((at % 1000) + 1000) % 1000));
}

/** The calendar day an instant falls on in the zone. */
export function dayOf(at: number, timeZone: string): Day {
  const wall = new Date(wallAt(at, timeZone));
  return { y: wall.getUTCFullYear(), m: wall.getUTCMonth() + 1, d: wall.getUTCDate() };
}

export function addDays(day: Day, days: number): Day {
  const date = new Date(Date.UTC(day.y, day.m - 1, day.d + days));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** 0 (Sunday) to 6 (Saturday). */
export function weekdayOf(day: Day): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

/** `YYYY-MM-DD`. */
export function keyOf(day: Day): string {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).toISOString().slice(0, 10);
}

/**
 * The instant at which the zone's clocks read `minutes` after midnight of `day` (more than 1440 reaches into the
 * next day). A time the clocks skip (spring forward) maps to the instant as far after the gap's start; a time
 * they show twice (fall back) to its second occurrence.
 */
export function instantOf(day: Day, minutes: number, timeZone: string): number {
  const wall = Date.UTC(day.y, day.m - 1, day.d) + minutes * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}
