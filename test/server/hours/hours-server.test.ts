/**
 * Opening hours on a real server with an injected clock (never the wall clock): `GET /availability`, `chat.start`
 * refused while closed, advisors shown as away while closed and as they chose once open.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startServer } from '../helpers.js';

const TERMS = defaults.terms.version;
/** Good Friday 2026, 12:00 in Berlin: closed (holiday). */
const GOOD_FRIDAY = Date.parse('2026-04-03T10:00:00Z');
/** Tuesday 7 April 2026, 08:00 in Berlin: open. */
const TUESDAY_0800 = Date.parse('2026-04-07T06:00:00Z');

function clock(start: number): { now: () => number; set(at: number): void } {
  let current = start;
  return { now: () => current, set: (at) => void (current = at) };
}

test('GET /availability: the JSON, cacheable for 30 s, any origin, never a cookie, nothing logged', async () => {
  const time = clock(GOOD_FRIDAY);
  const harness = await startServer({ hours: {} }, { hoursClock: time.now });
  try {
    const before = harness.logs.length;
    const response = await fetch(`${harness.url}/availability`, {
      headers: { Cookie: 'tracking=1', Origin: 'https://www.example-kasse.de' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=30');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('set-cookie'), null);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), {
      open: false,
      reason: 'holiday',
      holiday: 'Karfreitag',
      nextOpen: '2026-04-07T06:00:00.000Z',
      timeZone: 'Europe/Berlin',
    });
    time.set(TUESDAY_0800);
    const open = await fetch(`${harness.url}/availability`);
    assert.deepEqual(await open.json(), { open: true, reason: 'open', timeZone: 'Europe/Berlin' });
    const head = await fetch(`${harness.url}/availability`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.deepEqual(harness.logs.slice(before), [], 'no log line for availability');
  } finally {
    await harness.close();
  }
});

test('the test servers are always open unless a test configures hours', async () => {
  const harness = await startServer();
  try {
    const body = (await (await fetch(`${harness.url}/availability`)).json()) as { open: boolean };
    assert.equal(body.open, true);
  } finally {
    await harness.close();
  }
});

test('chat.start is refused with LOTSE_ERR_CLOSED while closed, and accepted once open', async () => {
  const time = clock(GOOD_FRIDAY);
  const harness = await startServer({ hours: {} }, { hoursClock: time.now });
  try {
    const visitor = await harness.visitor();
    visitor.send({ type: 'chat.start', nickname: 'Kim', termsVersion: TERMS, lang: 'de' });
    const error = await visitor.next('error');
    assert.equal(error.code, 'LOTSE_ERR_CLOSED');
    assert.equal(error.ref, 'chat.start');
    assert.equal(harness.server.hub.chats.size, 0);

    time.set(TUESDAY_0800);
    visitor.send({ type: 'chat.start', nickname: 'Kim', termsVersion: TERMS, lang: 'de' });
    await visitor.next('chat.started');
    assert.equal(harness.server.hub.chats.size, 1);
  } finally {
    await harness.close();
  }
});

test('the manual switch closes the chat: chat.start refused, reason closed-now', async () => {
  const harness = await startServer({ hours: { alwaysOpen: true, closedNow: true } });
  try {
    assert.deepEqual(await (await fetch(`${harness.url}/availability`)).json(), {
      open: false,
      reason: 'closed-now',
      timeZone: 'Europe/Berlin',
    });
    const visitor = await harness.visitor();
    visitor.send({ type: 'chat.start', nickname: 'Kim', termsVersion: TERMS, lang: 'de' });
    assert.equal((await visitor.next('error')).code, 'LOTSE_ERR_CLOSED');
  } finally {
    await harness.close();
  }
});

test('advisors show as away while closed, and as they chose once open', async () => {
  const time = clock(GOOD_FRIDAY);
  const harness = await startServer({ hours: {} }, { hoursClock: time.now });
  try {
    const anna = await harness.advisor('advisor-a', 'Anna');
    anna.send({ type: 'advisor.hello', chats: [] });
    const welcome = await anna.next('advisor.welcome');
    assert.equal(welcome.presence, 'away');
    assert.equal(welcome.closed, true);

    // Choosing while closed is kept, but the console still hears away.
    anna.send({ type: 'advisor.presence', status: 'available' });
    assert.deepEqual(await anna.next('advisor.presence'), {
      v: 1,
      type: 'advisor.presence',
      status: 'away',
      closed: true,
    });

    const ben = await harness.advisor('advisor-b', 'Ben');
    ben.send({ type: 'advisor.hello', chats: [] });
    await ben.next('advisor.welcome');
    ben.send({ type: 'advisor.presence', status: 'away' });
    await ben.next('advisor.presence');

    time.set(TUESDAY_0800);
    harness.server.hours.check();
    assert.deepEqual(await anna.next('advisor.presence'), { v: 1, type: 'advisor.presence', status: 'available' });
    assert.deepEqual(await ben.next('advisor.presence'), { v: 1, type: 'advisor.presence', status: 'away' });

    // Closing time again: both away.
    time.set(Date.parse('2026-04-07T18:00:00Z'));
    harness.server.hours.check();
    assert.deepEqual(await anna.next('advisor.presence'), {
      v: 1,
      type: 'advisor.presence',
      status: 'away',
      closed: true,
    });
    assert.deepEqual(await ben.next('advisor.presence'), {
      v: 1,
      type: 'advisor.presence',
      status: 'away',
      closed: true,
    });
  } finally {
    await harness.close();
  }
});
