/**
 * The visitor's hand-written parser of what the advisor sends on the data channel, against `PeerMessageSchema`:
 * for every generated value, the same message (unknown fields left out) when the schema takes it and it is one
 * of the advisor's four, `undefined` otherwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePeerMessage } from '../../src/protocol/peer.js';
import { parsePeerToVisitor } from '../../src/protocol/peer-to-visitor.js';
import { random } from '../helpers/random.js';

const ADVISOR = new Set(['pointer', 'ping', 'snapshot', 'bye']);

function expected(value: unknown): unknown {
  const message = parsePeerMessage(value);
  return message !== undefined && ADVISOR.has(message.t) ? message : undefined;
}

const VALUES: unknown[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  120,
  -1e6,
  -1e6 - 1,
  1e7,
  1e7 + 0.5,
  1e300,
  Infinity,
  -Infinity,
  NaN,
  1_700_000_000_000,
  true,
  false,
  null,
  undefined,
  '',
  '1',
  'pointer',
  [],
  [1],
  {},
  { x: 1 },
];
const TYPES = ['pointer', 'ping', 'pong', 'snapshot', 'bye', 'events', 'click', '', 1, null];

test('takes what the advisor sends, as the schema does', () => {
  const messages = [
    { t: 'pointer', x: 120, y: 480, visible: true },
    { t: 'pointer', x: -1e6, y: 1e7, visible: false },
    { t: 'ping', a: 1_700_000_000_000 },
    { t: 'snapshot' },
    { t: 'bye' },
  ];
  for (const message of messages) {
    assert.deepStrictEqual(parsePeerToVisitor({ ...message, extra: 1 }), message);
    assert.deepStrictEqual(parsePeerToVisitor(message), expected(message));
  }
  for (const other of [
    { t: 'pong', a: 1, b: 2 },
    { t: 'events', events: [] },
    [],
    null,
    'bye',
    { t: 'pointer', x: 1, y: 2 },
  ]) {
    assert.equal(parsePeerToVisitor(other), undefined, JSON.stringify(other));
  }
});

test('gives the same answer as the schema on 30,000 generated values', () => {
  const seed = 5_112_026;
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  let accepted = 0;
  for (let i = 0; i < 30_000; i += 1) {
    const value: Record<string, unknown> = { t: pick(TYPES) };
    for (const key of ['x', 'y', 'visible', 'a', 'b', 'events']) {
      const roll = next();
      if (roll < 0.3) continue;
      value[key] = roll < 0.75 ? (key === 'visible' ? next() < 0.5 : Math.round((next() - 0.3) * 2e7)) : pick(VALUES);
    }
    if (next() < 0.05) delete value['t'];
    const actual = parsePeerToVisitor(value);
    assert.deepStrictEqual(actual, expected(value), `seed ${seed}, case ${i}: ${JSON.stringify(value)}`);
    if (actual !== undefined) accepted += 1;
  }
  assert.ok(accepted > 3000 && accepted < 27_000, `accepted ${accepted} of 30,000`);
});
