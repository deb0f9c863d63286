/**
 * Two Lotse nodes on one real Redis (two servers in this process, one `redis.url`): the queue and the advisors'
 * presence are the service's, not a node's. A chat waiting on node A is in the queue of an advisor on node B and
 * leaves it when it ends on A; the queue's limits hold when starts race on both nodes; nothing of an anonymous chat
 * is left in Redis once it ended.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import type { QueueItem } from '../../../src/protocol/messages.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { dumpRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';
import type { AdvisorClient, VisitorClient } from '../cobrowse/cobrowse-helpers.js';

const TERMS = defaults.terms.version;
const PROBE = 'Queue-Probe-4Zt';
let nodes: Harness[] = [];
let redis: TestRedis | undefined;

afterEach(async () => {
  // The last node with `close()`, which checks that nothing is left running; the others before it.
  const last = nodes.pop();
  for (const node of nodes) await node.server.close();
  await last?.close();
  nodes = [];
  await redis?.close();
  redis = undefined;
});

/** Two nodes on one fresh Redis. */
async function twoNodes(overrides: ConfigOverrides = {}): Promise<[Harness, Harness]> {
  redis = await startRedis();
  const config = { ...overrides, redis: { url: redis.url } };
  const a = await startServer(config);
  nodes.push(a);
  const b = await startServer(config);
  nodes.push(b);
  return [a, b];
}

async function readyAdvisor(node: Harness, id: string, name: string): Promise<AdvisorClient> {
  const advisor = await node.advisor(id, name);
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  await advisor.next('queue.snapshot');
  return advisor;
}

/** The advisor's queue snapshots until one satisfies `match`. */
async function snapshotWhere(advisor: AdvisorClient, match: (items: QueueItem[]) => boolean): Promise<QueueItem[]> {
  for (;;) {
    const { items } = await advisor.next('queue.snapshot');
    if (match(items)) return items;
  }
}

async function start(visitor: VisitorClient, nickname = 'Gast'): Promise<{ chatId: string } | { error: string }> {
  visitor.send({ type: 'chat.start', nickname, termsVersion: TERMS, lang: 'de' });
  await visitor.sync();
  const [started] = visitor.take('chat.started');
  if (started !== undefined) return { chatId: started.chatId };
  const [error] = visitor.take('error');
  assert.ok(error, 'chat.start was answered');
  return { error: error.code };
}

/** How many starts got which answer. */
function tally(answers: ({ chatId: string } | { error: string })[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const answer of answers) {
    const key = 'chatId' in answer ? 'started' : answer.error;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

test(
  'a chat waiting on node A is in the queue on node B, leaves it when it ends on A, and leaves nothing in Redis',
  { timeout: 20_000 },
  async () => {
    const [a, b] = await twoNodes();
    const advisor = await readyAdvisor(b, 'adv-b', 'Berta');
    const visitor = await a.visitor();
    const answer = await start(visitor, `Gast-${PROBE}`);
    assert.ok('chatId' in answer);
    const { chatId } = answer;
    let items = await snapshotWhere(advisor, (queue) => queue.some((item) => item.chatId === chatId));
    assert.deepEqual(items[0]?.visitor, { kind: 'anonymous', nickname: `Gast-${PROBE}`, lang: 'de' });
    visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: `Hallo ${PROBE}` });
    items = await snapshotWhere(advisor, (queue) => queue[0]?.firstMessage !== undefined);
    assert.equal(items[0]?.firstMessage, `Hallo ${PROBE}`, 'its first message, as on its own node');
    // An advisor connecting to B now gets it in its first snapshot.
    const late = await b.advisor('adv-c', 'Carla');
    late.send({ type: 'advisor.hello', chats: [] });
    assert.deepEqual(
      (await late.next('queue.snapshot')).items.map((item) => item.chatId),
      [chatId],
    );

    const during = [...(await dumpRedis(redis!.url))].filter(
      ([key, value]) => key.includes(chatId) || value.includes(chatId),
    );
    assert.ok(
      during.some(([key]) => key.includes(':{queue}:')),
      'the queue item is in Redis while the chat waits',
    );

    visitor.send({ type: 'chat.end' });
    await visitor.next('chat.event');
    await snapshotWhere(advisor, (queue) => queue.length === 0);
    await snapshotWhere(late, (queue) => queue.length === 0);
    for (const [key, value] of await dumpRedis(redis!.url)) {
      for (const secret of [PROBE, chatId]) {
        assert.ok(!key.includes(secret) && !value.includes(secret), `Redis still holds "${secret}" under ${key}`);
      }
    }
    assert.deepEqual(redis!.files(), [], 'no RDB, no AOF');
  },
);

test('the queue limit holds across two nodes when starts race on both', async () => {
  const [a, b] = await twoNodes({ limits: { maxWaitingChats: 3 } });
  const visitors = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).visitor()));
  const answers = await Promise.all(visitors.map((visitor) => start(visitor)));
  assert.deepEqual(tally(answers), { started: 3, [ErrorCode.Busy]: 5 });
  assert.equal(await a.server.hub.queue.waitingCount(), 3);
  assert.equal(await b.server.hub.queue.waitingCount(), 3, 'one queue, seen alike from both nodes');
});

test("a client's share of the queue holds across two nodes when its starts race on both", async () => {
  const [a, b] = await twoNodes({ limits: { maxWaitingChatsPerClient: 2 } });
  // Every test client is 127.0.0.1: one client, keyed alike on both nodes (the day's keys are in Redis).
  const visitors = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).visitor()));
  const answers = await Promise.all(visitors.map((visitor) => start(visitor)));
  assert.deepEqual(tally(answers), { started: 2, [ErrorCode.TooManyWaiting]: 4 });
});

/** Waits for `condition`, looking again every 20 ms, for at most `ms`. */
async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

test("an advisor's presence is the service's: chosen on one node, seen on the other, gone with its last console", async () => {
  const [a, b] = await twoNodes();
  assert.equal(await b.server.hub.advisors.anyAvailable(), false);
  const anna = await readyAdvisor(a, 'adv-a', 'Anna');
  assert.equal(await b.server.hub.advisors.anyAvailable(), true, 'available on A: someone is available, says B');
  anna.send({ type: 'advisor.presence', status: 'away' });
  await anna.next('advisor.presence');
  assert.equal(await b.server.hub.advisors.anyAvailable(), false);
  // The same advisor's second console, on B: the choice made on A.
  const annaOnB = await b.advisor('adv-a', 'Anna');
  annaOnB.send({ type: 'advisor.hello', chats: [] });
  assert.equal((await annaOnB.next('advisor.welcome')).presence, 'away');
  annaOnB.send({ type: 'advisor.presence', status: 'available' });
  await annaOnB.next('advisor.presence');
  assert.equal(await a.server.hub.advisors.anyAvailable(), true);
  await anna.close();
  assert.equal(await a.server.hub.advisors.anyAvailable(), true, 'still held on B');
  await annaOnB.close();
  assert.ok(await until(async () => !(await a.server.hub.advisors.anyAvailable())), 'its last console gone');
});

test(
  'a node killed with SIGKILL leaves neither its advisors present nor its chats in the queue for long',
  { timeout: 30_000 },
  async () => {
    const [b] = await (async () => {
      redis = await startRedis();
      const node = await startServer({ redis: { url: redis.url, nodeTtlSeconds: 3 } });
      nodes.push(node);
      return [node];
    })();
    const watcher = await readyAdvisor(b, 'adv-b', 'Berta');
    await b.server.hub.advisors.setPresence('adv-b', 'away');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/state/fixtures/lotse-node.ts', redis!.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const chatId = line.toString().trim();
      await snapshotWhere(watcher, (items) => items.some((item) => item.chatId === chatId));
      assert.equal(await b.server.hub.advisors.anyAvailable(), true, "the other node's advisor is available");
      child.kill('SIGKILL');
      await once(child, 'exit');
      assert.ok(await until(async () => !(await b.server.hub.advisors.anyAvailable())), 'its advisor lapsed');
      // Each lapses a heartbeat's time after its last touch; the two heartbeats need not beat together.
      assert.ok(await until(async () => (await b.server.hub.queue.waitingCount()) === 0), 'its chat lapsed');
      await snapshotWhere(watcher, (items) => items.length === 0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  },
);

test("the wait estimate is the service's: advisors' accepts on one node give the estimate on the other", async () => {
  const [a, b] = await twoNodes();
  const advisor = await readyAdvisor(a, 'adv-e', 'Emil');
  // Five chats on A, each taken by the advisor on A: enough for an estimate (`WAIT_ESTIMATE_MIN_ACCEPTS`).
  for (let i = 0; i < 5; i++) {
    const visitor = await a.visitor();
    const started = await start(visitor, `Gast ${i}`);
    assert.ok('chatId' in started);
    advisor.send({ type: 'queue.accept', chatId: started.chatId });
    await advisor.next('chat.assigned');
  }
  // A visitor waiting on B, whose node took no chat at all, is told the same estimate A would tell.
  const waiting = await b.visitor();
  assert.ok('chatId' in (await start(waiting, 'Wartend')));
  const place = await waiting.next('chat.queue');
  assert.equal(place.position, 1);
  assert.equal(typeof place.waitSeconds, 'number', 'an estimate from the accepts on A');
});
