// The servers of the relay bench, each in a child process of its own (`scripts/bench-relay.ts`): the bare `ws`
// relay (with or without the echo) and the Lotse server, compiled (`--lib`).
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
  return { user, system, reads: field('syscr'), writes: field('syscw'), waitedNs, rss: process.memoryUsage.rss() };
}

/** Answers the parent's questions about this process's usage; stops on request. */
function serveParent(stop: () => Promise<void>): void {
  process.on('message', (message: FromParent) => {
    if (message.type === 'cpu') {
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
