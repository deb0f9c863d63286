import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { reachableStrings, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
const NICK = 'Nick-Q7x1';
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function startedChat(h: Harness) {
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  return { visitor, started };
}

async function helloAdvisor(h: Harness, id: string, name: string) {
  const advisor = await h.advisor(id, name);
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  await advisor.next('queue.snapshot');
  return advisor;
}

test('full chat: queue to two advisors, accept, take-over refused, messages, typing, end by visitor', async () => {
  const h = (harness = await startServer());
  const a = await helloAdvisor(h, 'adv-a', 'Anna');
  const b = await helloAdvisor(h, 'adv-b', 'Bernd');

  const { visitor, started } = await startedChat(h);
  for (const advisor of [a, b]) {
    const snapshot = await advisor.next('queue.snapshot');
    assert.deepEqual(
      snapshot.items.map((item) => item.chatId),
      [started.chatId],
    );
    assert.deepEqual(snapshot.items[0]?.visitor, { kind: 'anonymous', nickname: NICK, lang: 'de' });
  }

  visitor.send({ type: 'chat.message', id: 'msg-visitor-1', text: 'Hallo, <script>alert(1)</script>' });
  const first = await visitor.next('chat.event');
  assert.equal(first.seq, 1);
  for (const advisor of [a, b]) {
    const snapshot = await advisor.next('queue.snapshot');
    assert.equal(snapshot.items[0]?.firstMessage, 'Hallo, <script>alert(1)</script>');
  }

  a.send({ type: 'queue.accept', chatId: started.chatId });
  const assigned = await a.next('chat.assigned');
  assert.deepEqual(
    assigned.events.map((e) => e.event.kind),
    ['message', 'joined'],
  );
  assert.deepEqual(
    assigned.events.map((e) => e.seq),
    [1, 2],
  );
  const joined = await visitor.next('chat.event');
  assert.deepEqual({ seq: joined.seq, kind: joined.event.kind }, { seq: 2, kind: 'joined' });
  assert.equal(joined.event.kind === 'joined' && joined.event.advisor, 'Anna');
  assert.deepEqual((await b.next('queue.snapshot')).items, []);

  b.send({ type: 'queue.accept', chatId: started.chatId });
  const taken = await b.next('error');
  assert.equal(taken.code, ErrorCode.AlreadyTaken);
  assert.equal(taken.ref, started.chatId);

  a.send({ type: 'chat.message', chatId: started.chatId, id: 'msg-advisor-1', text: 'Guten Tag!' });
  visitor.send({ type: 'chat.message', id: 'msg-visitor-2', text: 'Eine Frage' });
  const seqs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const event = await visitor.next('chat.event');
    const mirrored = await a.next('chat.event');
    assert.deepEqual(mirrored.event, event.event);
    assert.equal(mirrored.seq, event.seq);
    seqs.push(event.seq);
  }
  assert.deepEqual(seqs, [3, 4]);

  visitor.send({ type: 'chat.typing', typing: true });
  assert.deepEqual(await a.next('chat.typing'), { v: 1, type: 'chat.typing', chatId: started.chatId, typing: true });
  a.send({ type: 'chat.typing', chatId: started.chatId, typing: true });
  assert.equal((await visitor.next('chat.typing')).typing, true);
  await b.sync();
  assert.deepEqual(b.take('chat.typing'), [], 'typing goes to the assigned advisor only');
  assert.equal(h.server.hub.chats.get(started.chatId)?.lastSeq, 4, 'typing is not stored');

  assert.ok(
    reachableStrings(h.server.hub).some((s) => s.includes(NICK)),
    'the probe sees a live chat',
  );
  visitor.send({ type: 'chat.end' });
  const ended = await a.next('chat.event');
  assert.deepEqual({ seq: ended.seq, kind: ended.event.kind }, { seq: 5, kind: 'ended' });
  assert.equal(ended.event.kind === 'ended' && ended.event.by, 'visitor');
  assert.equal((await visitor.next('chat.event')).event.kind, 'ended');

  await visitor.sync();
  assert.equal(h.server.hub.chats.size, 0);
  const strings = reachableStrings(h.server.hub);
  for (const secret of [NICK, 'Hallo', 'Guten Tag', 'Eine Frage', started.resumeToken, started.chatId]) {
    assert.ok(!strings.some((s) => s.includes(secret)), `hub still holds "${secret}"`);
  }
  visitor.send({ type: 'chat.message', id: 'msg-visitor-3', text: 'noch da?' });
  assert.equal((await visitor.next('error')).code, ErrorCode.ChatEnded);
});

test('end by advisor deletes the chat', async () => {
  const h = (harness = await startServer());
  const a = await helloAdvisor(h, 'adv-a', 'Anna');
  const { visitor, started } = await startedChat(h);
  a.send({ type: 'queue.accept', chatId: started.chatId });
  await a.next('chat.assigned');
  a.send({ type: 'chat.message', chatId: started.chatId, id: 'msg-advisor-1', text: 'Tschüss bald' });
  a.send({ type: 'chat.end', chatId: started.chatId });
  await visitor.next('chat.event'); // joined
  await visitor.next('chat.event'); // message
  const ended = await visitor.next('chat.event');
  assert.equal(ended.event.kind === 'ended' && ended.event.by, 'advisor');
  await a.sync();
  assert.equal(h.server.hub.chats.size, 0);
  const strings = reachableStrings(h.server.hub);
  assert.ok(!strings.some((s) => s.includes(NICK) || s.includes('Tschüss')));
  a.send({ type: 'chat.message', chatId: started.chatId, id: 'msg-advisor-2', text: 'x' });
  assert.equal((await a.next('error')).code, ErrorCode.UnknownChat);
});

test('a duplicate client message id is neither appended again nor answered with an error', async () => {
  const h = (harness = await startServer());
  const { visitor, started } = await startedChat(h);
  visitor.send({ type: 'chat.message', id: 'same-id-123', text: 'einmal' });
  visitor.send({ type: 'chat.message', id: 'same-id-123', text: 'einmal' });
  await visitor.sync();
  assert.equal(visitor.take('chat.event').length, 1);
  assert.deepEqual(visitor.take('error'), []);
  assert.equal(h.server.hub.chats.get(started.chatId)?.lastSeq, 1);
});

test('a message before chat.start is refused; a second chat.start too; wrong terms version', async () => {
  const h = (harness = await startServer());
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.message', id: 'early-msg-1', text: 'zu früh' });
  const early = await visitor.next('error');
  assert.equal(early.code, ErrorCode.InvalidState);
  assert.equal(early.ref, 'early-msg-1');

  visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: '1999-01', lang: 'de' });
  assert.equal((await visitor.next('error')).code, ErrorCode.TermsOutdated);
  assert.equal(h.server.hub.chats.size, 0);

  visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: TERMS, lang: 'en' });
  await visitor.next('chat.started');
  visitor.send({ type: 'chat.start', nickname: NICK, termsVersion: TERMS, lang: 'en' });
  assert.equal((await visitor.next('error')).code, ErrorCode.InvalidState);
  assert.equal(h.server.hub.chats.size, 1);
});

test('a visitor can start a chat with no advisor connected; advisors see it on hello', async () => {
  const h = (harness = await startServer());
  const { started } = await startedChat(h);
  const a = await h.advisor('adv-a', 'Anna');
  a.send({ type: 'advisor.hello', chats: [] });
  const welcome = await a.next('advisor.welcome');
  assert.deepEqual(welcome.advisor, { id: 'adv-a', name: 'Anna' });
  assert.deepEqual(
    (await a.next('queue.snapshot')).items.map((item) => item.chatId),
    [started.chatId],
  );
  a.send({ type: 'advisor.presence', status: 'away' });
  assert.equal((await a.next('advisor.presence')).status, 'away');
});

test('advisor messages before advisor.hello are refused', async () => {
  const h = (harness = await startServer());
  const a = await h.advisor();
  a.send({ type: 'queue.accept', chatId: 'abcdefgh12345' });
  assert.equal((await a.next('error')).code, ErrorCode.InvalidState);
});
