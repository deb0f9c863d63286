// npm run bench: the figures the issues ask for, one JSON object per line on stdout:
//   {"metric": "...", "value": N, "unit": "..."}
// Progress goes to stderr. Loopback only, bounded in count and time.
//
// 1. What an insurer's page pays: gzip bytes of what the page loads before any click (the launcher), and of
//    everything the visitor has loaded once the pop-up is open — measured in real Chromium from the responses.
// 2. Visitor-to-advisor message latency through the real server: 20 chats in parallel, 25 messages each.
// 3. Co-browsing figures: see scripts/bench-cobrowse.ts.
// 3a. The chat across pages (page load with a stored chat, link click → conversation visible): scripts/bench-continuity.ts.
// 4. Member chat storage, per driver: messages persisted per second, the purge over 100,000 messages; see
//    scripts/bench-member.ts.
// 5. The relay under load, Lotse against a bare `ws` relay (server CPU per message, throughput, round-trip p99;
//    100, 500 and 1,000 chats, about 4½ minutes): scripts/bench-relay.ts. `npm run bench -- --relay-only` runs
//    only this one (without building: it runs the server from src). `--two-nodes` adds the runs through Redis
//    with two nodes (each chat's visitor on one node, its advisor on the other; scripts/bench-relay/two-nodes.ts).
// 6. Idle capacity: warm start and RSS at idle with each store, RSS with many idle visitor sockets; see
//    scripts/bench-idle.ts.
// 7. Failover: a node killed mid-conversation, its chats taken over by the other (time to the first round trip,
//    messages lost or doubled): scripts/bench-failover.ts.
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';

process.env.LOTSE_LOG_LEVEL ??= 'warn'; // the server's info lines would drown the figures
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const root = new URL('..', import.meta.url);

/** The relay bench (its own script, in TypeScript: servers and load in child processes of their own). */
function relay(built) {
  console.error('bench: relay under load');
  const lib = built ? ['--lib=dist/lib'] : []; // without a build, it compiles src/ itself
  const twoNodes = process.argv.includes('--two-nodes') ? ['--two-nodes'] : [];
  const run = spawnSync('node', ['--import', 'tsx', 'scripts/bench-relay.ts', ...lib, ...twoNodes], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

if (process.argv.includes('--relay-only')) {
  relay(false);
  process.exit(0);
}

const emit = (metric, value, unit, extra = {}) => console.log(JSON.stringify({ metric, value, unit, ...extra }));
const progress = (text) => console.error(`bench: ${text}`);

if (!process.argv.includes('--no-build')) {
  progress('building');
  const build = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { createLotseServer, validateConfig, defaults, mintAdvisorToken } = await import('../dist/lib/server/index.js');
const { encode, parseServerToAdvisor, parseServerToVisitor } = await import('../dist/lib/protocol/parse.js');

const port = 18000 + Math.floor(Math.random() * 1000);
const origin = `http://127.0.0.1:${port}`;
const config = validateConfig({
  ...defaults,
  demo: true,
  port,
  host: '127.0.0.1',
  allowedOrigins: [origin],
  advisorTokens: { ...defaults.advisorTokens, secret: 'bench-secret-bench-secret-bench-secret-123' },
  hours: { ...defaults.hours, alwaysOpen: true }, // figures at any hour, not only 08:00–20:00 Berlin
});
const server = createLotseServer(config, { store: null });
await server.listen();

try {
  await bundleSizes();
  await latency();
} finally {
  await server.close();
}

// Co-browsing: two browsers over WebRTC on a generated page of about 10,000 nodes (its own script, in TypeScript,
// sharing the end-to-end tests' page steps).
progress('co-browsing');
const cobrowse = spawnSync('node', ['--import', 'tsx', 'scripts/bench-cobrowse.ts'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (cobrowse.status !== 0) process.exit(cobrowse.status ?? 1);

// The conversation across pages: page-load bytes with and without a stored chat, link click → conversation
// visible again (its own script, in TypeScript, sharing the end-to-end tests' page steps).
progress('chat across pages');
const continuity = spawnSync('node', ['--import', 'tsx', 'scripts/bench-continuity.ts'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (continuity.status !== 0) process.exit(continuity.status ?? 1);

// Idle capacity: the server in its own process, its start time and RSS with each store, then RSS with many idle
// visitor sockets (its own script, in TypeScript; alone: `node --import tsx scripts/bench-idle.ts` after a build).
progress('idle capacity');
const idle = spawnSync('node', ['--import', 'tsx', 'scripts/bench-idle.ts'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (idle.status !== 0) process.exit(idle.status ?? 1);

// Member chat storage: the transcript writer and the purge job on each driver (its own script, in TypeScript).
progress('member chat storage');
const member = spawnSync('node', ['--import', 'tsx', 'scripts/bench-member.ts'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (member.status !== 0) process.exit(member.status ?? 1);

// Failover: two nodes on a throwaway Redis, 200 chats spread over both, one node killed with SIGKILL (its own
// script, in TypeScript; alone: `node --import tsx scripts/bench-failover.ts [--chats=200] [--lease=5]`).
progress('failover of a node');
const failover = spawnSync('node', ['--import', 'tsx', 'scripts/bench-failover.ts'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (failover.status !== 0) process.exit(failover.status ?? 1);

relay(!process.argv.includes('--no-build'));

async function bundleSizes() {
  progress('bundle sizes in Chromium');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
  try {
    const page = await browser.newPage();
    // Each response's size as a promise, set when the response arrives: a body still on its way when the total is
    // taken is waited for, not left out (the terms module, the last to load, sometimes was).
    const loaded = new Map();
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (!path.startsWith('/lotse/')) return; // the insurer's own page and styles are not ours
      const bytes = response.body().then(
        (body) => gzipSync(body, { level: 9 }).length,
        () => 0, // a response without body
      );
      loaded.set(path, bytes);
    });
    const total = async () => (await Promise.all(loaded.values())).reduce((sum, n) => sum + n, 0);
    await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    emit('visitor_page_load_gzip_bytes', await total(), 'bytes', { files: [...loaded.keys()], goal: 5000 });
    await page.locator('lotse-chat [part~="launcher"]').click();
    await page.locator('lotse-chat lotse-chat-popup [part~="terms-checkbox"]').waitFor();
    await page.waitForLoadState('networkidle');
    emit('visitor_popup_open_gzip_bytes', await total(), 'bytes', { files: [...loaded.keys()], goal: 30000 });
  } finally {
    await browser.close();
  }
}

function open(path, protocols) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket, parse, predicate) {
  return new Promise((resolve) => {
    const onMessage = (data) => {
      const result = parse(data.toString());
      if (result.ok && predicate(result.message)) {
        socket.off('message', onMessage);
        resolve(result.message);
      }
    };
    socket.on('message', onMessage);
  });
}

async function latency() {
  const chats = 20;
  const perChat = 25;
  const intervalMs = 120; // under the per-connection rate limit of 10 messages a second
  progress(`latency: ${chats} chats × ${perChat} messages`);
  const token = await mintAdvisorToken({ id: 'bench', name: 'Bench' }, config, 600);
  const advisor = await open('/ws/advisor', ['lotse.v1', `lotse.bearer.${token}`]);
  advisor.send(encode({ type: 'advisor.hello', chats: [] }));
  const sentAt = new Map();
  const samples = [];
  advisor.on('message', (data) => {
    const result = parseServerToAdvisor(data.toString());
    if (!result.ok || result.message.type !== 'chat.event' || result.message.event.kind !== 'message') return;
    const started = sentAt.get(result.message.event.id);
    if (started !== undefined) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  });

  const visitors = [];
  for (let c = 0; c < chats; c += 1) {
    const visitor = await open('/ws/visitor', ['lotse.v1']);
    const started = nextMessage(visitor, parseServerToVisitor, (m) => m.type === 'chat.started');
    visitor.send(encode({ type: 'chat.start', nickname: `Gast ${c}`, termsVersion: config.terms.version, lang: 'de' }));
    const { chatId } = await started;
    const joined = nextMessage(
      visitor,
      parseServerToVisitor,
      (m) => m.type === 'chat.event' && m.event.kind === 'joined',
    );
    advisor.send(encode({ type: 'queue.accept', chatId }));
    await joined;
    visitors.push(visitor);
  }

  await Promise.all(
    visitors.map(async (visitor, c) => {
      for (let i = 0; i < perChat; i += 1) {
        const id = `bench-${c}-${i}-xxxxxxxx`;
        sentAt.set(id, process.hrtime.bigint());
        visitor.send(encode({ type: 'chat.message', id, text: `Nachricht ${i} aus Chat ${c}` }));
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    }),
  );
  const deadline = Date.now() + 5000;
  while (samples.length < chats * perChat && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const socket of [advisor, ...visitors]) socket.close();

  samples.sort((a, b) => a - b);
  const pick = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const extra = { samples: samples.length, expected: chats * perChat };
  emit('message_latency_visitor_to_advisor_p50', Number(pick(0.5).toFixed(3)), 'ms', extra);
  emit('message_latency_visitor_to_advisor_p95', Number(pick(0.95).toFixed(3)), 'ms', { ...extra, goal: 20 });
}
