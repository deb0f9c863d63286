/** A chat that ends while its visitor is away: the visitor's resume still gets the end, within its window only. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { reachableStrings, startServer } from '../helpers.js';
import type { ConfigOverrides, Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
const PROBE = 'Tombstone-Probe-7Qx';
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * An accepted chat (seq 1 joined, 2 the visitor's probe message), then the visitor's socket goes and the advisor
 * writes (seq 3) and ends the chat (seq 4) before the visitor is back.
 */
async function endedWhileAway(overrides: ConfigOverrides) {
  const h = (harness = await startServer(overrides));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  await advisor.next('advisor.welcome');
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  advisor.send({ type: 'queue.accept', chatId: started.chatId });
  await advisor.next('chat.assigned');
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: PROBE });
  await advisor.next('chat.event');

  const gone = h.nextLog((line) => line.event === 'connection.closed' && line.role === 'visitor');
  await visitor.close();
  await gone; // the hub has detached the socket
  advisor.send({ type: 'chat.message', chatId: started.chatId, id: 'advisor-msg-1', text: 'Sind Sie noch da?' });
  advisor.send({ type: 'chat.end', chatId: started.chatId });
  await advisor.next('chat.event');
  const ended = await advisor.next('chat.event');
  assert.equal(ended.event.kind, 'ended');
  assert.equal(h.server.hub.chats.size, 0);
  return { h, started };
}

test(
  'a chat ended while the visitor was away: chat.resume with the token gets the missed events and ended, once',
  { timeout: 20_000 },
  async () => {
    const { h, started } = await endedWhileAway({ chat: { abandonAfterSeconds: 60 } });
    const back = await h.visitor();
    const wrongToken = started.resumeToken.slice(0, -1) + (started.resumeToken.endsWith('A') ? 'B' : 'A');
    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: wrongToken, lastSeq: 2 });
    assert.equal((await back.next('error')).code, ErrorCode.UnknownChat);

    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 2 });
    const resumed = await back.next('chat.resumed');
    assert.equal(resumed.chatId, started.chatId);
    assert.deepEqual(
      resumed.events.map((e) => [e.seq, e.event.kind]),
      [
        [3, 'message'],
        [4, 'ended'],
      ],
    );
    const last = resumed.events.at(-1)?.event;
    assert.equal(last?.kind === 'ended' && last.by, 'advisor');

    back.send({ type: 'chat.message', id: 'visitor-msg-2', text: 'Hallo?' });
    assert.equal((await back.next('error')).code, ErrorCode.ChatEnded);
    // Fetched once, then gone.
    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 0 });
    assert.equal((await back.next('error')).code, ErrorCode.UnknownChat);
    const strings = reachableStrings(h.server.hub);
    for (const secret of [PROBE, started.resumeToken, started.chatId]) {
      assert.ok(!strings.some((s) => s.includes(secret)), `hub still holds "${secret}"`);
    }
    assert.ok(!h.logs.join('\n').includes(PROBE));
  },
);

test(
  "the tombstone is wiped when the visitor's window (abandonAfterSeconds) is over",
  { timeout: 20_000 },
  async () => {
    const { h, started } = await endedWhileAway({ chat: { abandonAfterSeconds: 1.5 } });
    const expired = h.nextLog((line) => line.event === 'chat.tombstone_expired');
    const before = reachableStrings(h.server.hub);
    assert.ok(
      before.some((s) => s.includes(PROBE)),
      'the walk sees the tombstone while the window lasts',
    );

    await expired;
    const after = reachableStrings(h.server.hub);
    for (const secret of [PROBE, started.resumeToken, started.chatId]) {
      assert.ok(!after.some((s) => s.includes(secret)), `hub still holds "${secret}"`);
    }
    const back = await h.visitor();
    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 0 });
    assert.equal((await back.next('error')).code, ErrorCode.UnknownChat);
  },
);

test('a chat that ends by the abandon timeout itself leaves nothing behind', async () => {
  const h = (harness = await startServer({ chat: { abandonAfterSeconds: 0.05 } }));
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  const started = await visitor.next('chat.started');
  visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: PROBE });
  await visitor.next('chat.event');
  const ended = h.nextLog((line) => line.event === 'chat.ended');
  await visitor.close();
  assert.equal((await ended).by, 'gone');
  assert.ok(!reachableStrings(h.server.hub).some((s) => s.includes(PROBE) || s.includes(started.resumeToken)));
});
