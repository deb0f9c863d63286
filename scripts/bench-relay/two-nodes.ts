// The relay bench through Redis with two nodes (`scripts/bench-relay.ts --two-nodes`): two Lotse server processes
// on one throwaway Redis (Debian's redis-server, persistence off, started for each run and stopped after it), the
// same load as the one-node runs, each chat's visitor on one node and its advisor on the other (half the chats one
// way, half the other). Every message then crosses Redis: the owner (the visitor's node) publishes the delivery and
// the echo to the advisor's node, which forwards the advisor's answers to the owner; the owner appends each event
// to the chat's list in Redis.
//
// CPU per message counts both node processes (user + system, `process.cpuUsage()`) and the Redis server process
// (user + system of all its threads, `/proc/<pid>/stat`), not the load's: the sum over the window divided by the
// messages delivered, as in the one-node runs. The round trip (visitor → its node → Redis → the advisor's node →
// advisor → and back) is the cross-node one.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, echoDelayArgs } from './shared.js';
import type { FromParent, Kind, Usage } from './shared.js';

export const TWO_NODES: Kind = 'lotse-two-nodes';
const REDIS_SERVER = '/usr/bin/redis-server';

/** What the parent script lends this module: its children and its questions to them. */
export interface Parent {
  child(args: string[], execArgv?: string[]): ChildProcess;
  ask<T>(process: ChildProcess, question: FromParent | undefined, answer: string): Promise<T>;
}

/** The figures of one run, as the parent keeps them for every kind (its `Run`), plus the split by process. */
export interface TwoNodeRun {
  kind: Kind;
  chats: number;
  round: number;
  cpuUsPerMessage: number;
  nodesCpuUsPerMessage: number;
  redisCpuUsPerMessage: number;
  deliveredPerSecond: number;
  offeredPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  serverCpuShare: number;
  loadCpuShare: number;
  writesPerMessage: number;
  readsPerMessage: number;
  serverWaitShare: number;
  rssMb: number;
}

/** The figures of any run that the comparison reads. */
interface AnyRun {
  kind: Kind;
  cpuUsPerMessage: number;
  deliveredPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void =>
  console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...extra }));
const progress = (text: string): void => console.error(`bench: ${text}`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round3 = (n: number): number => Number(n.toFixed(3));
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[half] ?? Number.NaN;
  return ((sorted[half - 1] ?? Number.NaN) + (sorted[half] ?? Number.NaN)) / 2;
};

let ticksPerSecond: number | undefined;
/** CPU time (µs, user + system, all threads) of a process other than this one. */
function cpuOf(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // Fields after the command name (in parentheses, which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface BenchRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A throwaway redis-server on loopback, persistence off (as Lotse requires), in a temporary directory. */
async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lotse-bench-relay-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  const child = spawn(REDIS_SERVER, [...args, '--loglevel', 'warning', '--logfile', ''], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let tries = 0; ; tries += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (tries > 400 || child.exitCode !== null) {
      await stop();
      throw new Error(`${REDIS_SERVER} did not start`);
    }
    await sleep(25);
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop };
}

/** One run: Redis, two nodes, the load across them; the figures over the window; everything stopped. */
export async function runTwoNodes(
  parent: Parent,
  lib: string,
  chats: number,
  round: number,
  windowS: number,
  warmupS: number,
): Promise<TwoNodeRun> {
  // --profile=DIR: each node writes a CPU profile there too, as the one-node Lotse server does.
  const profile = arg('profile');
  const redis = await startRedis();
  const nodes: ChildProcess[] = [];
  const loads: ChildProcess[] = [];
  try {
    const ports: number[] = [];
    let termsVersion = '';
    for (let i = 0; i < 2; i += 1) {
      const node = parent.child(
        ['--role=lotse', `--lib=${lib}`, `--redis=${redis.url}`, ...echoDelayArgs()],
        profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`],
      );
      nodes.push(node);
      const ready = await parent.ask<{ port: number; termsVersion: string }>(node, undefined, 'ready');
      ports.push(ready.port);
      termsVersion = ready.termsVersion;
    }
    const load = parent.child([
      '--role=load',
      '--kind=lotse',
      `--ports=${ports.join(',')}`,
      `--chats=${chats}`,
      `--terms=${termsVersion}`,
    ]);
    loads.push(load);
    const wiring = performance.now();
    await parent.ask(load, undefined, 'ready');
    progress(
      `two nodes: load started, ${chats} chats across them, in ${((performance.now() - wiring) / 1000).toFixed(1)} s`,
    );
    await parent.ask(load, { type: 'start' }, 'started');
    await sleep(warmupS * 1000);
    await parent.ask(load, { type: 'mark' }, 'marked');
    const usage = (): Promise<Usage[]> => Promise.all(nodes.map((n) => parent.ask<Usage>(n, { type: 'cpu' }, 'cpu')));
    const before = await usage();
    const redisBefore = cpuOf(redis.pid);
    const startedAt = performance.now();
    await sleep(windowS * 1000);
    const after = await usage();
    const redisCpuUs = cpuOf(redis.pid) - redisBefore;
    const report = await parent.ask<{ delivered: number; offered: number; samples: number[]; loadCpuMs: number }>(
      load,
      { type: 'report' },
      'report',
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const sum = (pick: (u: Usage) => number): number =>
      after.reduce((total, u, i) => total + pick(u) - pick(before[i]!), 0);
    const nodesCpuUs = sum((u) => u.user + u.system);
    const sorted = report.samples.sort((a, b) => a - b);
    const result: TwoNodeRun = {
      kind: TWO_NODES,
      chats,
      round,
      cpuUsPerMessage: (nodesCpuUs + redisCpuUs) / report.delivered,
      nodesCpuUsPerMessage: nodesCpuUs / report.delivered,
      redisCpuUsPerMessage: redisCpuUs / report.delivered,
      deliveredPerSecond: report.delivered / seconds,
      offeredPerSecond: report.offered / seconds,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
      serverCpuShare: (nodesCpuUs + redisCpuUs) / 1e6 / seconds,
      writesPerMessage: sum((u) => u.writes) / report.delivered,
      readsPerMessage: sum((u) => u.reads) / report.delivered,
      serverWaitShare: sum((u) => u.waitedNs) / 1e9 / seconds,
      loadCpuShare: report.loadCpuMs / 1000 / seconds,
      rssMb: after.reduce((total, u) => total + u.rss, 0) / 2 ** 20,
    };
    emit('relay_two_nodes_cpu_us_per_message', result.cpuUsPerMessage, 'µs', {
      relay: TWO_NODES,
      chats,
      round,
      nodes_cpu_us_per_message: round3(result.nodesCpuUsPerMessage),
      redis_cpu_us_per_message: round3(result.redisCpuUsPerMessage),
      delivered_per_s: round3(result.deliveredPerSecond),
      offered_per_s: round3(result.offeredPerSecond),
      rtt_p50_ms: round3(result.p50),
      rtt_p95_ms: round3(result.p95),
      rtt_p99_ms: round3(result.p99),
      rtt_samples: sorted.length,
      nodes_writes_per_message: round3(result.writesPerMessage),
      nodes_reads_per_message: round3(result.readsPerMessage),
      nodes_cpu_share: round3(nodesCpuUs / 1e6 / seconds),
      redis_cpu_share: round3(redisCpuUs / 1e6 / seconds),
      nodes_waiting_for_cpu_share: round3(result.serverWaitShare),
      loadavg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      load_cpu_share: round3(result.loadCpuShare),
      nodes_rss_mb: round3(result.rssMb),
      window_s: round3(seconds),
    });
    return result;
  } finally {
    for (const load of loads) {
      load.send({ type: 'stop' });
      await once(load, 'exit');
    }
    for (const node of nodes) {
      if (node.exitCode !== null || node.signalCode !== null) continue;
      node.send({ type: 'stop' });
      await once(node, 'exit');
    }
    await redis.stop();
  }
}

/**
 * Per size, the two-node runs against the one-node runs (`lotse`) of the same alternation, and against the bare
 * relay if it ran: medians of each kind's runs.
 */
export function compareTwoNodes(runs: readonly AnyRun[], chats: number, rounds: number): void {
  const two = runs.filter((r): r is AnyRun & TwoNodeRun => r.kind === TWO_NODES);
  if (two.length === 0) return;
  const of = (kind: Kind, pick: (r: AnyRun) => number): number => median(runs.filter((r) => r.kind === kind).map(pick));
  const extra = { chats, rounds };
  const hasOne = runs.some((r) => r.kind === 'lotse');
  const hasBare = runs.some((r) => r.kind === 'bare');
  const cpu = (r: AnyRun): number => r.cpuUsPerMessage;
  const rate = (r: AnyRun): number => r.deliveredPerSecond;
  emit(
    'relay_two_nodes_rtt_p95_ms',
    of(TWO_NODES, (r) => r.p95),
    'ms',
    {
      ...extra,
      rtt_p50_ms: round3(of(TWO_NODES, (r) => r.p50)),
      rtt_p99_ms: round3(of(TWO_NODES, (r) => r.p99)),
      ...(hasOne
        ? {
            one_node_rtt_p50_ms: round3(of('lotse', (r) => r.p50)),
            one_node_rtt_p95_ms: round3(of('lotse', (r) => r.p95)),
            one_node_rtt_p99_ms: round3(of('lotse', (r) => r.p99)),
          }
        : {}),
    },
  );
  if (hasOne) {
    emit('relay_two_nodes_cpu_per_message_vs_one_node', of(TWO_NODES, cpu) / of('lotse', cpu), 'x', {
      ...extra,
      two_nodes_us: round3(of(TWO_NODES, cpu)),
      two_nodes_nodes_us: round3(median(two.map((r) => r.nodesCpuUsPerMessage))),
      two_nodes_redis_us: round3(median(two.map((r) => r.redisCpuUsPerMessage))),
      one_node_us: round3(of('lotse', cpu)),
    });
    emit('relay_two_nodes_throughput_vs_one_node', of(TWO_NODES, rate) / of('lotse', rate), 'x', {
      ...extra,
      two_nodes_per_s: round3(of(TWO_NODES, rate)),
      one_node_per_s: round3(of('lotse', rate)),
      offered_per_s: round3(median(two.map((r) => r.offeredPerSecond))),
    });
  }
  if (hasBare) {
    emit('relay_two_nodes_cpu_per_message_ratio', of(TWO_NODES, cpu) / of('bare', cpu), 'x', {
      ...extra,
      two_nodes_us: round3(of(TWO_NODES, cpu)),
      bare_us: round3(of('bare', cpu)),
    });
    emit('relay_two_nodes_p99_ratio', of(TWO_NODES, (r) => r.p99) / of('bare', (r) => r.p99), 'x', {
      ...extra,
      two_nodes_ms: round3(of(TWO_NODES, (r) => r.p99)),
      bare_ms: round3(of('bare', (r) => r.p99)),
    });
  }
}
