import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../src/protocol/errors.js';
import { MAX_FRAME_BYTES, MAX_TEXT_LENGTH } from '../../src/protocol/limits.js';
import {
  encode,
  parseAdvisorMessage,
  parseServerToAdvisor,
  parseServerToVisitor,
  parseVisitorMessage,
} from '../../src/protocol/parse.js';
import { normaliseText } from '../../src/protocol/text.js';
import type { ServerToVisitor } from '../../src/protocol/messages.js';

const XSS = '<img src=x onerror=alert(1)>"\'</script>&amp;';
const TOKEN = 'R'.repeat(32);

test('visitor → server: every type parses', () => {
  const frames = [
    { type: 'chat.start', nickname: 'Gast', termsVersion: '2026-11', lang: 'de' },
    { type: 'chat.resume', chatId: 'chat-id-123', resumeToken: TOKEN, lastSeq: 3 },
    { type: 'chat.message', id: 'client-id-1', text: 'Hallo' },
    { type: 'chat.typing', typing: true },
    { type: 'chat.end' },
    { type: 'session.ping' },
  ];
  for (const frame of frames) {
    const result = parseVisitorMessage(JSON.stringify({ v: 1, ...frame }));
    assert.ok(result.ok, `${frame.type}: ${JSON.stringify(result)}`);
    assert.equal(result.message.type, frame.type);
  }
});

test('advisor → server: every type parses; visitor-only shapes do not', () => {
  const frames = [
    { type: 'advisor.hello', chats: [{ chatId: 'chat-id-123', lastSeq: 0 }] },
    { type: 'advisor.presence', status: 'away' },
    { type: 'queue.accept', chatId: 'chat-id-123' },
    { type: 'chat.message', chatId: 'chat-id-123', id: 'client-id-1', text: 'Hallo' },
    { type: 'chat.typing', chatId: 'chat-id-123', typing: false },
    { type: 'chat.end', chatId: 'chat-id-123' },
    { type: 'session.ping' },
  ];
  for (const frame of frames) assert.ok(parseAdvisorMessage(JSON.stringify({ v: 1, ...frame })).ok, frame.type);
  const noChat = parseAdvisorMessage(JSON.stringify({ v: 1, type: 'chat.message', id: 'client-id-1', text: 'x' }));
  assert.deepEqual(noChat.ok ? undefined : noChat.code, ErrorCode.Malformed);
});

test('server → visitor and server → advisor parse what encode writes', () => {
  const event = { seq: 1, event: { kind: 'message', id: 'client-id-1', from: 'visitor', text: XSS, at: 1 } } as const;
  const toVisitor = [
    encode<ServerToVisitor>({ type: 'chat.started', chatId: 'chat-id-123', resumeToken: TOKEN }),
    encode<ServerToVisitor>({ type: 'chat.resumed', chatId: 'chat-id-123', events: [event] }),
    encode<ServerToVisitor>({ type: 'chat.event', ...event }),
    encode<ServerToVisitor>({ type: 'error', code: ErrorCode.RateLimited, message: 'slow down' }),
  ];
  for (const frame of toVisitor) assert.ok(parseServerToVisitor(frame).ok, frame);
  const toAdvisor = [
    { type: 'advisor.welcome', advisor: { id: 'a', name: 'A' }, presence: 'available', now: 1 },
    {
      type: 'queue.snapshot',
      items: [{ chatId: 'chat-id-123', visitor: { kind: 'anonymous', nickname: 'G' }, since: 1 }],
      now: 2,
    },
    { type: 'chat.assigned', chatId: 'chat-id-123', visitor: { kind: 'anonymous', nickname: 'G' }, events: [event] },
    { type: 'chat.event', chatId: 'chat-id-123', ...event },
    { type: 'chat.typing', chatId: 'chat-id-123', typing: true },
    { type: 'advisor.presence', status: 'available' },
    { type: 'session.pong' },
  ];
  for (const frame of toAdvisor) assert.ok(parseServerToAdvisor(JSON.stringify({ v: 1, ...frame })).ok, frame.type);
  // The visitor side does not accept advisor-only messages.
  const wrong = parseServerToVisitor(JSON.stringify({ v: 1, type: 'queue.snapshot', items: [], now: 1 }));
  assert.equal(wrong.ok ? undefined : wrong.code, ErrorCode.UnknownType);
});

test('malformed JSON, non-objects, missing type, wrong version', () => {
  const cases: [string, string][] = [
    ['{not json', ErrorCode.Malformed],
    ['[1,2]', ErrorCode.Malformed],
    ['null', ErrorCode.Malformed],
    ['"chat.end"', ErrorCode.Malformed],
    ['{"v":1}', ErrorCode.Malformed],
    ['{"v":2,"type":"chat.end"}', ErrorCode.UnsupportedVersion],
    ['{"type":"chat.end"}', ErrorCode.UnsupportedVersion],
    ['{"v":1,"type":"chat.message","id":"short","text":"x"}', ErrorCode.Malformed],
    ['{"v":1,"type":"chat.message","id":"client-id-1","text":"\\u0007bell"}', ErrorCode.Malformed],
  ];
  for (const [raw, code] of cases) {
    for (const parse of [parseVisitorMessage, parseAdvisorMessage]) {
      const result = parse(raw);
      assert.equal(result.ok ? 'ok' : result.code, code, raw);
    }
  }
  const badLang = parseVisitorMessage('{"v":1,"type":"chat.start","nickname":"Gast","termsVersion":"x","lang":"fr"}');
  assert.equal(badLang.ok ? 'ok' : badLang.code, ErrorCode.Malformed);
  const tooBig = parseVisitorMessage(`{"v":1,"type":"chat.end","x":"${'x'.repeat(MAX_FRAME_BYTES)}"}`);
  assert.equal(tooBig.ok ? 'ok' : tooBig.code, ErrorCode.Malformed);
});

test('a lone surrogate is refused in texts and nicknames (PostgreSQL refuses it in jsonb); a paired one is fine', () => {
  const chatId = ',"chatId":"chat-id-123"';
  for (const [parse, extra] of [
    [parseVisitorMessage, ''],
    [parseAdvisorMessage, chatId],
  ] as const) {
    for (const text of ['hi \\ud800', '\\udc00 x', 'a\\ud83d']) {
      const result = parse(`{"v":1,"type":"chat.message"${extra},"id":"client-id-1","text":"${text}"}`);
      assert.equal(result.ok ? 'ok' : result.code, ErrorCode.Malformed, text);
    }
    const emoji = parse(`{"v":1,"type":"chat.message"${extra},"id":"client-id-1","text":"Danke \\ud83d\\ude00"}`);
    assert.equal(emoji.ok ? 'ok' : emoji.code, 'ok');
  }
  const nickname = parseVisitorMessage(
    '{"v":1,"type":"chat.start","nickname":"Gast\\udfff","termsVersion":"x","lang":"de"}',
  );
  assert.equal(nickname.ok ? 'ok' : nickname.code, ErrorCode.Malformed);
  // The composer turns one into the replacement character, so the visitor's text is never refused for it.
  assert.equal(normaliseText(' kaputt \ud800 '), 'kaputt \ufffd');
  assert.equal(normaliseText('Danke \ud83d\ude00'), 'Danke \ud83d\ude00');
});

test('unknown types per role carry the type as ref', () => {
  const visitorAccept = parseVisitorMessage('{"v":1,"type":"queue.accept","chatId":"chat-id-123"}');
  assert.deepEqual(visitorAccept.ok ? undefined : [visitorAccept.code, visitorAccept.ref], [
    ErrorCode.UnknownType,
    'queue.accept',
  ]);
  const advisorStart = parseAdvisorMessage('{"v":1,"type":"chat.start","nickname":"x","termsVersion":"x","lang":"de"}');
  assert.deepEqual(advisorStart.ok ? undefined : advisorStart.code, ErrorCode.UnknownType);
  const nonsense = parseVisitorMessage('{"v":1,"type":"__proto__"}');
  assert.deepEqual(nonsense.ok ? undefined : nonsense.code, ErrorCode.UnknownType);
});

test('text too long and nickname out of bounds give TOO_LONG with the client id as ref', () => {
  const long = parseVisitorMessage(
    JSON.stringify({ v: 1, type: 'chat.message', id: 'client-id-1', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }),
  );
  assert.deepEqual(long.ok ? undefined : [long.code, long.ref], [ErrorCode.TooLong, 'client-id-1']);
  const exact = parseVisitorMessage(
    JSON.stringify({ v: 1, type: 'chat.message', id: 'client-id-1', text: 'x'.repeat(MAX_TEXT_LENGTH) }),
  );
  assert.ok(exact.ok);
  const nick = parseVisitorMessage(
    JSON.stringify({ v: 1, type: 'chat.start', nickname: ' a ', termsVersion: 'x', lang: 'de' }),
  );
  assert.equal(nick.ok ? undefined : nick.code, ErrorCode.TooLong);
});

test('XSS strings pass through unchanged as data; text is trimmed', () => {
  const result = parseVisitorMessage(
    JSON.stringify({ v: 1, type: 'chat.message', id: 'client-id-1', text: `  ${XSS}\n` }),
  );
  assert.ok(result.ok && result.message.type === 'chat.message');
  assert.equal(result.message.text, XSS);
  const nick = parseVisitorMessage(
    JSON.stringify({ v: 1, type: 'chat.start', nickname: '<b>Gast</b>', termsVersion: 'x', lang: 'en' }),
  );
  assert.ok(nick.ok && nick.message.type === 'chat.start' && nick.message.nickname === '<b>Gast</b>');
});
