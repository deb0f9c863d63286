/** Shared test fixtures: a real server on port 0 and real `ws` clients that parse what the server sends. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, MAX_WAITING_CHATS, SUBPROTOCOL } from '../../src/protocol/limits.js';
import { encode, parseServerToAdvisor, parseServerToVisitor } from '../../src/protocol/parse.js';
import type { Outgoing, ParseResult } from '../../src/protocol/parse.js';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToVisitor,
  VisitorToServer,
} from '../../src/protocol/messages.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { defaults } from '../../src/server/config/lotse-config.js';
import type { LotseConfig } from '../../src/server/config/lotse-config.js';
import { createLogger } from '../../src/server/log.js';
import { createLotseServer } from '../../src/server/app/server.js';
import type { Chat } from '../../src/server/chat/chat.js';
import type { ChatHub } from '../../src/server/chat/chat-hub.js';
import type { LotseServer, ServerOptions } from '../../src/server/app/server.js';
import { testLogEcho } from '../helpers/server.js';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const ORIGIN = 'http://localhost:1234';

export interface ConfigOverrides {
  host?: string;
  limits?: Partial<LotseConfig['limits']>;
  chat?: Partial<LotseConfig['chat']>;
  heartbeatSeconds?: number;
  /** How long an echo may wait for another frame to its socket (`transport/held-echoes.ts`). */
  echoDelayMs?: number;
  demo?: boolean;
  trustProxy?: boolean;
  /** Response headers (`headers.ts`): public origin, source maps, HSTS. */
  http?: Partial<LotseConfig['http']>;
  cobrowse?: Partial<Omit<LotseConfig['cobrowse'], 'ice' | 'terms'>> & {
    ice?: Partial<LotseConfig['cobrowse']['ice']>;
  };
  advisorTokens?: Partial<Omit<LotseConfig['advisorTokens'], 'secret'>>;
  /** Advisor sign-in through an OpenID Connect provider (advisor-oidc*.test.ts); off by default. */
  oidc?: Partial<LotseConfig['oidc']>;
  /** Opening hours; without them the server is always open, so that no test depends on the wall clock. */
  hours?: Partial<LotseConfig['hours']>;
  /** Storage and audit (store*.test.ts, audit*.test.ts); the server only opens it without `store: null`. */
  storage?: LotseConfig['storage'];
  audit?: Partial<LotseConfig['audit']>;
  /** Shared state in Redis (redis*.test.ts): the URL of a throwaway Redis, and the rest over the defaults. */
  redis?: Partial<LotseConfig['redis']>;
  /** `/metrics` and `/readyz` (metrics/*.test.ts). */
  metrics?: Partial<LotseConfig['metrics']>;
  /** Callback requests (callback/*.test.ts), over the defaults. */
  callbacks?: Partial<LotseConfig['callbacks']>;
  /** The canned responses' bounds (snippets/*.test.ts). */
  snippets?: Partial<LotseConfig['snippets']>;
  /** Satisfaction ratings (rating/*.test.ts). */
  ratings?: Partial<LotseConfig['ratings']>;
  /** Member chat (member-*.test.ts): token settings and the rest, over the defaults (member chat off). */
  member?: {
    tokens?: Partial<LotseConfig['member']['tokens']>;
    transcriptRetentionDays?: number;
    webhook?: Partial<LotseConfig['member']['webhook']>;
  };
}

export function testConfig(overrides: ConfigOverrides = {}): LotseConfig {
  return {
    ...defaults,
    port: 0,
    host: overrides.host ?? '127.0.0.1',
    // Every test client comes from 127.0.0.1: the queue's share per client is the whole queue unless a test sets
    // it (queue-flood.test.ts).
    limits: { ...defaults.limits, maxWaitingChatsPerClient: MAX_WAITING_CHATS, ...overrides.limits },
    demo: overrides.demo ?? false,
    allowedOrigins: [ORIGIN],
    advisorTokens: { ...defaults.advisorTokens, ...overrides.advisorTokens, secret: SECRET },
    oidc: { ...defaults.oidc, algorithms: [...defaults.oidc.algorithms], ...overrides.oidc },
    terms: { version: defaults.terms.version, text: { ...defaults.terms.text } },
    chat: { ...defaults.chat, ...overrides.chat },
    heartbeatSeconds: overrides.heartbeatSeconds ?? defaults.heartbeatSeconds,
    echoDelayMs: overrides.echoDelayMs ?? defaults.echoDelayMs,
    trustProxy: overrides.trustProxy ?? defaults.trustProxy,
    http: { ...defaults.http, ...overrides.http },
    cobrowse: {
      ...defaults.cobrowse,
      ...overrides.cobrowse,
      terms: { version: defaults.cobrowse.terms.version, text: { ...defaults.cobrowse.terms.text } },
      ice: { ...defaults.cobrowse.ice, ...overrides.cobrowse?.ice },
      ...(overrides.cobrowse?.assetOrigins === undefined ? {} : { assetOrigins: overrides.cobrowse.assetOrigins }),
    },
    storage: overrides.storage ?? defaults.storage,
    callbacks: { ...defaults.callbacks, ...overrides.callbacks },
    metrics: { ...defaults.metrics, ...overrides.metrics },
    snippets: { ...defaults.snippets, ...overrides.snippets },
    ratings: { ...defaults.ratings, ...overrides.ratings },
    audit: { ...defaults.audit, ...overrides.audit },
    redis: { ...defaults.redis, ...overrides.redis },
    member: {
      tokens: {
        ...defaults.member.tokens,
        algorithms: [...defaults.member.tokens.algorithms],
        ...overrides.member?.tokens,
      },
      transcriptRetentionDays: overrides.member?.transcriptRetentionDays ?? defaults.member.transcriptRetentionDays,
      webhook: { ...defaults.member.webhook, ...overrides.member?.webhook },
    },
    hours:
      overrides.hours === undefined
        ? { ...defaults.hours, alwaysOpen: true }
        : { ...defaults.hours, ...overrides.hours },
  };
}

export interface Harness {
  server: LotseServer;
  url: string;
  wsUrl: string;
  logs: string[];
  /** The next log line (after this call) for which `match` is true, parsed. */
  nextLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  visitor(options?: ClientOptions): Promise<Client<ServerToVisitor, VisitorToServer>>;
  advisor(id?: string, name?: string, options?: ClientOptions): Promise<Client<ServerToAdvisor, AdvisorToServer>>;
  /**
   * Closes every client, then the server, then checks nothing is left running (not with `checkHandles: false`:
   * another server of the test still runs).
   */
  close(options?: { checkHandles?: boolean }): Promise<void>;
}

export interface ClientOptions {
  origin?: string;
  protocols?: string[];
  autoPong?: boolean;
  /** Extra upgrade request headers (X-Forwarded-For with `trustProxy`). */
  headers?: Record<string, string>;
}

export type LogLine = Record<string, string | number>;

export async function startServer(overrides: ConfigOverrides = {}, options: ServerOptions = {}): Promise<Harness> {
  const logs: string[] = [];
  const logged = new EventEmitter();
  const echo = testLogEcho();
  const server = createLotseServer(testConfig(overrides), {
    // Every line is collected for the tests' checks; shown only with `LOTSE_TEST_LOG` (test/helpers/server.ts).
    log: createLogger({
      level: 'debug',
      write: (line) => {
        logs.push(line);
        const parsed = JSON.parse(line) as LogLine;
        if (echo(String(parsed['level']))) process.stderr.write(`${line}\n`);
        logged.emit('line', parsed);
      },
    }),
    // No storage unless a test brings one (store*.test.ts, audit*.test.ts): the others test other things.
    store: null,
    ...options,
  });
  const { port } = await server.listen();
  const url = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const clients: Client<{ type: string }, { type: string; v: number }>[] = [];
  const track = <C extends Client<{ type: string }, { type: string; v: number }>>(client: C): C => {
    clients.push(client);
    return client;
  };
  return {
    server,
    url,
    wsUrl,
    logs,
    nextLog: (match) =>
      new Promise((resolve) => {
        const onLine = (line: LogLine): void => {
          if (!match(line)) return;
          logged.off('line', onLine);
          resolve(line);
        };
        logged.on('line', onLine);
      }),
    visitor: async (opts = {}) => track(await Client.connect(`${wsUrl}/ws/visitor`, parseServerToVisitor, opts)),
    advisor: async (id = 'advisor-a', name = 'Anna Beraterin', opts = {}) => {
      const token = await mintAdvisorToken({ id, name }, server.config, 3600);
      const protocols = opts.protocols ?? [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`];
      return track(await Client.connect(`${wsUrl}/ws/advisor`, parseServerToAdvisor, { ...opts, protocols }));
    },
    close: async ({ checkHandles = true } = {}) => {
      await Promise.all(clients.map((client) => client.close()));
      await server.close();
      if (checkHandles) await assertNoHandles();
    },
  };
}

/** Every string reachable from `root` through objects, arrays, maps and sets (sockets and functions skipped). */
export function reachableStrings(root: unknown): string[] {
  const seen = new Set<object>();
  const strings: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') strings.push(value);
    if (typeof value !== 'object' || value === null || seen.has(value) || value instanceof EventEmitter) continue;
    seen.add(value);
    if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    else if (value instanceof Set) for (const v of value) stack.push(v);
    else for (const key of Object.getOwnPropertyNames(value)) stack.push((value as Record<string, unknown>)[key]);
  }
  return strings;
}

/**
 * Nothing that keeps the process alive: no sockets, no listening servers, no timers. libuv releases a closed
 * handle one loop turn after its close callback, so two turns of the loop pass first.
 */
export async function assertNoHandles(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const left = process.getActiveResourcesInfo().filter((name) => /TCP|Timeout|Immediate/.test(name));
  assert.deepEqual(left, [], `handles left: ${left.join(', ')}`);
}

/** A real WebSocket client that parses every frame from the server (so the server's output is checked too). */
export class Client<In extends { type: string }, Out extends { type: string; v: number }> {
  readonly ws: WebSocket;
  readonly received: In[] = [];
  /** Every message received, in order, including those already taken. */
  readonly history: In[] = [];
  /** Every raw frame received (to check that something never went over the wire). */
  readonly frames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #events = new EventEmitter();

  private constructor(ws: WebSocket, parse: (raw: string) => ParseResult<In>) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('message', (data) => {
      const raw = data.toString();
      const result = parse(raw);
      if (!result.ok) throw new Error(`server sent an invalid frame: ${result.code} ${result.message}`);
      this.frames.push(raw);
      this.history.push(result.message);
      this.received.push(result.message);
      this.#events.emit('message');
    });
  }

  static connect<In extends { type: string }, Out extends { type: string; v: number }>(
    url: string,
    parse: (raw: string) => ParseResult<In>,
    options: ClientOptions = {},
  ): Promise<Client<In, Out>> {
    const ws = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], {
      origin: options.origin ?? ORIGIN,
      autoPong: options.autoPong ?? true,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client<In, Out>(ws, parse)));
      ws.once('error', reject);
    });
  }

  send(message: Outgoing<Out>): void {
    this.ws.send(encode<Out>(message));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** The first message of this type received and not yet taken (earlier ones of other types stay). */
  next<T extends In['type']>(type: T): Promise<Extract<In, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = this.received.findIndex((message) => message.type === type);
        if (index < 0) return false;
        const [message] = this.received.splice(index, 1);
        this.#events.off('message', onMessage);
        this.ws.off('close', onClose);
        resolve(message as Extract<In, { type: T }>);
        return true;
      };
      const onMessage = (): void => void check();
      const onClose = (): void => {
        if (!check()) reject(new Error(`closed while waiting for ${type}`));
      };
      if (check()) return;
      this.#events.on('message', onMessage);
      this.ws.once('close', onClose);
    });
  }

  /** Takes every buffered message of a type (for asserting that something was not sent). */
  take<T extends In['type']>(type: T): Extract<In, { type: T }>[] {
    const taken = this.received.filter((message) => message.type === type) as Extract<In, { type: T }>[];
    for (const message of taken) this.received.splice(this.received.indexOf(message), 1);
    return taken;
  }

  /** A round trip: everything the server sent before the pong has arrived when this resolves. */
  async sync(): Promise<void> {
    this.send({ type: 'session.ping' } as unknown as Outgoing<Out>);
    await this.next('session.pong' as In['type']);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState !== WebSocket.CLOSING) this.ws.close(1000);
    await this.closed;
  }
}

/** The HTTP status a refused upgrade answered with. */
export function refusedStatus(
  url: string,
  protocols: string[],
  origin = ORIGIN,
  headers: Record<string, string> = {},
): Promise<number> {
  const ws = new WebSocket(url, protocols, { origin, headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('upgrade was accepted'));
    });
    ws.once('error', (error) => {
      const match = /Unexpected server response: (\d+)/.exec(error.message);
      if (match) resolve(Number(match[1]));
      else reject(error);
    });
  });
}

/** Starts a chat straight on the hub (no limits): the chat, or the test fails. */
export async function startChat(hub: ChatHub, ...args: Parameters<ChatHub['startChat']>): Promise<Chat> {
  const chat = await hub.startChat(...args);
  assert.ok(typeof chat === 'object', `the chat did not start: ${String(chat)}`);
  return chat;
}
