/**
 * Chats and co-browse sessions of a dead node that nobody comes back for: the surviving node finds them
 * (`ChatTakeover.sweep`), takes them over, runs their timers and ends them once, so that their keys leave Redis and
 * the dead node is forgotten. Node A runs in a process of its own and is killed with SIGKILL; its visitors and
 * advisors never reconnect. (Without the sweep the chats would stay in Redis until their keys lapse, minutes later,
 * with nobody to end them: no end in a transcript, no audit line.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerToAdvisor, parseServerToVisitor } from '../../../src/protocol/parse.js';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToVisitor,
  VisitorToServer,
} from '../../../src/protocol/messages.js';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { keysIn } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { Client, ORIGIN } from '../helpers.js';
import { nodeProcess, useNodes } from './nodes.js';

const TERMS = defaults.terms.version;
const nodes = useNodes();

test('the chats and co-browse sessions of a killed node whose clients never return are ended once and leave Redis', async () => {
  const redis = await nodes.redis();
  const a = await nodeProcess(redis.url, {});
  // Node B is already running when A dies; its visitors' window to come back is short here.
  const b = await nodes.node({ redis: { leaseSeconds: 1 }, chat: { abandonAfterSeconds: 2 } });
  try {
    const onA = `ws://127.0.0.1:${a.port}`;
    const visitors: Client<ServerToVisitor, VisitorToServer>[] = [];
    const chatIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const visitor = await Client.connect<ServerToVisitor, VisitorToServer>(
        `${onA}/ws/visitor`,
        parseServerToVisitor,
        {
          origin: ORIGIN,
        },
      );
      visitor.send({ type: 'chat.start', nickname: `Gast ${i}`, termsVersion: TERMS, lang: 'de' });
      chatIds.push((await visitor.next('chat.started')).chatId);
      visitor.send({ type: 'chat.message', id: 'visitor-1', text: 'Hallo' });
      assert.equal((await visitor.next('chat.event')).seq, 1);
      visitors.push(visitor);
    }
    // One of them held by an advisor on A, who never comes back either.
    const token = await mintAdvisorToken({ id: 'adv-o', name: 'Olga' }, b.server.config, 3600);
    const advisor = await Client.connect<ServerToAdvisor, AdvisorToServer>(`${onA}/ws/advisor`, parseServerToAdvisor, {
      origin: ORIGIN,
      protocols: [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`],
    });
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('advisor.welcome');
    advisor.send({ type: 'queue.accept', chatId: chatIds[0] ?? '' });
    await advisor.next('chat.assigned');
    // A co-browse session on A that its visitor joined (its record lives a minute and more beyond A's death).
    advisor.send({ type: 'cobrowse.code.create' });
    const code = await advisor.next('cobrowse.code');
    const joiner = await Client.connect<ServerToVisitor, VisitorToServer>(`${onA}/ws/visitor`, parseServerToVisitor, {
      origin: ORIGIN,
    });
    joiner.send({ type: 'cobrowse.join', webcode: code.webcode });
    await joiner.next('cobrowse.pending');
    chatIds.push(code.sessionId);

    const chatKeys = async (): Promise<string[]> =>
      (await keysIn(redis.url)).filter((key) => chatIds.some((id) => key.includes(id)));
    assert.ok((await chatKeys()).length > 0, 'the chats are in Redis while A runs');
    const owned = (await keysIn(redis.url)).filter((key) => key.endsWith(':chats') || key.endsWith(':cobrowse'));
    assert.equal(owned.length, 2, "A's sets of the chats and the sessions it owns");

    a.child.kill('SIGKILL');
    await a.exited;
    for (const client of [...visitors, joiner, advisor]) await client.close();
    const sessionId = code.sessionId;

    // Within A's lease (1 s) B finds them and takes them over; 2 s later their visitors' window has passed.
    const chats = chatIds.filter((id) => id !== sessionId);
    await until(() => chats.every((id) => b.server.hub.chats.get(id) !== undefined), 'B takes every chat over', 8000);
    await until(
      () => chats.every((id) => b.server.hub.chats.get(id) === undefined),
      'B ends them when their visitors do not come back',
      10_000,
    );
    await until(async () => (await chatKeys()).length === 0, 'nothing of the chats and the session is left', 5000);
    await until(
      async () => !(await keysIn(redis.url)).some((key) => key.endsWith(':chats') || key.endsWith(':cobrowse')),
      'the dead node owns nothing any more',
      5000,
    );
    const client = await import('@redis/client').then(({ createClient }) => createClient({ url: redis.url }));
    await client.connect();
    try {
      const known = await client.sMembers(`${b.server.config.redis.keyPrefix}nodes`);
      assert.deepEqual(known, [b.server.nodeId], 'A is forgotten; B is still named');
    } finally {
      await client.close();
    }
  } finally {
    if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
  }
});
