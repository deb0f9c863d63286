/**
 * The reconnect guarantee, end to end through the real server: a socket dropped in the middle of a conversation,
 * on the visitor's side and on the advisor's side, loses no message, duplicates none and keeps the order.
 * The browser client classes run here in Node with `ws` standing in for the browser's WebSocket.
 *
 * Each case runs on one node, and on two nodes sharing one throwaway Redis: there the visitor's proxy and the
 * advisor's proxy stand in front of both nodes, starting on different ones, and send each new connection to the
 * next node (round robin, no sticky sessions), so that a dropped socket comes back on the other node and reaches
 * the chat through its owner (`src/server/cluster/`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserLikeWebSocket, ORIGIN } from '../helpers/browser-like-ws.js';
import { VisitorChat } from '../../src/client/visitor-chat.js';
import { AdvisorSession } from '../../src/client/advisor-session.js';
import type { ChatLog } from '../../src/client/chat-log.js';
import type { VisitorCard } from '../../src/protocol/messages.js';
import type { TestServer } from '../helpers/server.js';
import { startDropProxy } from '../helpers/proxy.js';
import type { DropProxy } from '../helpers/proxy.js';
import { SERVICE_SHAPES, startService } from '../helpers/service.js';
import type { TestService } from '../helpers/service.js';
import { until } from '../helpers/until.js';
import { MAX_OUTBOX } from '../../src/protocol/limits.js';

/** Messages of a log as `from:text`, in log order. */
const messages = (log: ChatLog) =>
  log.events.flatMap(({ event }) => (event.kind === 'message' ? [`${event.from}:${event.text}`] : []));

/** The change in a proxy's per-target counts since `before`. */
const since = (proxy: DropProxy, before: readonly number[]): number[] =>
  proxy.acceptedByTarget.map((count, index) => count - (before[index] ?? 0));

// The two runs side by side: each waits mostly on its clients' timers (reconnect backoff, outbox pacing, the
// retry after a rate refusal), not on a core, and they share nothing; one after the other they took twice as long.
describe('reconnect on one node and on two', { concurrency: true }, () => {
  for (const mode of SERVICE_SHAPES) {
    describe(`reconnect, ${mode.name}: nothing lost, nothing doubled, order kept`, { concurrency: 1 }, () => {
      let service: TestService;
      /** The first node: its configuration and tokens are every node's. */
      let server: TestServer;
      /** Where the advisor's socket goes when it is not dropped: the last node (the visitor's proxy starts on the first). */
      let advisorNode: TestServer;
      let visitorProxy: DropProxy;
      let advisorProxy: DropProxy;

      before(async () => {
        service = await startService(mode.nodes, { allowedOrigins: [ORIGIN] });
        server = service.nodes[0]!;
        advisorNode = service.nodes.at(-1)!;
        const ports = service.nodes.map((node) => node.port);
        visitorProxy = await startDropProxy(ports);
        advisorProxy = await startDropProxy([...ports].reverse());
      });

      after(async () => {
        await visitorProxy.close();
        await advisorProxy.close();
        await service.close();
      });

      /** A visitor and an advisor in one accepted chat, the visitor's socket through the dropping proxy. */
      async function acceptedChat(name: string) {
        const visitor = new VisitorChat({
          url: `ws://127.0.0.1:${visitorProxy.port}/ws/visitor`,
          WebSocket: BrowserLikeWebSocket,
          random: () => 0.05,
        });
        const token = await server.mintAdvisorToken(`adv-${name}`, 'Anna');
        const advisor = new AdvisorSession({
          url: `ws://127.0.0.1:${advisorNode.port}/ws/advisor`,
          token: () => token,
          WebSocket: BrowserLikeWebSocket,
        });
        try {
          advisor.connect();
          visitor.start(name, server.config.terms.version, 'de');
          const named = (visitor: VisitorCard) => visitor.kind === 'anonymous' && visitor.nickname === name;
          await until(() => advisor.queue.some((item) => named(item.visitor)), 'chat in the queue');
          const chatId = advisor.queue.find((item) => named(item.visitor))!.chatId;
          advisor.accept(chatId);
          await until(() => visitor.phase === 'active' && advisor.chats.has(chatId), 'advisor joined on both sides');
          return { visitor, advisor, chatId, chat: () => advisor.chats.get(chatId)! };
        } catch (error) {
          // A set-up that failed leaves no client reconnecting (it would hold the run until its timeout).
          visitor.close();
          advisor.close();
          throw error;
        }
      }

      it('a message written right after reconnecting does not overtake those written offline', async () => {
        const { visitor, advisor, chat } = await acceptedChat('Eisvogel');
        try {
          visitorProxy.dropAll();
          await until(() => visitor.connection !== 'connected', 'the drop is noticed');
          visitor.send('one (offline)');
          visitor.send('two (offline)');
          let sentThree = false;
          const unsubscribe = visitor.subscribe(() => {
            // The very moment the socket is open again, before the server has answered the resume.
            if (!sentThree && visitor.connection === 'connected') {
              sentThree = true;
              visitor.send('three (after reconnect)');
            }
          });
          await until(() => messages(chat().log).length === 3, 'all three arrive');
          unsubscribe();
          assert.ok(sentThree);
          assert.deepEqual(messages(chat().log), [
            'visitor:one (offline)',
            'visitor:two (offline)',
            'visitor:three (after reconnect)',
          ]);
          visitor.end();
          await until(() => visitor.endConfirmed, 'ended');
        } finally {
          visitor.close();
          advisor.close();
        }
      });

      it('a full outbox written offline goes out whole after the reconnect, without tripping the rate limit', async () => {
        const { visitor, advisor, chat } = await acceptedChat('Seeadler');
        try {
          visitorProxy.dropAll();
          await until(() => visitor.connection !== 'connected', 'the drop is noticed');
          const written = Array.from({ length: MAX_OUTBOX }, (_, index) => `offline ${index + 1}`);
          for (const text of written) visitor.send(text);
          assert.throws(
            () => visitor.send('one too many'),
            /OUTBOX_FULL/,
            'the composer refuses more than the outbox holds',
          );
          await until(() => messages(chat().log).length === written.length, 'every offline message arrives', 15_000);
          assert.deepEqual(
            messages(chat().log),
            written.map((text) => `visitor:${text}`),
          );
          assert.equal(visitor.lost, false);
          assert.equal(visitor.connection, 'connected', 'the server did not close the socket for flooding');
          visitor.end();
          await until(() => visitor.endConfirmed, 'ended');
        } finally {
          visitor.close();
          advisor.close();
        }
      });

      it('ending on a dying socket still ends the chat on the server once the socket is back', async () => {
        const { visitor, advisor, chat, chatId } = await acceptedChat('Rotmilan');
        try {
          visitorProxy.dropAll();
          visitor.end();
          assert.equal(visitor.phase, 'ended', 'shown as ended at once');
          assert.equal(visitor.endConfirmed, false, 'but not yet confirmed by the server');
          await until(() => chat().log.ended, 'the advisor sees the end after the visitor reconnected');
          await until(() => visitor.endConfirmed, 'the visitor gets the confirmation');
          for (const node of service.nodes) {
            assert.equal(node.server.hub.chats.get(chatId), undefined, 'nothing left on any node');
          }
        } finally {
          visitor.close();
          advisor.close();
        }
      });

      for (const side of ['visitor', 'advisor', 'both'] as const) {
        it(`survives drops of ${side === 'both' ? 'both sockets' : `the ${side} socket`} mid-conversation`, async () => {
          const visitor = new VisitorChat({
            url: `ws://127.0.0.1:${visitorProxy.port}/ws/visitor`,
            WebSocket: BrowserLikeWebSocket,
            random: () => 0.1,
          });
          const token = await server.mintAdvisorToken(`adv-${side}`, 'Anna');
          const advisor = new AdvisorSession({
            url: `ws://127.0.0.1:${advisorProxy.port}/ws/advisor`,
            token: () => token,
            WebSocket: BrowserLikeWebSocket,
            random: () => 0.1,
          });
          const visitorBefore = visitorProxy.acceptedByTarget;
          const advisorBefore = advisorProxy.acceptedByTarget;
          try {
            advisor.connect();
            visitor.start('Nachteule', server.config.terms.version, 'de');
            await until(() => advisor.queue.length === 1, 'chat in the queue');
            const chatId = advisor.queue[0]!.chatId;
            advisor.accept(chatId);
            await until(() => visitor.phase === 'active' && advisor.chats.has(chatId), 'advisor joined on both sides');

            const expected: string[] = [];
            const rounds = 30;
            for (let i = 0; i < rounds; i += 1) {
              visitor.send(`v${i}`);
              expected.push(`visitor:v${i}`);
              advisor.send(chatId, `a${i}`);
              expected.push(`advisor:a${i}`);
              if (i % 7 === 3) {
                if (side !== 'advisor') visitorProxy.dropAll();
                if (side !== 'visitor') advisorProxy.dropAll();
              }
              // Let some frames through between drops, so that drops land before, during and after delivery.
              if (i % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
            }

            const chat = () => advisor.chats.get(chatId)!;
            await until(
              () =>
                visitor.log.pending.length === 0 &&
                chat().log.pending.length === 0 &&
                messages(visitor.log).length === expected.length &&
                messages(chat().log).length === expected.length,
              'every message delivered to both sides',
              10_000,
            );

            const seen = messages(visitor.log);
            // Same log on both sides, event for event.
            assert.deepEqual(messages(chat().log), seen);
            assert.deepEqual(
              chat().log.events.map((e) => e.seq),
              visitor.log.events.map((e) => e.seq),
            );
            // Nothing doubled, nothing lost.
            assert.equal(new Set(seen).size, seen.length);
            assert.deepEqual([...seen].sort(), [...expected].sort());
            // Each side's own messages in the order they were written.
            for (const who of ['visitor', 'advisor']) {
              assert.deepEqual(
                seen.filter((m) => m.startsWith(who)),
                expected.filter((m) => m.startsWith(who)),
              );
            }
            // Sequence numbers without holes.
            assert.deepEqual(
              visitor.log.events.map((e) => e.seq),
              visitor.log.events.map((_, i) => i + 1),
            );
            // Reconnected: on one node more than once; on two nodes on each of them (round robin).
            const reconnected = (proxy: DropProxy, before: readonly number[]): boolean => {
              const added = since(proxy, before);
              return added.reduce((sum, n) => sum + n, 0) > 1 && added.every((n) => n > 0);
            };
            if (side !== 'advisor') assert.ok(reconnected(visitorProxy, visitorBefore), 'the visitor reconnected');
            if (side !== 'visitor') assert.ok(reconnected(advisorProxy, advisorBefore), 'the advisor reconnected');

            visitor.end();
            await until(() => chat().log.ended, 'advisor sees the end');
          } finally {
            visitor.close();
            advisor.close();
          }
        });
      }
    });
  }
});
