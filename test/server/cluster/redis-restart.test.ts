/**
 * A Redis restart under two Lotse nodes (`src/server/cluster/shared-state-restore.ts`). Redis keeps nothing on disk,
 * so it comes back empty; the nodes find the new instance and write back what they own. The browser client classes
 * run here in Node, each connecting to node A and node B in turn (round robin, no sticky sessions, as behind
 * nginx), with messages written on both sides while Redis is stopped and started again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { AdvisorSession } from '../../../src/client/advisor-session.js';
import { MAX_OUTBOX } from '../../../src/protocol/limits.js';
import type { ChatLog } from '../../../src/client/chat-log.js';
import type { WebSocketLike } from '../../../src/client/connection.js';
import { VisitorChat } from '../../../src/client/visitor-chat.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { mintAdvisorToken } from '../../../src/server/transport/advisor-auth.js';
import { dumpRedis, keysIn } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { ORIGIN } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { newCode, readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import { useNodes } from './nodes.js';

const TERMS = defaults.terms.version;
const nodes = useNodes();

/** A WebSocket whose every new socket goes to the next of `nodes` (the path of the URL kept). */
function roundRobin(targets: readonly Harness[]): WebSocketLike {
  let next = 0;
  return class extends WebSocket {
    constructor(url: string, protocols?: string[]) {
      const target = targets[next++ % targets.length]!;
      super(`${target.wsUrl}${new URL(url).pathname}`, protocols, { origin: ORIGIN });
    }
  } as unknown as WebSocketLike;
}

/** Messages of a log as `from:text`, in log order. */
const messages = (log: ChatLog): string[] =>
  log.events.flatMap(({ event }) => (event.kind === 'message' ? [`${event.from}:${event.text}`] : []));

test('a Redis restart: every client resumes, nothing acknowledged is lost or doubled, the queue and a webcode stay', async () => {
  const [a, b, redis] = await nodes.two({ redis: { leaseSeconds: 1 } });
  const config = a.server.config;
  const session = async (id: string, name: string, first: Harness): Promise<AdvisorSession> => {
    const token = await mintAdvisorToken({ id, name }, config, 3600);
    const advisor = new AdvisorSession({
      url: 'ws://round-robin/ws/advisor',
      token: () => token,
      WebSocket: roundRobin(first === a ? [a, b] : [b, a]),
    });
    advisor.connect();
    return advisor;
  };
  const visitorOn = (first: Harness, nickname: string): VisitorChat => {
    const visitor = new VisitorChat({
      url: 'ws://round-robin/ws/visitor',
      WebSocket: roundRobin(first === a ? [a, b] : [b, a]),
      random: () => 0.1,
    });
    visitor.start(nickname, TERMS, 'de');
    return visitor;
  };
  const anna = await session('adv-a', 'Anna', a);
  const bernd = await session('adv-b', 'Bernd', b);
  const clients: { close(): void }[] = [anna, bernd];
  try {
    // Two active chats, each owned by one node with its advisor on the other; two waiting chats, one per node.
    const active: { visitor: VisitorChat; advisor: AdvisorSession; chatId: string; name: string }[] = [];
    for (const [first, advisor, name] of [
      [a, bernd, 'Amsel'],
      [b, anna, 'Buchfink'],
    ] as const) {
      const visitor = visitorOn(first, name);
      clients.push(visitor);
      const item = () =>
        advisor.queue.find((entry) => entry.visitor.kind === 'anonymous' && entry.visitor.nickname === name);
      await until(() => item() !== undefined, `${name} in the queue`);
      const chatId = item()!.chatId;
      advisor.accept(chatId);
      await until(() => visitor.phase === 'active' && advisor.chats.has(chatId), `${name} accepted`);
      active.push({ visitor, advisor, chatId, name });
    }
    // Two waiting chats, one per node, the one on A first.
    const queueNames = (advisor: AdvisorSession): string[] =>
      advisor.queue.map((item) => (item.visitor.kind === 'anonymous' ? item.visitor.nickname : ''));
    clients.push(visitorOn(a, 'Wartet-A'));
    await until(() => queueNames(anna).join() === 'Wartet-A', 'the first waiting chat queued');
    clients.push(visitorOn(b, 'Wartet-B'));
    await until(() => queueNames(anna).length === 2 && queueNames(bernd).length === 2, 'both waiting chats queued');
    assert.deepEqual(queueNames(anna), ['Wartet-A', 'Wartet-B']);
    // A webcode given out on node B, typed later on node A.
    const coder = await readyAdvisor(b, 'adv-c', 'Clara');
    const code = await newCode(coder);

    // Both sides of both chats write, every 30 ms, through the restart.
    const sent = new Map<string, string[]>(active.map(({ chatId }) => [chatId, []]));
    let writing = true;
    let n = 0;
    // As a composer does, nobody writes into a full outbox (`MAX_OUTBOX`: `send` throws then): a round waits while
    // one is full, as it may be when the sockets are away longer than usual (a slow machine).
    const roomInOutboxes = (): boolean =>
      active.every(
        ({ visitor, advisor, chatId }) =>
          visitor.log.pending.length < MAX_OUTBOX && advisor.chats.get(chatId)!.log.pending.length < MAX_OUTBOX,
      );
    const writer = (async () => {
      while (writing) {
        if (!roomInOutboxes()) {
          await new Promise((resolve) => setTimeout(resolve, 30));
          continue;
        }
        n += 1;
        for (const { visitor, advisor, chatId } of active) {
          const texts = sent.get(chatId)!;
          texts.push(`visitor:v${n}`);
          visitor.send(`v${n}`);
          texts.push(`advisor:a${n}`);
          advisor.send(chatId, `a${n}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    })();
    await until(() => n >= 5, 'messages before the restart');
    const restarted = Promise.all([
      a.nextLog((line) => line['event'] === 'redis.restored'),
      b.nextLog((line) => line['event'] === 'redis.restored'),
    ]);
    // Down for a moment: messages written meanwhile wait in the outboxes and in the nodes' Redis connections.
    await redis.restart({ downMs: 300 });
    await restarted;
    const afterRestart = n;
    await until(() => n >= afterRestart + 10, 'messages after the restart');
    writing = false;
    await writer;

    // Every message on both screens of its chat, once each, in the order written on each side.
    for (const { visitor, advisor, chatId, name } of active) {
      const expected = sent.get(chatId)!;
      const advisorLog = () => advisor.chats.get(chatId)!.log;
      await until(
        () => messages(visitor.log).length === expected.length && messages(advisorLog()).length === expected.length,
        `${name}: every message on both screens`,
        15_000,
      ).catch((error: unknown) => {
        // What is missing where, and whether a side gave the chat up (lost) or still holds it in its outbox.
        const chat = advisor.chats.get(chatId)!;
        const missing = (shown: string[]): string => expected.filter((text) => !shown.includes(text)).join(' ');
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}; ${expected.length} written. Visitor (phase ${visitor.phase}, lost ${visitor.lost}, ` +
            `${visitor.connection}, problem ${visitor.problem?.code}, outbox ${visitor.log.pending.length}) lacks: ` +
            `${missing(messages(visitor.log))}. Advisor (lost ${chat.lost}, ${advisor.connection}, problem ` +
            `${chat.problem?.code}, outbox ${chat.log.pending.length}) lacks: ${missing(messages(chat.log))}`,
        );
      });
      assert.deepEqual(messages(visitor.log), messages(advisorLog()), `${name}: both screens alike`);
      assert.deepEqual([...messages(visitor.log)].sort(), [...expected].sort(), `${name}: each message once`);
      for (const side of ['visitor', 'advisor']) {
        const order = expected.filter((text) => text.startsWith(side));
        assert.deepEqual(
          messages(visitor.log).filter((text) => text.startsWith(side)),
          order,
          `${name}: the ${side}'s order`,
        );
      }
      assert.deepEqual(
        visitor.log.events.map(({ seq }) => seq),
        visitor.log.events.map((_, index) => index + 1),
        `${name}: no gap in the numbers`,
      );
      assert.equal(visitor.lost, false);
    }

    // The queue as it was, for every advisor; the webcode works once, on the other node.
    await until(() => queueNames(anna).length === 2 && queueNames(bernd).length === 2, 'the queue after the restart');
    assert.deepEqual(queueNames(anna), ['Wartet-A', 'Wartet-B']);
    assert.deepEqual(queueNames(bernd), ['Wartet-A', 'Wartet-B']);
    // The session's record is back too (written back by its node): a node that takes it over later needs it.
    assert.ok((await keysIn(redis.url)).includes(`lotse:cobrowse:{${code.sessionId}}:record`), 'the session record');
    const joiner = await a.visitor();
    joiner.send({ type: 'cobrowse.join', webcode: code.webcode });
    assert.equal((await joiner.next('cobrowse.pending')).sessionId, code.sessionId);

    // The active chats end; Redis then holds exactly what the two waiting chats, the nodes and the advisors need.
    for (const { visitor, chatId, advisor } of active) {
      visitor.end();
      await until(() => visitor.endConfirmed && advisor.chats.get(chatId)?.log.ended === true, 'ended');
    }
    const waitingIds = anna.queue.map((item) => item.chatId);
    const keysNow = async (): Promise<string[]> =>
      (await keysIn(redis.url))
        .map((key) => {
          for (const [index, id] of waitingIds.entries()) key = key.replace(id, `<waiting ${index + 1}>`);
          key = key.replace(code.sessionId, '<session>');
          for (const id of [a.server.hub.nodeId, b.server.hub.nodeId]) key = key.replace(id, '<node>');
          return key.replace(/start:[\w-]+/, 'start:<id>').replace(/client:[\w+/=-]{20,}/, 'client:<key>');
        })
        .sort();
    const expected = [
      'lotse:chat:{<waiting 1>}:owner',
      'lotse:chat:{<waiting 1>}:record',
      'lotse:chat:{<waiting 2>}:owner',
      'lotse:chat:{<waiting 2>}:record',
      // The session the visitor joined: its owner and record, for a takeover.
      'lotse:cobrowse:{<session>}:owner',
      'lotse:cobrowse:{<session>}:record',
      // The visitor's webcode attempt after the restart: a limit (limits start again from zero after a restart).
      'lotse:limit:webcode:attempts',
      'lotse:limit:webcode:client:<key>',
      // Each node's set of the chats it owns (each holds one waiting chat), the set of the session's owner, each
      // node's lease, and the set naming the nodes.
      'lotse:node:<node>:chats',
      'lotse:node:<node>:chats',
      'lotse:node:<node>:cobrowse',
      'lotse:node:<node>:lease',
      'lotse:node:<node>:lease',
      'lotse:nodes',
      'lotse:start:<id>',
      'lotse:start:<id>',
      'lotse:{presence}:choices',
      'lotse:{presence}:counts',
      'lotse:{presence}:holds',
      'lotse:{presence}:names',
      // The wait estimate's busy clock (the queue is not empty); no accept since the restart.
      'lotse:{queue}:busy',
      'lotse:{queue}:clients',
      'lotse:{queue}:counts',
      'lotse:{queue}:deadline',
      'lotse:{queue}:items',
      'lotse:{queue}:order',
      'lotse:{queue}:seq',
    ];
    // An advisor's console may be between two sockets (told to come back while the window lasted): awaited.
    await until(async () => (await keysNow()).join() === expected.join(), 'exactly the expected keys').catch(
      () => undefined,
    );
    assert.deepEqual(await keysNow(), expected);
    const dump = [...(await dumpRedis(redis.url))];
    for (const id of active.map(({ chatId }) => chatId)) {
      assert.deepEqual(
        dump.filter(([key, value]) => key.includes(id) || value.includes(id)),
        [],
        'nothing of the ended chats is left',
      );
    }
    assert.deepEqual(redis.files(), [], 'no RDB, no AOF');
  } finally {
    for (const client of clients) client.close();
  }
});
