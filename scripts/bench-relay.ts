// The relay under load (run by `npm run bench`, or alone: `node --import tsx scripts/bench-relay.ts`; JSON lines on
// stdout, progress on stderr). Lotse against a bare `ws` relay of the same shape, in the same run, alternating.
//
// Each chat has one visitor socket and one advisor socket. Visitors write 8 messages a second (120-character
// texts); the advisor answers each one at once, so 8 a second go each way. Every server runs in a child process of
// its own, which reports over IPC its CPU (user + system, `process.cpuUsage()`), its read and write system calls
// (`/proc/self/io`) and how long it waited for a core (`/proc/self/schedstat`). All sockets of the load are in one
// further child process (raw `ws`, kept cheap: frames read with string searches, one timer per chat).
//
//   bare:      a `ws` server that parses each frame and forwards it as a numbered event to the chat's other
//              socket (no echo, no validation, no rate limit, no store): the least a relay of this protocol does.
//   bare-echo: the same, which also sends each message back to its sender, as Lotse does (its `chat.event` with
//              the sequence number is the sender's confirmation): Lotse against it is what Lotse itself costs,
//              bare against it what the echo costs. Once per size.
//   lotse:     the real server, compiled as it ships (tsc's emit, `compile`) (`store: null`, hours always open, demo off,
//              loopback). Visitors start their chat with `chat.start`; each advisor (one identity and token per
//              chat, so each socket stays within the default advisor rate of 20/s) says `advisor.hello` and
//              `queue.accept`s its chat. Raised for the bench only, because every socket comes from 127.0.0.1 and
//              up to 1,000 chats wait at once during set-up: `maxConnections`, `maxWaitingChats`,
//              `maxWaitingChatsPerClient`, `maxVisitorSocketsPerClient`. Nothing else.
//
// Per size (100, 500, 1,000 chats) two rounds, in turn bare, Lotse, bare-echo and Lotse, bare; each run a fresh
// server and load process, a warm-up (--warmup, 2 s), then a measured window (--window, 8 s). Per run one line
// `relay_cpu_us_per_message` (server CPU per delivered message) with throughput, round-trip latency (visitor
// send → the advisor receives it → its answer reaches the visitor: p50/p95/p99), system calls per message and the
// time the server waited for a core (on a shared machine: latency figures taken while it is large are the
// machine's); per size the ratios of the medians, Lotse/bare and Lotse/bare-echo. About 4½ minutes.
//
// Options: --sizes=100,500 --rounds=2 --window=8 --warmup=2 --only=lotse,bare --echo-delay=MS (this checkout's
// Lotse server with that `echoDelayMs`, `transport/held-echoes.ts`; 0 sends each echo at once) --profile=DIR (the Lotse server
// child writes a CPU profile, `node --cpu-prof`, into DIR) --base=DIR (also runs the server of another checkout,
// `lotse-base`, in the same alternation: before/after figures of a change under the same load) --lib=DIR (the
// compiled server to run, as dist/lib; without it src/ is compiled into a new dir under dist/ first).
// --two-nodes: also, in each round next to the one-node Lotse run (after it, in the next round before it), two
// Lotse nodes on one throwaway Redis with each chat's visitor on one node and its advisor on the other
// (`lotse-two-nodes`, bench-relay/two-nodes.ts): CPU per message of both nodes and Redis, the cross-node round trip,
// and per size the comparison with one node. Not by default: it adds two runs per size, each slower to set up.
// --threads: per run also a line `relay_server_threads_us_per_message`: the server's CPU in the window by thread
// (`/proc/<pid>/task/*`: the main thread "node", V8's helpers "V8 DefaultWorke", libuv's pool "libuv-worker"), µs
// per delivered message, and its garbage collections by kind (`PerformanceObserver('gc')`: per second, and the main
// thread's pause in µs per message). --lotse-flags=F1,F2: Node/V8 flags of the Lotse server child only (say
// `--max-semi-space-size=32`, to see what a flag does against the same bare); --bare-flags=…, --base-flags=…: of
// the bare ones, of `--base`'s.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { load } from './bench-relay/load.js';
import { bareServer, lotseServer } from './bench-relay/servers.js';
import { TWO_NODES, compareTwoNodes, runTwoNodes } from './bench-relay/two-nodes.js';
import { PER_SECOND, arg, echoDelayArgs } from './bench-relay/shared.js';
import type { FromParent, Kind, Usage } from './bench-relay/shared.js';

const role = arg('role');

function child(args: string[], execArgv: string[] = []): ChildProcess {
  return fork(fileURLToPath(import.meta.url), args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function ask<T>(process: ChildProcess, question: FromParent | undefined, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }): void => {
      if (message.type !== answer) return;
      process.off('message', onMessage);
      process.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null): void => reject(new Error(`child exited (${code}) before "${answer}"`));
    process.on('message', onMessage);
    process.once('exit', onExit);
    if (question !== undefined) process.send(question);
  });
}

interface Run {
  kind: Kind;
  chats: number;
  round: number;
  cpuUsPerMessage: number;
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

const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void =>
  console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...extra }));
const progress = (text: string): void => console.error(`bench: ${text}`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
/** The middle value; of an even count, the mean of the two in the middle. */
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[half] ?? Number.NaN;
  return ((sorted[half - 1] ?? Number.NaN) + (sorted[half] ?? Number.NaN)) / 2;
};
const round3 = (n: number): number => Number(n.toFixed(3));

/** The compiled server of each Lotse kind: this checkout's, and `--base`'s. */
const libs: Partial<Record<Kind, string>> = {};

/**
 * Compiles a checkout's `src/` as its build does (`tsconfig.build.json`), file by file without the type check
 * (`isolatedModules` makes that the same output): into a new dir under the checkout's dist/, where its
 * node_modules resolve. Seconds, where `tsc` takes minutes on a busy machine.
 */
function compile(root: string): string {
  progress(`compiling ${root}`);
  mkdirSync(join(root, 'dist'), { recursive: true });
  const out = mkdtempSync(join(root, 'dist', 'bench-relay-'));
  const { config } = ts.readConfigFile(join(root, 'tsconfig.build.json'), (path) => ts.sys.readFile(path)) as {
    config: unknown;
  };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const compilerOptions = {
    ...parsed.options,
    // What NodeNext emits for an ES module (the package's `type`), which a single file cannot look up itself.
    module: ts.ModuleKind.ESNext,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  };
  for (const file of parsed.fileNames) {
    if (file.endsWith('.d.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
    const target = join(out, relative(join(root, 'src'), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return out;
}

async function run(kind: Kind, chats: number, round: number, windowS: number, warmupS: number): Promise<Run> {
  const profile = kind === 'lotse' ? arg('profile') : undefined;
  const threads = process.argv.includes('--threads') ? ['--threads'] : [];
  // `--lotse-flags`, `--base-flags`, `--bare-flags`: Node/V8 flags of one kind's server child, comma-separated.
  const flagsOf: Partial<Record<Kind, string | undefined>> = {
    lotse: arg('lotse-flags'),
    'lotse-base': arg('base-flags'),
    bare: arg('bare-flags'),
    'bare-echo': arg('bare-flags'),
  };
  const flags = flagsOf[kind]?.split(',') ?? [];
  const server = child(
    kind === 'bare' || kind === 'bare-echo'
      ? [`--role=${kind}`, ...threads]
      : [
          '--role=lotse',
          `--lib=${libs[kind]}`,
          ...threads,
          ...(kind === 'lotse' ? echoDelayArgs() : []),
          ...(kind === 'lotse' && arg('heap-sample') !== undefined ? [`--heap-sample=${arg('heap-sample')}`] : []),
        ],
    [...flags, ...(profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`])],
  );
  const loader = [];
  try {
    const ready = await ask<{ port: number; termsVersion?: string }>(server, undefined, 'ready');
    const load = child([
      '--role=load',
      `--kind=${kind === 'lotse-base' ? 'lotse' : kind}`,
      `--port=${ready.port}`,
      `--chats=${chats}`,
      `--terms=${ready.termsVersion ?? ''}`,
    ]);
    loader.push(load);
    await ask(load, undefined, 'ready');
    await ask(load, { type: 'start' }, 'started');
    await sleep(warmupS * 1000);
    await ask(load, { type: 'mark' }, 'marked');
    const before = await ask<Usage>(server, { type: 'cpu' }, 'cpu');
    // For a profiler started from outside on the server's process (`perf record -p`): when the window starts.
    progress(`window of ${windowS} s: ${kind} server, pid ${server.pid}`);
    const startedAt = performance.now();
    await sleep(windowS * 1000);
    const after = await ask<Usage>(server, { type: 'cpu' }, 'cpu');
    const report = await ask<{ delivered: number; offered: number; samples: number[]; loadCpuMs: number }>(
      load,
      { type: 'report' },
      'report',
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const cpuUs = after.user + after.system - (before.user + before.system);
    const sorted = report.samples.sort((a, b) => a - b);
    const result: Run = {
      kind,
      chats,
      round,
      cpuUsPerMessage: cpuUs / report.delivered,
      deliveredPerSecond: report.delivered / seconds,
      offeredPerSecond: report.offered / seconds,
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
      serverCpuShare: cpuUs / 1e6 / seconds,
      writesPerMessage: (after.writes - before.writes) / report.delivered,
      readsPerMessage: (after.reads - before.reads) / report.delivered,
      serverWaitShare: (after.waitedNs - before.waitedNs) / 1e9 / seconds,
      loadCpuShare: report.loadCpuMs / 1000 / seconds,
      rssMb: after.rss / 2 ** 20,
    };
    emit('relay_cpu_us_per_message', result.cpuUsPerMessage, 'µs', {
      relay: kind,
      chats,
      round,
      delivered_per_s: round3(result.deliveredPerSecond),
      offered_per_s: round3(result.offeredPerSecond),
      rtt_p50_ms: round3(result.p50),
      rtt_p95_ms: round3(result.p95),
      rtt_p99_ms: round3(result.p99),
      server_writes_per_message: round3(result.writesPerMessage),
      server_reads_per_message: round3(result.readsPerMessage),
      server_cpu_share: round3(result.serverCpuShare),
      server_waiting_for_cpu_share: round3(result.serverWaitShare),
      loadavg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      load_cpu_share: round3(result.loadCpuShare),
      server_rss_mb: round3(result.rssMb),
      window_s: round3(seconds),
    });
    if (after.threads !== undefined && before.threads !== undefined) {
      // `--threads`: where the server's CPU went in the window, by thread name (µs per delivered message), and its
      // garbage collections (per second, and the main thread's pause in µs per delivered message).
      const perMessage: Record<string, number> = {};
      for (const [name, us] of Object.entries(after.threads))
        perMessage[name] = round3((us - (before.threads[name] ?? 0)) / report.delivered);
      const gc: Record<string, { per_s: number; us_per_message: number }> = {};
      for (const [name, { count, ms }] of Object.entries(after.gc ?? {})) {
        const was = before.gc?.[name] ?? { count: 0, ms: 0 };
        gc[name] = {
          per_s: round3((count - was.count) / seconds),
          us_per_message: round3(((ms - was.ms) * 1000) / report.delivered),
        };
      }
      emit('relay_server_threads_us_per_message', cpuUs / report.delivered, 'µs', {
        relay: kind,
        chats,
        round,
        threads: perMessage,
        gc,
      });
    }
    return result;
  } finally {
    for (const load of loader) {
      load.send({ type: 'stop' });
      await once(load, 'exit');
    }
    server.send({ type: 'stop' });
    await once(server, 'exit');
  }
}

async function main(): Promise<void> {
  // Under each checkout's dist/ (ignored by git), where its node_modules resolve.
  const root = fileURLToPath(new URL('..', import.meta.url));
  const base = arg('base');
  const outs: string[] = [];
  try {
    // --lib: a build made already (`npm run bench` builds dist/lib first).
    libs.lotse = arg('lib') ?? compile(root);
    if (arg('lib') === undefined) outs.push(libs.lotse);
    if (base !== undefined) {
      libs['lotse-base'] = compile(base);
      outs.push(libs['lotse-base']);
    }
    await measure();
  } finally {
    for (const out of outs) rmSync(out, { recursive: true, force: true });
  }
}

async function measure(): Promise<void> {
  const sizes = (arg('sizes') ?? '100,500,1000').split(',').map(Number);
  const rounds = Number(arg('rounds') ?? 2);
  const windowS = Number(arg('window') ?? 8);
  const warmupS = Number(arg('warmup') ?? 2);
  const only = arg('only')?.split(',') as Kind[] | undefined;
  for (const chats of sizes) {
    const runs: Run[] = [];
    for (let round = 0; round < rounds; round += 1) {
      // Alternating: each round in the other order, so that neither side always runs on a warmer machine.
      // bare-echo only once per size: it is the reference for what the echo costs, not the goal's.
      const order: Kind[] = round % 2 === 0 ? ['bare', 'lotse', 'bare-echo'] : ['lotse', 'bare'];
      if (arg('base') !== undefined) order.splice(round % 2 === 0 ? 1 : 2, 0, 'lotse-base');
      // The two-node run next to the one-node run, after it in one round and before it in the next.
      if (process.argv.includes('--two-nodes'))
        order.splice(order.indexOf('lotse') + (round % 2 === 0 ? 1 : 0), 0, TWO_NODES);
      for (const kind of order) {
        if (only !== undefined && !only.includes(kind)) continue;
        progress(`relay: ${kind}, ${chats} chats, round ${round + 1} of ${rounds}`);
        runs.push(
          kind === TWO_NODES
            ? await runTwoNodes({ child, ask }, libs.lotse!, chats, round, windowS, warmupS)
            : await run(kind, chats, round, windowS, warmupS),
        );
      }
    }
    const of = (kind: Kind, pick: (r: Run) => number): number => median(runs.filter((r) => r.kind === kind).map(pick));
    const cpu = (r: Run): number => r.cpuUsPerMessage;
    const p99 = (r: Run): number => r.p99;
    const extra = { chats, rounds };
    for (const base of ['bare', 'bare-echo'] as const) {
      if (!runs.some((r) => r.kind === base) || !runs.some((r) => r.kind === 'lotse')) continue;
      const vs = base === 'bare' ? '' : '_vs_echo';
      emit(`relay_cpu_per_message_ratio${vs}`, of('lotse', cpu) / of(base, cpu), 'x', {
        ...extra,
        lotse_us: round3(of('lotse', cpu)),
        [`${base}_us`]: round3(of(base, cpu)),
        ...(base === 'bare' && chats >= 500 ? { goal: 1.3 } : {}),
      });
      emit(`relay_p99_ratio${vs}`, of('lotse', p99) / of(base, p99), 'x', {
        ...extra,
        lotse_ms: round3(of('lotse', p99)),
        [`${base}_ms`]: round3(of(base, p99)),
        ...(base === 'bare' ? { goal: 2 } : {}),
      });
    }
    if (runs.some((r) => r.kind === 'lotse-base') && runs.some((r) => r.kind === 'lotse')) {
      const writes = (r: Run): number => r.writesPerMessage;
      emit('relay_cpu_per_message_vs_base', of('lotse', cpu) / of('lotse-base', cpu), 'x', {
        ...extra,
        base: arg('base'),
        lotse_us: round3(of('lotse', cpu)),
        base_us: round3(of('lotse-base', cpu)),
        lotse_writes_per_message: round3(of('lotse', writes)),
        base_writes_per_message: round3(of('lotse-base', writes)),
      });
    }
    compareTwoNodes(runs, chats, rounds);
    if (runs.some((r) => r.kind === 'bare') && runs.some((r) => r.kind === 'lotse')) {
      const rate = (r: Run): number => r.deliveredPerSecond;
      emit('relay_throughput_ratio', of('lotse', rate) / of('bare', rate), 'x', {
        ...extra,
        offered_per_s: chats * PER_SECOND * 2,
      });
    }
  }
}

if (role === 'bare' || role === 'bare-echo') await bareServer(role === 'bare-echo');
else if (role === 'lotse') await lotseServer();
else if (role === 'load') await load();
else await main();
