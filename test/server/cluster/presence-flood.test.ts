/**
 * A flood of `advisor.presence` toggles from one advisor socket. Each change pushes the queue (so that waiting
 * visitors hear whether anybody takes chats), and each push is told to the other nodes (topic `queue`): both are
 * coalesced per `QUEUE_PUSH_DELAY_MS`, and the toggles themselves are rate-limited as every advisor message is
 * (`limits.advisorRate`). Two nodes through Redis; the publishes are counted on the topic's Redis channel.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { QUEUE_PUSH_DELAY_MS } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { until } from '../../helpers/until.js';
import { readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import { useNodes } from './nodes.js';

const nodes = useNodes();
const TOGGLES = 400;

test('a flood of presence toggles: the queue pushes and their publishes stay coalesced, the toggles rate-limited', async () => {
  const [a, b, redis] = await nodes.two();
  const { burst, perSecond } = defaults.limits.advisorRate;
  const visitor = await a.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: defaults.terms.version, lang: 'de' });
  await visitor.next('chat.started');
  const anna = await readyAdvisor(a, 'adv-a', 'Anna');
  const bernd = await readyAdvisor(b, 'adv-b', 'Bernd');

  const subscriber = await import('@redis/client').then(({ createClient }) => createClient({ url: redis.url }));
  await subscriber.connect();
  const published: number[] = [];
  await subscriber.subscribe('lotse:topic:queue', (raw) => {
    const { from } = JSON.parse(raw) as { from?: string };
    if (from === a.server.nodeId) published.push(performance.now());
  });
  try {
    // The pushes of the arrivals are over before the flood.
    await new Promise((resolve) => setTimeout(resolve, 4 * QUEUE_PUSH_DELAY_MS));
    const before = {
      published: published.length,
      anna: anna.history.length,
      bernd: bernd.history.filter((m) => m.type === 'queue.snapshot').length,
      visitor: visitor.history.filter((m) => m.type === 'chat.queue').length,
    };

    const start = performance.now();
    for (let i = 0; i < TOGGLES; i++) anna.send({ type: 'advisor.presence', status: i % 2 ? 'available' : 'away' });
    const limited = await anna.next('error');
    assert.equal(limited.code, ErrorCode.RateLimited, 'the toggles are rate-limited as other messages are');
    // Whatever was admitted is answered, and its pushes go out, within a few push delays; then nothing more.
    let last = anna.history.length;
    await until(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 4 * QUEUE_PUSH_DELAY_MS));
        const quiet = anna.history.length === last;
        last = anna.history.length;
        return quiet;
      },
      'the flood is over',
      10_000,
    );
    const elapsedMs = performance.now() - start;
    const flood = anna.history.slice(before.anna);
    const answers = flood.filter((m) => m.type === 'advisor.presence').length;
    const errors = flood.filter((m) => m.type === 'error').length;
    const annaSnapshots = flood.filter((m) => m.type === 'queue.snapshot').length;
    const publishes = published.length - before.published;
    const berndSnapshots = bernd.history.filter((m) => m.type === 'queue.snapshot').length - before.bernd;
    const visitorQueue = visitor.history.filter((m) => m.type === 'chat.queue').length - before.visitor;
    // Windows of `QUEUE_PUSH_DELAY_MS` the flood's pushes can have fallen in (one more for the last one's).
    const windows = Math.ceil(elapsedMs / QUEUE_PUSH_DELAY_MS) + 1;
    console.log(
      JSON.stringify({
        toggles: TOGGLES,
        elapsedMs: Math.round(elapsedMs),
        answers,
        errors,
        annaSnapshots,
        publishes,
        berndSnapshots,
        visitorQueue,
        windows,
      }),
    );

    assert.ok(answers >= 1, 'the first toggles are answered');
    assert.ok(answers <= burst + Math.ceil((perSecond * elapsedMs) / 1000), `${answers} answers: at most the burst`);
    assert.equal(errors, 1, 'one notice for the spell');
    assert.ok(publishes >= 1, 'the other nodes hear of the change');
    assert.ok(publishes <= windows, `${publishes} publishes: at most one per ${QUEUE_PUSH_DELAY_MS} ms`);
    assert.ok(publishes < answers, 'fewer publishes than toggles');
    assert.ok(annaSnapshots <= windows, `${annaSnapshots} snapshots on A: coalesced`);
    assert.ok(berndSnapshots <= publishes + 1, `${berndSnapshots} snapshots on B: one per publish heard at most`);
    assert.ok(visitorQueue <= windows, `${visitorQueue} queue messages to the visitor: coalesced`);
  } finally {
    await subscriber.close();
  }
});
