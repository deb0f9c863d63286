/**
 * The delayed echo on a real server (`transport/held-echoes.ts`, `echoDelayMs`): the echo of a client's own message
 * waits for the next frame to its socket or the delay, whichever comes first; it never overtakes or is overtaken by
 * another frame; a close sends it first; and one lost with its socket costs nothing: the client's resend of the same
 * id after the resume is taken as a repeat. Timings are asserted only as lower bounds (a timer never fires early).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CloseCode } from '../../../src/protocol/errors.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A chat with advisor `adv-a` assigned, each side past the `joined` event (seq 1). */
async function activeChat(overrides: ConfigOverrides) {
  const h = (harness = await startServer(overrides));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  await visitor.next('chat.event');
  return { h, advisor, visitor, started };
}

test('an echo with nothing after it leaves alone once the delay has passed', async () => {
  const { visitor, advisor } = await activeChat({ echoDelayMs: 200 });
  const sentAt = performance.now();
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
  const delivered = await advisor.next('chat.event');
  assert.equal(delivered.event.kind === 'message' && delivered.event.id, 'visitor-msg-1');
  const echo = await visitor.next('chat.event');
  assert.equal(echo.event.kind === 'message' && echo.event.id, 'visitor-msg-1');
  // The timer takes along what is due within a quarter of the delay: 150 ms at the least.
  assert.ok(performance.now() - sentAt >= 150, `echo after ${performance.now() - sentAt} ms`);
});

test('a later frame to the socket takes the held echo along, after it: visitor and advisor alike', async () => {
  const { visitor, advisor, started } = await activeChat({ echoDelayMs: 500 });
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
  await advisor.next('chat.event');
  advisor.send({ type: 'chat.typing', chatId: started.chatId, typing: true });
  await visitor.next('chat.typing');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-msg-1', text: 'Guten Tag' });
  await visitor.next('chat.event'); // the answer's delivery
  visitor.send({ type: 'chat.typing', typing: true });
  await advisor.next('chat.typing');
  const kinds = (history: { type: string; seq?: number }[]) =>
    history.filter((m) => m.type === 'chat.event' || m.type === 'chat.typing').map((m) => m.seq ?? m.type);
  // Each side's own message (seq 2 the visitor's, seq 3 the advisor's) before the frame that came after it.
  assert.deepEqual(kinds(visitor.history), [1, 2, 'chat.typing', 3]);
  assert.deepEqual(kinds(advisor.history), [2, 3, 'chat.typing']);
});

test('a socket closed by the server gets its held echo first', async () => {
  const { h, visitor, advisor, started } = await activeChat({ echoDelayMs: 500 });
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
  await advisor.next('chat.event');
  // A second socket of the visitor resumes the chat: the first one is closed (4002) with its echo held.
  const second = await h.visitor();
  second.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 2 });
  await second.next('chat.resumed');
  assert.equal((await visitor.closed).code, CloseCode.Replaced);
  const echo = visitor.history.find((m) => m.type === 'chat.event' && m.seq === 2);
  assert.ok(echo !== undefined, 'the echo left before the close');
});

test('an echo lost with its socket costs nothing: the resume brings the event, the resend is a repeat', async () => {
  const { h, visitor, advisor, started } = await activeChat({ echoDelayMs: 500 });
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
  await advisor.next('chat.event');
  visitor.ws.terminate(); // the network is gone, and with it the echo the server held
  await visitor.closed;
  assert.equal(visitor.history.filter((m) => m.type === 'chat.event').length, 1, 'only `joined` arrived');

  // What the client does (client/chat-log.ts): resume from what it has, then send its outbox again, same ids.
  const back = await h.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  const resumed = await back.next('chat.resumed');
  assert.deepEqual(
    resumed.events.map(({ seq, event }) => [seq, event.kind === 'message' && event.id]),
    [[2, 'visitor-msg-1']],
  );
  back.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
  await back.sync();
  assert.deepEqual(back.take('chat.event'), []);
  assert.deepEqual(back.take('error'), []);
  assert.equal(h.server.hub.chats.get(started.chatId)?.lastSeq, 2);
  await advisor.sync();
  assert.deepEqual(advisor.take('chat.event'), []);
});

test('echoDelayMs 0 sends each echo at once', async () => {
  const { visitor, advisor } = await activeChat({ echoDelayMs: 0 });
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
  // No other frame follows, and there is no timer: the echo leaves with the delivery.
  const [echo] = await Promise.all([visitor.next('chat.event'), advisor.next('chat.event')]);
  assert.equal(echo.seq, 2);
});
