/**
 * Two Lotse nodes on one real Redis, as behind a load balancer without sticky sessions: a chat lives on the node that
 * started it, and its visitor's and advisor's sockets may reach either node (`src/server/cluster/`). Each step is
 * checked on both screens: the events in order, once each.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from '@redis/client';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { parseServerToAdvisor, parseServerToVisitor } from '../../../src/protocol/parse.js';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToVisitor,
  VisitorToServer,
} from '../../../src/protocol/messages.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { dumpRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { Client, ORIGIN } from '../helpers.js';
import { nodeProcess, useNodes } from './nodes.js';
import type { Nodes } from './nodes.js';

const TERMS = defaults.terms.version;
const PROBE = 'Zwei-Knoten-7Qx';
const nodes = useNodes();
const twoNodes = (): ReturnType<Nodes['two']> => nodes.two();

/** The keys in Redis whose name or value holds `part`. */
async function keysOf(url: string, part: string): Promise<string[]> {
  return [...(await dumpRedis(url))]
    .filter(([key, value]) => key.includes(part) || value.includes(part))
    .map(([key]) => key);
}

test('a chat started on node A: its visitor and advisor come back on node B and go on, in order, once each', async () => {
  const [a, b, shared] = await twoNodes();
  const advisor = await a.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await a.visitor();
  visitor.send({
    type: 'chat.start',
    nickname: `Gast ${PROBE}`,
    termsVersion: TERMS,
    lang: 'de',
    startId: 'start-one-1',
  });
  const started = await visitor.next('chat.started');
  visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Hallo' });
  assert.equal((await visitor.next('chat.event')).seq, 1);
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  assert.equal((await advisor.next('chat.assigned')).events.length, 2);
  assert.equal((await visitor.next('chat.event')).event.kind, 'joined');
  await visitor.close();

  // The visitor's next page reached node B: its resume goes to node A, which owns the chat.
  const back = await b.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  assert.deepEqual(
    (await back.next('chat.resumed')).events.map(({ seq, event }) => [seq, event.kind]),
    [[2, 'joined']],
  );
  back.send({ type: 'chat.message', id: 'visitor-2', text: 'Von Knoten B' });
  const relayed = await advisor.next('chat.event');
  assert.deepEqual([relayed.seq, relayed.event.kind], [3, 'message']);
  assert.equal((await back.next('chat.event')).seq, 3, 'the echo comes back through node B');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Antwort von A' });
  assert.equal((await back.next('chat.event')).seq, 4);
  back.send({ type: 'chat.typing', typing: true });
  assert.equal((await advisor.next('chat.typing')).typing, true);

  // The advisor's console reconnects to node B: node A answers its hello for the chat it holds.
  await advisor.close();
  const console2 = await b.advisor('adv-a', 'Anna');
  console2.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 3 }] });
  await console2.next('advisor.welcome');
  const assigned = await console2.next('chat.assigned');
  assert.deepEqual(
    assigned.events.map(({ seq }) => seq),
    [4],
  );
  console2.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-2', text: 'Jetzt von B' });
  const fromB = await back.next('chat.event');
  assert.deepEqual([fromB.seq, fromB.event.kind], [5, 'message']);
  assert.equal((await console2.next('chat.event')).seq, 5);
  back.send({ type: 'chat.typing', typing: false });
  assert.equal((await console2.next('chat.typing')).typing, false, "the advisor's socket on B hears the visitor");

  // A repeated start with the same start id on node B names the same chat (owned by A).
  const again = await b.visitor();
  again.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de', startId: 'start-one-1' });
  assert.equal((await again.next('chat.started')).chatId, started.chatId);
  assert.equal((await back.closed).code, 4002, 'the older socket is replaced, as on one node');

  again.send({ type: 'chat.end' });
  const ended = await console2.next('chat.event');
  assert.deepEqual([ended.seq, ended.event.kind], [6, 'ended']);
  assert.equal((await again.next('chat.event')).event.kind, 'message', 'the replayed events first');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(await keysOf(shared.url, started.chatId), [], 'nothing of the chat is left in Redis');
  assert.deepEqual(await keysOf(shared.url, PROBE), []);
  assert.deepEqual(shared.files(), [], 'no RDB, no AOF');
});

test('an advisor on node B accepts a chat waiting on node A and writes to it', async () => {
  const [a, b] = await twoNodes();
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  const advisor = await b.advisor('adv-b', 'Bernd');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  const assigned = await advisor.next('chat.assigned');
  assert.equal(assigned.chatId, started.chatId);
  assert.equal((await visitor.next('chat.event')).event.kind, 'joined');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Guten Tag' });
  assert.equal((await visitor.next('chat.event')).event.kind, 'message');
  // A second advisor on node A is too late.
  const other = await a.advisor('adv-c', 'Clara');
  other.send({ type: 'advisor.hello', chats: [] });
  await other.next('advisor.welcome');
  other.send({ type: 'queue.accept', chatId: started.chatId });
  assert.equal((await other.next('error')).code, 'LOTSE_ERR_ALREADY_TAKEN');
  advisor.send({ type: 'chat.end', chatId: started.chatId });
  assert.equal((await visitor.next('chat.event')).event.kind, 'ended');
});

test('a chat whose owner is gone: a resume on another node is told the chat is unknown, at once', async () => {
  const [, b, shared] = await twoNodes();
  const client = createClient({ url: shared.url });
  await client.connect();
  await client.set('lotse:chat:{lost-chat}:owner', 'a-node-that-died', { PX: 60_000 });
  await client.close();
  const visitor = await b.visitor();
  visitor.send({ type: 'chat.resume', chatId: 'lost-chat', resumeToken: 'x'.repeat(32), lastSeq: 0 });
  assert.equal((await visitor.next('error')).code, 'LOTSE_ERR_UNKNOWN_CHAT');
  assert.ok(b.logs.some((line) => line.includes('"node.gone"')));
});

test("a resume and a hello that reach node B while it takes a dead node's chat over wait for it: never 'unknown chat'", async () => {
  const redis = await nodes.redis();
  const a = await nodeProcess(redis.url);
  const b = await nodes.node({ redis: { leaseSeconds: 1 } });
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const token = await mintAdvisorToken({ id: 'adv-a', name: 'Anna' }, b.server.config, 3600);
    const onA = `ws://127.0.0.1:${a.port}`;
    const visitor = await Client.connect<ServerToVisitor, VisitorToServer>(`${onA}/ws/visitor`, parseServerToVisitor, {
      origin: ORIGIN,
    });
    const advisor = await Client.connect<ServerToAdvisor, AdvisorToServer>(`${onA}/ws/advisor`, parseServerToAdvisor, {
      origin: ORIGIN,
      protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
    });
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('advisor.welcome');
    visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    const started = await visitor.next('chat.started');
    advisor.send({ type: 'queue.accept', chatId: started.chatId });
    await advisor.next('chat.assigned');
    assert.equal((await visitor.next('chat.event')).seq, 1);
    a.child.kill('SIGKILL');
    await a.exited;

    // B's takeover is held between making B the owner (in Redis) and rebuilding the chat from its events.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hub = b.server.hub;
    const eventsOf = hub.eventsOf.bind(hub);
    hub.eventsOf = async (chatId) => {
      await held;
      return eventsOf(chatId);
    };
    // Two consoles of the advisor come back to B: the first one's hello starts the takeover.
    const first = await b.advisor('adv-a', 'Anna');
    first.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 1 }] });
    await first.next('advisor.welcome');
    await until(
      async () => (await client.get(`lotse:chat:{${started.chatId}}:owner`)) === b.server.nodeId,
      'B made itself the owner',
    );
    const second = await b.advisor('adv-a', 'Anna');
    second.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 1 }] });
    await second.next('advisor.welcome');
    const back = await b.visitor();
    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
    second.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Noch da' });
    // Given the time to answer (wrongly) before the chat is there: an answer would be an error.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();

    const answered = (c: { received: { type: string }[] }, type: string): Promise<void> =>
      until(() => c.received.some((m) => m.type === type || m.type === 'error'), `${type} or an error`);
    await answered(back, 'chat.resumed');
    await answered(second, 'chat.assigned');
    assert.deepEqual(
      [...back.received, ...second.received].filter((m) => m.type === 'error'),
      [],
      'no "unknown chat" for the resume, the hello or the message',
    );
    // The advisor's message, appended once the chat is there: in the resume's events, or right after them.
    const seqs = (await back.next('chat.resumed')).events.map(({ seq }) => seq);
    if (!seqs.includes(2)) seqs.push((await back.next('chat.event')).seq);
    assert.deepEqual(seqs, [2]);
    assert.equal((await first.next('chat.assigned')).chatId, started.chatId);
  } finally {
    await client.close();
    if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
  }
});

/** A node in its own process (`fixtures/node.ts`) on the Redis, with a one-second lease: to be killed. */
test('node A is killed (SIGKILL) mid-chat: both sides come back on node B, which takes the chat over; nothing lost or doubled', async () => {
  const redis = await nodes.redis();
  const a = await nodeProcess(redis.url);
  const b = await nodes.node({ redis: { leaseSeconds: 1 } });
  try {
    const token = await mintAdvisorToken({ id: 'adv-a', name: 'Anna' }, b.server.config, 3600);
    const onA = `ws://127.0.0.1:${a.port}`;
    const visitor = await Client.connect<ServerToVisitor, VisitorToServer>(`${onA}/ws/visitor`, parseServerToVisitor, {
      origin: ORIGIN,
    });
    const advisor = await Client.connect<ServerToAdvisor, AdvisorToServer>(`${onA}/ws/advisor`, parseServerToAdvisor, {
      origin: ORIGIN,
      protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
    });
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('advisor.welcome');
    visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    const started = await visitor.next('chat.started');
    visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Eins' });
    await visitor.next('chat.event');
    advisor.send({ type: 'queue.accept', chatId: started.chatId });
    await advisor.next('chat.assigned');
    await visitor.next('chat.event');
    advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Zwei' });
    assert.equal((await visitor.next('chat.event')).seq, 3);
    await advisor.next('chat.event');

    // The visitor's next page reached node B before the death: its socket there is routed to A.
    await visitor.close();
    const routed = await b.visitor();
    routed.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 3 });
    assert.deepEqual((await routed.next('chat.resumed')).events, []);

    a.child.kill('SIGKILL');
    await a.exited;
    await advisor.closed;
    // Node B finds A gone within a lease although nobody sent A anything: the routed socket is told to come back.
    assert.equal((await routed.closed).code, 4003);

    // Both come back on node B (as nginx would send them), each with the last seq it had.
    const back = await b.visitor();
    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 2 });
    const resumed = await back.next('chat.resumed');
    assert.deepEqual(
      resumed.events.map(({ seq, event }) => [seq, event.kind]),
      [[3, 'message']],
      'the events it lacked, once',
    );
    const console2 = await b.advisor('adv-a', 'Anna');
    console2.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 3 }] });
    await console2.next('advisor.welcome');
    const assigned = await console2.next('chat.assigned');
    assert.equal(assigned.chatId, started.chatId);
    assert.deepEqual(assigned.events, [], 'it had every event');
    assert.ok(b.logs.some((line) => line.includes('"chat.taken_over"')));

    // The visitor resends its first message (as an outbox does when unsure): not appended twice.
    back.send({ type: 'chat.message', id: 'visitor-1', text: 'Eins' });
    back.send({ type: 'chat.message', id: 'visitor-2', text: 'Vier' });
    const next = await console2.next('chat.event');
    assert.deepEqual(
      [next.seq, next.event.kind, next.event.kind === 'message' && next.event.id],
      [4, 'message', 'visitor-2'],
    );
    console2.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-2', text: 'Fünf' });
    assert.equal((await back.next('chat.event')).seq, 4);
    assert.equal((await back.next('chat.event')).seq, 5);
    console2.send({ type: 'chat.end', chatId: started.chatId });
    assert.equal((await back.next('chat.event')).event.kind, 'ended');
  } finally {
    if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
  }
});

test('node A stops (a rolling update): its chats go on on node B at once, without waiting for a lease', async () => {
  const [a, b] = await twoNodes();
  nodes.forget(a);
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  const advisor = await b.advisor('adv-b', 'Bernd');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  assert.equal((await visitor.next('chat.event')).seq, 1);
  visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Vor dem Update' });
  assert.equal((await advisor.next('chat.event')).seq, 2);

  const stopped = performance.now();
  // The server's own close (the harness's would close the clients first): its sockets hear 4003.
  await a.server.close();
  assert.equal((await visitor.closed).code, 4003, 'told to come back');
  const back = await b.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  assert.deepEqual(
    (await back.next('chat.resumed')).events.map(({ seq }) => seq),
    [2],
  );
  assert.ok(performance.now() - stopped < 4000, 'no lease (5 s) was waited for');
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Nach dem Update' });
  assert.equal((await back.next('chat.event')).seq, 3);
  assert.equal((await advisor.next('chat.event')).seq, 3);
  assert.ok(!b.logs.some((line) => line.includes('"chat.ended"')), 'the chat did not end');
});

test("an advisor's console that moves to another node keeps its chat past the grace; one gone from every node loses it", async () => {
  const [a, b] = await nodes.two({ chat: { advisorGraceSeconds: 0.5 } });
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  const onA = await a.advisor('adv-a', 'Anna');
  onA.send({ type: 'advisor.hello', chats: [] });
  await onA.next('advisor.welcome');
  onA.send({ type: 'queue.accept', chatId: started.chatId });
  await onA.next('chat.assigned');
  assert.equal((await visitor.next('chat.event')).event.kind, 'joined');

  // The console reloads and comes back through node B; the grace on A runs out meanwhile.
  await onA.close();
  const onB = await b.advisor('adv-a', 'Anna');
  onB.send({ type: 'advisor.hello', chats: [{ chatId: started.chatId, lastSeq: 1 }] });
  await onB.next('chat.assigned');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  onB.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-1', text: 'Noch da' });
  const next = await visitor.next('chat.event');
  assert.deepEqual([next.seq, next.event.kind], [2, 'message'], 'not re-queued: the advisor was on node B');

  // Gone from every node: its chat goes back to the queue after the grace, on the owner, node A.
  await onB.close();
  const left = await visitor.next('chat.event');
  assert.deepEqual([left.seq, left.event.kind], [3, 'left']);
});
