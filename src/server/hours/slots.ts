/**
 * The windows a callback may be asked for: the next opening hours (public holidays, closed dates and windows past
 * midnight as `availability.ts` knows them) cut into windows of `slotMinutes` from each span's start, a window
 * offered only when it starts at least `leadMinutes` from now and lies whole within its span. The server computes
 * them for the form and checks a request's window against them again: a window is never taken from the browser.
 */
import type { HoursConfig } from '../config/hours.js';
import { openSpansFrom } from './availability.js';

export interface Slot {
  /** Epoch ms. */
  from: number;
  to: number;
}

export interface SlotOptions {
  slotMinutes: number;
  slots: number;
  leadMinutes: number;
}

/** How far ahead windows are looked for (a long closure, such as the days around Christmas, is crossed). */
const SEARCH_DAYS = 31;

export function callbackSlots(now: number, config: HoursConfig, options: SlotOptions): Slot[] {
  const length = options.slotMinutes * 60_000;
  const earliest = now + options.leadMinutes * 60_000;
  const out: Slot[] = [];
  for (const span of openSpansFrom(now, config, SEARCH_DAYS)) {
    for (let from = span.start; from + length <= span.end; from += length) {
      if (from < earliest) continue;
      // Two spans that touch (a shift to midnight, the next from midnight) must not offer one window twice.
      if (out.some((slot) => slot.from === from)) continue;
      out.push({ from, to: from + length });
      if (out.length >= options.slots) return out;
    }
  }
  return out;
}
