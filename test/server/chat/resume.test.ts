import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CloseCode, ErrorCode } from '../../../src/protocol/errors.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A chat with advisor `adv-a` assigned and `count` visitor messages after the joined event. */
async function activeChat(overrides: ConfigOverrides = {}, count = 0) {
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
  for (let i = 1; i <= count; i++) {
    visitor.send({ type: 'chat.message', id: `visitor-msg-${i}`, text: `Nachricht ${i}` });
    await visitor.next('chat.event');
    await advisor.next('chat.event');
  }
  return { h, advisor, visitor, started };
}

test('resume with lastSeq returns exactly the missing events and replaces the older socket (4002)', async () => {
  const { h, advisor, visitor, started } = await activeChat({}, 3); // seq 1 joined, 2..4 messages
  const second = await h.visitor();
  second.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 2 });
  const resumed = await second.next('chat.resumed');
  assert.deepEqual(
    resumed.events.map((e) => e.seq),
    [3, 4],
  );
  assert.equal((await visitor.closed).code, CloseCode.Replaced);

  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-msg-1', text: 'Hallo wieder' });
  assert.equal((await second.next('chat.event')).seq, 5);

  // The client saw a gap and asks again on the same socket.
  second.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 0 });
  assert.deepEqual(
    (await second.next('chat.resumed')).events.map((e) => e.seq),
    [1, 2, 3, 4, 5],
  );
});

test('resume with a wrong token or an unknown chat gives the same UNKNOWN_CHAT', async () => {
  const { h, started } = await activeChat();
  const other = await h.visitor();
  const wrongToken = started.resumeToken.slice(0, -1) + (started.resumeToken.endsWith('A') ? 'B' : 'A');
  other.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: wrongToken, lastSeq: 0 });
  const wrong = await other.next('error');
  other.send({ type: 'chat.resume', chatId: 'no-such-chat-123', resumeToken: started.resumeToken, lastSeq: 0 });
  const unknown = await other.next('error');
  assert.equal(wrong.code, ErrorCode.UnknownChat);
  assert.deepEqual(unknown, wrong);
});

test('a visitor gone longer than abandonAfterSeconds ends the chat (by: gone)', async () => {
  const { h, advisor, visitor } = await activeChat({ chat: { abandonAfterSeconds: 0.05 } });
  await visitor.close();
  const ended = await advisor.next('chat.event');
  assert.deepEqual(ended.event.kind === 'ended' && ended.event.by, 'gone');
  assert.equal(h.server.hub.chats.size, 0);
});

test('a visitor back within abandonAfterSeconds keeps the chat', async () => {
  const { h, visitor, started } = await activeChat({ chat: { abandonAfterSeconds: 60 } });
  await visitor.close();
  const back = await h.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  await back.next('chat.resumed');
  assert.equal(h.server.hub.chats.get(started.chatId)?.abandonTimer, undefined);
});

test('no message for idleMinutes ends the chat by timeout', async () => {
  const h = (harness = await startServer({ chat: { idleMinutes: 0.001 } }));
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  await visitor.next('chat.started');
  const ended = await visitor.next('chat.event');
  assert.equal(ended.event.kind === 'ended' && ended.event.by, 'timeout');
  assert.equal(h.server.hub.chats.size, 0);
});

test('each message starts the idle time again: a chat with messages more often lives on, and ends idleMinutes after the last', async () => {
  const idleMs = 1200;
  const { h, visitor } = await activeChat({ chat: { idleMinutes: idleMs / 60_000 } });
  let last = 0;
  for (let i = 1; i <= 8; i++) {
    await new Promise((resolve) => setTimeout(resolve, idleMs / 6));
    visitor.send({ type: 'chat.message', id: `visitor-msg-${i}`, text: `Nachricht ${i}` });
    const echo = await visitor.next('chat.event');
    last = performance.now();
    assert.equal(echo.event.kind, 'message', `message ${i}: the chat still goes on, ${i * 200} ms after its start`);
  }
  const ended = await visitor.next('chat.event');
  assert.equal(ended.event.kind === 'ended' && ended.event.by, 'timeout');
  assert.ok(performance.now() - last >= idleMs - 50, 'ended idleMinutes after the last message, not before');
  assert.equal(h.server.hub.chats.size, 0);
});

test('advisor reconnect: advisor.hello gets chat.assigned with the missed events; gone chats are named', async () => {
  const { h, advisor, visitor, started } = await activeChat({}, 1); // seq 1 joined, 2 message
  await advisor.close();
  visitor.send({ type: 'chat.message', id: 'visitor-msg-2', text: 'Sind Sie noch da?' });
  visitor.send({ type: 'chat.message', id: 'visitor-msg-3', text: 'Hallo?' });
  await visitor.next('chat.event');
  await visitor.next('chat.event');

  const again = await h.advisor('adv-a', 'Anna');
  again.send({
    type: 'advisor.hello',
    chats: [
      { chatId: started.chatId, lastSeq: 2 },
      { chatId: 'gone-chat-12345', lastSeq: 7 },
    ],
  });
  await again.next('advisor.welcome');
  await again.next('queue.snapshot');
  const assigned = await again.next('chat.assigned');
  assert.equal(assigned.chatId, started.chatId);
  assert.deepEqual(assigned.visitor, { kind: 'anonymous', nickname: 'Gast', lang: 'de' });
  assert.deepEqual(
    assigned.events.map((e) => e.seq),
    [3, 4],
  );
  const gone = await again.next('error');
  assert.deepEqual({ code: gone.code, ref: gone.ref }, { code: ErrorCode.UnknownChat, ref: 'gone-chat-12345' });

  // A second tab of the same advisor gets every held chat in full.
  const tab = await h.advisor('adv-a', 'Anna');
  tab.send({ type: 'advisor.hello', chats: [] });
  assert.deepEqual(
    (await tab.next('chat.assigned')).events.map((e) => e.seq),
    [1, 2, 3, 4],
  );
  visitor.send({ type: 'chat.message', id: 'visitor-msg-4', text: 'Gut.' });
  assert.equal((await again.next('chat.event')).seq, 5);
  assert.equal((await tab.next('chat.event')).seq, 5);
});

test('an advisor gone longer than advisorGraceSeconds loses the chat back to the queue', async () => {
  const { h, advisor, visitor, started } = await activeChat({ chat: { advisorGraceSeconds: 0.05 } });
  await advisor.close();
  const left = await visitor.next('chat.event');
  assert.equal(left.event.kind, 'left');
  const other = await h.advisor('adv-b', 'Bernd');
  other.send({ type: 'advisor.hello', chats: [] });
  assert.deepEqual(
    (await other.next('queue.snapshot')).items.map((item) => item.chatId),
    [started.chatId],
  );
  other.send({ type: 'queue.accept', chatId: started.chatId });
  assert.deepEqual(
    (await other.next('chat.assigned')).events.map((e) => e.event.kind),
    ['joined', 'left', 'joined'],
  );
});

test(
  'a chat.start repeated with its startId on a new socket gets the same chat again, not a second one',
  { timeout: 20_000 },
  async () => {
    const h = (harness = await startServer());
    const advisor = await h.advisor('adv-a', 'Anna');
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('advisor.welcome');
    const start = {
      type: 'chat.start',
      startId: 'start-id-Zk81',
      nickname: 'Gast',
      termsVersion: TERMS,
      lang: 'de',
    } as const;
    const first = await h.visitor();
    first.send(start);
    const started = await first.next('chat.started'); // as far as the visitor's page knows, this never arrived
    advisor.send({ type: 'queue.accept', chatId: started.chatId });
    await advisor.next('chat.assigned');
    const gone = h.nextLog((line) => line.event === 'connection.closed' && line.role === 'visitor');
    await first.close();
    await gone;

    const second = await h.visitor();
    second.send(start);
    assert.deepEqual(await second.next('chat.started'), started);
    // What happened meanwhile comes along: the page has none of it.
    const joined = await second.next('chat.event');
    assert.deepEqual({ seq: joined.seq, kind: joined.event.kind }, { seq: 1, kind: 'joined' });
    assert.equal(h.server.hub.chats.size, 1);
    second.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Da bin ich' });
    assert.equal((await advisor.next('chat.event')).seq, 2);

    // Once more from a third socket, while the second is still open: the second is replaced, as with a resume.
    const third = await h.visitor();
    third.send(start);
    assert.equal((await third.next('chat.started')).chatId, started.chatId);
    assert.equal((await second.closed).code, CloseCode.Replaced);

    // Another start id is another chat; an ended chat forgets its start id.
    const other = await h.visitor();
    other.send({ ...start, startId: 'start-id-other1' });
    assert.notEqual((await other.next('chat.started')).chatId, started.chatId);
    assert.equal(h.server.hub.chats.size, 2);
    third.send({ type: 'chat.end' });
    await advisor.next('chat.event');
    await third.sync();
    assert.equal(h.server.hub.chats.byStartId(start.startId), undefined);
  },
);
