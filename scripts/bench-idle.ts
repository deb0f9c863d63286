// Idle capacity figures (run by `npm run bench`, or alone: `node --import tsx scripts/bench-idle.ts`; needs the
// built server, `node scripts/build.mjs`, as `npm run bench` does first). JSON lines on stdout, progress on stderr:
//
//   idle_warm_start_ms      process start → listening, per store (none, embedded PGlite, PostgreSQL), the second
//                           start of each (the first warms the file cache, and for PostgreSQL runs the migrations)
//   idle_rss_bytes          the server's VmRSS (/proc/<pid>/status) a few seconds after listening, per store; then
//                           with the PostgreSQL store at 10,000 / 25,000 / 50,000 open idle visitor sockets, each
//                           level held through two heartbeats with no socket closed
//                           (with `heapUsed`: the live JavaScript heap, after a collection made once RSS was read)
//   idle_rss_per_socket_bytes  the slope of RSS over sockets between the first and the last level (and of the heap)
//   idle_rss_projected_bytes   RSS at the highest level asked for, from that slope, when the open-file limit keeps
//                              one process below it (see NOFILE)
//
// The server runs in its own process (scripts/bench-idle-server.mjs: dist/lib, as `lotse serve` runs it, no
// TypeScript loader), the clients in two more (raw `ws`,
// autoPong on), loopback only. Each child runs under `prlimit --nofile` at the hard limit, and the clients spread `localAddress` over 127.0.0.2 … 127.0.0.5 (about 28,000
// ephemeral ports per source address). What the bench's server config raises, and why (only here):
// - `limits.maxConnections` 60,000 (5,000 by default) and `limits.maxVisitorSocketsPerClient` 60,000 (20): all the
//   sockets come from four addresses;
// - `limits.visitorIdleSeconds` one hour (30 s): a visitor socket that holds nothing is closed after it. The figure
//   asked for is the cost of the socket itself; holding a chat per socket would measure 50,000 waiting chats
//   instead (and hit the queue's limits). Each socket's idle timer still runs, so its cost is counted.
// - `heartbeatSeconds` 5 (30): two heartbeats pass within each level's hold; a client that missed a pong would be
//   terminated, and the clients count every close.
//
// PostgreSQL: LOTSE_BENCH_DATABASE_URL or LOTSE_TEST_DATABASE_URL (the migrations run there), else a throwaway
// PostgreSQL 15 cluster as the tests start one, else the PostgreSQL figures are a `skipped` line.
// LOTSE_BENCH_IDLE_SOCKETS="10000,25000,50000" changes the levels.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const serverScript = join(root, 'scripts/bench-idle-server.mjs');
const LEVELS = (process.env['LOTSE_BENCH_IDLE_SOCKETS'] ?? '10000,25000,50000').split(',').map(Number);
const HEARTBEAT_SECONDS = 5;
const CLIENT_PROCESSES = 2;
const SOURCE_ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
/**
 * Each child's open-file limit: raised to the hard limit (`prlimit --nofile`); raising the hard limit needs
 * CAP_SYS_RESOURCE. A level above it (less a margin for the server's other files) cannot be held by one process:
 * it is a `skipped` line, the highest level that fits is measured instead, and 50,000 is projected from the slope.
 */
const NOFILE = hardNofile();
const MAX_LEVEL = Math.floor((NOFILE - 1000) / 1000) * 1000;
const ORIGIN = 'http://127.0.0.1:1';
/** Upgrades in flight per client process. */
const IN_FLIGHT = 200;
/** The whole run is cut off after this long. */
const DEADLINE_MS = 6 * 60_000;

const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...extra }));
const progress = (text: string) => console.error(`bench: ${text}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Store = 'none' | 'embedded' | 'postgres';
type ToParent =
  | { type: 'listening'; port: number }
  | { type: 'memory'; rss: number; heapUsed: number; external: number; arrayBuffers: number }
  | { type: 'count'; opened: number; closed: number; failed: number; codes: Record<string, number> };

/**
 * Starts a child under `prlimit --nofile`, with an IPC channel: the server (plain JavaScript, so that no loader
 * adds to its memory) or this script as the clients.
 */
function child(role: 'server' | 'clients', env: Record<string, string>): ChildProcess {
  const [file, loader] = role === 'server' ? [serverScript, ['--expose-gc']] : [self, ['--import', 'tsx']];
  return fork(file, [role], {
    execPath: 'prlimit',
    execArgv: [`--nofile=${NOFILE}:${NOFILE}`, '--', process.execPath, ...loader],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function next<T extends ToParent['type']>(proc: ChildProcess, type: T, ms = 60_000): Promise<ToParent & { type: T }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} from the ${String(proc.spawnargs.at(-1))} child`)), ms);
    const onMessage = (message: ToParent) => {
      if (message.type === type) done(undefined, message as ToParent & { type: T });
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before ${type}`));
    const done = (error?: Error, message?: ToParent & { type: T }) => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as ToParent & { type: T });
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

function hardNofile(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((each) => each.startsWith('Max open files'));
  const hard = line?.split(/\s+/)[4];
  return hard === undefined || hard === 'unlimited' ? 1_048_576 : Number(hard);
}

function vmRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((each) => each.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.send({ type: 'close' });
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

interface Started {
  proc: ChildProcess;
  port: number;
  startMs: number;
}

async function startServer(store: Store, storage: Record<string, unknown>, load: boolean): Promise<Started> {
  const started = process.hrtime.bigint();
  const proc = child('server', {
    LOTSE_BENCH_IDLE_STORE: store,
    LOTSE_BENCH_IDLE_STORAGE: JSON.stringify(storage),
    LOTSE_BENCH_IDLE_LOAD: load ? '1' : '',
    LOTSE_BENCH_IDLE_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
  });
  const { port } = await next(proc, 'listening');
  return { proc, port, startMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function parent(): Promise<void> {
  if (!existsSync(join(root, 'dist/lib/server/index.js'))) {
    throw new Error('dist/lib is missing: run `node scripts/build.mjs` first (npm run bench does)');
  }
  const cutOff = setTimeout(() => {
    progress('over the time limit: stopping');
    process.exit(1);
  }, DEADLINE_MS);
  cutOff.unref();
  const { canStartCluster, embeddedTemplate, startThrowawayCluster } = await import('../test/helpers/postgres.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'lotse-bench-idle-'));
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  let cluster: { url: string; stop(): void } | undefined;
  let url = process.env['LOTSE_BENCH_DATABASE_URL'] ?? process.env['LOTSE_TEST_DATABASE_URL'];
  if (url === undefined && canStartCluster()) {
    progress('starting a throwaway PostgreSQL cluster');
    cluster = await startThrowawayCluster('lotse_bench_idle');
    url = cluster.url;
  }
  try {
    const stores: [Store, Record<string, unknown>][] = [
      ['none', {}],
      ['embedded', { driver: 'embedded', dataDir }],
    ];
    if (url !== undefined) stores.push(['postgres', { driver: 'postgres', url }]);
    for (const [store, storage] of stores) {
      let warm: Started | undefined;
      for (let run = 0; run < 2; run++) {
        const started = await startServer(store, storage, false);
        if (run === 0) await stop(started.proc);
        else warm = started;
      }
      if (warm === undefined) continue;
      emit('idle_warm_start_ms', warm.startMs, 'ms', { store });
      await sleep(3000);
      const rss = vmRss(warm.proc.pid ?? 0);
      const memory = await memoryOf(warm.proc);
      emit('idle_rss_bytes', rss, 'bytes', { store, sockets: 0, heapUsed: memory.heapUsed });
      await stop(warm.proc);
    }
    if (url === undefined) {
      emit('idle_rss_bytes', 0, 'bytes', { store: 'postgres', skipped: 'no PostgreSQL (initdb) and no database URL' });
      return;
    }
    await sockets({ driver: 'postgres', url });
  } finally {
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function memoryOf(proc: ChildProcess) {
  const reply = next(proc, 'memory');
  proc.send({ type: 'memory' });
  return reply;
}

async function counts(clients: ChildProcess[]) {
  const replies = await Promise.all(
    clients.map((proc) => {
      const reply = next(proc, 'count');
      proc.send({ type: 'count' });
      return reply;
    }),
  );
  const codes: Record<string, number> = {};
  for (const reply of replies)
    for (const [code, n] of Object.entries(reply.codes)) codes[code] = (codes[code] ?? 0) + n;
  const sum = (key: 'opened' | 'closed' | 'failed') => replies.reduce((total, reply) => total + reply[key], 0);
  return { opened: sum('opened'), closed: sum('closed'), failed: sum('failed'), codes };
}

async function sockets(storage: Record<string, unknown>): Promise<void> {
  const server = await startServer('postgres', storage, true);
  const clients: ChildProcess[] = [];
  try {
    await sleep(3000);
    const base = vmRss(server.proc.pid ?? 0);
    emit('idle_rss_bytes', base, 'bytes', { store: 'postgres', sockets: 0, config: 'bench load' });
    for (let c = 0; c < CLIENT_PROCESSES; c++) {
      const addresses = SOURCE_ADDRESSES.filter((_, i) => i % CLIENT_PROCESSES === c);
      clients.push(
        child('clients', { LOTSE_BENCH_IDLE_PORT: String(server.port), LOTSE_BENCH_IDLE_FROM: addresses.join(',') }),
      );
    }
    const levels = LEVELS.filter((level) => level <= MAX_LEVEL);
    for (const level of LEVELS.filter((each) => each > MAX_LEVEL)) {
      emit('idle_rss_bytes', 0, 'bytes', {
        store: 'postgres',
        sockets: level,
        skipped: `the open-file limit is ${NOFILE} (hard; raising it needs CAP_SYS_RESOURCE)`,
      });
    }
    if (levels.length < LEVELS.length && !levels.includes(MAX_LEVEL)) levels.push(MAX_LEVEL);
    const first: { sockets: number; rss: number; heap: number }[] = [];
    for (const level of levels) {
      progress(`opening ${level} idle visitor sockets`);
      const opening = Date.now();
      for (const proc of clients) proc.send({ type: 'open', target: Math.ceil(level / CLIENT_PROCESSES) });
      let now = await counts(clients);
      while (now.opened - now.closed < level && now.failed === 0 && Date.now() - opening < 120_000) {
        await sleep(500);
        now = await counts(clients);
      }
      if (now.failed > 0 || now.opened - now.closed < level) {
        throw new Error(`only ${now.opened - now.closed} of ${level} sockets open (${now.failed} failed)`);
      }
      const openSeconds = (Date.now() - opening) / 1000;
      // Two heartbeats and a second: each socket was pinged twice, and one that missed a pong was cut off.
      progress(`${level} open after ${openSeconds.toFixed(1)} s; holding ${2 * HEARTBEAT_SECONDS + 1} s`);
      await sleep((2 * HEARTBEAT_SECONDS + 1) * 1000);
      const held = await counts(clients);
      const rss = vmRss(server.proc.pid ?? 0);
      const memory = await memoryOf(server.proc);
      emit('idle_rss_bytes', rss, 'bytes', {
        store: 'postgres',
        sockets: held.opened - held.closed,
        closes: held.closed,
        closeCodes: held.codes,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        heldSeconds: 2 * HEARTBEAT_SECONDS + 1,
        heapUsed: memory.heapUsed,
        external: memory.external,
      });
      if (held.closed > 0) throw new Error(`${held.closed} sockets closed while idle: ${JSON.stringify(held.codes)}`);
      first.push({ sockets: level, rss, heap: memory.heapUsed });
    }
    const [low, high] = [first[0], first.at(-1)];
    if (low !== undefined && high !== undefined && high.sockets > low.sockets) {
      emit('idle_rss_per_socket_bytes', (high.rss - low.rss) / (high.sockets - low.sockets), 'bytes', {
        store: 'postgres',
        between: [low.sockets, high.sockets],
        heapPerSocket: Math.round((high.heap - low.heap) / (high.sockets - low.sockets)),
      });
      const goal = Math.max(...LEVELS);
      if (goal > high.sockets) {
        const projected = high.rss + ((high.rss - low.rss) / (high.sockets - low.sockets)) * (goal - high.sockets);
        emit('idle_rss_projected_bytes', projected, 'bytes', {
          store: 'postgres',
          sockets: goal,
          from: [low.sockets, high.sockets],
          goal: 1024 ** 3,
        });
      }
    }
  } finally {
    for (const proc of clients) proc.kill('SIGKILL');
    await stop(server.proc);
  }
}

/** Opens idle visitor sockets up to the parent's target, and counts opens, closes and failures. */
function clientsChild(): void {
  const port = Number(process.env['LOTSE_BENCH_IDLE_PORT']);
  const from = (process.env['LOTSE_BENCH_IDLE_FROM'] ?? '127.0.0.1').split(',');
  const url = `ws://127.0.0.1:${port}/ws/visitor`;
  const codes: Record<string, number> = {};
  const held: WebSocket[] = [];
  let started = 0;
  let inFlight = 0;
  let opened = 0;
  let closed = 0;
  let failed = 0;
  let target = 0;
  const pump = (): void => {
    while (inFlight < IN_FLIGHT && started < target) {
      const ws = new WebSocket(url, ['lotse.v1'], {
        origin: ORIGIN,
        localAddress: from[started % from.length],
        autoPong: true,
        perMessageDeflate: false,
      });
      started += 1;
      inFlight += 1;
      let open = false;
      ws.once('open', () => {
        open = true;
        opened += 1;
        inFlight -= 1;
        held.push(ws);
        pump();
      });
      ws.once('close', (code: number) => {
        if (!open) return;
        closed += 1;
        codes[code] = (codes[code] ?? 0) + 1;
      });
      ws.once('error', () => {
        if (open) return;
        failed += 1;
        inFlight -= 1;
      });
    }
  };
  process.on('message', (message: { type: string; target?: number }) => {
    if (message.type === 'open') {
      target = message.target ?? target;
      pump();
    } else if (message.type === 'count') {
      process.send?.({ type: 'count', opened, closed, failed, codes } satisfies ToParent);
    }
  });
}

const role = process.argv[2];
if (role === 'clients') clientsChild();
else await parent();
