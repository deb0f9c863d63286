/**
 * The hand-written parser of the visitor's co-browse socket against the valibot schema it stands in for: the same
 * frames, valid and invalid, must get the same answer from both (ok or not, error code, message, ref, and the
 * same message with unknown fields left out). Thousands of frames generated from valid ones by seeded random
 * changes, plus hand-picked edge cases.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COBROWSE_VISITOR_TYPES, parseCobrowseVisitorFrame } from '../../src/protocol/cobrowse-visitor-parse.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import { MAX_SIGNAL_LENGTH, RESUME_TOKEN_LENGTH } from '../../src/protocol/limits.js';
import { ServerToCobrowseVisitorSchema } from '../../src/protocol/messages.js';
import { parseServerToCobrowseVisitor } from '../../src/protocol/parse.js';
import { random } from '../helpers/random.js';

const SESSION = 'session-0001';
const TOKEN = 'r'.repeat(RESUME_TOKEN_LENGTH);

/** One or more valid frames of every type the co-browse socket receives. */
const VALID: Record<string, unknown>[] = [
  { v: 1, type: 'session.pong' },
  { v: 1, type: 'error', code: ErrorCode.InvalidCode, message: 'invalid code' },
  { v: 1, type: 'error', code: ErrorCode.RateLimited, message: '', ref: 'cobrowse.join' },
  { v: 1, type: 'cobrowse.pending', sessionId: SESSION, advisor: 'Frau Berger' },
  { v: 1, type: 'cobrowse.startcode', sessionId: SESSION, startCode: 'ACDEFHJK', expiresAt: 1_700_000_300_000 },
  {
    v: 1,
    type: 'cobrowse.started',
    sessionId: SESSION,
    iceServers: [{ urls: 'stun:stun.example.de' }, { urls: ['turn:a', 'turns:b'], username: 'u', credential: 'c' }],
    iceTransportPolicy: 'all',
    resumeToken: TOKEN,
    initiator: false,
    advisor: 'Anna',
  },
  {
    v: 1,
    type: 'cobrowse.started',
    sessionId: SESSION,
    iceServers: [],
    iceTransportPolicy: 'relay',
    resumeToken: TOKEN,
    initiator: true,
    advisor: '',
  },
  { v: 1, type: 'cobrowse.signal', sessionId: SESSION, signal: '{"type":"offer","sdp":"v=0"}' },
  { v: 1, type: 'cobrowse.ended', sessionId: SESSION, by: 'advisor' },
];

/** Values that sit on every edge the schema has, and some that fit nowhere. */
function pool(): unknown[] {
  const text = (n: number, c = 'a') => c.repeat(n);
  return [
    ...[0, 1, 2, 7, 8, 9, 31, 32, 33, 64, 65, 199, 200, 201, 499, 500, 501].map((n) => text(n)),
    ...[MAX_SIGNAL_LENGTH - 1, MAX_SIGNAL_LENGTH, MAX_SIGNAL_LENGTH + 1].map((n) => text(n, '{')),
    'session-0002',
    'a b c d e f g h',
    'ümlaut-id',
    'ACDEFHJK',
    'acdefhjk',
    'ACDEFHJ',
    'ACDEFHJK3',
    'ACDE FHJK',
    'ACDEFHJ0',
    ...Object.values(ErrorCode),
    'LOTSE_ERR_NOPE',
    'all',
    'relay',
    'none',
    'visitor',
    'advisor',
    'timeout',
    'server',
    'void',
    'nobody',
    'stun:x',
    '',
    'session.pong',
    'error',
    'cobrowse.started',
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 53,
    1e21,
    -1e-7,
    1_700_000_000_000,
    true,
    false,
    null,
    [],
    ['turn:a'],
    ['turn:a', 2],
    [null],
    [[]],
    {},
    { urls: 'x' },
    [{ urls: 'stun:a' }],
    [{ urls: ['a', 'b'], username: 'u' }],
    [{ urls: 'a', credential: 1 }],
    [{ username: 'u' }],
    [{ urls: [] }],
    [{ urls: 1 }],
    [{ urls: 'a', extra: true }],
    ['stun:a'],
    [{ urls: 'a' }, 'b'],
  ];
}

function mutate(base: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const values = pool();
  const any = () => structuredClone(values[Math.floor(next() * values.length)]);
  const frame: Record<string, unknown> = structuredClone(base);
  const keys = Object.keys(frame).filter((key) => key !== 'v' && key !== 'type');
  const changes = 1 + Math.floor(next() * 3);
  for (let i = 0; i < changes; i += 1) {
    const roll = next();
    const key = keys[Math.floor(next() * keys.length)];
    if (roll < 0.15 && key !== undefined) delete frame[key];
    else if (roll < 0.6 && key !== undefined) frame[key] = any();
    else if (roll < 0.7)
      frame[['ref', 'username', 'extra', 'id', '__proto__', 'toString'][Math.floor(next() * 6)]!] = any();
    else if (roll < 0.8 && Array.isArray(frame['iceServers'])) {
      const servers = frame['iceServers'] as unknown[];
      const index = Math.floor(next() * (servers.length + 1));
      servers[index] =
        next() < 0.5
          ? any()
          : {
              urls: any(),
              ...(next() < 0.5 ? { username: any() } : {}),
              ...(next() < 0.3 ? { credential: any() } : {}),
            };
    } else if (roll < 0.85) frame['type'] = any();
    else if (roll < 0.9) frame['v'] = next() < 0.5 ? 2 : any();
    else if (roll < 0.95) frame['type'] = VALID[Math.floor(next() * VALID.length)]!['type'];
    else frame['id'] = any();
  }
  return frame;
}

function same(raw: string, label: string): ReturnType<typeof parseServerToCobrowseVisitor> {
  const expected = parseServerToCobrowseVisitor(raw);
  assert.deepStrictEqual(parseCobrowseVisitorFrame(raw), expected, `${label}: ${raw.slice(0, 300)}`);
  return expected;
}

test('knows exactly the types of the schema', () => {
  const schemaTypes = ServerToCobrowseVisitorSchema.options.map((option) => option.entries.type.literal).sort();
  assert.deepEqual([...COBROWSE_VISITOR_TYPES].sort(), schemaTypes);
  assert.deepEqual(
    [...new Set(VALID.map((frame) => frame['type']))].sort(),
    schemaTypes,
    'every type has a valid frame to start from',
  );
});

test('accepts every valid frame with the schema’s output, unknown fields left out', () => {
  for (const frame of VALID) {
    const result = same(JSON.stringify({ ...frame, extra: { deep: true } }), String(frame['type']));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal('extra' in result.message, false);
  }
  const started = same(JSON.stringify({ ...VALID[5], iceServers: [{ urls: 'a', port: 3478 }] }), 'ice server');
  assert.ok(started.ok && started.message.type === 'cobrowse.started');
  assert.deepEqual(started.message.iceServers, [{ urls: 'a' }]);
});

test('answers hand-picked bad frames like the schema', () => {
  const raws = [
    '',
    'not json',
    '[]',
    'null',
    '42',
    '"text"',
    '{}',
    '{"v":1}',
    '{"v":2,"type":"session.pong"}',
    '{"v":"1","type":"session.pong"}',
    '{"type":"session.pong"}',
    '{"v":1,"type":"chat.started","chatId":"chat-id-123"}',
    '{"v":1,"type":"cobrowse.join"}',
    `{"v":1,"type":"${'x'.repeat(100)}"}`,
    '{"v":1,"type":"error","code":"LOTSE_ERR_MALFORMED","message":"m","ref":null}',
    '{"v":1,"type":"cobrowse.startcode","sessionId":"session-0001","startCode":"ACDEFHJK","expiresAt":1e400}',
    '{"v":1,"type":"cobrowse.startcode","sessionId":"session-0001","startCode":"ACDEFHJK","expiresAt":-1e400}',
    '{"v":1,"type":"cobrowse.ended","sessionId":"session-0001","by":"advisor","id":"message-id"}',
    '{"v":1,"type":"cobrowse.ended","id":7}',
    '{"v":1,"type":"cobrowse.signal","sessionId":"session-0001","signal":"x","id":"abc"}',
    '{"v":1,"type":"cobrowse.pending","sessionId":"session-0001","advisor":"A","__proto__":{"x":1}}',
    '{"v":1,"type":"cobrowse.pending","__proto__":{"sessionId":"session-0001","advisor":"A"}}',
    '{"v":1,"type":"session.pong","type":"cobrowse.ended"}',
  ];
  for (const raw of raws) same(raw, 'hand-picked');
});

test('gives the same verdict as the schema on 30,000 generated frames', () => {
  const seed = 20_260_511;
  const next = random(seed);
  const verdicts = new Map<string, number>();
  for (let i = 0; i < 30_000; i += 1) {
    const base = VALID[Math.floor(next() * VALID.length)]!;
    const frame = next() < 0.08 ? base : mutate(base, next);
    const result = same(JSON.stringify(frame), `seed ${seed}, case ${i}`);
    const verdict = result.ok ? 'ok' : result.code;
    verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  }
  // Every kind of answer came up often enough to mean something.
  for (const verdict of [
    'ok',
    ErrorCode.Malformed,
    ErrorCode.TooLong,
    ErrorCode.UnknownType,
    ErrorCode.UnsupportedVersion,
  ]) {
    assert.ok((verdicts.get(verdict) ?? 0) >= 100, `${verdict}: ${verdicts.get(verdict) ?? 0} of 30,000`);
  }
});

test('imports no valibot, and nothing that does', () => {
  const seen = new Set<string>();
  const visit = (file: URL): void => {
    if (seen.has(file.href)) return;
    seen.add(file.href);
    const source = readFileSync(file, 'utf8');
    for (const [, typeOnly, spec] of source.matchAll(/^import (type )?[^'"]*'([^']+)';$/gm)) {
      if (typeOnly) continue;
      assert.ok(spec!.startsWith('.'), `${file.pathname} imports ${spec}`);
      visit(new URL(spec!.replace(/\.js$/, '.ts'), file));
    }
  };
  visit(new URL('../../src/protocol/cobrowse-visitor-parse.ts', import.meta.url));
  const names = [...seen].map((href) => href.slice(href.lastIndexOf('/') + 1)).sort();
  assert.deepEqual(names, [
    'cobrowse-visitor-parse.ts',
    'envelope.ts',
    'errors.ts',
    'hand-parse.ts',
    'limits.ts',
    'session-parse.ts',
  ]);
});
