// The server's side of a conversation that outlives the page: the advisor hears when the visitor's page leaves and
// comes back, read receipts are relayed both ways (and never an error), and a waiting visitor hears its place.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CloseCode, ErrorCode } from '../../../src/protocol/errors.js';
import { QUEUE_REFRESH_MS } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function withAdvisor(overrides: ConfigOverrides = {}) {
  const h = (harness = await startServer(overrides));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  return { h, advisor };
}

async function startVisitor(h: Harness, nickname = 'Gast') {
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname, termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  return { visitor, started };
}

async function activeChat(overrides: ConfigOverrides = {}) {
  const { h, advisor } = await withAdvisor(overrides);
  const { visitor, started } = await startVisitor(h);
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  await visitor.next('chat.event'); // joined, seq 1
  return { h, advisor, visitor, started };
}

test('the advisor hears the visitor leave and come back; the log never has it', async () => {
  const { h, advisor, visitor, started } = await activeChat({ chat: { abandonAfterSeconds: 60 } });
  await visitor.close();
  assert.deepEqual(await advisor.next('chat.presence'), {
    v: 1,
    type: 'chat.presence',
    chatId: started.chatId,
    present: false,
  });

  const back = await h.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 0 });
  const resumed = await back.next('chat.resumed');
  assert.deepEqual(await advisor.next('chat.presence'), {
    v: 1,
    type: 'chat.presence',
    chatId: started.chatId,
    present: true,
  });
  // Only `joined` in the log: presence is not an event either side replays.
  assert.deepEqual(
    resumed.events.map((item) => item.event.kind),
    ['joined'],
  );
});

test('a second socket taking over the chat is not a presence change; the older one is told why (4002)', async () => {
  const { h, advisor, visitor, started } = await activeChat();
  const second = await h.visitor();
  second.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  await second.next('chat.resumed');
  const closed = await visitor.closed;
  assert.equal(closed.code, CloseCode.Replaced);
  assert.equal(closed.reason, 'replaced');
  await advisor.sync();
  assert.deepEqual(advisor.take('chat.presence'), []);
});

test('an advisor who reconnects while the visitor is away gets the chat marked away', async () => {
  const { h, advisor, visitor, started } = await activeChat({
    chat: { abandonAfterSeconds: 60, advisorGraceSeconds: 60 },
  });
  await visitor.close();
  await advisor.next('chat.presence');
  await advisor.close();
  const again = await h.advisor('adv-a', 'Anna');
  again.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 1 }] });
  const assigned = await again.next('chat.assigned');
  assert.equal(assigned.away, true);
  assert.deepEqual(assigned.events, []);
});

test('the grace period running out ends the chat as gone for both sides, and nothing is kept for a late visitor', async () => {
  const { h, advisor, visitor, started } = await activeChat({ chat: { abandonAfterSeconds: 0.05 } });
  await visitor.close();
  const ended = await advisor.next('chat.event');
  assert.equal(ended.event.kind === 'ended' && ended.event.by, 'gone');
  assert.equal(h.server.hub.chats.size, 0);
  const late = await h.visitor();
  late.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  assert.equal((await late.next('error')).code, ErrorCode.UnknownChat);
});

test('read receipts are relayed both ways, clamped to the log, and never answered with an error', async () => {
  const { h, advisor, visitor, started } = await activeChat();
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-msg-1', text: 'Hallo' });
  await visitor.next('chat.event'); // seq 2
  visitor.send({ type: 'chat.read', seq: 2 });
  assert.deepEqual(await advisor.next('chat.read'), { v: 1, type: 'chat.read', chatId: started.chatId, seq: 2 });
  visitor.send({ type: 'chat.read', seq: 999 });
  assert.equal((await advisor.next('chat.read')).seq, 2);

  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Danke' });
  await advisor.next('chat.event'); // seq 3
  await visitor.next('chat.event');
  advisor.send({ type: 'chat.read', chatId: started.chatId, seq: 3 });
  assert.deepEqual(await visitor.next('chat.read'), { v: 1, type: 'chat.read', seq: 3 });

  // A read for a chat this advisor does not hold, or after the end, is dropped without a word.
  advisor.send({ type: 'chat.read', chatId: 'no-such-chat-123', seq: 1 });
  visitor.send({ type: 'chat.end' });
  const ended = await visitor.next('chat.event');
  assert.equal(ended.event.kind, 'ended');
  visitor.send({ type: 'chat.read', seq: 4 });
  advisor.send({ type: 'chat.read', chatId: started.chatId, seq: 4 });
  await Promise.all([visitor.sync(), advisor.sync()]);
  assert.deepEqual(visitor.take('error'), []);
  assert.deepEqual(advisor.take('error'), []);
  assert.deepEqual(visitor.take('chat.read'), []);
  // Nothing about reading in any log line.
  assert.equal(h.logs.filter((line) => line.includes('read')).length, 0);
});

test('a waiting visitor hears its place in the queue, in the order the advisors see, and again after a resume', async () => {
  const { h, advisor } = await withAdvisor({ chat: { abandonAfterSeconds: 60 } });
  const first = await startVisitor(h, 'Erste');
  assert.deepEqual(await first.visitor.next('chat.queue'), { v: 1, type: 'chat.queue', position: 1 });
  const second = await startVisitor(h, 'Zweite');
  const third = await startVisitor(h, 'Dritte');
  assert.equal((await second.visitor.next('chat.queue')).position, 2);
  assert.equal((await third.visitor.next('chat.queue')).position, 3);
  let snapshot = await advisor.next('queue.snapshot');
  while (snapshot.items.length < 3) snapshot = await advisor.next('queue.snapshot');
  assert.deepEqual(
    snapshot.items.map((item) => item.chatId),
    [first, second, third].map((one) => one.started.chatId),
  );

  advisor.send({ type: 'queue.accept', chatId: first.started.chatId });
  await advisor.next('chat.assigned');
  assert.equal((await second.visitor.next('chat.queue')).position, 1);
  assert.equal((await third.visitor.next('chat.queue')).position, 2);
  // No estimate from a single accept: no estimate rather than a wrong one.
  await first.visitor.sync();
  assert.deepEqual(first.visitor.take('chat.queue'), []);

  // The third visitor's page changes: the queue shows it away, then back, and the new socket hears its place.
  await third.visitor.close();
  let away = await advisor.next('queue.snapshot');
  while (away.items.find((item) => item.chatId === third.started.chatId)?.away !== true)
    away = await advisor.next('queue.snapshot');
  const back = await h.visitor();
  back.send({ type: 'chat.resume', chatId: third.started.chatId, resumeToken: third.started.resumeToken, lastSeq: 0 });
  await back.next('chat.resumed');
  assert.deepEqual(await back.next('chat.queue'), { v: 1, type: 'chat.queue', position: 2 });
  let present = await advisor.next('queue.snapshot');
  while (present.items.find((item) => item.chatId === third.started.chatId)?.away === true)
    present = await advisor.next('queue.snapshot');
  assert.equal(present.items.find((item) => item.chatId === third.started.chatId)?.away, undefined);
});

test('a waiting visitor hears that nobody takes chats (unstaffed) until an advisor is available', async () => {
  const h = (harness = await startServer({ chat: { abandonAfterSeconds: 60 } }));
  const { visitor } = await startVisitor(h, 'Allein');
  assert.deepEqual(await visitor.next('chat.queue'), { v: 1, type: 'chat.queue', position: 1, unstaffed: true });
  const advisor = await h.advisor('adv-a', 'Anna');
  const arrived = Date.now();
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  // The same place, now with somebody to take it: said again, without `unstaffed`, at once (the advisor's arrival
  // pushes the queue), not at the next periodic refresh.
  assert.deepEqual(await visitor.next('chat.queue'), { v: 1, type: 'chat.queue', position: 1 });
  assert.ok(Date.now() - arrived < QUEUE_REFRESH_MS / 2, 'told when the advisor came, not at the next refresh');
  // The advisor goes away: nobody takes chats again, and the visitor hears it at once.
  const away = Date.now();
  advisor.send({ type: 'advisor.presence', status: 'away' });
  assert.deepEqual(await visitor.next('chat.queue'), { v: 1, type: 'chat.queue', position: 1, unstaffed: true });
  assert.ok(Date.now() - away < QUEUE_REFRESH_MS / 2, 'told when the advisor went away, not at the next refresh');
});
