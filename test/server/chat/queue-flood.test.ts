/**
 * One client cannot fill the queue (issue 12, item 1): a client (its keyed address, an IPv6 one by its /64) has at
 * most `limits.maxWaitingChatsPerClient` chats waiting; a waiting chat whose visitor is gone leaves the queue after
 * the navigation grace; a visitor from another address starts a chat right after such an attack. Real server, real
 * WebSockets; the addresses come from `X-Forwarded-For` behind `trustProxy`.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { MAX_WAITING_CHATS_PER_CLIENT } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import type { VisitorClient } from '../cobrowse/cobrowse-helpers.js';

const TERMS = defaults.terms.version;
const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });
/** The default share per client (the test harness raises it for the other tests, whose clients share 127.0.0.1). */
const limits = { maxWaitingChatsPerClient: MAX_WAITING_CHATS_PER_CLIENT };
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Sends `chat.start` and returns the answer: the chat id, or the error code. */
async function start(visitor: VisitorClient): Promise<{ chatId: string } | { error: string }> {
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  await visitor.sync(); // the answer to the start came before the pong
  const [started] = visitor.take('chat.started');
  if (started !== undefined) return { chatId: started.chatId };
  const [error] = visitor.take('error');
  assert.ok(error, 'chat.start was answered');
  return { error: error.code };
}

/** What the attack did: one socket per `chat.start`, closed after the answer, `count` times from one address. */
async function flood(h: Harness, address: (i: number) => string, count: number): Promise<Map<string, number>> {
  const answers = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const visitor = await h.visitor(from(address(i)));
    const answer = await start(visitor);
    const key = 'chatId' in answer ? 'started' : answer.error;
    answers.set(key, (answers.get(key) ?? 0) + 1);
    await visitor.close();
  }
  return answers;
}

test(
  `230 chat.start from one address queue ${MAX_WAITING_CHATS_PER_CLIENT} chats; another address is accepted right after`,
  { timeout: 60_000 },
  async () => {
    const h = (harness = await startServer({ trustProxy: true, limits }));
    const answers = await flood(h, () => '203.0.113.66', 230);
    assert.deepEqual(Object.fromEntries(answers), {
      started: MAX_WAITING_CHATS_PER_CLIENT,
      [ErrorCode.TooManyWaiting]: 230 - MAX_WAITING_CHATS_PER_CLIENT,
    });
    assert.equal(await h.server.hub.queue.waitingCount(), MAX_WAITING_CHATS_PER_CLIENT);

    // One IPv6 client is its /64, whatever the interface part.
    const v6 = await flood(h, (i) => `2001:db8:7:8:${i + 1}::1`, 10);
    assert.deepEqual(Object.fromEntries(v6), {
      started: MAX_WAITING_CHATS_PER_CLIENT,
      [ErrorCode.TooManyWaiting]: 10 - MAX_WAITING_CHATS_PER_CLIENT,
    });

    // Anyone else is served at once, over IPv4 and from the next /64.
    assert.ok('chatId' in (await start(await h.visitor(from('198.51.100.7')))));
    assert.ok('chatId' in (await start(await h.visitor(from('2001:db8:7:9::1')))));
    const log = h.logs.join('\n');
    assert.ok(!log.includes('203.0.113') && !log.includes('2001:db8'), 'no address in the log');
    assert.ok(h.logs.some((line) => JSON.parse(line).reason === 'per_client'));
  },
);

test(
  'a chat stops counting for its client once an advisor takes it or it ends; a requeued one counts again',
  { timeout: 30_000 },
  async () => {
    const h = (harness = await startServer({ trustProxy: true, limits, chat: { advisorGraceSeconds: 0.2 } }));
    const client = from('192.0.2.10');
    const first = await h.visitor(client);
    const second = await h.visitor(client);
    const third = await h.visitor(client);
    const a = await start(first);
    assert.ok('chatId' in a);
    assert.ok('chatId' in (await start(second)));
    assert.deepEqual(await start(third), { error: ErrorCode.TooManyWaiting });

    const advisor = await h.advisor('adv-a', 'Anna');
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('queue.snapshot');
    advisor.send({ type: 'queue.accept', chatId: a.chatId });
    await advisor.next('chat.assigned');
    assert.ok('chatId' in (await start(third)), 'the accepted chat no longer waits');
    assert.equal(await h.server.hub.queue.waitingCount(), 2);

    const fourth = await h.visitor(client);
    assert.deepEqual(await start(fourth), { error: ErrorCode.TooManyWaiting });
    second.send({ type: 'chat.end' });
    await second.next('chat.event');
    assert.ok('chatId' in (await start(fourth)), 'the ended chat no longer waits');

    // The advisor stays away past the grace: the chat goes back to the queue, and counts for its client again.
    const requeued = h.nextLog((line) => line.event === 'chat.requeued');
    await advisor.close();
    await requeued;
    third.send({ type: 'chat.end' });
    await third.next('chat.event');
    assert.deepEqual(
      await start(await h.visitor(client)),
      { error: ErrorCode.TooManyWaiting },
      'the requeued chat and the fourth wait',
    );
  },
);

test(
  'the waiting chats of a client that left leave the queue after the navigation grace; then it may start again',
  { timeout: 30_000 },
  async () => {
    const h = (harness = await startServer({ trustProxy: true, limits, chat: { abandonAfterSeconds: 2 } }));
    // Each chat's end is its own timer: the next line is awaited after the one before.
    const gone = (async () => {
      for (let i = 0; i < MAX_WAITING_CHATS_PER_CLIENT; i++)
        await h.nextLog((line) => line.event === 'chat.ended' && line.by === 'gone');
    })();
    assert.deepEqual(Object.fromEntries(await flood(h, () => '203.0.113.66', MAX_WAITING_CHATS_PER_CLIENT + 1)), {
      started: MAX_WAITING_CHATS_PER_CLIENT,
      [ErrorCode.TooManyWaiting]: 1,
    });
    await gone;
    assert.equal(await h.server.hub.queue.waitingCount(), 0);
    assert.ok('chatId' in (await start(await h.visitor(from('203.0.113.66')))));
  },
);
