/**
 * Statutory public holidays from `date-holidays`, computed here on the server: type `public` only (24 and 31
 * December are not statutory), nationwide plus those of the configured Länder, names in German. One table per
 * region and year, made on first use.
 */
import Holidays from 'date-holidays';

const tables = new Map<string, ReadonlyMap<string, string>>();
const directory = new Holidays();

export function countryKnown(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && Object.hasOwn(directory.getCountries(), country);
}

export function statesOf(country: string): string[] {
  return Object.keys(directory.getStates(country) ?? {});
}

/** Date (`YYYY-MM-DD`) → German name of the public holidays of one region in one year. */
function table(country: string, state: string | undefined, year: number): ReadonlyMap<string, string> {
  const key = `${country}/${state ?? ''}/${year}`;
  let found = tables.get(key);
  if (found === undefined) {
    const calendar =
      state === undefined
        ? new Holidays(country, { types: ['public'] })
        : new Holidays(country, state, { types: ['public'] });
    const days = new Map<string, string>();
    for (const holiday of calendar.getHolidays(year, 'de')) {
      const date = holiday.date.slice(0, 10);
      if (holiday.type === 'public' && !days.has(date)) days.set(date, holiday.name);
    }
    found = days;
    tables.set(key, found);
  }
  return found;
}

/** The German name of the statutory holiday on `date` (`YYYY-MM-DD`), or `undefined` on a working day. */
export function holidayOn(date: string, region: { country: string; states: readonly string[] }): string | undefined {
  const year = Number(date.slice(0, 4));
  const regions = region.states.length === 0 ? [undefined] : region.states;
  for (const state of regions) {
    const name = table(region.country, state, year).get(date);
    if (name !== undefined) return name;
  }
  return undefined;
}
