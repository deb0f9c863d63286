/**
 * The visitor's client in a member chat against the real server (member tokens verified with `jose` against a real
 * key pair), in Node with `ws` standing in for the browser's WebSocket: the advisor sees the verified member; a
 * dropped socket resumes with a fresh token and loses nothing; an expired token keeps the chat and the outbox until
 * a new one comes; a forged one ends the chat and nothing else. On one node, and on two nodes through Redis: there
 * the visitor's socket goes through a proxy that sends each new connection to the next node (round robin), so that
 * the resume with a fresh token reaches the other node, and the advisor's socket is on the second node.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserLikeWebSocket, ORIGIN } from '../helpers/browser-like-ws.js';
import { VisitorChat } from '../../src/client/visitor-chat.js';
import type { MemberTokenSource } from '../../src/client/visitor-chat.js';
import { AdvisorSession } from '../../src/client/advisor-session.js';
import type { ChatLog } from '../../src/client/chat-log.js';
import { defaults } from '../../src/server/config/lotse-config.js';
import type { TestServer } from '../helpers/server.js';
import { SERVICE_SHAPES, startService } from '../helpers/service.js';
import type { TestService } from '../helpers/service.js';
import { startDropProxy } from '../helpers/proxy.js';
import type { DropProxy } from '../helpers/proxy.js';
import { until } from '../helpers/until.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from '../server/member/member-keys.js';
import type { MemberArea } from '../server/member/member-keys.js';

const ERIKA = { kind: 'member', name: 'Erika Mustermann', insuranceNumber: 'A123456780', lang: 'de' };

const messages = (log: ChatLog) =>
  log.events.flatMap(({ event }) => (event.kind === 'message' ? [`${event.from}:${event.text}`] : []));

describe('member chat through the real server', { concurrency: true }, () => {
  for (const shape of SERVICE_SHAPES) {
    describe(`member chat, ${shape.name}`, { concurrency: 1 }, () => {
      let service: TestService;
      /** The first node: its configuration and tokens are every node's. */
      let server: TestServer;
      /** Where the advisor's socket goes: the last node (the visitor's proxy starts on the first). */
      let advisorNode: TestServer;
      let proxy: DropProxy;
      let area: MemberArea;

      before(async () => {
        area = await createMemberArea();
        service = await startService(shape.nodes, {
          allowedOrigins: [ORIGIN],
          member: {
            ...defaults.member,
            tokens: {
              ...defaults.member.tokens,
              issuer: MEMBER_ISSUER,
              audience: MEMBER_AUDIENCE,
              publicKeys: [area.publicJwk],
            },
          },
        });
        server = service.nodes[0]!;
        advisorNode = service.nodes.at(-1)!;
        proxy = await startDropProxy(service.nodes.map((node) => node.port));
      });

      after(async () => {
        await proxy.close();
        await service.close();
      });

      async function advisorFor(id: string) {
        const token = await server.mintAdvisorToken(id, 'Anna');
        const advisor = new AdvisorSession({
          url: `ws://127.0.0.1:${advisorNode.port}/ws/advisor`,
          token: () => token,
          WebSocket: BrowserLikeWebSocket,
        });
        advisor.connect();
        return advisor;
      }

      function member(source: MemberTokenSource) {
        return new VisitorChat({
          url: `ws://127.0.0.1:${proxy.port}/ws/visitor`,
          WebSocket: BrowserLikeWebSocket,
          random: () => 0.05,
          memberToken: source,
        });
      }

      it('shows the verified member to the advisor, and resumes with a fresh token after a drop, losing nothing', async () => {
        let minted = 0;
        const visitor = member(async () => {
          minted += 1;
          return area.mint({ sub: 'member-resume' });
        });
        const advisor = await advisorFor('adv-member-1');
        const before = proxy.acceptedByTarget;
        try {
          visitor.start(undefined, server.config.terms.version, 'de');
          await until(() => advisor.queue.length === 1, 'member chat in the queue');
          assert.deepEqual(advisor.queue[0]!.visitor, ERIKA);
          const chatId = advisor.queue[0]!.chatId;
          advisor.accept(chatId);
          await until(() => visitor.phase === 'active' && advisor.chats.has(chatId), 'joined on both sides');

          proxy.dropAll();
          await until(() => visitor.connection !== 'connected', 'the drop is noticed');
          visitor.send('eins (offline)');
          visitor.send('zwei (offline)');
          await until(() => messages(advisor.chats.get(chatId)!.log).length === 2, 'both arrive after the resume');
          assert.deepEqual(messages(advisor.chats.get(chatId)!.log), [
            'visitor:eins (offline)',
            'visitor:zwei (offline)',
          ]);
          assert.ok(minted >= 2, 'a token for the start and a fresh one for the resume');
          assert.ok(
            proxy.acceptedByTarget.every((count, index) => count > before[index]!),
            'the visitor was on every node: on two, it resumed on the other one',
          );
          assert.equal(visitor.tokenNeeded, false);
          visitor.end();
          await until(() => visitor.endConfirmed, 'ended');
        } finally {
          visitor.close();
          advisor.close();
        }
      });

      it('keeps the chat and the outbox on an expired token, and goes on once a new one is there', async () => {
        let token = await area.mint({ sub: 'member-expiry' });
        const visitor = member(() => token);
        const advisor = await advisorFor('adv-member-2');
        try {
          visitor.start(undefined, server.config.terms.version, 'de');
          await until(() => advisor.queue.length === 1, 'member chat in the queue');
          const chatId = advisor.queue[0]!.chatId;
          advisor.accept(chatId);
          await until(() => visitor.phase === 'active', 'joined');

          token = await area.mint({ sub: 'member-expiry', iatOffset: -600, lifetime: 240 });
          proxy.dropAll();
          await until(() => visitor.connection !== 'connected', 'the drop is noticed');
          visitor.send('wartet auf die Anmeldung');
          await until(() => visitor.tokenNeeded, 'the expired token is noticed');
          assert.equal(visitor.problem?.code, 'LOTSE_ERR_TOKEN_EXPIRED');
          assert.equal(visitor.lost, false);
          assert.deepEqual(
            visitor.log.pending.map((message) => message.text),
            ['wartet auf die Anmeldung'],
          );
          assert.ok(
            service.nodes.some((node) => node.server.hub.chats.get(chatId) !== undefined),
            'the chat is kept on the server',
          );

          token = await area.mint({ sub: 'member-expiry' });
          visitor.renewToken();
          await until(
            () => messages(advisor.chats.get(chatId)!.log).includes('visitor:wartet auf die Anmeldung'),
            'delivered',
          );
          assert.equal(visitor.tokenNeeded, false);
          assert.equal(visitor.problem, undefined);
          visitor.end();
          await until(() => visitor.endConfirmed, 'ended');
        } finally {
          visitor.close();
          advisor.close();
        }
      });

      it('ends the chat on a forged token, and nothing else happens', async () => {
        const forger = await createMemberArea(area.kid); // same key id, other key: the signature does not verify
        const visitor = member(() => forger.mint({ sub: 'member-forged' }));
        const advisor = await advisorFor('adv-member-3');
        try {
          visitor.start(undefined, server.config.terms.version, 'de');
          await until(() => visitor.lost, 'refused');
          assert.equal(visitor.problem?.code, 'LOTSE_ERR_TOKEN_INVALID');
          assert.equal(visitor.phase, 'ended');
          assert.equal(visitor.connection, 'closed');
          await until(() => advisor.connection === 'connected', 'advisor connected');
          assert.deepEqual(advisor.queue, [], 'no chat reached the queue');
        } finally {
          visitor.close();
          advisor.close();
        }
      });
    });
  }
});
