/**
 * A node with co-browse sessions is killed (SIGKILL): node B takes each of its sessions over from the record in
 * Redis (`src/server/cluster/cobrowse-takeover.ts`), and both sides' sockets attach to it there, naming the link whose
 * data channel is still open, which they keep: nobody is asked for new peers. One child node holds four sessions,
 * so that each way back is taken once: a socket that died with the node and comes back (the visitor's resume, the
 * console's hello), and a socket on node B that was routed to the dead node and is brought back by B (found dead by
 * its lease).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { parseServerToAdvisor, parseServerToVisitor } from '../../../src/protocol/parse.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { dumpRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { Client, ORIGIN } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { COBROWSE_TERMS, newCode, readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import type { AdvisorClient, VisitorClient } from '../cobrowse/cobrowse-helpers.js';
import { nodeProcess, useNodes } from './nodes.js';

const nodes = useNodes();

/** One signal each way: the signalling between the two browsers works through the session's (new) owner. */
async function signalsBothWays(visitor: VisitorClient, advisor: AdvisorClient, sessionId: string): Promise<void> {
  visitor.send({ type: 'cobrowse.signal', sessionId, signal: '{"candidate":"v"}' });
  assert.equal((await advisor.next('cobrowse.signal')).signal, '{"candidate":"v"}');
  advisor.send({ type: 'cobrowse.signal', sessionId, signal: '{"candidate":"a"}' });
  assert.equal((await visitor.next('cobrowse.signal')).signal, '{"candidate":"a"}');
}

/** The links every `cobrowse.started` a client got named. */
const linksOf = (client: VisitorClient | AdvisorClient, sessionId: string): (number | undefined)[] =>
  client.history.flatMap((message) =>
    message.type === 'cobrowse.started' && message.sessionId === sessionId ? [message.link] : [],
  );

test('node A is killed (SIGKILL) with co-browse sessions: node B takes them over, both sides keep their link', async () => {
  const redis = await nodes.redis();
  const a = await nodeProcess(redis.url);
  const killA = async (): Promise<void> => {
    if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
    await a.exited;
  };
  try {
    const b = await nodes.node({ redis: { leaseSeconds: 1 } });
    const onA = {
      visitor: () => Client.connect(`ws://127.0.0.1:${a.port}/ws/visitor`, parseServerToVisitor, { origin: ORIGIN }),
      advisor: async (id = 'adv-a', name = 'Anna') => {
        const token = await mintAdvisorToken({ id, name }, b.server.config, 3600);
        return Client.connect(`ws://127.0.0.1:${a.port}/ws/advisor`, parseServerToAdvisor, {
          origin: ORIGIN,
          protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
        });
      },
    } as unknown as Harness;
    const clients: { close(): Promise<void> }[] = [];

    // S1: Anna's console on A (dies with it), the visitor on B (routed to A). Live.
    const anna = await readyAdvisor(onA, 'adv-a', 'Anna');
    clients.push(anna);
    const code1 = await newCode(anna);
    const v1 = await b.visitor();
    v1.send({ type: 'cobrowse.join', webcode: code1.webcode });
    await v1.next('cobrowse.pending');
    await anna.next('cobrowse.joined');
    v1.send({ type: 'cobrowse.consent', sessionId: code1.sessionId, termsVersion: COBROWSE_TERMS });
    const { startCode } = await v1.next('cobrowse.startcode');
    anna.send({ type: 'cobrowse.start', sessionId: code1.sessionId, startCode });
    const s1 = (await v1.next('cobrowse.started')).sessionId;
    assert.equal((await anna.next('cobrowse.started')).link, 1);
    const resume1 = v1.history.find((m) => m.type === 'cobrowse.started')!;

    // S2: made by Bernd's console on A, which then moved to B (routed to A); the visitor on A (dies with it). Live.
    const bernd0 = await readyAdvisor(onA, 'adv-b', 'Bernd');
    const code2 = await newCode(bernd0);
    await bernd0.close();
    const v2a = await onA.visitor();
    clients.push(v2a);
    v2a.send({ type: 'cobrowse.join', webcode: code2.webcode });
    await v2a.next('cobrowse.pending');
    v2a.send({ type: 'cobrowse.consent', sessionId: code2.sessionId, termsVersion: COBROWSE_TERMS });
    const startCode2 = (await v2a.next('cobrowse.startcode')).startCode;
    const bernd = await readyAdvisor(b, 'adv-b', 'Bernd');
    await bernd.next('cobrowse.consented');
    bernd.send({ type: 'cobrowse.start', sessionId: code2.sessionId, startCode: startCode2 });
    const started2 = await v2a.next('cobrowse.started');
    assert.equal((await bernd.next('cobrowse.started')).link, 1);
    const s2 = code2.sessionId;
    assert.ok(s2.endsWith(s1.slice(22)), 'both sessions are node A’s');

    // S3: a webcode Anna read out, not used yet. S4: a visitor on A joined and reads the terms.
    const code3 = await newCode(anna);
    const code4 = await newCode(anna);
    const v4 = await onA.visitor();
    clients.push(v4);
    v4.send({ type: 'cobrowse.join', webcode: code4.webcode });
    await v4.next('cobrowse.pending');
    await anna.next('cobrowse.joined');

    await killA();
    await anna.closed;
    await v2a.closed;

    // Both come back on node B, as nginx would send them, each naming the link it still has open.
    const anna2 = await b.advisor('adv-a', 'Anna');
    anna2.send({
      type: 'advisor.hello',
      chats: [],
      cobrowse: [{ sessionId: s1, link: 1 }, { sessionId: code3.sessionId }, { sessionId: code4.sessionId }],
    });
    const v2 = await b.visitor();
    v2.send({ type: 'cobrowse.resume', sessionId: s2, resumeToken: started2.resumeToken, link: 1 });

    // Each side hears `cobrowse.started` with the link it has: it keeps its peer.
    const again1 = await anna2.next('cobrowse.started');
    assert.deepEqual([again1.sessionId, again1.link], [s1, 1]);
    const again2 = await v2.next('cobrowse.started');
    assert.deepEqual([again2.sessionId, again2.link], [s2, 1]);
    // The sockets on B that were routed to A are brought back by B (A's lease lapsed), no socket closed.
    const back1 = await v1.next('cobrowse.started');
    assert.deepEqual(
      [back1.sessionId, back1.link, back1.resumeToken],
      [s1, 1, resume1.type === 'cobrowse.started' && resume1.resumeToken],
    );
    const back2 = await bernd.next('cobrowse.started');
    assert.deepEqual([back2.sessionId, back2.link], [s2, 1]);
    // The session the visitor had joined on A could not go on: its page is back at the webcode.
    assert.deepEqual(await anna2.next('cobrowse.ended'), {
      v: 1,
      type: 'cobrowse.ended',
      sessionId: code4.sessionId,
      by: 'server',
    });

    await signalsBothWays(v1, anna2, s1);
    await signalsBothWays(v2, bernd, s2);

    // The webcode Anna read out still works, on node B.
    const v3 = await b.visitor();
    v3.send({ type: 'cobrowse.join', webcode: code3.webcode });
    assert.equal((await v3.next('cobrowse.pending')).sessionId, code3.sessionId);
    assert.equal((await anna2.next('cobrowse.joined')).sessionId, code3.sessionId);

    // Either side's end reaches the other.
    v1.send({ type: 'cobrowse.end', sessionId: s1 });
    // The session the visitor had joined may have been ended twice towards the console: by the sweep that took A's
    // sessions over (`ChatTakeover.sweep`), and as unknown in the answer to the console's hello. Audited once (below).
    let ended = await anna2.next('cobrowse.ended');
    while (ended.sessionId === code4.sessionId) ended = await anna2.next('cobrowse.ended');
    assert.deepEqual([ended.sessionId, ended.by], [s1, 'visitor']);
    bernd.send({ type: 'cobrowse.end', sessionId: s2 });
    assert.equal((await v2.next('cobrowse.ended')).by, 'advisor');
    anna2.send({ type: 'cobrowse.end', sessionId: code3.sessionId });
    assert.equal((await v3.next('cobrowse.ended')).by, 'advisor');

    // Nobody was asked for new peers: every `cobrowse.started` named link 1.
    for (const [client, sessionId] of [
      [v1, s1],
      [anna2, s1],
      [v2, s2],
      [bernd, s2],
    ] as const) {
      assert.ok(
        linksOf(client, sessionId).every((link) => link === 1),
        'link 1 only',
      );
    }
    // The audit: node B recorded each end once, and no second start.
    const lines = b.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const ends = lines.filter((line) => line['event'] === 'cobrowse.session');
    assert.deepEqual(
      ends.map((line) => [line['sessionId'], line['endedBy'], line['reached']]).sort(),
      [
        [code3.sessionId, 'advisor', 'joined'],
        [code4.sessionId, 'server', 'joined'],
        [s1, 'visitor', 'live'],
        [s2, 'advisor', 'live'],
      ].sort(),
    );
    assert.ok(
      ends.every(
        (line) =>
          line['sessionId'] === code3.sessionId ||
          line['sessionId'] === code4.sessionId ||
          Number(line['durationMs']) > 0,
      ),
    );
    assert.equal(
      lines.filter(
        (line) =>
          line['event'] === 'cobrowse.started' &&
          line['sessionId'] !== undefined &&
          [s1, s2].includes(String(line['sessionId'])),
      ).length,
      0,
    );
    assert.equal(lines.filter((line) => line['event'] === 'cobrowse.taken_over').length, 4);
    // Nothing of the sessions is left in Redis.
    await until(
      async () => [...(await dumpRedis(redis.url)).keys()].every((key) => !key.includes('cobrowse:')),
      'the sessions’ records are deleted',
    );
    await Promise.all(clients.map((client) => client.close()));
  } finally {
    await killA();
  }
});

test('node A stops (a rolling update): its live session goes on on node B, both sides keeping their link', async () => {
  const [a, b] = await nodes.two();
  nodes.forget(a);
  const advisor = await readyAdvisor(a, 'adv-a', 'Anna');
  const code = await newCode(advisor);
  const visitor = await a.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
  await visitor.next('cobrowse.pending');
  visitor.send({ type: 'cobrowse.consent', sessionId: code.sessionId, termsVersion: COBROWSE_TERMS });
  const { startCode } = await visitor.next('cobrowse.startcode');
  advisor.send({ type: 'cobrowse.start', sessionId: code.sessionId, startCode });
  const started = await visitor.next('cobrowse.started');
  await advisor.next('cobrowse.started');

  // The server's own close (the harness's would close the clients first): its sockets hear 4003.
  await a.server.close();
  assert.equal((await visitor.closed).code, 4003);
  const back = await b.visitor();
  back.send({ type: 'cobrowse.resume', sessionId: code.sessionId, resumeToken: started.resumeToken, link: 1 });
  assert.equal((await back.next('cobrowse.started')).link, 1);
  const console2 = await b.advisor('adv-a', 'Anna');
  console2.send({ type: 'advisor.hello', chats: [], cobrowse: [{ sessionId: code.sessionId, link: 1 }] });
  assert.equal((await console2.next('cobrowse.started')).link, 1);
  await signalsBothWays(back, console2, code.sessionId);
  console2.send({ type: 'cobrowse.end', sessionId: code.sessionId });
  assert.equal((await back.next('cobrowse.ended')).by, 'advisor');
  // One end line, from node B; node A wrote none.
  const ends = (logs: string[]): unknown[] =>
    logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['event'] === 'cobrowse.session');
  assert.equal(ends(a.logs).length, 0);
  assert.deepEqual(
    ends(b.logs).map((line) => (line as Record<string, unknown>)['endedBy']),
    ['advisor'],
  );
});
