/**
 * Issue 12, item 4, the console's side: the real advisor session against the real server answers a burst of
 * visitor messages that arrive together (the server and the sockets stalled by a busy CPU) the moment each one is
 * there, with typing and a read receipt each, as a console does. The session paces what it sends below the
 * server's announced budget: every answer arrives once, in order, and its socket is never closed.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { BrowserLikeWebSocket } from '../helpers/browser-like-ws.js';
import { AdvisorSession } from '../../src/client/advisor-session.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { defaults } from '../../src/server/config/lotse-config.js';
import { startServer } from '../server/helpers.js';
import type { Harness } from '../server/helpers.js';
import type { VisitorClient } from '../server/cobrowse/cobrowse-helpers.js';
import { until } from '../helpers/until.js';

let harness: Harness | undefined;
let session: AdvisorSession | undefined;

afterEach(async () => {
  session?.close();
  session = undefined;
  await harness?.close();
  harness = undefined;
});

const CHATS = 5;
const PER_CHAT = 12;

/** Blocks the event loop: frames pile up in the sockets and are then read in one go. */
function stall(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* a busy CPU */
  }
}

test(
  `the session answers ${CHATS * PER_CHAT} delayed visitor messages at once: all answers arrive, never disconnected`,
  { timeout: 30_000 },
  async (t) => {
    const h = (harness = await startServer());
    const token = await mintAdvisorToken({ id: 'adv-a', name: 'Anna' }, h.server.config, 3600);
    const advisor = (session = new AdvisorSession({
      url: `${h.wsUrl}/ws/advisor`,
      token: () => token,
      WebSocket: BrowserLikeWebSocket,
    }));
    const states: string[] = [];
    advisor.subscribe(() => {
      if (states.at(-1) !== advisor.connection) states.push(advisor.connection);
    });
    advisor.connect();
    await until(() => advisor.advisor !== undefined, 'welcome');

    const visitors = new Map<string, VisitorClient>();
    for (let i = 0; i < CHATS; i++) {
      const visitor = await h.visitor();
      visitor.send({ type: 'chat.start', nickname: `Kim ${i}`, termsVersion: defaults.terms.version, lang: 'de' });
      const { chatId } = await visitor.next('chat.started');
      await until(() => advisor.queue.some((item) => item.chatId === chatId), 'the chat in the queue');
      advisor.accept(chatId);
      await until(() => advisor.chats.get(chatId)?.synced === true, 'the advisor holds the chat');
      await visitor.next('chat.event'); // joined
      visitors.set(chatId, visitor);
    }

    // The console: every visitor message is answered the moment it is there, with typing and a read receipt.
    const answered = new Set<string>();
    advisor.subscribe(() => {
      for (const chat of advisor.chats.values()) {
        for (const { event } of chat.log.events) {
          if (event.kind !== 'message' || event.from !== 'visitor' || answered.has(event.id)) continue;
          answered.add(event.id);
          advisor.input(chat.chatId);
          advisor.send(chat.chatId, `Re: ${event.text}`);
          advisor.markRead(chat.chatId);
        }
      }
    });

    const started = performance.now();
    for (const visitor of visitors.values()) {
      for (let n = 0; n < PER_CHAT; n++)
        visitor.send({
          type: 'chat.message',
          id: `visitor-${n}-${Math.random().toString(36).slice(2, 10)}`,
          text: `Frage ${n}`,
        });
    }
    stall(300);

    const answersOf = (visitor: VisitorClient): string[] =>
      visitor.history.flatMap((message) =>
        message.type === 'chat.event' && message.event.kind === 'message' && message.event.from === 'advisor'
          ? [message.event.text]
          : [],
      );
    const total = (): number => [...visitors.values()].reduce((sum, visitor) => sum + answersOf(visitor).length, 0);
    await until(
      () => total() >= CHATS * PER_CHAT || advisor.connection !== 'connected',
      'every answer arrives',
      20_000,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const rateCloses = h.logs.filter((line) => line.includes('"reason":"rate"')).length;
    const refusals = h.logs.filter((line) => line.includes('LOTSE_ERR_RATE_LIMITED')).length;
    t.diagnostic(
      `${total()}/${CHATS * PER_CHAT} answers in ${seconds} s; connection states ${states.join(' → ')}; slow-down notices ${refusals}; rate closes ${rateCloses}`,
    );

    assert.deepEqual(states, ['connecting', 'connected'], 'the socket was never closed');
    assert.equal(rateCloses, 0);
    for (const visitor of visitors.values()) {
      await visitor.sync();
      assert.deepEqual(
        answersOf(visitor),
        Array.from({ length: PER_CHAT }, (_, n) => `Re: Frage ${n}`),
        'every answer once, in order',
      );
    }
    // The last answers' echoes may still be held on the server for up to `echoDelayMs` (`transport/held-echoes.ts`).
    await until(
      () => [...advisor.chats.values()].every((chat) => chat.log.pending.length === 0),
      'the outboxes are empty',
    );
  },
);
