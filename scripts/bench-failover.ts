// The failover bench: two Lotse nodes on one throwaway Redis (Debian's redis-server, persistence off), each in a
// child process of its own; N chats whose visitor and advisor sockets are spread over both nodes (most chats have
// one side on each), messages both ways (each visitor message answered by its advisor); then node A is killed with
// SIGKILL. Every socket that was on A reconnects to B (as a load balancer would send it), resumes with the last
// sequence number it had and sends again what it had not seen appended (an outbox, with the same ids); B takes the
// chats of A over once A's lease has lapsed. The clients are `test/helpers/raw-chats.ts`, shared with the end-to-end
// failover test (`test/e2e/failover.test.ts`), which runs them through nginx.
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
import { defaults, validateConfig } from '../src/server/config/lotse-config.js';
import type { LotseConfig } from '../src/server/config/lotse-config.js';
import { RawChats } from '../test/helpers/raw-chats.js';
import type { RawChat } from '../test/helpers/raw-chats.js';

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

async function main(): Promise<void> {
  const redis = await startRedis();
  const nodes = [await startNode(redis.url), await startNode(redis.url)];
  const config = configFor(redis.url);
  const { mintAdvisorToken } = await import('../src/server/transport/advisor-auth.js');
  say(
    `${CHATS} chats, ${ADVISORS} advisors, lease ${LEASE_SECONDS} s, nodes on ${nodes.map((n) => n.port).join(', ')}`,
  );
  let alive = [true, true];
  // Every socket that was on A reconnects to B, as a load balancer would send it.
  const load = new RawChats({
    chats: CHATS,
    advisors: ADVISORS,
    token: (a) => mintAdvisorToken({ id: `adv-${a}`, name: `Beraterin ${a}` }, config, 3600),
    base: (side) => `ws://127.0.0.1:${nodes[side.role === 'visitor' ? side.chat.node : side.advisor.node]!.port}`,
    socketOptions: { origin: ORIGIN },
    termsVersion: config.terms.version,
    // Most chats have one side on each node.
    visitorNode: (i) => i % 2,
    advisorNode: (a) => (a + 1) % 2,
    beforeReconnect: (side) => {
      if (!alive[side.node]) side.node = 1 - side.node;
    },
  });
  // Whether node A's death touches a chat: it was started on A (A owned it), or its advisor was on A.
  const touched = (c: RawChat): boolean => c.index % 2 === 0 || ((c.index % ADVISORS) + 1) % 2 === 0;
  await load.start();
  await sleep(1000);
  say('chats set up; traffic');

  // --- traffic, the kill, more traffic ---
  load.startTraffic(MESSAGE_EVERY_MS);
  await sleep(3000);
  say('kill -9 node A');
  alive = [false, true];
  load.markFault();
  nodes[0]!.child.kill('SIGKILL');
  await sleep(AFTER * 1000);
  load.stopTraffic();
  await sleep(3000);
  const killedAt = load.faultAt;

  // --- what the two screens say ---
  const { sent, lost, doubled, gaps, differ } = load.tally();
  // Chats A owned are taken over by B (its lease must lapse first); chats B owned only see their side on A come back.
  const recovery = { takeover: [] as number[], reconnect: [] as number[] };
  let unrecovered = 0;
  for (const c of load.chats) {
    if (!touched(c)) continue;
    if (c.recoveredAt === undefined) unrecovered++;
    else recovery[c.index % 2 === 0 ? 'takeover' : 'reconnect'].push(c.recoveredAt - killedAt);
  }
  if (process.env['BENCH_FAILOVER_DEBUG'] !== undefined) {
    for (const c of load.chats)
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
  line('failover_messages_lost', lost, 'messages', { sent });
  line('failover_messages_doubled', doubled, 'messages');
  line('failover_chats_with_gap_or_differing_screens', gaps + differ, 'chats', { gaps, differ });

  load.close();
  nodes[1]!.child.kill('SIGTERM');
  await once(nodes[1]!.child, 'exit');
  await redis.stop();
}

if (!process.argv.includes('--node')) {
  await main();
  process.exit(0);
}
