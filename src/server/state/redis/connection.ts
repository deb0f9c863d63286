/**
 * The one connection to Redis (`@redis/client`, the client Redis maintains; this module alone imports it): a
 * command client, and a second client for pub/sub made on first use. Both reconnect on their own, with a backoff
 * of at most two seconds; commands issued meanwhile wait for the connection (up to the client's command timeout).
 *
 * Anonymous chats live in Redis while several nodes share them, so Redis must keep nothing on disk. With
 * `persistence: 'check'` the connection reads `save` and `appendonly` at connect and at every reconnect, and
 * refuses (`RedisPersistenceError`, which says exactly what to change) a Redis that writes RDB snapshots or an AOF.
 * A managed Redis that disables `CONFIG` needs `persistence: 'confirmed-off'`, the operator's word for it.
 */
import { randomUUID } from 'node:crypto';
import { ErrorReply, createClient } from '@redis/client';
import type { RedisConfig } from '../../config/redis.js';
import type { Logger } from '../../log.js';

/** Longest wait between two reconnect attempts. */
const MAX_BACKOFF_MS = 2000;

/** Attempts of the first connect before the server gives up at start (about 1.5 s with the backoff). */
const CONNECT_ATTEMPTS = 5;

/**
 * A client as this module makes it (RESP3, the reconnect backoff, the command timeout). `connected()` says whether
 * it was ever connected: until then a failing connect gives up after `CONNECT_ATTEMPTS` (the server must not hang
 * at start on a Redis it cannot reach); afterwards it tries again for ever.
 */
function makeClient(url: string, commandTimeoutMs: number, connected: () => boolean) {
  return createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        !connected() && retries >= CONNECT_ATTEMPTS ? cause : Math.min(50 * 2 ** retries, MAX_BACKOFF_MS),
    },
    commandOptions: { timeout: commandTimeoutMs },
  });
}

/** What a Redis error is called in the log: its code (`ECONNREFUSED`, `WRONGPASS`) or name, never its message. */
function errorNameOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) return code;
  const word = error instanceof Error ? /^[A-Z_]+/i.exec(error.message)?.[0] : undefined;
  if (word !== undefined && /^[A-Z_]{3,40}$/.test(word)) return word; // a Redis error reply: WRONGPASS, NOAUTH
  return error instanceof Error ? error.name : 'Error';
}

export type RedisClient = ReturnType<typeof makeClient>;

/** Redis keeps data on disk, or cannot say whether it does: anonymous chats must not go there. */
export class RedisPersistenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisPersistenceError';
  }
}

/** Where the server is connected to, for messages: host and port only, never the password. */
function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port === '' ? '6379' : parsed.port}`;
  } catch {
    return 'the configured Redis';
  }
}

/**
 * Why this Redis must not hold anonymous chats, or `undefined` when it keeps nothing on disk. `save` is the RDB
 * snapshot schedule (`""`: none) and `appendonly` the append-only file (`no`: none).
 */
export async function persistenceProblem(client: RedisClient, url: string): Promise<string | undefined> {
  const where = endpointOf(url);
  let save: string | undefined;
  let appendonly: string | undefined;
  try {
    save = (await client.configGet('save'))['save'];
    appendonly = (await client.configGet('appendonly'))['appendonly'];
  } catch (error) {
    // Only Redis's own refusal means CONFIG is off; a timeout or a dropped connection is no answer at all.
    if (!(error instanceof ErrorReply)) throw error;
    return (
      `Redis at ${where} does not answer CONFIG GET (a managed Redis often disables it), so Lotse cannot check ` +
      'that it keeps nothing on disk, and anonymous chats must never be written to disk. Turn RDB snapshots and ' +
      'the AOF off in the service (no persistence, no disk-based backups), then confirm it with ' +
      'LOTSE_REDIS_PERSISTENCE=confirmed-off (redis.persistence: "confirmed-off").'
    );
  }
  const changes: string[] = [];
  if (save !== undefined && save.trim() !== '') changes.push(`save "" (now "${save}")`);
  if (appendonly !== undefined && appendonly !== 'no') changes.push(`appendonly no (now "${appendonly}")`);
  if (changes.length === 0) return undefined;
  return (
    `Redis at ${where} writes to disk, and anonymous chats must never be written to disk. Set ${changes.join(' and ')} ` +
    'in its redis.conf and restart it, or at run time: redis-cli CONFIG SET save "" && redis-cli CONFIG SET appendonly ' +
    'no && redis-cli CONFIG REWRITE. Then delete the RDB and AOF files it wrote (CONFIG GET dir says where).'
  );
}

/** What a Redis store needs: the command client and the key names under the service's prefix. */
export interface RedisKeyspace {
  readonly client: RedisClient;
  /** A key or channel name under the prefix. */
  key(...parts: string[]): string;
  /** Runs one command (or transaction) and reports how long it took (`/metrics`: `lotse_redis_duration_seconds`). */
  timed<T>(command: string, run: () => Promise<T>): Promise<T>;
}

/** Times a command for the metrics' observer, failed ones too. */
async function timedWith<T>(
  observe: ((seconds: number, command: string) => void) | undefined,
  command: string,
  run: () => Promise<T>,
): Promise<T> {
  if (observe === undefined) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    observe((performance.now() - started) / 1000, command);
  }
}

/**
 * What the connection tells about the Redis instance behind it (`RedisConnectionOptions.onInstance`):
 * - `lost`: the command connection dropped; until it is back, nobody knows whether Redis kept its data;
 * - `same`: it is back on the instance it had (its `run_id` is unchanged: nothing was lost but what was in flight);
 * - `new`: it is back on another instance: a restarted Redis, which keeps nothing on disk and so comes back empty;
 * - `subscriber`: the pub/sub connection is back after a drop (subscribed again): what was published meanwhile is lost.
 */
export type RedisInstanceEvent = 'lost' | 'same' | 'new' | 'subscriber';

/**
 * What names the Redis instance: the `run_id` line of `INFO server` (a new one each time a Redis server starts). A
 * managed Redis that disables `INFO` gets a marker key instead (`<prefix>instance`, a random value set once; an empty
 * Redis does not have it).
 */
async function instanceOf(client: RedisClient, marker: string): Promise<string | undefined> {
  try {
    const info = String(await client.info('server'));
    const runId = /^run_id:([0-9a-f]+)/m.exec(info)?.[1];
    if (runId !== undefined) return runId;
  } catch (error) {
    if (!(error instanceof ErrorReply)) throw error;
  }
  await client.set(marker, randomUUID(), { condition: 'NX' });
  return (await client.get(marker)) ?? undefined;
}

export interface RedisConnectionOptions {
  readonly config: Pick<RedisConfig, 'keyPrefix' | 'persistence'> & { readonly url: string };
  /** Hears what becomes of the instance (`RedisInstanceEvent`), after the first connect. */
  readonly onInstance?: (event: RedisInstanceEvent) => void;
  readonly log: Logger;
  /** How long one command may wait for its answer, also while reconnecting (ms; the client's default is 5 s). */
  readonly commandTimeoutMs?: number;
  /** Hears each command's duration (the metrics). */
  readonly observe?: (seconds: number, command: string) => void;
}

export class RedisConnection implements RedisKeyspace {
  /** The command client: every `state/redis/` store sends through it, in order. */
  readonly client: RedisClient;
  /** Prefix of every key and channel (`redis.keyPrefix`). */
  readonly prefix: string;
  readonly #options: RedisConnectionOptions;
  #subscriber: RedisClient | undefined;
  #subscribing: Promise<RedisClient> | undefined;
  #closed = false;
  /** The instance's `run_id` at the last ready connect. */
  #runId: string | undefined;
  /** The command connection dropped and is not back yet. */
  #lost = false;

  private constructor(client: RedisClient, options: RedisConnectionOptions) {
    this.client = client;
    this.prefix = options.config.keyPrefix;
    this.#options = options;
  }

  /**
   * Connects, checks persistence (unless confirmed off), and returns the connection; throws a
   * `RedisPersistenceError` for a Redis that keeps data on disk, and the connect error when it cannot be reached.
   */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    let connected = false;
    const client = RedisConnection.#client(options, 'command', () => connected);
    const connection = new RedisConnection(client, options);
    try {
      await client.connect();
      connected = true;
      await connection.#checkPersistence();
      connection.#runId = await instanceOf(client, connection.key('instance'));
    } catch (error) {
      client.destroy();
      throw error;
    }
    options.log.info('redis.connected', { reason: 'command' });
    // At every reconnect again: `CONFIG SET` may have turned persistence on meanwhile. A Redis that now writes to
    // disk gets nothing more from this node (`#refuseAll`: every chat operation fails, `/readyz` says so, the log
    // says why); a check that got no answer (the connection dropped again) is tried at the next reconnect.
    // The instance is read again as well: a Redis that restarted comes back empty (it keeps nothing on disk), and
    // the nodes write back what they hold (`cluster/shared-state-restore.ts`).
    const lost = (): void => {
      if (connection.#closed || connection.#lost) return;
      connection.#lost = true;
      options.onInstance?.('lost');
    };
    client.on('error', lost);
    client.on('reconnecting', lost);
    client.on('ready', () => {
      if (connection.#closed) return;
      connection
        .#checkPersistence()
        .then(() => connection.#instanceBack())
        .catch((error: unknown) => {
          if (error instanceof RedisPersistenceError) connection.#refuseAll();
        });
    });
    return connection;
  }

  /** The command connection is ready again: on the instance it had, or on a new (empty) one. */
  async #instanceBack(): Promise<void> {
    const runId = await instanceOf(this.client, this.key('instance'));
    if (this.#closed) return;
    const event = runId === this.#runId ? 'same' : 'new';
    this.#runId = runId;
    this.#lost = false;
    if (event === 'new') this.#options.log.warn('redis.restarted');
    this.#options.onInstance?.(event);
  }

  static #client(
    options: RedisConnectionOptions,
    role: 'command' | 'subscriber',
    connected: () => boolean = () => true,
  ): RedisClient {
    const client = makeClient(options.config.url, options.commandTimeoutMs ?? 5000, connected);
    client.on('error', (error: unknown) => {
      options.log.warn('redis.error', { reason: role, errorName: errorNameOf(error) });
    });
    client.on('reconnecting', () => options.log.info('redis.reconnecting', { reason: role }));
    return client;
  }

  async #checkPersistence(): Promise<void> {
    if (this.#options.config.persistence === 'confirmed-off') return;
    const problem = await persistenceProblem(this.client, this.#options.config.url);
    if (problem === undefined) return;
    this.#options.log.error('redis.refused', { reason: 'persistence' });
    throw new RedisPersistenceError(problem);
  }

  /** A Redis that started writing to disk: this node stops sending anything there (it closes). */
  #refuseAll(): void {
    this.#closed = true;
    this.client.destroy();
    this.#subscriber?.destroy();
  }

  /** The pub/sub client (a second connection, as Redis requires), connected on first use (once, however many ask). */
  subscriber(): Promise<RedisClient> {
    this.#subscribing ??= (async () => {
      const client = RedisConnection.#client(this.#options, 'subscriber');
      this.#subscriber = client;
      await client.connect();
      // Ready again after a drop (node-redis subscribes again before it says so): what was published meanwhile is lost.
      client.on('ready', () => {
        if (!this.#closed) this.#options.onInstance?.('subscriber');
      });
      return client;
    })();
    return this.#subscribing;
  }

  /** Whether Redis answers now (for `/readyz`): a `PING` within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    if (this.#closed || !this.client.isReady) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.client.ping().then((answer) => answer === 'PONG'), late]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A key or channel name under the prefix. */
  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  timed<T>(command: string, run: () => Promise<T>): Promise<T> {
    return timedWith(this.#options.observe, command, run);
  }

  /**
   * Closes both connections: commands already sent are answered first, for at most the command timeout (a Redis
   * that is gone answers none; the connections are then dropped). Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const clients = [this.client, this.#subscriber].filter((client) => client !== undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#options.commandTimeoutMs ?? 5000);
    });
    await Promise.race([Promise.allSettled(clients.map((client) => client.close())), late]);
    clearTimeout(timer);
    for (const client of clients) if (client.isOpen) client.destroy();
  }
}

/**
 * The server's Redis before and after it connects: the stores are built with the server (synchronously) and used
 * only once `open()` has connected (in `listen()`, before any socket is accepted).
 */
export class RedisState implements RedisKeyspace {
  readonly #options: RedisConnectionOptions;
  #connection: RedisConnection | undefined;
  readonly #listeners: ((event: RedisInstanceEvent) => void)[] = [];

  constructor(options: RedisConnectionOptions) {
    this.#options = options;
  }

  /** Connects and checks persistence; throws `RedisPersistenceError` or the connect error. */
  async open(): Promise<void> {
    this.#connection ??= await RedisConnection.open({
      ...this.#options,
      onInstance: (event) => {
        for (const listener of this.#listeners) listener(event);
      },
    });
  }

  /** Hears what becomes of the Redis instance after the first connect (`RedisInstanceEvent`). */
  onInstance(listener: (event: RedisInstanceEvent) => void): void {
    this.#listeners.push(listener);
  }

  get client(): RedisClient {
    if (this.#connection === undefined) throw new Error('Redis is not connected yet: listen() connects it');
    return this.#connection.client;
  }

  key(...parts: string[]): string {
    return `${this.#options.config.keyPrefix}${parts.join(':')}`;
  }

  timed<T>(command: string, run: () => Promise<T>): Promise<T> {
    return timedWith(this.#options.observe, command, run);
  }

  /** The pub/sub client (a second connection), connected on first use. */
  subscriber(): Promise<RedisClient> {
    if (this.#connection === undefined) throw new Error('Redis is not connected yet: listen() connects it');
    return this.#connection.subscriber();
  }

  /** Whether Redis answers now (for `/readyz`). */
  ping(timeoutMs?: number): Promise<boolean> {
    return this.#connection?.ping(timeoutMs) ?? Promise.resolve(false);
  }

  async close(): Promise<void> {
    await this.#connection?.close();
  }
}
