/**
 * The advisor's session against the real server, the visitor a raw client: read receipts go both ways without
 * repeats, the visitor's page leaving and coming back reaches the session, the new page hears the advisor's read
 * position again (the server keeps none), and a page that never comes back ends the chat as `gone`.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { BrowserLikeWebSocket } from '../helpers/browser-like-ws.js';
import { AdvisorSession } from '../../src/client/advisor-session.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { defaults } from '../../src/server/config/lotse-config.js';
import { startServer } from '../server/helpers.js';
import type { ConfigOverrides, Harness } from '../server/helpers.js';
import { until } from '../helpers/until.js';

let harness: Harness | undefined;
let session: AdvisorSession | undefined;

afterEach(async () => {
  session?.close();
  session = undefined;
  await harness?.close();
  harness = undefined;
});

/** A visitor (raw client) in a chat the advisor's session has accepted; the log has `joined` at seq 1. */
async function acceptedChat(overrides: ConfigOverrides) {
  const h = (harness = await startServer(overrides));
  const token = await mintAdvisorToken({ id: 'adv-a', name: 'Anna' }, h.server.config, 3600);
  const advisor = (session = new AdvisorSession({
    url: `${h.wsUrl}/ws/advisor`,
    token: () => token,
    WebSocket: BrowserLikeWebSocket,
  }));
  advisor.connect();
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', nickname: 'Kim', termsVersion: defaults.terms.version, lang: 'de' });
  const started = await visitor.next('chat.started');
  await until(() => advisor.queue.some((item) => item.chatId === started.chatId), 'the chat in the queue');
  advisor.accept(started.chatId);
  await until(() => advisor.chats.get(started.chatId)?.synced === true, 'the advisor holds the chat');
  await visitor.next('chat.event'); // joined
  return { h, advisor, visitor, started, chat: () => advisor.chats.get(started.chatId)! };
}

test(
  "read receipts both ways; the page that comes back hears the advisor's position again",
  { timeout: 10_000 },
  async () => {
    const { h, advisor, visitor, started, chat } = await acceptedChat({ chat: { abandonAfterSeconds: 60 } });
    visitor.send({ type: 'chat.message', id: 'visitor-msg-1', text: 'Hallo' });
    await until(() => chat().log.lastSeq === 2, 'the message reaches the advisor');

    advisor.markRead(started.chatId);
    advisor.markRead(started.chatId);
    assert.deepEqual(await visitor.next('chat.read'), { v: 1, type: 'chat.read', seq: 2 });
    await visitor.sync();
    assert.deepEqual(visitor.take('chat.read'), [], 'nothing new read: nothing sent again');

    visitor.send({ type: 'chat.read', seq: 2 });
    await until(() => chat().visitorRead === 2, "the visitor's read reaches the advisor");

    await visitor.close();
    await until(() => chat().away, 'the advisor hears the page leave');
    const back = await h.visitor();
    back.send({ type: 'chat.resume', chatId: started.chatId, resumeToken: started.resumeToken, lastSeq: 2 });
    await back.next('chat.resumed');
    assert.deepEqual(await back.next('chat.read'), { v: 1, type: 'chat.read', seq: 2 }, 'said again to the new page');
    await until(() => !chat().away, 'the advisor hears the page come back');
    assert.equal(chat().log.events.length, 2, 'presence and reads are no events of the log');
  },
);

test('a page that does not come back within the grace period ends the chat as gone', { timeout: 10_000 }, async () => {
  const { visitor, chat } = await acceptedChat({ chat: { abandonAfterSeconds: 0.05 } });
  await visitor.close();
  await until(() => chat().log.ended, 'the chat ends');
  const ended = chat().log.events.at(-1)?.event;
  assert.equal(ended?.kind === 'ended' && ended.by, 'gone');
});
