/**
 * Fencing of co-browse sessions, as of chats (`fencing.test.ts`): node A, in a process of its own, holds two live
 * sessions and is paused (SIGSTOP) past its lease; node B takes both over from their records. A is resumed with a
 * visitor's signal and the advisor's end of one session already waiting in its sockets: A relays nothing and ends
 * nothing (no `cobrowse.ended`, the keys stay B's). It finds both sessions lost at its first renewal, which came later
 * than the lease lasts, and closes their sockets (4003), the quiet session's too; both sides come back on B, keep their
 * link, and signal there, and the session ends once, on B.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { parseServerToAdvisor, parseServerToVisitor } from '../../../src/protocol/parse.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { keysIn } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { Client, ORIGIN } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { liveSession, readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import type { AdvisorClient, VisitorClient } from '../cobrowse/cobrowse-helpers.js';
import { nodeProcess, useNodes } from './nodes.js';

const nodes = useNodes();
const MOVED = { code: 4003, reason: 'the session moved; come back' };

/** How the socket closed, or that it is still open after 5 s. */
const closing = (client: VisitorClient | AdvisorClient): Promise<unknown> =>
  Promise.race([
    client.closed,
    new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000).unref()),
  ]);

test('a node paused past its lease relays and ends nothing of a co-browse session taken over meanwhile', async () => {
  const redis = await nodes.redis();
  const a = await nodeProcess(redis.url, {});
  try {
    const b = await nodes.node({ redis: { leaseSeconds: 1 } });
    const onA = {
      visitor: () => Client.connect(`ws://127.0.0.1:${a.port}/ws/visitor`, parseServerToVisitor, { origin: ORIGIN }),
      advisor: async (id: string, name: string) => {
        const token = await mintAdvisorToken({ id, name }, b.server.config, 3600);
        return Client.connect(`ws://127.0.0.1:${a.port}/ws/advisor`, parseServerToAdvisor, {
          origin: ORIGIN,
          protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
        });
      },
    } as unknown as Harness;
    const live = await liveSession(onA, { advisor: await readyAdvisor(onA, 'adv-a', 'Anna') });
    const { sessionId } = live;
    // A second session on A whose sockets send nothing after the pause: A finds it lost at its first late renewal.
    const quiet = await liveSession(onA, { advisor: await readyAdvisor(onA, 'adv-b', 'Bernd') });

    a.child.kill('SIGSTOP');
    await until(
      () => [sessionId, quiet.sessionId].every((id) => b.server.cobrowse.getSession(id) !== undefined),
      'B takes the sessions of the paused node over',
      8000,
    );
    // Waiting in A's sockets when it runs again: A still holds the session in its memory.
    live.visitor.send({ type: 'cobrowse.signal', sessionId, signal: '{"candidate":"Stale-Probe-7Qx"}' });
    live.advisor.send({ type: 'cobrowse.end', sessionId });
    a.child.kill('SIGCONT');

    // Without fencing A relays the signal to the console and ends the session (keys deleted, both sides told).
    assert.deepEqual(await closing(live.advisor), MOVED, "the console's socket is told to come back");
    assert.deepEqual(await closing(live.visitor), MOVED, "the visitor's too");
    assert.deepEqual(await closing(quiet.visitor), MOVED, "the quiet session's visitor's too");
    assert.deepEqual(await closing(quiet.advisor), MOVED, "and its console's");
    for (const client of [live.advisor, live.visitor]) {
      const heard = client.history.filter((m) => m.type === 'cobrowse.signal' || m.type === 'cobrowse.ended');
      assert.deepEqual(heard, [], 'no signal relayed, no end told by the paused node');
    }
    await until(() => a.logged().match(/"cobrowse\.lost"/g)?.length === 2, 'A says it lost both sessions', 5000);
    const client = await import('@redis/client').then(({ createClient }) => createClient({ url: redis.url }));
    await client.connect();
    try {
      assert.equal(await client.get(`lotse:cobrowse:{${sessionId}}:owner`), b.server.nodeId, 'still B’s');
      const record = JSON.parse((await client.get(`lotse:cobrowse:{${sessionId}}:record`)) ?? '{}') as unknown;
      assert.deepEqual([(record as { state?: string }).state, (record as { link?: number }).link], ['live', 1]);
    } finally {
      await client.close();
    }
    assert.ok(b.server.cobrowse.getSession(sessionId) !== undefined, 'B holds it, not ended');

    // Both sides come back on B with the link they have open, keep it, and signal through B.
    const visitor = await b.visitor();
    const { resumeToken } = live.visitorStarted;
    visitor.send({ type: 'cobrowse.resume', sessionId, resumeToken, link: 1 });
    assert.equal((await visitor.next('cobrowse.started')).link, 1);
    const anna = await b.advisor('adv-a', 'Anna');
    anna.send({ type: 'advisor.hello', chats: [], cobrowse: [{ sessionId, link: 1 }] });
    assert.equal((await anna.next('cobrowse.started')).link, 1);
    visitor.send({ type: 'cobrowse.signal', sessionId, signal: '{"candidate":"v"}' });
    assert.equal((await anna.next('cobrowse.signal')).signal, '{"candidate":"v"}');
    anna.send({ type: 'cobrowse.end', sessionId });
    assert.equal((await visitor.next('cobrowse.ended')).by, 'advisor');
    await until(async () => !(await keysIn(redis.url)).some((k) => k.includes(sessionId)), 'keys gone', 5000);

    // Ended once, on B; A, running again, ends nothing and writes nothing back (its timers went with the sessions).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(!(await keysIn(redis.url)).some((k) => k.includes(sessionId)), 'nothing of the session came back');
    assert.ok(b.server.cobrowse.getSession(quiet.sessionId) !== undefined, 'the quiet one waits on B');
    const ends = b.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['event'] === 'cobrowse.session');
    assert.deepEqual(
      ends.map((line) => [line['sessionId'], line['endedBy']]),
      [[sessionId, 'advisor']],
    );
    assert.equal(a.logged().match(/"cobrowse\.lost"/g)?.length, 2, 'each session lost once');
    await Promise.all([visitor.close(), anna.close()]);
  } finally {
    if (a.child.exitCode === null && a.child.signalCode === null) {
      a.child.kill('SIGCONT');
      a.child.kill('SIGKILL');
    }
    await a.exited;
  }
});

test("a co-browse session's end is refused to a node the owner entry no longer names: forgotten there, not ended", async () => {
  const [a, b, redis] = await nodes.two();
  const { advisor, visitor, sessionId } = await liveSession(a, { advisor: await readyAdvisor(a, 'adv-a', 'Anna') });
  const client = await import('@redis/client').then(({ createClient }) => createClient({ url: redis.url }));
  await client.connect();
  try {
    // As if node B had taken the session over while A was cut off from Redis (A still holds it in its memory).
    await client.set(`lotse:cobrowse:{${sessionId}}:owner`, b.server.nodeId, { KEEPTTL: true });
    advisor.send({ type: 'cobrowse.end', sessionId });
    assert.deepEqual(await closing(advisor), MOVED);
    assert.deepEqual(await closing(visitor), MOVED);
    for (const side of [advisor, visitor]) {
      assert.deepEqual(
        side.history.filter((m) => m.type === 'cobrowse.ended'),
        [],
        'nobody is told it ended',
      );
    }
    assert.equal(a.server.cobrowse.getSession(sessionId), undefined, 'forgotten on A');
    assert.equal(await client.get(`lotse:cobrowse:{${sessionId}}:owner`), b.server.nodeId, 'the keys are left alone');
    assert.notEqual(await client.get(`lotse:cobrowse:{${sessionId}}:record`), null);
    const lines = a.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.filter((line) => line['event'] === 'cobrowse.session').length, 0, 'no end audited');
    assert.equal(lines.filter((line) => line['event'] === 'cobrowse.lost').length, 1);
    await client.del([`lotse:cobrowse:{${sessionId}}:owner`, `lotse:cobrowse:{${sessionId}}:record`]);
  } finally {
    await client.close();
  }
});
