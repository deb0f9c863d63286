import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { readAdvisorChatMessage, readVisitorChatMessage } from '../../src/protocol/chat-message-read.js';
import { MAX_TEXT_LENGTH } from '../../src/protocol/limits.js';
import { AdvisorToServerSchema, VisitorToServerSchema } from '../../src/protocol/messages.js';

const ids: unknown[] = [
  'client-id-1',
  'short',
  'x'.repeat(64),
  'x'.repeat(65),
  'mit leer',
  'ü-id-12345',
  7,
  null,
  undefined,
];
const texts: unknown[] = [
  'Hallo',
  '  Hallo  ',
  ' \n\t ',
  '',
  'a'.repeat(MAX_TEXT_LENGTH),
  ` ${'a'.repeat(MAX_TEXT_LENGTH)} `,
  'a'.repeat(MAX_TEXT_LENGTH + 1),
  'Zeile\nzwei\tTab',
  'Glocke\u0007',
  'Vertikal\u000Bx',
  'DEL\u007F',
  'kaputt \uD83D',
  'ganz 😀',
  '<img src=x onerror=alert(1)>',
  42,
  ['Hallo'],
  undefined,
];
const chatIds: unknown[] = ['chat-id-123', 'kurz', 'chat id 123', 'y'.repeat(64), 'y'.repeat(65), 5, undefined];

/** Every frame: the hand reader gives exactly the schema's output (key order too) when it accepts, else undefined. */
function check(
  data: Record<string, unknown>,
  schema: typeof VisitorToServerSchema | typeof AdvisorToServerSchema,
  read: (data: Record<string, unknown>) => unknown,
): void {
  const expected = v.safeParse(schema, data);
  const got = read(data);
  const frame = JSON.stringify(data);
  if (expected.success) {
    assert.notEqual(got, undefined, `${frame}: the schema accepts it, the reader should too`);
    assert.equal(JSON.stringify(got), JSON.stringify(expected.output), frame);
    assert.deepEqual(got, expected.output, frame);
  } else {
    assert.equal(got, undefined, `${frame}: the schema refuses it (${expected.issues[0].type})`);
  }
}

test("a visitor's chat.message: the hand reader accepts what the schema accepts, with the same output", () => {
  let accepted = 0;
  for (const id of ids)
    for (const text of texts) {
      for (const extra of [{}, { chatId: 'chat-id-123' }, { extra: 'x' }]) {
        const data = { v: 1, type: 'chat.message', ...extra, id, text };
        check(data, VisitorToServerSchema, readVisitorChatMessage);
        if (readVisitorChatMessage(data) !== undefined) accepted += 1;
      }
    }
  assert.ok(accepted > 20, `only ${accepted} frames accepted: the test checks too little`);
});

test("an advisor's chat.message: the hand reader accepts what the schema accepts, with the same output", () => {
  let accepted = 0;
  for (const chatId of chatIds)
    for (const id of ids)
      for (const text of texts) {
        const data = { v: 1, type: 'chat.message', chatId, id, text, extra: true };
        check(data, AdvisorToServerSchema, readAdvisorChatMessage);
        if (readAdvisorChatMessage(data) !== undefined) accepted += 1;
      }
  assert.ok(accepted > 10, `only ${accepted} frames accepted: the test checks too little`);
});
