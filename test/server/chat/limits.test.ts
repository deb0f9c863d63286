/** Capacity: connections overall and per client, the waiting queue, queue snapshots, and sockets that do not read. */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import {
  MAX_BUFFERED_BYTES,
  MAX_CONNECTIONS_PER_CLIENT,
  MAX_TEXT_LENGTH,
  MAX_WAITING_CHATS,
  QUEUE_SNAPSHOT_MAX,
  SUBPROTOCOL,
} from '../../../src/protocol/limits.js';
import type { Outgoing } from '../../../src/protocol/parse.js';
import type { ServerToAdvisor } from '../../../src/protocol/messages.js';
import type { AdvisorPeer, VisitorPeer } from '../../../src/server/chat/chat.js';
import { createChatPart } from '../../../src/server/app/chat-part.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { createLogger } from '../../../src/server/log.js';
import { refusedStatus, startChat, startServer, testConfig } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });

test('beyond limits.maxConnections an upgrade gets 503 before any WebSocket exists', async () => {
  // No share reserved for advisors here (idle-sockets.test.ts tests that): every socket counts the same.
  const h = (harness = await startServer({ limits: { maxConnections: 3, advisorReservedConnections: 0 } }));
  await h.visitor();
  await h.visitor();
  const advisor = await h.advisor();
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL]), 503);
  assert.equal(await refusedStatus(`${h.wsUrl}/ws/advisor`, [SUBPROTOCOL]), 503);
  await advisor.sync(); // the ones inside are not disturbed
  assert.ok(h.logs.some((line) => JSON.parse(line).reason === 'capacity'));
});

test(`more than ${MAX_CONNECTIONS_PER_CLIENT} visitor sockets of one client get 503; other clients do not notice`, async () => {
  const h = (harness = await startServer({ trustProxy: true }));
  // One client: the same IPv6 /64, whatever the interface part.
  for (let i = 0; i < MAX_CONNECTIONS_PER_CLIENT; i++) await h.visitor(from(`2001:db8:1:2::${(i % 3) + 1}`));
  const url = `${h.wsUrl}/ws/visitor`;
  assert.equal(await refusedStatus(url, [SUBPROTOCOL], undefined, { 'X-Forwarded-For': '2001:db8:1:2::99' }), 503);
  await (await h.visitor(from('2001:db8:1:3::1'))).sync();
  await (await h.visitor(from('203.0.113.7'))).sync();
  // Advisors count towards the total only: a contact centre shares one address.
  await (await h.advisor('adv-a', 'Anna', from('2001:db8:1:2::1'))).sync();
  const log = h.logs.join('\n');
  assert.ok(!log.includes('2001:db8') && !log.includes('203.0.113'), 'no address in the log');
});

test('the per-client socket limit and the queue limit are configuration', async () => {
  const h = (harness = await startServer({
    trustProxy: true,
    limits: { maxVisitorSocketsPerClient: 3, maxWaitingChats: 4 },
  }));
  const url = `${h.wsUrl}/ws/visitor`;
  for (let i = 0; i < 3; i++) await h.visitor(from('203.0.113.9'));
  assert.equal(await refusedStatus(url, [SUBPROTOCOL], undefined, { 'X-Forwarded-For': '203.0.113.9' }), 503);
  const started = [];
  for (let i = 0; i < 4; i++) {
    const visitor = await h.visitor(from(`198.51.100.${i + 1}`));
    visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    started.push((await visitor.next('chat.started')).chatId);
  }
  const fifth = await h.visitor(from('198.51.100.50'));
  fifth.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  assert.equal((await fifth.next('error')).code, ErrorCode.Busy);
  assert.equal(started.length, 4);
});

test(
  `chat.start beyond ${MAX_WAITING_CHATS} waiting chats gets LOTSE_ERR_BUSY; snapshots carry the ${QUEUE_SNAPSHOT_MAX} longest waiting`,
  { timeout: 20_000 },
  async () => {
    const h = (harness = await startServer({ trustProxy: true }));
    const started: string[] = [];
    const visitors = [];
    for (let i = 0; i <= MAX_WAITING_CHATS; i++) {
      visitors.push(await h.visitor(from(`198.51.100.${Math.floor(i / MAX_CONNECTIONS_PER_CLIENT) + 1}`)));
    }
    for (const visitor of visitors.slice(0, MAX_WAITING_CHATS)) {
      visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
      started.push((await visitor.next('chat.started')).chatId);
    }
    const last = visitors[MAX_WAITING_CHATS];
    assert.ok(last);
    last.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    const busy = await last.next('error');
    assert.deepEqual({ code: busy.code, ref: busy.ref }, { code: ErrorCode.Busy, ref: 'chat.start' });
    assert.equal(h.server.hub.chats.size, MAX_WAITING_CHATS);

    const advisor = await h.advisor();
    advisor.send({ type: 'advisor.hello', chats: [] });
    const snapshot = await advisor.next('queue.snapshot');
    assert.deepEqual(
      snapshot.items.map((item) => item.chatId),
      started.slice(0, QUEUE_SNAPSHOT_MAX),
    );

    // A place frees up: the next start is taken.
    visitors[0]?.send({ type: 'chat.end' });
    await visitors[0]?.next('chat.event');
    last.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    await last.next('chat.started');
  },
);

/** An advisor socket that only records what it was sent, and says when. */
function fakeAdvisor(): AdvisorPeer & { sent: Outgoing<ServerToAdvisor>[]; next(): Promise<void> } {
  const sent: Outgoing<ServerToAdvisor>[] = [];
  let wake: (() => void) | undefined;
  return {
    advisor: { id: 'adv-a', name: 'Anna' },
    sent,
    send: (message) => {
      sent.push(message);
      wake?.();
    },
    close: () => {},
    next: () => new Promise((resolve) => (wake = resolve)),
  };
}

function fakeVisitor(): VisitorPeer {
  return { send: () => {}, close: () => {} };
}

test('queue changes close together go out as one queue.snapshot', async () => {
  const part = createChatPart(testConfig(), { log: createLogger({ level: 'silent' }) });
  const { hub } = part;
  const advisor = fakeAdvisor();
  hub.advisors.add(advisor);
  await hub.advisors.markReady(advisor);
  const start = async (): Promise<void> => {
    const peer = fakeVisitor();
    hub.sockets.visitorConnected(peer);
    await startChat(hub, peer, { kind: 'anonymous', nickname: 'Gast' });
    hub.queue.push();
  };
  // The hub's timers do not keep Node alive (in a server, the sockets do): hold the loop open meanwhile.
  const hold = setInterval(() => {}, 60_000);
  try {
    let pushed = advisor.next();
    await Promise.all(Array.from({ length: 10 }, start));
    await pushed;
    assert.equal(advisor.sent.length, 1);
    assert.equal(advisor.sent[0]?.type === 'queue.snapshot' && advisor.sent[0].items.length, 10);

    pushed = advisor.next();
    await start();
    await pushed;
    assert.equal(advisor.sent.length, 2);
    assert.equal(advisor.sent[1]?.type === 'queue.snapshot' && advisor.sent[1].items.length, 11);
  } finally {
    await part.close();
    clearInterval(hold);
  }
});

test(
  `an advisor socket that stops reading is terminated once more than ${MAX_BUFFERED_BYTES} bytes wait for it`,
  { timeout: 20_000 },
  async () => {
    const h = (harness = await startServer());
    const healthy = await h.advisor('adv-b', 'Bernd');
    healthy.send({ type: 'advisor.hello', chats: [] });
    await healthy.next('queue.snapshot');
    const slow = await h.advisor('adv-a', 'Anna');
    slow.send({ type: 'advisor.hello', chats: [] });
    await slow.next('queue.snapshot');
    // Ten chats held by the slow console, each with twenty long messages (3 bytes of UTF-8 per character): every
    // advisor.hello is answered with all of them, about 1.2 MB.
    const long = '語'.repeat(MAX_TEXT_LENGTH);
    for (let i = 0; i < 10; i++) {
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
      const { chatId } = await visitor.next('chat.started');
      slow.send({ type: 'queue.accept', chatId });
      await slow.next('chat.assigned');
      for (let n = 0; n < 20; n++) visitor.send({ type: 'chat.message', id: `message-${i}-${n}`, text: long });
      for (let n = 0; n <= 20; n++) await visitor.next('chat.event');
    }
    await slow.sync();

    const socket = (slow.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const terminated = h.nextLog((line) => line.event === 'connection.terminated' && line.reason === 'slow');
    // The console reads nothing from now on; the kernel's buffers take a few MB before the server's fill up. Within
    // the rate burst, so no hello is dropped.
    for (let i = 0; i < 15; i++) slow.send({ type: 'advisor.hello', chats: [] });
    assert.equal((await terminated).role, 'advisor');
    socket.resume();
    assert.equal((await slow.closed).code, 1006);
    await healthy.sync();
    assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
  },
);
