// The server process of scripts/bench-idle.ts: the built server (dist/lib, as `lotse serve` runs it; plain
// JavaScript, so that no TypeScript loader adds to the memory measured), with the bench's config from the
// environment. Tells the parent its port over IPC once listening; answers `memory`, and `close`.
import { createLogger, createLotseServer, defaults, validateConfig } from '../dist/lib/server/index.js';

const store = process.env.LOTSE_BENCH_IDLE_STORE;
const storage = JSON.parse(process.env.LOTSE_BENCH_IDLE_STORAGE ?? '{}');
// The load run: see scripts/bench-idle.ts for each raised limit and why.
const load = process.env.LOTSE_BENCH_IDLE_LOAD === '1';
const config = validateConfig({
  ...defaults,
  port: 0,
  host: '127.0.0.1',
  allowedOrigins: ['http://127.0.0.1:1'],
  advisorTokens: { ...defaults.advisorTokens, secret: 'bench-secret-bench-secret-bench-secret-123' },
  ...(store === 'none' ? {} : { storage: { ...defaults.storage, ...storage } }),
  ...(load
    ? {
        heartbeatSeconds: Number(process.env.LOTSE_BENCH_IDLE_HEARTBEAT_SECONDS),
        limits: {
          ...defaults.limits,
          maxConnections: 60_000,
          maxVisitorSocketsPerClient: 60_000,
          visitorIdleSeconds: 3600,
        },
      }
    : {}),
});
const server = createLotseServer(config, {
  log: createLogger({ level: 'warn' }),
  ...(store === 'none' ? { store: null } : {}),
});
const { port } = await server.listen();
process.send({ type: 'listening', port });
process.on('message', (message) => {
  if (message.type === 'memory') {
    // Started with --expose-gc: the heap figure is what is live (the parent read the RSS before, without a collection).
    globalThis.gc?.();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send({ type: 'memory', rss, heapUsed, external, arrayBuffers });
  } else if (message.type === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
