/**
 * Fencing: a node that was paused past its lease (a long GC pause, a frozen VM; here SIGSTOP) while another node took
 * its chat over must not act on the chat when it runs again. Node A runs in a process of its own; B sweeps A's chat
 * once A's lease lapsed. A is then resumed with a message of the visitor already waiting in its socket: the shared
 * event log refuses A's append (the chat's owner entry names B), A forgets the chat and closes the visitor's socket
 * (4003), the visitor resumes on B and sends the message again, numbered by B after what it had. Nothing of A's
 * reaches the chat's events, and the chat ends once, on B. A chat whose visitor sends nothing is found lost at A's
 * first renewal after the pause (it came later than the lease lasts), and its socket is closed as well.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerToVisitor } from '../../../src/protocol/parse.js';
import type { ServerToVisitor, VisitorToServer } from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { keysIn } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { Client, ORIGIN } from '../helpers.js';
import { nodeProcess, useNodes } from './nodes.js';

const TERMS = defaults.terms.version;
const nodes = useNodes();

const visitorOn = (port: number) =>
  Client.connect<ServerToVisitor, VisitorToServer>(`ws://127.0.0.1:${port}/ws/visitor`, parseServerToVisitor, {
    origin: ORIGIN,
  });

test('a node paused past its lease writes nothing to a chat taken over meanwhile; its visitor comes back to the owner', async () => {
  const redis = await nodes.redis();
  const a = await nodeProcess(redis.url, {});
  const b = await nodes.node({ redis: { leaseSeconds: 1 } });
  try {
    const visitor = await visitorOn(a.port);
    visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    const { chatId, resumeToken } = await visitor.next('chat.started');
    visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Hallo' });
    assert.equal((await visitor.next('chat.event')).seq, 1);

    // A second chat on A whose visitor sends nothing after the pause: A finds it lost at its first late renewal.
    const quiet = await visitorOn(a.port);
    quiet.send({ type: 'chat.start', nickname: 'Gast 2', termsVersion: TERMS, lang: 'de' });
    const quietId = (await quiet.next('chat.started')).chatId;

    a.child.kill('SIGSTOP');
    await until(
      () => [chatId, quietId].every((id) => b.server.hub.chats.get(id) !== undefined),
      'B takes the chats of the paused node over',
      8000,
    );
    // Waiting in A's socket when it runs again: A still holds the chat in its memory.
    visitor.send({ type: 'chat.message', id: 'visitor-2', text: 'Stale-Probe-9Kd' });
    a.child.kill('SIGCONT');

    // Not numbered by A (without fencing A appends it as event 2): the socket is closed to come back.
    const heard = await Promise.race([
      visitor.closed,
      visitor.next('chat.event').then(({ seq }) => ({ code: -1, reason: `event ${seq} from the paused node` })),
    ]);
    assert.deepEqual(heard, { code: 4003, reason: 'the chat moved; come back' });
    const late = new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000).unref());
    assert.deepEqual(
      await Promise.race([quiet.closed, late]),
      { code: 4003, reason: 'the chat moved; come back' },
      'the quiet one too',
    );
    await until(() => a.logged().includes('"chat.lost"'), 'A says it lost the chat', 5000);
    const client = await import('@redis/client').then(({ createClient }) => createClient({ url: redis.url }));
    await client.connect();
    try {
      const key = `lotse:chat:{${chatId}}:events`;
      const events = await client.lRange(key, 0, -1);
      assert.equal(events.length, 1, 'only the event from before the pause');
      assert.ok(!events.some((event) => event.includes('Stale-Probe')), 'nothing of the paused node');
      assert.equal(await client.get(`lotse:chat:{${chatId}}:owner`), b.server.nodeId);

      const back = await b.visitor();
      back.send({ type: 'chat.resume', chatId, resumeToken, lastSeq: 1 });
      assert.deepEqual((await back.next('chat.resumed')).events, []);
      back.send({ type: 'chat.message', id: 'visitor-2', text: 'Stale-Probe-9Kd' });
      assert.equal((await back.next('chat.event')).seq, 2, 'numbered by the owner after what it had');
      back.send({ type: 'chat.end' });
      const ended = await back.next('chat.event');
      assert.equal(ended.event.kind, 'ended');
      assert.equal(ended.seq, 3);
      await back.close();
      await until(
        async () => !(await keysIn(redis.url)).some((k) => k.includes(chatId)),
        'the chat leaves Redis',
        5000,
      );
      // A, running again, ends nothing and writes nothing back (its timers went with the chat).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(!(await keysIn(redis.url)).some((k) => k.includes(chatId)), 'nothing of the chat came back');
      assert.equal(a.logged().match(/"chat\.lost"/g)?.length, 2, 'each chat lost once');
    } finally {
      await client.close();
    }
  } finally {
    if (a.child.exitCode === null && a.child.signalCode === null) {
      a.child.kill('SIGCONT');
      a.child.kill('SIGKILL');
    }
    await a.exited;
  }
});

test("a chat's record is not written by a node its owner entry no longer names: the accept there stops, the chat is forgotten", async () => {
  const [a, b, redis] = await nodes.two();
  const advisor = await a.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const { chatId } = await visitor.next('chat.started');
  const client = await import('@redis/client').then(({ createClient }) => createClient({ url: redis.url }));
  await client.connect();
  try {
    const record = await client.get(`lotse:chat:{${chatId}}:record`);
    assert.equal((JSON.parse(record ?? '{}') as { state?: string }).state, 'waiting');
    // As if node B had taken the chat over while A was cut off from Redis (A still holds it in its memory).
    await client.set(`lotse:chat:{${chatId}}:owner`, b.server.nodeId, { KEEPTTL: true });
    advisor.send({ type: 'queue.accept', chatId });
    assert.deepEqual(await visitor.closed, { code: 4003, reason: 'the chat moved; come back' });
    // Without the fence A writes the record (the chat held by Anna) before its append is refused.
    assert.equal(await client.get(`lotse:chat:{${chatId}}:record`), record, "the owner's record is left alone");
    assert.equal(await client.lLen(`lotse:chat:{${chatId}}:events`), 0, 'and its events');
    assert.equal(a.server.hub.chats.get(chatId), undefined, 'forgotten on A');
    await client.del(`lotse:chat:{${chatId}}:owner`);
  } finally {
    await client.close();
  }
});
