// The servers of the relay bench, each in a child process of its own (`scripts/bench-relay.ts`): the bare `ws`
// relay (with or without the echo) and the Lotse server, compiled (`--lib`).
import { once } from 'node:events';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import type * as LotseIndex from '../../src/server/index.js';
import { ORIGIN, SECRET, arg, send } from './shared.js';
import type { FromParent, Usage } from './shared.js';

/**
 * What the process has used so far: CPU (µs), read and write system calls (`/proc/self/io`: `writev` counts as
 * one), and how long its main thread waited for a core while it could have run (`/proc/self/schedstat`, ns; on a
 * machine shared with other work, latency figures mean little when this is large).
 */
function usage(): Usage {
  const { user, system } = process.cpuUsage();
  const io = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  const waitedNs = Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]);
  const own = { user, system, reads: field('syscr'), writes: field('syscw'), waitedNs, rss: process.memoryUsage.rss() };
  return process.argv.includes('--threads') ? { ...own, threads: threadCpu(), gc: { ...gcs } } : own;
}

/** Clock ticks a second of `/proc/…/stat` (`getconf CLK_TCK`: 100 on every Linux Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU (µs, user and system apart) of this process's threads so far: the main thread ("main user", "main system")
 * and the others summed by thread name (`/proc/self/task/<tid>/comm`; Node 20 names all of them "node": V8's
 * platform workers, which run its parallel and concurrent garbage collection and its optimizing compiler, and
 * libuv's pool). A thread that ended before the call is not counted (Node keeps its helpers for the process's
 * life). In ticks of 10 ms: figures of a window of seconds, not of a message.
 */
function threadCpu(): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Node 20 names every thread "node": the main thread is the one whose id is the process's.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = Number(tid) === process.pid ? 'main' : `other ${comm}`;
      // Fields after the name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const tick = 1e6 / TICKS_PER_SECOND;
      byName[`${name} user`] = (byName[`${name} user`] ?? 0) + Number(fields[11]) * tick;
      byName[`${name} system`] = (byName[`${name} system`] ?? 0) + Number(fields[12]) * tick;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return byName;
}

/** Garbage collections so far, by kind (`--threads`): count and the main thread's pause, ms. */
const gcs: Record<string, { count: number; ms: number }> = {};
const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
if (process.argv.includes('--threads')) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as unknown as { detail?: { kind: number } };
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
      const now = (gcs[kind] ??= { count: 0, ms: 0 });
      // A fresh object each time: `usage()` copies the record shallowly.
      gcs[kind] = { count: now.count + 1, ms: now.ms + entry.duration };
    }
  }).observe({ entryTypes: ['gc'] });
}

let inspector: Session | undefined;
/**
 * `--heap-sample=FILE` (bench-relay.ts): V8's sampling heap profiler from the window's start; at its end, the
 * allocations of the window still alive then (what the server keeps of each message), written to FILE
 * (`.heapprofile`, for Chrome's DevTools).
 */
function heapSample(file: string, start: boolean): void {
  if (start) {
    inspector = new Session();
    inspector.connect();
    inspector.post('HeapProfiler.startSampling', { samplingInterval: 1024 });
    return;
  }
  inspector?.post('HeapProfiler.getSamplingProfile', (error, result) => {
    if (error === null) writeFileSync(file, JSON.stringify(result.profile));
  });
}

/** Answers the parent's questions about this process's usage; stops on request. */
function serveParent(stop: () => Promise<void>): void {
  let cpuAsked = 0;
  process.on('message', (message: FromParent) => {
    if (message.type === 'cpu') {
      cpuAsked += 1;
      const file = arg('heap-sample');
      if (file !== undefined) heapSample(file, cpuAsked === 1);
      send({ type: 'cpu', ...usage() });
    } else if (message.type === 'stop') {
      void stop().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

export async function bareServer(echo: boolean): Promise<void> {
  interface Pair {
    visitor?: WebSocket;
    advisor?: WebSocket;
    seq: number;
  }
  const pairs = new Map<string, Pair>();
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });
  wss.on('connection', (ws, request) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const chatId = url.searchParams.get('chat') ?? '';
    const side = url.pathname === '/advisor' ? 'advisor' : 'visitor';
    let pair = pairs.get(chatId);
    if (pair === undefined) {
      pair = { seq: 0 };
      pairs.set(chatId, pair);
    }
    const own = pair;
    own[side] = ws;
    if (own.visitor !== undefined && own.advisor !== undefined) {
      for (const socket of [own.visitor, own.advisor]) socket.send(JSON.stringify({ v: 1, type: 'paired', chatId }));
    }
    ws.on('message', (data: Buffer) => {
      let message: { id?: unknown; text?: unknown };
      try {
        message = JSON.parse(data.toString('utf8')) as { id?: unknown; text?: unknown };
      } catch {
        return;
      }
      own.seq += 1;
      const event = { kind: 'message', id: message.id, from: side, text: message.text, at: Date.now() };
      const toAdvisor = JSON.stringify({ v: 1, type: 'chat.event', chatId, seq: own.seq, event });
      const toVisitor = JSON.stringify({ v: 1, type: 'chat.event', seq: own.seq, event });
      if (side === 'visitor') {
        if (echo) ws.send(toVisitor);
        own.advisor?.send(toAdvisor);
      } else {
        if (echo) ws.send(toAdvisor);
        own.visitor?.send(toVisitor);
      }
    });
    ws.on('close', () => {
      if (own[side] === ws) own[side] = undefined;
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  serveParent(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  send({ type: 'ready', port: (http.address() as AddressInfo).port });
}

export async function lotseServer(): Promise<void> {
  process.env['LOTSE_LOG_LEVEL'] = 'warn';
  // The server as it ships: compiled by tsc (`compile` in the parent), not transpiled on the fly.
  const { createLotseServer, defaults, validateConfig } = (await import(
    pathToFileURL(`${arg('lib')}/server/index.js`).href
  )) as typeof LotseIndex;
  const config = validateConfig({
    ...defaults,
    demo: false,
    port: 0,
    host: '127.0.0.1',
    allowedOrigins: [ORIGIN],
    advisorTokens: { ...defaults.advisorTokens, secret: SECRET },
    hours: { ...defaults.hours, alwaysOpen: true },
    // One of two nodes (bench-relay/two-nodes.ts): the shared state in that Redis.
    ...(arg('redis') === undefined ? {} : { redis: { ...defaults.redis, url: arg('redis') } }),
    // `--echo-delay` (bench-relay.ts): how long an echo may wait for another frame to its socket.
    ...(arg('echo-delay') === undefined ? {} : { echoDelayMs: Number(arg('echo-delay')) }),
    // Raised for the bench only: every socket comes from 127.0.0.1, and up to 1,000 chats wait at once at set-up.
    limits: {
      ...defaults.limits,
      maxConnections: 10_000,
      advisorReservedConnections: 100,
      maxWaitingChats: 5_000,
      maxWaitingChatsPerClient: 5_000,
      maxVisitorSocketsPerClient: 5_000,
    },
  });
  const server = createLotseServer(config, { store: null });
  const { port } = await server.listen();
  serveParent(() => server.close());
  send({ type: 'ready', port, termsVersion: config.terms.version });
}
