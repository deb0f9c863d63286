/**
 * Fixtures for the transcript webhook tests: fresh storage with member chats seeded by SQL (so that these tests
 * do not depend on how the chat hub writes them), and a real HTTP receiver whose answers a test scripts.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaults } from '../../../src/server/config/lotse-config.js';
import type { LotseConfig } from '../../../src/server/config/lotse-config.js';
import { createLogger } from '../../../src/server/log.js';
import type { Logger } from '../../../src/server/log.js';
import { openStore } from '../../../src/server/store/index.js';
import { sql } from '../../../src/server/store/sql.js';
import type { Db } from '../../../src/server/store/sql.js';
import type { StorageConfig } from '../../../src/server/config/store.js';
import { testConfig } from '../helpers.js';
import type { ConfigOverrides } from '../helpers.js';
import type { DriverContext } from '../store/store-helpers.js';

export const WEBHOOK_SECRET = 'webhook-secret-0123456789-abcdefghijklmnop';
export const MEMBER = { sub: 'member-42', name: 'Erika Mustermann', insuranceNumber: 'A123456780' } as const;
export const MESSAGE_TEXTS = [
  'Guten Tag, ich habe eine Frage zur Zahnreinigung.',
  'Gern, worum geht es genau?',
] as const;
const DAY_MS = 24 * 3600_000;

/** Fresh storage for one test (store-helpers.ts), migrated and open. */
export async function freshStore(ctx: DriverContext): Promise<{ db: Db; storage: StorageConfig }> {
  const storage = await ctx.storage();
  return { db: await openStore(storage), storage };
}

export interface SeedOptions {
  chatId: string;
  /** When the chat ended (and the delivery became due). */
  endedAt: number;
  retentionDays?: number;
  status?: 'pending' | 'delivered' | 'failing';
  attempts?: number;
  nextAttemptAt?: number | null;
  lastError?: string | null;
}

/** One ended member chat with two messages and its events, and its delivery row, as the hub files them. */
export async function seedChat(db: Db, options: SeedOptions): Promise<void> {
  const { chatId, endedAt } = options;
  const startedAt = endedAt - 10 * 60_000;
  const purgeAfter = new Date(endedAt + (options.retentionDays ?? 14) * DAY_MS);
  await db.transaction(async (tx) => {
    await tx.query(sql`INSERT INTO member_chats (id, member_sub, member_name, insurance_number, started_at, ended_at,
        ended_by, advisor_id, advisor_name, purge_after)
      VALUES (${chatId}, ${MEMBER.sub}, ${MEMBER.name}, ${MEMBER.insuranceNumber}, ${new Date(startedAt)},
        ${new Date(endedAt)}, 'advisor', 'advisor-a', 'Anna Beraterin', ${purgeAfter})`);
    const events = [
      { kind: 'joined', advisor: 'Anna Beraterin', at: startedAt + 1000 },
      { kind: 'message', id: 'msg-0001', from: 'visitor', text: MESSAGE_TEXTS[0], at: startedAt + 2000 },
      { kind: 'message', id: 'msg-0002', from: 'advisor', text: MESSAGE_TEXTS[1], at: startedAt + 3000 },
      { kind: 'ended', by: 'advisor', at: endedAt },
    ];
    // Inserted out of order: the transcript must come out ordered by seq all the same.
    for (const seq of [3, 1, 4, 2]) {
      const event = events[seq - 1] as Record<string, unknown> & { at: number };
      await tx.query(sql`INSERT INTO member_messages (chat_id, seq, at, event)
        VALUES (${chatId}, ${seq}, ${new Date(event.at)}, ${event}::jsonb)`);
    }
    const next = options.nextAttemptAt === undefined ? endedAt : options.nextAttemptAt;
    await tx.query(sql`INSERT INTO webhook_deliveries (chat_id, idempotency_key, status, attempts, next_attempt_at,
        last_error, created_at)
      VALUES (${chatId}, ${`lotse-transcript-${chatId}`}, ${options.status ?? 'pending'}, ${options.attempts ?? 0},
        ${next === null ? null : new Date(next)}, ${options.lastError ?? null}, ${new Date(endedAt)})`);
  });
}

export interface DeliveryRow {
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
}

export async function deliveryRow(db: Db, chatId: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.query<DeliveryRow>(sql`SELECT status, attempts, next_attempt_at, last_attempt_at, last_error,
    delivered_at FROM webhook_deliveries WHERE chat_id = ${chatId}`);
  return row === undefined ? undefined : { ...row, attempts: Number(row.attempts) };
}

export async function countRows(
  db: Db,
  table: 'member_chats' | 'member_messages' | 'webhook_deliveries',
): Promise<number> {
  const [row] = await db.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM ${table}`, values: [] });
  return Number(row?.n ?? 0);
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Answer = number | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1. `answer(request)` decides each response: a status code, or `'hang'` (no
 * answer until the receiver closes); a 3xx points elsewhere on the receiver. It can stop listening (connection refused) and listen again on its port.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  answer: (request: ReceivedRequest) => Answer | Promise<Answer> = () => 204;
  #server: Server;
  #port = 0;

  constructor() {
    this.#server = this.#create();
  }

  #create(): Server {
    return createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = {
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(received);
        void Promise.resolve(this.answer(received)).then((answer) => this.#respond(response, answer));
      });
    });
  }

  #respond(response: ServerResponse, answer: Answer): void {
    if (answer === 'hang') return;
    // No keep-alive: each attempt opens its own connection, so a stopped receiver is a refused connection.
    const location: Record<string, string> = answer >= 300 && answer < 400 ? { Location: `${this.url}/elsewhere` } : {};
    response.writeHead(answer, { 'Content-Type': 'text/plain', Connection: 'close', ...location });
    response.end(answer >= 300 ? 'Interner Fehler mit Details, die nie gespeichert werden dürfen' : undefined);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/transcripts`;
  }

  async listen(): Promise<void> {
    this.#server.listen(this.#port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections (a hanging request included). */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    await closed;
    this.#server = this.#create();
  }
}

/** The test configuration (helpers.ts) with member chat at its defaults and the given webhook target, if any. */
export function webhookServerConfig(
  overrides: ConfigOverrides & { webhook?: { url: string; secret: string } } = {},
): LotseConfig {
  const { webhook, ...rest } = overrides;
  const base = testConfig(rest);
  return {
    ...base,
    member: {
      ...defaults.member,
      tokens: { ...defaults.member.tokens, algorithms: [...defaults.member.tokens.algorithms] },
      webhook: { ...defaults.member.webhook, ...webhook },
    },
  };
}

/** A line-collecting logger, and a promise for the first line that `match`es. */
export function collectingLog(): {
  log: Logger;
  lines: Record<string, unknown>[];
  next(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
} {
  const lines: Record<string, unknown>[] = [];
  const waiting: {
    match: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  const log = createLogger({
    level: 'debug',
    write: (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of [...waiting]) {
        if (!waiter.match(line)) continue;
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    },
  });
  return {
    log,
    lines,
    next: (match) => {
      const found = lines.find(match);
      return found !== undefined ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}
