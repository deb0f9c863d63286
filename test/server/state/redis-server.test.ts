/**
 * A real Lotse server with `redis.url` on a real Redis: chats and co-browse webcodes work as on one node, nothing
 * of an anonymous chat is left in Redis once it ended, no RDB or AOF file is ever written, and a Redis that writes
 * to disk stops the server at start with what to change.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { WEBCODE_MAX_WRONG } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { RedisPersistenceError } from '../../../src/server/state/redis/connection.js';
import { createLotseServer } from '../../../src/server/app/server.js';
import { createLogger } from '../../../src/server/log.js';
import { dumpRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { newCode, readyAdvisor, unusedWebcode } from '../cobrowse/cobrowse-helpers.js';
import { startServer, testConfig } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
const PROBE = 'Redis-Probe-9Kw';
let harness: Harness | undefined;
let redis: TestRedis | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await redis?.close();
  redis = undefined;
});

test('an anonymous chat through a server on Redis: it works, and once ended nothing of it is left there', async () => {
  redis = await startRedis();
  const h = (harness = await startServer({ redis: { url: redis.url } }));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: `Gast-${PROBE}`, termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: `Hallo ${PROBE}` });
  await visitor.next('chat.event');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  const assigned = await advisor.next('chat.assigned');
  assert.deepEqual(
    assigned.events.map((e) => e.event.kind),
    ['message', 'joined'],
  );

  const during = await dumpRedis(redis.url);
  const events = [...during].filter(([key]) => key.includes(started.chatId) && key.endsWith(':events'));
  assert.equal(events.length, 1, 'the chat has its events in Redis while it runs');
  assert.equal(during.get(`lotse:chat:{${started.chatId}}:owner`)?.length, 36, 'and its owner, a node id');
  assert.ok(events[0]![1].includes(PROBE));

  // A resume on a new socket reads the events back from Redis.
  const back = await h.visitor();
  back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 1 });
  assert.deepEqual(
    (await back.next('chat.resumed')).events.map((e) => e.event.kind),
    ['joined'],
  );
  advisor.send({ type: 'chat.end', chatId: started.chatId });
  await back.next('chat.event');
  await advisor.sync();

  const left = await dumpRedis(redis.url);
  for (const [key, value] of left) {
    for (const secret of [PROBE, started.chatId, started.resumeToken]) {
      assert.ok(!key.includes(secret) && !value.includes(secret), `Redis still holds "${secret}" under ${key}`);
    }
  }
  assert.deepEqual(redis.files(), [], 'no RDB, no AOF');
});

test('a webcode is single-use through Redis, and the co-browse join works as on one node', async () => {
  redis = await startRedis();
  const h = (harness = await startServer({ redis: { url: redis.url } }));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  advisor.send({ type: 'cobrowse.code.create' });
  const { webcode, sessionId } = await advisor.next('cobrowse.code');
  const keys = [...(await dumpRedis(redis.url)).keys()];
  assert.ok(
    keys.some((key) => key === `lotse:code:webcode:${webcode}`),
    `the webcode is in Redis: ${keys.join(', ')}`,
  );
  const visitor = await h.visitor();
  visitor.send({ type: 'cobrowse.join', webcode });
  assert.equal((await visitor.next('cobrowse.pending')).sessionId, sessionId);
  const again = await h.visitor();
  again.send({ type: 'cobrowse.join', webcode });
  assert.equal((await again.next('error')).code, 'LOTSE_ERR_INVALID_CODE');
  assert.ok(!(await dumpRedis(redis.url)).has(`lotse:code:webcode:${webcode}`), 'taken: gone from Redis');
});

test('a Redis that writes to disk stops the server at start, with what to change', async () => {
  redis = await startRedis({ persistence: true });
  const lines: string[] = [];
  const server = createLotseServer(testConfig({ redis: { url: redis.url } }), {
    store: null,
    log: createLogger({ level: 'info', write: (line) => void lines.push(line) }),
  });
  await assert.rejects(server.listen(), (error: unknown) => {
    assert.ok(error instanceof RedisPersistenceError);
    assert.match(error.message, /save ""/);
    return true;
  });
  assert.ok(!server.http.listening, 'nothing listens');
  assert.ok(lines.some((line) => line.includes('"redis.refused"')));
  await server.close();
});

test(`two nodes on one Redis: ${WEBCODE_MAX_WRONG} wrong webcodes spread over both lock the client out on both`, async () => {
  redis = await startRedis();
  const a = (harness = await startServer({ redis: { url: redis.url } }));
  const b = await startServer({ redis: { url: redis.url } });
  try {
    const advisor = await readyAdvisor(b);
    const valid = await newCode(advisor);
    const wrong = unusedWebcode([valid.webcode]);
    for (let i = 0; i < WEBCODE_MAX_WRONG; i++) {
      // Every other attempt on the other node: one client, counted once across both.
      const visitor = await (i % 2 === 0 ? a : b).visitor();
      visitor.send({ type: 'cobrowse.join', webcode: wrong });
      assert.equal((await visitor.next('error')).code, 'LOTSE_ERR_INVALID_CODE');
      await visitor.close();
    }
    for (const node of [a, b]) {
      const locked = await node.visitor();
      locked.send({ type: 'cobrowse.join', webcode: valid.webcode });
      assert.equal((await locked.next('error')).code, 'LOTSE_ERR_RATE_LIMITED', 'locked out on both nodes');
    }
  } finally {
    // Not `b.close()`: that checks that nothing at all is left running, and node a still is (afterEach closes it).
    await b.server.close();
  }
});

test("Redis's latency is in /metrics, and /readyz fails while Redis does not answer", async () => {
  redis = await startRedis();
  const h = (harness = await startServer({ redis: { url: redis.url } }));
  const advisor = await readyAdvisor(h);
  await newCode(advisor);
  const metrics = await (await fetch(`${h.url}/metrics`)).text();
  assert.match(metrics, /lotse_redis_duration_seconds_count\{command="set"\} [1-9]/);
  assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
  await redis.stop();
  const down = await fetch(`${h.url}/readyz`);
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { ready: false, failed: ['redis'] });
  await redis.restart();
  const until = Date.now() + 10_000;
  while ((await fetch(`${h.url}/readyz`)).status !== 200 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal((await fetch(`${h.url}/readyz`)).status, 200, 'ready again once Redis is back');
});
