// The failover bench: two Lotse nodes on one throwaway Redis (Debian's redis-server, persistence off), each in a
// child process of its own; N chats whose visitor and advisor sockets are spread over both nodes (most chats have
// one side on each), messages both ways (each visitor message answered by its advisor); then node A is killed with
// SIGKILL. Every socket that was on A reconnects to B (as a load balancer would send it), resumes with the last
// sequence number it had and sends again what it had not seen appended (an outbox, with the same ids); B takes the
// chats of A over once A's lease has lapsed.
//
// Prints, as JSON lines: per chat, the time from the kill to the first advisor answer the visitor gets to a message
// it sent after the kill (a full round trip through the surviving node), p50 and max, for the chats A owned (taken
// over by B once A's lease lapsed: `takeover`) and for those B owned whose advisor was on A (`reconnect`); and over
// every chat, the messages lost (sent, never appended), doubled (one id appended twice), and the
// chats whose two screens differ or have a gap in their sequence numbers.
//
//   node --import tsx scripts/bench-failover.ts [--chats=200] [--lease=5] [--after=15]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../src/protocol/limits.js';
import { encode } from '../src/protocol/parse.js';
import type { Outgoing } from '../src/protocol/parse.js';
import type { AdvisorToServer, VisitorToServer } from '../src/protocol/messages.js';
import { defaults, validateConfig } from '../src/server/config/lotse-config.js';
import type { LotseConfig } from '../src/server/config/lotse-config.js';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const CHATS = Number(arg('chats') ?? 200);
// The shipped default (`redis.leaseSeconds`): the figure is what an operator gets out of the box.
const LEASE_SECONDS = Number(arg('lease') ?? 5);
/** Seconds of traffic after the kill. */
const AFTER = Number(arg('after') ?? 15);
const ADVISORS = Math.max(1, Math.ceil(CHATS / 10));
const MESSAGE_EVERY_MS = 1000;
const SECRET = 'bench-failover-secret-bench-failover-secret';
const ORIGIN = 'https://bench.invalid';

const advisorFrame = (message: Outgoing<AdvisorToServer>): string => encode<AdvisorToServer>(message);
const visitorFrame = (message: Outgoing<VisitorToServer>): string => encode<VisitorToServer>(message);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): void => void process.stderr.write(`bench-failover: ${line}\n`);

function configFor(redisUrl: string): LotseConfig {
  return validateConfig({
    ...defaults,
    demo: false,
    port: 0,
    host: '127.0.0.1',
    allowedOrigins: [ORIGIN],
    advisorTokens: { ...defaults.advisorTokens, secret: SECRET },
    hours: { ...defaults.hours, alwaysOpen: true },
    redis: { ...defaults.redis, url: redisUrl, leaseSeconds: LEASE_SECONDS },
    // Raised for the bench only: every socket comes from 127.0.0.1.
    limits: {
      ...defaults.limits,
      maxConnections: 10_000,
      maxWaitingChats: 5_000,
      maxWaitingChatsPerClient: 5_000,
      maxVisitorSocketsPerClient: 5_000,
    },
  });
}

// --- a node, in its own process --------------------------------------------------------------------------------

if (process.argv.includes('--node')) {
  process.env['LOTSE_LOG_LEVEL'] = 'warn';
  const { createLotseServer } = await import('../src/server/app/server.js');
  const server = createLotseServer(configFor(arg('redis') ?? ''), { store: null });
  const { port } = await server.listen();
  process.stdout.write(`${port}\n`);
  await new Promise(() => undefined); // until killed
}

// --- the parent: Redis, two nodes, the load ---------------------------------------------------------------------

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lotse-bench-redis-'));
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 400; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    await sleep(25);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGKILL');
      await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startNode(redisUrl: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench-failover.ts', '--node', `--redis=${redisUrl}`, `--lease=${LEASE_SECONDS}`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`a node exited with ${code}`)));
  });
  return { port, child };
}

interface Frame {
  type: string;
  chatId?: string;
  resumeToken?: string;
  seq?: number;
  event?: { kind: string; id?: string; from?: string };
  events?: { seq: number; event: { kind: string; id?: string; from?: string } }[];
}

/** One side's screen of one chat: the events in order, as the client shows them. */
interface Screen {
  events: Map<number, string>; // seq → `<kind>:<id>`
  last: number;
}

const screen = (): Screen => ({ events: new Map(), last: 0 });

/** Adds an event to a screen; a later seq than expected is a gap (kept, and counted at the end). */
function show(s: Screen, seq: number, event: { kind: string; id?: string }): boolean {
  if (s.events.has(seq)) return false;
  s.events.set(seq, `${event.kind}:${event.id ?? ''}`);
  if (seq === s.last + 1) {
    while (s.events.has(s.last + 1)) s.last++;
  }
  return true;
}

interface ChatState {
  index: number;
  chatId: string;
  resumeToken: string;
  visitorNode: number;
  advisor: number;
  visitor: Screen;
  advisorScreen: Screen;
  sent: Set<string>;
  /** Sent by the visitor and not yet seen appended: sent again after a reconnect. */
  visitorOutbox: Map<string, string>;
  advisorOutbox: Map<string, string>;
  counter: number;
  socket: WebSocket | undefined;
  /** Whether node A's death touches it: it was started on A (A owned it), or its advisor was on A. */
  touched: boolean;
  /** After the kill: when a message was first sent, and when its answer arrived. */
  firstAfterKill: string | undefined;
  recoveredAt: number | undefined;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const nodes = [await startNode(redis.url), await startNode(redis.url)];
  const config = configFor(redis.url);
  const { mintAdvisorToken } = await import('../src/server/transport/advisor-auth.js');
  say(
    `${CHATS} chats, ${ADVISORS} advisors, lease ${LEASE_SECONDS} s, nodes on ${nodes.map((n) => n.port).join(', ')}`,
  );
  let alive = [true, true];
  const target = (preferred: number): number => (alive[preferred] ? preferred : 1 - preferred);
  const url = (node: number, path: string): string => `ws://127.0.0.1:${nodes[node]!.port}${path}`;

  const chats: ChatState[] = [];
  const byId = new Map<string, ChatState>();
  let killedAt = 0;
  let stopping = false;

  // --- advisors ---
  interface AdvisorConn {
    index: number;
    node: number;
    socket: WebSocket | undefined;
    token: string;
  }
  const advisors: AdvisorConn[] = [];
  const advisorChats = (a: number): ChatState[] => chats.filter((c) => c.advisor === a);

  const sendAdvisor = (conn: AdvisorConn, c: ChatState, id: string, text: string): void => {
    c.advisorOutbox.set(id, text);
    c.sent.add(id);
    conn.socket?.send(advisorFrame({ type: 'chat.message', chatId: c.chatId, id, text }));
  };

  const onAdvisorEvent = (conn: AdvisorConn, c: ChatState, seq: number, event: NonNullable<Frame['event']>): void => {
    if (!show(c.advisorScreen, seq, event)) return;
    if (event.kind === 'message' && event.id !== undefined) c.advisorOutbox.delete(event.id);
    // Each visitor message is answered (once: the answer's id derives from the message's).
    if (event.kind === 'message' && event.from === 'visitor' && !stopping) {
      const id = event.id!.replace('visitor-', 'advisor-');
      if (!c.sent.has(id)) sendAdvisor(conn, c, id, `Antwort auf ${event.id}`);
    }
  };

  const connectAdvisor = async (conn: AdvisorConn, hello: boolean): Promise<void> => {
    const socket = new WebSocket(
      url(conn.node, '/ws/advisor'),
      [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${conn.token}`],
      {
        origin: ORIGIN,
      },
    );
    conn.socket = socket;
    await once(socket, 'open');
    socket.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Frame;
      const c = m.chatId === undefined ? undefined : byId.get(m.chatId);
      if (c === undefined) return;
      if (m.type === 'chat.event' && m.seq !== undefined && m.event !== undefined)
        onAdvisorEvent(conn, c, m.seq, m.event);
      if (m.type === 'chat.assigned' && m.events !== undefined) {
        for (const { seq, event } of m.events) onAdvisorEvent(conn, c, seq, event);
        // What it had sent and not seen appended goes again, with the same ids.
        for (const [id, text] of c.advisorOutbox)
          socket.send(advisorFrame({ type: 'chat.message', chatId: c.chatId, id, text }));
      }
    });
    socket.on('close', () => {
      if (stopping || conn.socket !== socket) return;
      conn.node = target(conn.node);
      setTimeout(() => void connectAdvisor(conn, true).catch(() => undefined), 100 + Math.random() * 400);
    });
    if (hello) {
      const named = advisorChats(conn.index).map((c) => ({ chatId: c.chatId, lastSeq: c.advisorScreen.last }));
      socket.send(advisorFrame({ type: 'advisor.hello', chats: named }));
    }
  };

  for (let a = 0; a < ADVISORS; a++) {
    const token = await mintAdvisorToken({ id: `adv-${a}`, name: `Beraterin ${a}` }, config, 3600);
    const conn: AdvisorConn = { index: a, node: (a + 1) % 2, socket: undefined, token };
    advisors.push(conn);
    await connectAdvisor(conn, true);
  }

  // --- visitors ---
  const sendVisitor = (c: ChatState): void => {
    const id = `visitor-${c.index}-${c.counter++}`;
    const text = `Nachricht ${id}`;
    c.visitorOutbox.set(id, text);
    c.sent.add(id);
    if (killedAt > 0 && c.firstAfterKill === undefined) c.firstAfterKill = id;
    c.socket?.send(visitorFrame({ type: 'chat.message', id, text }));
  };

  const onVisitorEvent = (c: ChatState, seq: number, event: NonNullable<Frame['event']>): void => {
    if (!show(c.visitor, seq, event)) return;
    if (event.kind === 'message' && event.id !== undefined) {
      c.visitorOutbox.delete(event.id);
      if (
        c.firstAfterKill !== undefined &&
        c.recoveredAt === undefined &&
        event.id === c.firstAfterKill.replace('visitor-', 'advisor-')
      ) {
        c.recoveredAt = performance.now();
      }
    }
  };

  const connectVisitor = async (c: ChatState, resume: boolean): Promise<void> => {
    const socket = new WebSocket(url(c.visitorNode, '/ws/visitor'), [SUBPROTOCOL], { origin: ORIGIN });
    c.socket = socket;
    await once(socket, 'open');
    const started = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as Frame;
        if (m.type === 'chat.started') {
          c.chatId = m.chatId!;
          c.resumeToken = m.resumeToken!;
          byId.set(c.chatId, c);
          resolve();
        } else if (m.type === 'chat.event' && m.seq !== undefined && m.event !== undefined) {
          onVisitorEvent(c, m.seq, m.event);
        } else if (m.type === 'chat.resumed' && m.events !== undefined) {
          for (const { seq, event } of m.events) onVisitorEvent(c, seq, event);
          for (const [id, text] of c.visitorOutbox) socket.send(visitorFrame({ type: 'chat.message', id, text }));
          resolve();
        }
      });
    });
    socket.on('close', () => {
      if (stopping || c.socket !== socket) return;
      c.visitorNode = target(c.visitorNode);
      setTimeout(() => void connectVisitor(c, true).catch(() => undefined), 100 + Math.random() * 400);
    });
    if (resume) {
      socket.send(
        visitorFrame({ type: 'chat.resume', chatId: c.chatId, resumeToken: c.resumeToken, lastSeq: c.visitor.last }),
      );
    } else {
      socket.send(
        visitorFrame({
          type: 'chat.start',
          nickname: `Gast ${c.index}`,
          termsVersion: config.terms.version,
          lang: 'de',
        }),
      );
    }
    await started;
  };

  for (let i = 0; i < CHATS; i++) {
    const c: ChatState = {
      index: i,
      chatId: '',
      resumeToken: '',
      visitorNode: i % 2,
      advisor: i % ADVISORS,
      visitor: screen(),
      advisorScreen: screen(),
      sent: new Set(),
      visitorOutbox: new Map(),
      advisorOutbox: new Map(),
      counter: 0,
      socket: undefined,
      touched: i % 2 === 0 || ((i % ADVISORS) + 1) % 2 === 0,
      firstAfterKill: undefined,
      recoveredAt: undefined,
    };
    chats.push(c);
    await connectVisitor(c, false);
    advisors[c.advisor]!.socket?.send(advisorFrame({ type: 'queue.accept', chatId: c.chatId }));
  }
  await sleep(1000);
  say('chats set up; traffic');

  // --- traffic, the kill, more traffic ---
  const traffic = setInterval(() => {
    for (const c of chats) if (c.socket?.readyState === WebSocket.OPEN) sendVisitor(c);
  }, MESSAGE_EVERY_MS);
  await sleep(3000);
  say('kill -9 node A');
  alive = [false, true];
  killedAt = performance.now();
  nodes[0]!.child.kill('SIGKILL');
  await sleep(AFTER * 1000);
  clearInterval(traffic);
  await sleep(3000);
  stopping = true;

  // --- what the two screens say ---
  let lost = 0;
  let doubled = 0;
  let gaps = 0;
  let differ = 0;
  // Chats A owned are taken over by B (its lease must lapse first); chats B owned only see their side on A come back.
  const recovery = { takeover: [] as number[], reconnect: [] as number[] };
  let unrecovered = 0;
  for (const c of chats) {
    const ids = [...c.visitor.events.values()].filter((e) => e.startsWith('message:')).map((e) => e.slice(8));
    doubled += ids.length - new Set(ids).size;
    for (const id of c.sent) if (!ids.includes(id)) lost++;
    const max = Math.max(0, ...c.visitor.events.keys());
    if (c.visitor.last !== max || c.advisorScreen.last !== Math.max(0, ...c.advisorScreen.events.keys())) gaps++;
    const same =
      c.visitor.events.size === c.advisorScreen.events.size &&
      [...c.visitor.events].every(([seq, e]) => c.advisorScreen.events.get(seq) === e || e.startsWith('joined:'));
    if (!same) differ++;
    if (!c.touched) continue;
    if (c.recoveredAt === undefined) unrecovered++;
    else recovery[c.index % 2 === 0 ? 'takeover' : 'reconnect'].push(c.recoveredAt - killedAt);
  }
  if (process.env['BENCH_FAILOVER_DEBUG'] !== undefined) {
    for (const c of chats)
      say(
        `chat ${c.index} owner ${c.index % 2 === 0 ? 'A' : 'B'}: ${Math.round((c.recoveredAt ?? NaN) - killedAt)} ms`,
      );
  }
  const at = (values: number[], q: number): number => {
    const sorted = [...values].sort((x, y) => x - y);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  };
  const line = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void =>
    console.log(JSON.stringify({ metric, value, unit, chats: CHATS, lease_s: LEASE_SECONDS, ...extra }));
  for (const kind of ['takeover', 'reconnect'] as const) {
    line(`failover_${kind}_round_trip_p50_ms`, at(recovery[kind], 0.5), 'ms', { of: recovery[kind].length });
    line(`failover_${kind}_round_trip_max_ms`, at(recovery[kind], 1), 'ms');
  }
  line('failover_chats_not_recovered', unrecovered, 'chats');
  line('failover_messages_lost', lost, 'messages', { sent: chats.reduce((n, c) => n + c.sent.size, 0) });
  line('failover_messages_doubled', doubled, 'messages');
  line('failover_chats_with_gap_or_differing_screens', gaps + differ, 'chats', { gaps, differ });

  // A socket still connecting has its error heard (terminate aborts its handshake).
  for (const socket of [...chats.map((c) => c.socket), ...advisors.map((a) => a.socket)]) {
    socket?.on('error', () => undefined);
    socket?.terminate();
  }
  nodes[1]!.child.kill('SIGTERM');
  await once(nodes[1]!.child, 'exit');
  await redis.stop();
}

if (!process.argv.includes('--node')) {
  await main();
  process.exit(0);
}
