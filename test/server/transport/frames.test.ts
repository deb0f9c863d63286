/**
 * The gateway's frames (`transport/frames.ts`): a chat event's frames, put together around the event's one JSON
 * text, are byte for byte what `encode` writes, for the visitor (no `chatId`) and the advisor, for events of every
 * kind and texts that need escaping, also when the events alternate; other messages are `encode`'s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from '../../../src/protocol/envelope.js';
import type { ChatEvent } from '../../../src/protocol/messages.js';
import { parseServerToAdvisor, parseServerToVisitor } from '../../../src/protocol/parse.js';
import { FrameEncoder } from '../../../src/server/transport/frames.js';

const events: ChatEvent[] = [
  { kind: 'message', id: 'visitor-msg-1', from: 'visitor', text: 'Guten Tag', at: 1_765_000_000_000 },
  { kind: 'message', id: 'advisor-msg-1', from: 'advisor', text: 'Zeile 1\n"Zitat" \\ 😀 \u2028 Ende', at: 1 },
  { kind: 'joined', advisor: 'Anna Beispiel', at: 2 },
  { kind: 'ended', by: 'server', at: 3 },
];

test("a chat event's frames are encode's, byte for byte, for both sides; other messages too", () => {
  const frames = new FrameEncoder();
  let seq = 0;
  for (const event of [...events, ...events]) {
    seq += 1;
    const toVisitor = { type: 'chat.event', seq, event } as const;
    const toAdvisor = { type: 'chat.event', chatId: 'chat-id-12345', seq, event } as const;
    const visitorFrame = frames.encode(toVisitor);
    assert.equal(visitorFrame, encode(toVisitor));
    assert.equal(frames.encode(toAdvisor), encode(toAdvisor));
    assert.equal(frames.encode(toVisitor), visitorFrame, 'the same event again');
    assert.equal(parseServerToVisitor(visitorFrame).ok, true);
    assert.equal(parseServerToAdvisor(frames.encode(toAdvisor)).ok, true);
  }
  const pong = { type: 'session.pong' } as const;
  assert.equal(frames.encode(pong), encode(pong));
  const error = { type: 'error', code: 'LOTSE_ERR_CHAT_ENDED', message: 'the chat has ended', ref: 'x' } as const;
  assert.equal(frames.encode(error), encode(error));
});
