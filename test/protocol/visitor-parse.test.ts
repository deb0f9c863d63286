/**
 * The hand-written parser of the visitor's chat socket (`visitor-parse.ts`) against the valibot schema it stands in
 * for (`ServerToChatVisitorSchema` through `parse.ts`): every frame, valid or not, must get the same answer from both
 * (ok or not, error code, message, ref, and the same message: unknown fields left out, texts trimmed). The frames:
 * valid ones of every type, event kind and error code; each of them with every field, nested ones included,
 * missing and set to each value of a pool that sits on every edge the schema has (its limits, picklists and
 * literals are read from the schema itself, so that a new one is tried without a change here); 30,000 more with
 * seeded random changes; and hand-picked ones that JSON.stringify cannot write.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ErrorCode } from '../../src/protocol/errors.js';
import { MAX_TEXT_LENGTH, RESUME_TOKEN_LENGTH } from '../../src/protocol/limits.js';
import { ChatEventSchema, ServerToChatVisitorSchema } from '../../src/protocol/messages.js';
import { parseServerToChatVisitor as parseWithSchema } from '../../src/protocol/parse.js';
import { VISITOR_TYPES, parseServerToChatVisitor as parseServerToVisitor } from '../../src/protocol/visitor-parse.js';
import { random } from '../helpers/random.js';

type Frame = Record<string, unknown>;

const CHAT = 'chat-id-0001';
const TOKEN = 'r'.repeat(RESUME_TOKEN_LENGTH);
const AT = 1_700_000_000_000;

/** One of every event kind, and of every way a chat ends. */
const EVENTS: Frame[] = [
  { kind: 'message', id: 'client-id-1', from: 'visitor', text: 'Hallo, ich habe eine Frage zu meinem Tarif.', at: AT },
  { kind: 'message', id: 'X_-9'.repeat(16), from: 'advisor', text: 'Gern!\nZeile zwei\tmit Tab 😀 <b>&amp;', at: 0 },
  { kind: 'joined', advisor: 'Frau Berger', at: AT + 1 },
  { kind: 'joined', advisor: '', at: AT + 2 },
  { kind: 'left', at: AT + 3 },
  { kind: 'transferred', to: 'Leistungen', at: AT + 4 },
  ...['visitor', 'advisor', 'timeout', 'gone', 'server'].map((by, index) => ({
    kind: 'ended',
    by,
    at: AT + 10 + index,
  })),
];

/** Valid frames of every type the chat's socket receives. */
const VALID: Frame[] = [
  { v: 1, type: 'chat.started', chatId: CHAT, resumeToken: TOKEN },
  { v: 1, type: 'chat.resumed', chatId: CHAT, events: [] },
  {
    v: 1,
    type: 'chat.resumed',
    chatId: 'c'.repeat(64),
    events: EVENTS.map((event, index) => ({ seq: index + 1, event })),
  },
  ...EVENTS.map((event, index) => ({ v: 1, type: 'chat.event', seq: index + 1, event })),
  { v: 1, type: 'chat.typing', typing: true },
  { v: 1, type: 'chat.typing', typing: false },
  { v: 1, type: 'chat.read', seq: 0 },
  { v: 1, type: 'chat.read', seq: 1_000_000 },
  { v: 1, type: 'chat.queue', position: 1 },
  { v: 1, type: 'chat.queue', position: 3, waitSeconds: 0 },
  { v: 1, type: 'chat.queue', position: 12, waitSeconds: 240 },
  { v: 1, type: 'chat.rating', ticket: 'T'.repeat(32) },
  { v: 1, type: 'chat.rating', ticket: 'a-_0'.repeat(8) },
  { v: 1, type: 'session.pong' },
  ...Object.values(ErrorCode).map((code, index) =>
    index % 2 === 0
      ? { v: 1, type: 'error', code, message: `problem ${index}` }
      : { v: 1, type: 'error', code, message: '', ref: 'client-id-1' },
  ),
];

/** What the schema names: every picklist option and literal, every object key, and the edges of its limits. */
function fromSchema(): { values: unknown[]; keys: string[] } {
  const values = new Set<unknown>();
  const keys = new Set<string>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const schema = node as Record<string, unknown>;
    if (schema['type'] === 'picklist') for (const option of schema['options'] as unknown[]) values.add(option);
    if (schema['type'] === 'literal') values.add(schema['literal']);
    const requirement = schema['requirement'];
    if (typeof requirement === 'number') {
      if (['min_length', 'max_length', 'length'].includes(String(schema['type']))) {
        for (const n of [requirement - 1, requirement, requirement + 1]) {
          if (n < 0) continue;
          values.add('a'.repeat(n));
          values.add(`${'x'.repeat(Math.max(0, n - 1))}\u0007`); // a control character at the edge
          values.add(` ${'b'.repeat(n)}\n`); // trimmed to n
          values.add(`\u00a0${'c'.repeat(Math.max(0, n - 2))}\u3000`); // trimmed below n
        }
      } else {
        for (const n of [requirement - 1, requirement - 0.5, requirement, requirement + 0.5, requirement + 1])
          values.add(n);
      }
    }
    if (schema['entries'] && typeof schema['entries'] === 'object') {
      for (const [key, entry] of Object.entries(schema['entries'] as object)) {
        keys.add(key);
        visit(entry);
      }
    }
    for (const field of ['options', 'pipe', 'item', 'wrapped']) {
      const inner = schema[field];
      if (Array.isArray(inner)) inner.forEach(visit);
      else visit(inner);
    }
  };
  visit(ServerToChatVisitorSchema);
  return { values: [...values], keys: [...keys] };
}

const SCHEMA = fromSchema();

/** Values that sit on every edge the schema has, and some that fit nowhere. */
const POOL: unknown[] = [
  ...SCHEMA.values,
  // Texts to trim, and forbidden characters (control characters but tab and line feed; lone surrogates).
  '  Hallo  ',
  '\n\tHallo\u00a0\u3000\ufeff',
  '   ',
  '\t',
  '\ufeff',
  '\u2028a\u2029',
  'a\u0000b',
  'a\u0007b',
  'a\u000bb',
  '\u000ba',
  'a\u000c',
  'a\rb',
  'a\u001fb',
  'a\u007fb',
  'a\u0085b',
  'a\u200bb',
  'a\u202eb',
  'line\nline',
  'tab\ttab',
  '\ud800',
  'a\udc00b',
  ' \ud800 ',
  '\ude00\ud83d',
  '\ud83d\ude00',
  'ümlaut',
  '<img src=x onerror=alert(1)>',
  // Ids, tokens, codes.
  'abcdefg',
  'abcdefgh',
  'x'.repeat(64),
  'x'.repeat(65),
  'has space1',
  'ümlaut-id1',
  'chat-id-0002',
  'a.b.c_d-e',
  'ACDEFHJK',
  'acdefhjk',
  'ACDEFHJ0',
  'ACDE-FHJK',
  'r'.repeat(RESUME_TOKEN_LENGTH),
  'LOTSE_ERR_NOPE',
  'Visitor',
  'stun:x',
  '',
  '1',
  'true',
  'null',
  'chat.event',
  'message',
  'kind',
  // Numbers (JSON has no NaN or infinities: those are hand-picked below).
  0,
  1,
  -1,
  0.5,
  1.5,
  -0.5,
  2,
  12,
  999_999,
  1_000_000,
  1_000_001,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  -1e-7,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  AT,
  true,
  false,
  null,
  // Shapes.
  [],
  [1],
  ['a'],
  [null],
  [[]],
  {},
  { kind: 'left' },
  { kind: 'left', at: -1 },
  { kind: 'nope', at: 1 },
  { kind: ['left'], at: 1 },
  { seq: 1 },
  ...EVENTS.slice(0, 3),
  { seq: 1, event: EVENTS[4] },
  [{ seq: 1, event: EVENTS[4] }],
  [
    { seq: 1, event: EVENTS[0] },
    { seq: 0, event: EVENTS[4] },
  ],
  [{ seq: 2, event: {} }],
  [{ seq: 1, event: EVENTS[2], extra: 1 }],
  [EVENTS[4]],
  [{ urls: 'stun:a' }],
  [{ urls: ['a', 'b'], username: 'u' }],
  [{ urls: 'a', credential: 1 }],
  [{ username: 'u' }],
  [{ urls: [] }],
  [{ urls: 1 }],
  [{ urls: ['a', 2] }],
  [{ urls: 'a', extra: true }],
  ['stun:a'],
  { urls: 'x' },
];

/** Where a frame has a value: every field, and every field of its events and ICE servers, as key paths. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => [[...prefix, index], ...paths(item, [...prefix, index])]);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
}

/** The objects inside a frame, the frame included, as key paths. */
function objectPaths(frame: Frame): (string | number)[][] {
  const objects: (string | number)[][] = [[]];
  for (const path of paths(frame)) {
    const value = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], frame);
    if (value && typeof value === 'object' && !Array.isArray(value)) objects.push(path);
  }
  return objects;
}

/** The frame with the value at `path` set (or, with `remove`, deleted). */
function change(frame: Frame, path: (string | number)[], value: unknown, remove = false): Frame {
  const copy = structuredClone(frame);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove && Array.isArray(node)) node.splice(Number(last), 1);
  else if (remove) delete node[last];
  else node[last] = structuredClone(value);
  return copy;
}

function same(raw: string, label: string): ReturnType<typeof parseWithSchema> {
  const expected = parseWithSchema(raw);
  assert.deepStrictEqual(parseServerToVisitor(raw), expected, `${label}: ${raw.slice(0, 300)}`);
  return expected;
}

test('knows exactly the types and event kinds of the schema, and every error code', () => {
  const schemaTypes = ServerToChatVisitorSchema.options.map((option) => option.entries.type.literal).sort();
  assert.deepEqual([...VISITOR_TYPES].sort(), schemaTypes);
  assert.deepEqual(
    [...new Set(VALID.map((frame) => frame['type']))].sort(),
    schemaTypes,
    'every type has a valid frame',
  );
  const kinds = ChatEventSchema.options.map((option) => option.entries.kind.literal).sort();
  assert.deepEqual(
    [...new Set(EVENTS.map((event) => event['kind']))].sort(),
    kinds,
    'every event kind has a valid event',
  );
  const ended = ChatEventSchema.options.find((option) => option.entries.kind.literal === 'ended')!;
  assert.deepEqual(
    EVENTS.filter((event) => event['kind'] === 'ended')
      .map((event) => event['by'])
      .sort(),
    [...(ended.entries as { by: { options: string[] } }).by.options].sort(),
    'every way to end',
  );
  assert.deepEqual(
    VALID.filter((frame) => frame['type'] === 'error')
      .map((frame) => frame['code'])
      .sort(),
    Object.values(ErrorCode).sort(),
  );
});

test('accepts every valid frame with the schema’s output, unknown fields left out, texts trimmed', () => {
  for (const frame of VALID) {
    const result = same(JSON.stringify(frame), String(frame['type']));
    assert.ok(result.ok, JSON.stringify(result));
  }
  const padded = {
    ...VALID[3]!,
    event: { ...EVENTS[0]!, text: ' \n\t Hallo \u00a0', extra: 1 },
    extra: { deep: true },
  };
  const result = same(JSON.stringify(padded), 'padded');
  assert.ok(result.ok && result.message.type === 'chat.event' && result.message.event.kind === 'message');
  assert.equal(result.message.event.text, 'Hallo');
  assert.equal('extra' in result.message, false);
  assert.equal('extra' in result.message.event, false);
  const queue = same('{"v":1,"type":"chat.queue","position":2}', 'no wait');
  assert.ok(queue.ok);
  assert.equal('waitSeconds' in queue.message, false);
});

test('answers hand-picked frames like the schema', () => {
  const event = (json: string) => `{"v":1,"type":"chat.event","seq":1,"event":${json}}`;
  const cases: [string, string | undefined][] = [
    [
      event('{"kind":"message","id":"client-id-1","from":"visitor","text":"   ","at":1}'),
      'chat.event: event.text: min_length',
    ],
    [
      event(`{"kind":"message","id":"client-id-1","from":"visitor","text":" ${'a'.repeat(MAX_TEXT_LENGTH)} ","at":1}`),
      undefined,
    ],
    [
      event(
        `{"kind":"message","id":"client-id-1","from":"visitor","text":"${'a'.repeat(MAX_TEXT_LENGTH + 1)}","at":1}`,
      ),
      'chat.event: event.text: max_length',
    ],
    [
      event('{"kind":"message","id":"client-id-1","from":"visitor","text":"a\\ud800","at":1}'),
      'chat.event: event.text: check',
    ],
    [event('{"kind":"message","id":"client-id-1","from":"visitor","text":"\\u000ba\\u000b","at":1}'), undefined],
    [
      event('{"kind":"message","id":"client-id-1","from":"visitor","text":"a\\u000bb","at":1}'),
      'chat.event: event.text: check',
    ],
    [event('{"kind":"left","at":1e400}'), 'chat.event: event.at: integer'],
    [event('{"kind":"left","at":-1e400}'), 'chat.event: event.at: integer'],
    [event('{"kind":"left","at":-0}'), undefined],
    [event('{"kind":"left","at":"1"}'), 'chat.event: event.at: number'],
    [event('null'), 'chat.event: event: variant'],
    [event('"left"'), 'chat.event: event: variant'],
    [event('[]'), 'chat.event: event.kind: variant'],
    [event('{}'), 'chat.event: event.kind: variant'],
    [event('{"kind":"toString","at":1}'), 'chat.event: event.kind: variant'],
    [event('{"kind":"__proto__","at":1}'), 'chat.event: event.kind: variant'],
    [event('{"__proto__":{"kind":"left","at":1}}'), 'chat.event: event.kind: variant'],
    [event('{"kind":"left","at":1,"__proto__":{"x":1}}'), undefined],
    [event('{"kind":"ended","by":"gone"}'), 'chat.event: event.at: object'],
    ['{"v":1,"type":"chat.event","seq":0,"event":{"kind":"left","at":1}}', 'chat.event: seq: min_value'],
    ['{"v":1,"type":"chat.event","seq":-0,"event":{"kind":"left","at":1}}', 'chat.event: seq: min_value'],
    ['{"v":1,"type":"chat.event","seq":1.5,"event":{"kind":"left","at":1}}', 'chat.event: seq: integer'],
    ['{"v":1,"type":"chat.event","event":{"kind":"left","at":1}}', 'chat.event: seq: object'],
    [
      '{"v":1,"type":"chat.resumed","chatId":"chat-id-0001","events":[{"seq":0,"event":{"kind":"left","at":1}}]}',
      'chat.resumed: events.0.seq: min_value',
    ],
    [
      '{"v":1,"type":"chat.resumed","chatId":"chat-id-0001","events":[{"seq":1,"event":{"kind":"left","at":1}},7]}',
      'chat.resumed: events.1: object',
    ],
    ['{"v":1,"type":"chat.resumed","chatId":"chat-id-0001","events":{"0":{"seq":1}}}', 'chat.resumed: events: array'],
    ['{"v":1,"type":"chat.read","seq":1000001}', 'chat.read: seq: max_value'],
    ['{"v":1,"type":"chat.read","seq":-1}', 'chat.read: seq: min_value'],
    ['{"v":1,"type":"chat.queue","position":0}', 'chat.queue: position: min_value'],
    ['{"v":1,"type":"chat.rating","ticket":"short"}', 'chat.rating: ticket: regex'],
    ['{"v":1,"type":"chat.rating","ticket":7}', 'chat.rating: ticket: string'],
    ['{"v":1,"type":"chat.queue","position":1,"waitSeconds":-0}', undefined],
    ['{"v":1,"type":"chat.queue","position":1,"waitSeconds":null}', 'chat.queue: waitSeconds: number'],
    ['{"v":1,"type":"chat.queue","position":1e400,"waitSeconds":-1}', 'chat.queue: position: integer'],
    [
      '{"v":1,"type":"chat.started","chatId":"chat-id-0001","resumeToken":"short"}',
      'chat.started: resumeToken: length',
    ],
    ['{"v":1,"type":"chat.typing","typing":"true"}', 'chat.typing: typing: boolean'],
    ['{"v":1,"type":"error","code":"LOTSE_ERR_MALFORMED","message":"m","ref":null}', 'error: ref: string'],
    ['{"v":1,"type":"error","code":"LOTSE_ERR_NOPE","message":"m","id":"client-id-7"}', 'error: code: picklist'],
    ['{"v":1,"type":"chat.typing","typing":true,"type":"chat.queue"}', 'chat.queue: position: object'],
    ['{"v":1,"type":"chat.start","nickname":"Gast"}', 'unknown type "chat.start"'],
    ['{"v":1,"type":"queue.snapshot","items":[],"now":1}', 'unknown type "queue.snapshot"'],
    ['{"v":1,"type":"toString"}', 'unknown type "toString"'],
    ['{"v":2,"type":"chat.typing","typing":true}', 'protocol version 1 expected'],
    ['{"type":"chat.typing","typing":true}', 'protocol version 1 expected'],
    ['{"v":1}', 'missing type'],
    ['', 'not JSON'],
    ['[]', 'not an object'],
    ['null', 'not an object'],
  ];
  for (const [raw, message] of cases) {
    const result = same(raw, 'hand-picked');
    assert.equal(result.ok ? undefined : result.message, message, raw.slice(0, 200));
  }
  const zero = same(event('{"kind":"left","at":-0}'), '-0');
  assert.ok(zero.ok && zero.message.type === 'chat.event' && Object.is(zero.message.event.at, -0));
  const long = same(
    event(`{"kind":"message","id":"client-id-1","from":"visitor","text":"${'a'.repeat(MAX_TEXT_LENGTH + 1)}","at":1}`),
    'long',
  );
  assert.equal(long.ok ? undefined : long.code, ErrorCode.TooLong);
  const ref = same('{"v":1,"type":"error","code":"LOTSE_ERR_NOPE","message":"m","id":"client-id-7"}', 'ref');
  assert.equal(ref.ok ? undefined : ref.ref, 'client-id-7');
});

test('gives the same answer as the schema with every field of every valid frame missing or changed', () => {
  // How often each issue type was the answer: every rule of the schema must have been broken.
  const issues = new Map<string, number>();
  const check = (frame: Frame, label: string): void => {
    const result = same(JSON.stringify(frame), label);
    // The issue type for a field's problem; the code for an envelope's.
    const issue = result.ok
      ? 'ok'
      : result.message.startsWith(`${String(frame['type'])}: `)
        ? result.message.slice(result.message.lastIndexOf(': ') + 2)
        : result.code;
    issues.set(issue, (issues.get(issue) ?? 0) + 1);
  };
  for (const [index, frame] of VALID.entries()) {
    for (const path of paths(frame)) {
      check(change(frame, path, undefined, true), `frame ${index} without ${path.join('.')}`);
      for (const value of POOL) check(change(frame, path, value), `frame ${index}, ${path.join('.')}`);
    }
    // Two fields wrong at once: the first in the schema's order is the one named.
    const all = paths(frame);
    for (const [i, first] of all.entries()) {
      for (const second of all.slice(i + 1)) {
        if (first.every((key, depth) => second[depth] === key)) continue; // inside the first: gone with it
        check(
          change(change(frame, first, null), second, null),
          `frame ${index}, ${first.join('.')} and ${second.join('.')}`,
        );
      }
    }
    // Unknown fields (and known ones in the wrong place) in every object of the frame.
    for (const path of objectPaths(frame)) {
      for (const key of [...SCHEMA.keys, 'extra', 'id', 'constructor']) {
        check(change(frame, [...path, key], 'client-id-9'), `frame ${index}, extra ${[...path, key].join('.')}`);
      }
    }
  }
  const cases = [...issues.values()].reduce((sum, count) => sum + count, 0);
  assert.ok(cases >= 30_000, `${cases} cases`);
  const rules = [
    'ok',
    'string',
    'min_length',
    'max_length',
    'length',
    'regex',
    'check',
    'number',
    'integer',
    'min_value',
    'max_value',
    'boolean',
    'picklist',
    'object',
    'array',
    'variant',
  ];
  for (const rule of rules) assert.ok((issues.get(rule) ?? 0) >= 10, `${rule}: ${issues.get(rule) ?? 0} of ${cases}`);
});

function mutate(base: Frame, next: () => number): Frame {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let frame = structuredClone(base);
  const changes = 1 + Math.floor(next() * 3);
  for (let i = 0; i < changes; i += 1) {
    const roll = next();
    const all = paths(frame);
    if (roll < 0.15 && all.length > 0) frame = change(frame, pick(all), undefined, true);
    else if (roll < 0.6 && all.length > 0) frame = change(frame, pick(all), pick(POOL));
    else if (roll < 0.7)
      frame = change(frame, [...pick(objectPaths(frame)), pick([...SCHEMA.keys, 'extra'])], pick(POOL));
    else if (roll < 0.8)
      frame = change(
        frame,
        pick(all.filter((path) => path.at(-1) === 'event' || path.at(-2) === 'events')) ?? ['event'],
        pick(POOL),
      );
    else if (roll < 0.85) frame['type'] = pick(POOL);
    else if (roll < 0.9) frame['v'] = next() < 0.5 ? 2 : pick(POOL);
    else if (roll < 0.95) frame['type'] = pick(VALID)['type'];
    else frame['id'] = pick(POOL);
  }
  return frame;
}

test('gives the same answer as the schema on 30,000 frames changed at random', () => {
  const seed = 20_260_601;
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
    for (const [, typeOnly, spec] of source.matchAll(/^(?:import|export) (type )?[\w\s{},*]* from '([^']+)';$/gm)) {
      if (typeOnly) continue;
      assert.ok(spec!.startsWith('.'), `${file.pathname} imports ${spec}`);
      visit(new URL(spec!.replace(/\.js$/, '.ts'), file));
    }
  };
  visit(new URL('../../src/protocol/visitor-parse.ts', import.meta.url));
  const names = [...seen].map((href) => href.slice(href.lastIndexOf('/') + 1)).sort();
  assert.deepEqual(names, [
    'envelope.ts',
    'errors.ts',
    'hand-parse.ts',
    'limits.ts',
    'session-parse.ts',
    'text.ts',
    'visitor-parse.ts',
  ]);
});
