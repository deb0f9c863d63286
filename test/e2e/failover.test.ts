/**
 * A node's death loses nothing (issue 14), end to end: two Lotse nodes, each in its own process, on one Redis, a real
 * nginx in front (TLS with a certificate made here, the WebSocket upgrade, round robin, no sticky sessions), and
 * every client through nginx's https URL: a visitor page and an advisor console in Chromium with a running chat and a
 * live co-browse session between them, 199 more conversations as raw WebSocket clients (`raw-chats.ts`), a chat
 * waiting in the queue and a webcode not yet used. Then the fault, in the middle of the traffic; afterwards every
 * client has come back through nginx, nothing is lost, doubled or reordered on either screen, the co-browse session
 * goes on and can be ended, the waiting chat can be accepted and the webcode still opens a session.
 *
 * The fault is a parameter of the scenario: a Redis restart, then (on the same service) `kill -9` of a node.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:https';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { createClient } from '@redis/client';
import { SUBPROTOCOL } from '../../src/protocol/limits.js';
import type { VisitorToServer } from '../../src/protocol/messages.js';
import { encode } from '../../src/protocol/parse.js';
import { defaults } from '../../src/server/config/lotse-config.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { launchChromium } from '../helpers/browser.js';
import {
  CONSOLE,
  advisorAccepts,
  advisorContext,
  advisorMessages,
  advisorWrites,
  sameOnBothScreens,
  startVisitorChat,
  visitorWrites,
} from '../helpers/chat-pages.js';
import {
  cobrowse,
  consentAndReadStartCode,
  enterWebcodeInSearch,
  startSession,
  viewerFrame,
} from '../helpers/cobrowse-pages.js';
import { nodePorts, startDemoNode } from '../helpers/demo-nodes.js';
import type { DemoNode } from '../helpers/demo-nodes.js';
import { startNginx } from '../helpers/nginx.js';
import type { Nginx } from '../helpers/nginx.js';
import { RawChats } from '../helpers/raw-chats.js';
import { startRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';
import { TEST_SECRET } from '../helpers/server.js';
import { until } from '../helpers/until.js';

/** Conversations in all: the browser's and the raw ones. */
const CONVERSATIONS = 200;
const RAW_ADVISORS = 20;
/** Short, so the takeover comes soon; long enough that a busy machine does not lose a lease by accident. */
const LEASE_SECONDS = 3;

/** What the nodes' advisor tokens are signed with (the nodes run `startTestServer`'s configuration). */
const config = { advisorTokens: { ...defaults.advisorTokens, secret: TEST_SECRET }, terms: defaults.terms };

/** What a fault acts on. */
interface Service {
  readonly redis: TestRedis;
  readonly nodes: readonly DemoNode[];
  /** The node that owns the browser's chat. */
  readonly owner: DemoNode;
}

/**
 * A fault in the middle of the traffic. `nodesAfter` are the nodes every client must end up on.
 */
interface Fault {
  readonly name: string;
  /** The names of this run's people (each run has its own: the chats of a run before are still there). */
  readonly nickname: string;
  readonly waiting: string;
  readonly advisorId: string;
  /** Whether the fault cuts sockets for sure (a dead node's); a Redis restart cuts only some, or none. */
  readonly cuts: boolean;
  inject(service: Service): Promise<void>;
  nodesAfter(service: Service): DemoNode[];
}

/**
 * kill -9 of the node that holds the most: the browser's chat (owned there), the advisor console's socket, and so the
 * live co-browse session and the webcode not yet used (a session lives on the node of the advisor's socket that
 * made it). Its death then needs every path: the survivor takes the chat and the co-browse session over from Redis
 * once the lease has lapsed, and every socket that was on it (the console's, whichever of the visitor's, about half
 * of the raw ones) comes back through nginx.
 */
const killOwner: Fault = {
  name: 'kill -9 of the node that owns the chat',
  nickname: 'Seeadler',
  waiting: 'Wartend',
  advisorId: 'e2e-advisor',
  cuts: true,
  inject: async ({ owner }) => owner.kill(),
  nodesAfter: ({ nodes, owner }) => nodes.filter((node) => node !== owner),
};

/**
 * A Redis restart: Redis keeps nothing on disk, so it comes back empty, and each node writes back what it owns
 * (`cluster/shared-state-restore.ts`); meanwhile no node takes a chat it does not find for unknown. Down for a
 * moment, as a restarted service is. Run first: both nodes are still there, and the kill that follows then also
 * shows that what was written back (the chat's record, the co-browse session's) serves a takeover.
 */
const restartRedis: Fault = {
  name: 'a Redis restart',
  nickname: 'Kranich',
  waiting: 'Geduldig',
  advisorId: 'e2e-advisor-r',
  cuts: false,
  inject: async ({ redis }) => redis.restart({ downMs: 300 }),
  nodesAfter: ({ nodes }) => [...nodes],
};

const FAULTS: readonly Fault[] = [restartRedis, killOwner];

/** `lotse_connections{role}` of a node, from its own `/metrics` (straight to the node: only this machine scrapes). */
async function connections(node: DemoNode, role: 'visitor' | 'advisor'): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = new RegExp(`^lotse_connections\\{role="${role}"\\} (\\d+)$`, 'm').exec(text);
  return Number(line?.[1] ?? NaN);
}

/** One request through nginx: moves its round robin on by one. */
function nudge(nginx: Nginx): Promise<void> {
  return new Promise((resolve, reject) => {
    request(`${nginx.url}/healthz`, { ca: nginx.ca }, (response) => {
      response.resume();
      response.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * A visitor whose chat waits in the queue: a raw socket through nginx that comes back and resumes when it is cut,
 * as the widget does.
 */
class WaitingVisitor {
  chatId = '';
  resumeToken = '';
  lastSeq = 0;
  kinds: string[] = [];
  resumes = 0;
  #socket: WebSocket | undefined;
  #closed = false;

  constructor(
    private readonly nginx: Nginx,
    private readonly termsVersion: string,
    private readonly nickname: string,
  ) {}

  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const socket = new WebSocket(`${this.nginx.url.replace('https', 'wss')}/ws/visitor`, [SUBPROTOCOL], {
      origin: this.nginx.url,
      ca: this.nginx.ca,
    });
    this.#socket = socket;
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (!this.#closed && this.#socket === socket) setTimeout(() => void this.#connect().catch(() => undefined), 200);
    });
    const ready = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as {
          type: string;
          chatId?: string;
          resumeToken?: string;
          seq?: number;
          event?: { kind: string };
          events?: { seq: number; event: { kind: string } }[];
        };
        if (m.type === 'chat.started') {
          this.chatId = m.chatId!;
          this.resumeToken = m.resumeToken!;
          socket.send(encode<VisitorToServer>({ type: 'chat.message', id: 'waiting-1', text: 'Ich warte noch' }));
          resolve();
        } else if (m.type === 'chat.resumed') {
          this.resumes++;
          for (const { seq, event } of m.events ?? []) this.#see(seq, event.kind);
          resolve();
        } else if (m.type === 'chat.event' && m.seq !== undefined) {
          this.#see(m.seq, m.event!.kind);
        }
      });
    });
    await once(socket, 'open');
    socket.send(
      encode<VisitorToServer>(
        this.chatId === ''
          ? { type: 'chat.start', nickname: this.nickname, termsVersion: this.termsVersion, lang: 'de' }
          : { type: 'chat.resume', chatId: this.chatId, resumeToken: this.resumeToken, lastSeq: this.lastSeq },
      ),
    );
    await ready;
  }

  #see(seq: number, kind: string): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    this.kinds.push(kind);
  }

  /** Ends its chat (the visitor's "end"), and the socket. */
  end(): void {
    this.#socket?.send(encode<VisitorToServer>({ type: 'chat.end' }));
    this.close();
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close();
  }
}

describe('a node dies in the middle of 200 conversations and a co-browse session, behind nginx', () => {
  let redis: TestRedis;
  let nginx: Nginx;
  let nodes: DemoNode[] = [];
  let browser: Browser;

  before(async () => {
    redis = await startRedis();
    const ports = await nodePorts(2);
    // nginx first (it starts without its upstreams): the nodes need its origin.
    nginx = await startNginx(ports);
    nodes = await Promise.all(
      ports.map((port) =>
        startDemoNode(port, {
          redisUrl: redis.url,
          origins: [nginx.url],
          leaseSeconds: LEASE_SECONDS,
          visitorSocketsPerClient: 2 * CONVERSATIONS,
        }),
      ),
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const node of nodes) await node.close();
    await nginx?.close();
    await redis?.close();
  });

  const owner = async (chatId: string): Promise<DemoNode> => {
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const id = await client.get(`lotse:chat:{${chatId}}:owner`);
      const node = nodes.find((n) => n.nodeId === id);
      assert.ok(node !== undefined, `the chat's owner ${id} is one of the nodes`);
      return node;
    } finally {
      await client.close();
    }
  };

  /** An advisor console through nginx, signed in with a token the insurer's app would give it. */
  async function openConsole(advisorId: string): Promise<{ context: BrowserContext; page: Page }> {
    const token = await mintAdvisorToken({ id: advisorId, name: 'Demo-Beraterin' }, config, 3600);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 900 } });
    // The demo's sign-in answers only a browser on the node's own machine without a proxy: not through nginx.
    await context.route('**/demo/advisor-token', (route) => route.fulfill({ json: { token } }));
    const page = await context.newPage();
    await page.goto(`${nginx.url}/advisor.html`);
    await page
      .locator(`${CONSOLE} [part~="status"]`)
      .filter({ hasText: /verbunden|connected/i })
      .waitFor();
    return { context, page };
  }

  for (const fault of FAULTS) {
    it(`${fault.name}: everyone comes back through nginx, nothing lost or doubled, co-browsing goes on`, async () => {
      const { nickname: NICKNAME, waiting: WAITING } = fault;
      const contexts: BrowserContext[] = [];
      let raw: RawChats | undefined;
      let waiting: WaitingVisitor | undefined;
      try {
        // --- the browser's chat, its owner, and a console on the same node (see `killOwner`) ---
        const visitorContext = await browser.newContext({
          ignoreHTTPSErrors: true,
          viewport: { width: 1000, height: 800 },
        });
        contexts.push(visitorContext);
        const visitor = await visitorContext.newPage();
        await visitor.goto(`${nginx.url}/`);
        await startVisitorChat(visitor, NICKNAME);
        await visitorWrites(visitor, 'Vor dem Ausfall: eine Frage');
        // The message shows at once (from the outbox); the chat's id is stored when the server has started it.
        const chatId = (await (
          await visitor.waitForFunction(
            () => (JSON.parse(sessionStorage.getItem('lotse-chat') ?? '{}') as { chatId?: string }).chatId,
          )
        ).jsonValue()) as string | undefined;
        assert.ok(chatId !== undefined, 'the widget stored its chat');
        const chatOwner = await owner(chatId);
        const other = nodes.find((node) => node !== chatOwner)!;
        let advisor: Page | undefined;
        for (let attempt = 0; advisor === undefined; attempt++) {
          assert.ok(attempt < 8, "the console's socket never reached the chat's owner");
          const opened = await openConsole(fault.advisorId);
          if ((await connections(chatOwner, 'advisor')) === 1) {
            contexts.push(opened.context);
            advisor = opened.page;
            break;
          }
          await opened.context.close();
          await until(
            async () => (await connections(other, 'advisor')) === 0,
            'the closed console is gone from the node',
          );
          // nginx's round robin moves on with every request: one more each time, and the console lands elsewhere.
          for (let n = 0; n <= attempt; n++) await nudge(nginx);
        }
        await advisorAccepts(advisor, NICKNAME);
        await advisorWrites(advisor, NICKNAME, 'Vor dem Ausfall: eine Antwort');

        // --- co-browsing, live; and a webcode for later ---
        await startSession(advisor, visitor);
        await viewerFrame(advisor).getByText('Zahnersatz und Kieferorthopädie').first().waitFor();
        // The console holds one phone session at a time: the webcode for later is offered in the chat (not posted).
        // Both sessions live on the chat's owner, with the console's socket.
        const webcodes = advisor.locator(`${CONSOLE} [part~="webcode"]`);
        const shown = await webcodes.count();
        await advisorContext(advisor, NICKNAME).locator('[part~="cobrowse-offer"]').click();
        await webcodes.nth(shown).waitFor();
        const unusedWebcode = (await webcodes.nth(shown).textContent())!.replace(/\D/g, '');
        assert.match(unusedWebcode, /^\d{6}$/);

        // --- a chat left waiting ---
        // Owned by the node that dies too: a chat started elsewhere is ended, and another one started.
        for (let attempt = 0; ; attempt++) {
          assert.ok(attempt < 8, 'no waiting chat was started on the chat owner');
          waiting = new WaitingVisitor(nginx, config.terms.version, WAITING);
          await waiting.start();
          if ((await owner(waiting.chatId)) === chatOwner) break;
          waiting.end();
        }
        await advisor.locator(`${CONSOLE} [part~="queue-item"]`).filter({ hasText: WAITING }).waitFor();

        // --- the raw conversations, through nginx ---
        const wss = nginx.url.replace('https', 'wss');
        raw = new RawChats({
          chats: CONVERSATIONS - 1,
          advisors: RAW_ADVISORS,
          token: (a) => mintAdvisorToken({ id: `${fault.advisorId}-raw-${a}`, name: `Beraterin ${a}` }, config, 3600),
          base: () => wss,
          socketOptions: { origin: nginx.url, ca: nginx.ca },
          termsVersion: config.terms.version,
        });
        await raw.start();
        raw.startTraffic(1000);
        await visitorWrites(visitor, 'Vor dem Ausfall: noch etwas');
        await advisorWrites(advisor, NICKNAME, 'Vor dem Ausfall: gern');
        await new Promise((resolve) => setTimeout(resolve, 1500));

        // --- the fault, in the middle of the traffic ---
        const service: Service = { redis, nodes, owner: chatOwner };
        raw.markFault();
        await fault.inject(service);
        await visitorWrites(visitor, 'Während des Ausfalls geschrieben');
        await advisorWrites(advisor, NICKNAME, 'Auch während des Ausfalls');

        // --- everyone back: every raw chat has had a round trip since, and the screens agree ---
        const load = raw;
        await until(
          () => load.chats.every((c) => c.recoveredAt !== undefined),
          'every raw chat has a round trip after the fault',
          30_000,
        ).catch((error: Error) => {
          const stuck = load.chats.filter((c) => c.recoveredAt === undefined);
          const advisorsOf = new Set(stuck.map((c) => c.advisor));
          throw new Error(
            `${error.message}: ${stuck.length} not recovered, e.g. ${JSON.stringify(
              stuck.slice(0, 3).map((c) => ({
                index: c.index,
                state: c.socket?.readyState,
                connects: c.connects,
                resumes: c.resumes,
                outbox: [c.visitorOutbox.size, c.advisorOutbox.size],
                last: [c.visitor.last, c.advisorScreen.last],
                first: c.firstAfterFault,
                errors: c.errors.slice(0, 3),
              })),
            )}; their advisors ${JSON.stringify(
              load.advisors
                .filter((a) => advisorsOf.has(a.index))
                .map((a) => ({ state: a.socket?.readyState, connects: a.connects, welcomes: a.welcomes })),
            )}`,
          );
        });
        load.stopTraffic();
        await until(() => load.settled(), 'every outbox is empty and both screens are as long', 10_000).catch(
          (error: Error) => {
            const unsettled = load.chats.filter(
              (c) => c.visitorOutbox.size > 0 || c.advisorOutbox.size > 0 || c.visitor.last !== c.advisorScreen.last,
            );
            throw new Error(
              `${error.message}: ${unsettled.length} not settled, e.g. ${JSON.stringify(
                unsettled.slice(0, 3).map((c) => ({
                  index: c.index,
                  outbox: [[...c.visitorOutbox.keys()], [...c.advisorOutbox.keys()]],
                  last: [c.visitor.last, c.advisorScreen.last],
                  errors: c.errors.slice(0, 3),
                })),
              )}`,
            );
          },
        );
        const tally = load.tally();
        assert.deepEqual(
          { lost: tally.lost, doubled: tally.doubled, gaps: tally.gaps, differ: tally.differ },
          { lost: 0, doubled: 0, gaps: 0, differ: 0 },
          `of ${tally.sent} messages: none lost, none doubled, no gap, both screens alike`,
        );
        if (fault.cuts) {
          assert.ok(
            load.chats.some((c) => c.resumes > 0) && load.advisors.some((a) => a.connects > 1),
            'the fault cut raw visitors and advisors, who came back and resumed',
          );
        }

        await visitorWrites(visitor, 'Nach dem Ausfall: alles da?');
        await advisorWrites(advisor, NICKNAME, 'Nach dem Ausfall: ja');
        const expected = [
          'Vor dem Ausfall: eine Frage',
          'Vor dem Ausfall: eine Antwort',
          'Vor dem Ausfall: noch etwas',
          'Vor dem Ausfall: gern',
          'Während des Ausfalls geschrieben',
          'Auch während des Ausfalls',
          'Nach dem Ausfall: alles da?',
          'Nach dem Ausfall: ja',
        ];
        // The two written during the fault may land in either order (each from its own outbox); each screen shows
        // the order the chat's sequence numbers give, and both screens the same.
        await until(
          async () => (await advisorMessages(advisor, NICKNAME)).length >= expected.length,
          'the advisor sees every message',
          15_000,
        );
        const order = await advisorMessages(advisor, NICKNAME);
        assert.deepEqual([...order].sort(), [...expected].sort(), 'every message once');
        await sameOnBothScreens(visitor, advisor, NICKNAME, order);

        // Every socket is open again, on the nodes that are left.
        const after = fault.nodesAfter(service);
        const count = async (role: 'visitor' | 'advisor'): Promise<number> =>
          (await Promise.all(after.map((node) => connections(node, role)))).reduce((a, b) => a + b, 0);
        // Raw visitors, the waiting one, the browser visitor's chat and co-browse sockets; raw advisors and the console.
        await until(async () => (await count('visitor')) === CONVERSATIONS - 1 + 1 + 2, 'every visitor socket is back');
        await until(async () => (await count('advisor')) === RAW_ADVISORS + 1, 'every advisor socket is back');

        // --- co-browsing goes on: a change on the visitor's page shows in the viewer ---
        await visitor.evaluate(() => {
          document.querySelector('h1')!.textContent = 'Nach dem Ausfall geändert';
        });
        await viewerFrame(advisor).getByText('Nach dem Ausfall geändert').waitFor();

        // --- the waiting chat is still in the queue, and can be accepted ---
        await advisorAccepts(advisor, WAITING);
        const accepted = waiting;
        await until(() => accepted.kinds.includes('joined'), 'the waiting visitor hears the advisor joined');

        // --- the co-browse session's signalling: ended by the advisor, the visitor sees it end ---
        await advisor.locator(`${CONSOLE} [part~="cobrowse-end"]`).first().click();
        await visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });

        // --- the webcode issued before the fault opens a session after it ---
        const secondContext = await browser.newContext({ ignoreHTTPSErrors: true });
        contexts.push(secondContext);
        const second = await secondContext.newPage();
        await second.goto(`${nginx.url}/leistungen.html`);
        await enterWebcodeInSearch(second, unusedWebcode);
        assert.match(await consentAndReadStartCode(second), /^[A-Z0-9]{8}$/);
      } finally {
        raw?.close();
        waiting?.close();
        for (const context of contexts) await context.close();
      }
    });
  }
});
