/**
 * Opening hours at their edges, as a pure function of an injected instant (never the wall clock): weekday edges in
 * Europe/Berlin wall time, both DST changes of 2026, statutory holidays (nationwide and of one Land only), the
 * non-statutory 24 and 31 December, windows past midnight, extra closed and open days, the manual switch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availability, nextChange } from '../../../src/server/hours/availability.js';
import { hoursDefaults } from '../../../src/server/config/hours.js';
import type { HoursConfig } from '../../../src/server/config/hours.js';

const hours = (over: Partial<HoursConfig> = {}): HoursConfig => ({ ...hoursDefaults, ...over });
/** Availability at an ISO instant. */
const at = (iso: string, config: HoursConfig = hours()) => availability(new Date(iso), config);

test('Monday 07:59 closed, 08:00 open, 19:59 open, 20:00 closed (Berlin wall time, winter and summer)', () => {
  // Monday 12 January 2026, CET (UTC+1).
  assert.deepEqual(at('2026-01-12T06:59:00Z'), {
    open: false,
    reason: 'outside-hours',
    nextOpen: '2026-01-12T07:00:00.000Z',
  });
  assert.deepEqual(at('2026-01-12T07:00:00Z'), { open: true, reason: 'open' });
  assert.deepEqual(at('2026-01-12T18:59:59Z'), { open: true, reason: 'open' });
  assert.deepEqual(at('2026-01-12T19:00:00Z'), {
    open: false,
    reason: 'outside-hours',
    nextOpen: '2026-01-13T07:00:00.000Z',
  });
  // Monday 15 June 2026, CEST (UTC+2).
  assert.equal(at('2026-06-15T05:59:00Z').open, false);
  assert.equal(at('2026-06-15T06:00:00Z').open, true);
  assert.equal(at('2026-06-15T17:59:00Z').open, true);
  assert.equal(at('2026-06-15T18:00:00Z').open, false);
});

test('spring forward, 29 March 2026: 08:00 local is 06:00Z, and a window across the gap is an hour shorter', () => {
  // A Sunday: give it hours so that the day itself is tested.
  const config = hours({
    weekly: {
      ...hoursDefaults.weekly,
      sun: [
        ['01:00', '04:00'],
        ['08:00', '20:00'],
      ],
    },
  });
  assert.equal(at('2026-03-29T00:00:00Z', config).open, true, '01:00 CET');
  assert.equal(nextChange(new Date('2026-03-29T00:00:00Z'), config), Date.parse('2026-03-29T02:00:00Z'), '04:00 CEST');
  // 01:00 to 04:00 wall time is two hours on this day.
  assert.equal(Date.parse('2026-03-29T02:00:00Z') - Date.parse('2026-03-29T00:00:00Z'), 2 * 3600_000);
  assert.equal(at('2026-03-29T02:00:00Z', config).nextOpen, '2026-03-29T06:00:00.000Z');
  assert.equal(at('2026-03-29T06:00:00Z', config).open, true);
  assert.equal(nextChange(new Date('2026-03-29T06:00:00Z'), config), Date.parse('2026-03-29T18:00:00Z'));
  // The Friday before was winter time, the Monday after is summer time.
  assert.equal(at('2026-03-27T06:59:00Z').open, false);
  assert.equal(at('2026-03-27T07:00:00Z').open, true);
  assert.equal(at('2026-03-28T12:00:00Z').nextOpen, '2026-03-30T06:00:00.000Z');
});

test('fall back, 25 October 2026: 08:00 local is 07:00Z, and a window across the change is an hour longer', () => {
  const config = hours({
    weekly: {
      ...hoursDefaults.weekly,
      sun: [
        ['01:00', '04:00'],
        ['08:00', '20:00'],
      ],
    },
  });
  assert.equal(at('2026-10-24T23:00:00Z', config).open, true, '01:00 CEST');
  assert.equal(nextChange(new Date('2026-10-24T23:00:00Z'), config), Date.parse('2026-10-25T03:00:00Z'), '04:00 CET');
  assert.equal(Date.parse('2026-10-25T03:00:00Z') - Date.parse('2026-10-24T23:00:00Z'), 4 * 3600_000);
  assert.equal(at('2026-10-25T06:59:00Z', config).open, false);
  assert.equal(at('2026-10-25T07:00:00Z', config).open, true);
  assert.equal(nextChange(new Date('2026-10-25T07:00:00Z'), config), Date.parse('2026-10-25T19:00:00Z'));
  assert.equal(at('2026-10-24T12:00:00Z').nextOpen, '2026-10-26T07:00:00.000Z', 'Monday 08:00 CET');
  assert.equal(at('2026-10-23T05:59:00Z').open, false, 'Friday 07:59 CEST');
  assert.equal(at('2026-10-23T06:00:00Z').open, true, 'Friday 08:00 CEST');
});

test('Good Friday 3 April 2026 is closed, and so is Easter Monday: next opening Tuesday 7 April 08:00', () => {
  assert.deepEqual(at('2026-04-03T10:00:00Z'), {
    open: false,
    reason: 'holiday',
    holiday: 'Karfreitag',
    nextOpen: '2026-04-07T06:00:00.000Z',
  });
  assert.deepEqual(at('2026-04-06T10:00:00Z'), {
    open: false,
    reason: 'holiday',
    holiday: 'Ostermontag',
    nextOpen: '2026-04-07T06:00:00.000Z',
  });
  assert.equal(at('2026-04-02T17:59:00Z').open, true, 'Maundy Thursday is a working day');
  assert.equal(at('2026-04-02T18:00:00Z').nextOpen, '2026-04-07T06:00:00.000Z');
});

test('25 and 26 December closed; 24 and 31 December open (not statutory)', () => {
  assert.equal(at('2026-12-25T10:00:00Z').reason, 'holiday');
  assert.equal(at('2026-12-25T10:00:00Z').holiday, '1. Weihnachtstag');
  // 26 December 2025 is a Friday: a weekday closed only by the holiday.
  assert.deepEqual(at('2025-12-26T10:00:00Z'), {
    open: false,
    reason: 'holiday',
    holiday: '2. Weihnachtstag',
    nextOpen: '2025-12-29T07:00:00.000Z',
  });
  assert.deepEqual(at('2026-12-24T10:00:00Z'), { open: true, reason: 'open' });
  assert.deepEqual(at('2026-12-31T10:00:00Z'), { open: true, reason: 'open' });
  assert.deepEqual(at('2025-12-24T10:00:00Z'), { open: true, reason: 'open' });
  assert.deepEqual(at('2025-12-31T10:00:00Z'), { open: true, reason: 'open' });
  // New Year's Day 2026 (a Thursday) is closed; Friday 2 January opens at 08:00.
  assert.equal(at('2026-01-01T10:00:00Z').nextOpen, '2026-01-02T07:00:00.000Z');
});

test('a holiday of one Land only: Epiphany (6 January 2026) closed with states [BY], open nationwide', () => {
  assert.deepEqual(at('2026-01-06T10:00:00Z'), { open: true, reason: 'open' });
  const bavaria = hours({ holidays: { country: 'DE', states: ['BY'] } });
  assert.deepEqual(at('2026-01-06T10:00:00Z', bavaria), {
    open: false,
    reason: 'holiday',
    holiday: 'Heilige Drei Könige',
    nextOpen: '2026-01-07T07:00:00.000Z',
  });
  // Several Länder: a holiday of any of them closes the chat (Reformation Day is not one in Bavaria).
  const both = hours({ holidays: { country: 'DE', states: ['BY', 'SN'] } });
  assert.equal(at('2026-10-30T10:00:00Z', bavaria).open, true, 'a Friday');
  assert.equal(at('2026-11-18T10:00:00Z', both).reason, 'holiday', 'Buß- und Bettag in Saxony');
  assert.equal(at('2026-11-18T10:00:00Z', bavaria).open, true);
});

test('a window past midnight: Friday 22:00–02:00 is open on Saturday at 01:30, closed at 02:00', () => {
  const config = hours({
    weekly: {
      ...hoursDefaults.weekly,
      fri: [
        ['08:00', '20:00'],
        ['22:00', '02:00'],
      ],
    },
  });
  // Friday 16 January 2026 and Saturday 17 January, CET.
  assert.equal(at('2026-01-16T20:59:00Z', config).open, false, 'Friday 21:59');
  assert.equal(at('2026-01-16T21:00:00Z', config).open, true, 'Friday 22:00');
  assert.equal(at('2026-01-17T00:30:00Z', config).open, true, 'Saturday 01:30');
  assert.deepEqual(at('2026-01-17T01:00:00Z', config), {
    open: false,
    reason: 'outside-hours',
    nextOpen: '2026-01-19T07:00:00.000Z',
  });
  // A window ending at its own start runs 24 hours; back-to-back windows close only at their common end.
  const night = hours({ weekly: { ...hoursDefaults.weekly, fri: [['20:00', '00:00']], sat: [['00:00', '06:00']] } });
  assert.equal(nextChange(new Date('2026-01-16T20:00:00Z'), night), Date.parse('2026-01-17T05:00:00Z'));
});

test('split shifts: closed over lunch, open again after it', () => {
  const config = hours({
    weekly: {
      ...hoursDefaults.weekly,
      wed: [
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ],
    },
  });
  assert.equal(at('2026-01-14T10:59:00Z', config).open, true);
  assert.deepEqual(at('2026-01-14T11:00:00Z', config), {
    open: false,
    reason: 'outside-hours',
    nextOpen: '2026-01-14T12:00:00.000Z',
  });
  assert.equal(at('2026-01-14T12:00:00Z', config).open, true);
  assert.equal(at('2026-01-14T16:00:00Z', config).open, false);
});

test('nextOpen across a weekend: Friday evening to Monday 08:00', () => {
  assert.deepEqual(at('2026-01-16T19:30:00Z'), {
    open: false,
    reason: 'outside-hours',
    nextOpen: '2026-01-19T07:00:00.000Z',
  });
  assert.equal(at('2026-01-17T12:00:00Z').nextOpen, '2026-01-19T07:00:00.000Z', 'Saturday');
  assert.equal(at('2026-01-18T22:59:00Z').nextOpen, '2026-01-19T07:00:00.000Z', 'Sunday 23:59');
});

test('extra closed days and extra open days with their own windows', () => {
  const config = hours({
    closedDates: ['2026-01-14'],
    openDates: { '2026-01-17': [['10:00', '14:00']], '2026-04-03': [['09:00', '12:00']] },
  });
  assert.deepEqual(at('2026-01-14T10:00:00Z', config), {
    open: false,
    reason: 'closed-date',
    nextOpen: '2026-01-15T07:00:00.000Z',
  });
  assert.equal(at('2026-01-17T09:00:00Z', config).open, true, 'Saturday opened');
  assert.equal(at('2026-01-17T13:00:00Z', config).open, false);
  assert.equal(at('2026-01-16T20:00:00Z', config).nextOpen, '2026-01-17T09:00:00.000Z');
  // An extra open day wins over a holiday.
  assert.equal(at('2026-04-03T08:00:00Z', config).open, true, 'Good Friday 10:00 opened');
  assert.equal(at('2026-04-03T10:00:00Z', config).nextOpen, '2026-04-07T06:00:00.000Z');
});

test('closedNow closes at once with no known reopening; alwaysOpen opens around the clock', () => {
  assert.deepEqual(at('2026-01-12T10:00:00Z', hours({ closedNow: true })), { open: false, reason: 'closed-now' });
  assert.deepEqual(at('2026-01-12T10:00:00Z', hours({ closedNow: true, alwaysOpen: true })), {
    open: false,
    reason: 'closed-now',
  });
  assert.deepEqual(at('2026-04-03T02:00:00Z', hours({ alwaysOpen: true })), { open: true, reason: 'open' });
  assert.equal(nextChange(new Date('2026-04-03T02:00:00Z'), hours({ alwaysOpen: true })), undefined);
});

test('another time zone moves the same hours', () => {
  const config = hours({ timeZone: 'America/New_York', holidays: { country: 'US', states: [] } });
  assert.equal(at('2026-01-12T12:59:00Z', config).open, false, '07:59 EST');
  assert.equal(at('2026-01-12T13:00:00Z', config).open, true, '08:00 EST');
});

test('never open: no nextOpen', () => {
  const never = hours({ weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
  assert.deepEqual(at('2026-01-12T10:00:00Z', never), { open: false, reason: 'outside-hours' });
});
