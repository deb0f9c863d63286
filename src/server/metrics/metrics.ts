/**
 * What `/metrics` shows of one server: its own prom-client `Registry` (never the global one, so that two servers in
 * one process keep their own counts), plus the process's metrics (`process.ts`). Counters move as things happen:
 * the chat lifecycle bus (a subscriber, `lifecycle.ts`), the log lines of refused limits (`refusals.ts`), the timed
 * store (`store/timed.ts`) and the Redis hook. Gauges are read from their sources when scraped. Every label takes
 * its values from a fixed set (`names.ts`): no chat id, advisor id, nickname, address or token ever becomes one.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EndedBy } from '../chat/lifecycle.js';
import type { StoreOperation, StoreOutcome } from '../store/timed.js';
import { LIMITS, REDIS_COMMANDS, UPGRADE_REASONS, oneOf } from './names.js';
import type { LimitName, RedisCommand, UpgradeReason } from './names.js';
import { processRegistry } from './process.js';

export type Role = 'visitor' | 'advisor';
export type CobrowseState = 'offered' | 'joined' | 'consented' | 'live';

/** Where the gauges are read from at each scrape; each answer may be a promise. */
export interface MetricsSources {
  /** Open WebSockets by role. */
  connections(): Readonly<Record<Role, number>>;
  /** Chats waiting in the queue, and those an advisor holds. */
  chats(): Readonly<{ waiting: number; active: number }> | Promise<Readonly<{ waiting: number; active: number }>>;
  /** Open co-browse sessions by how far each got. */
  cobrowseSessions(): Readonly<Record<CobrowseState, number>>;
  /** Transcript deliveries not yet filed; `undefined` without a store (the gauge is then left out). */
  webhookBacklog(): Promise<Readonly<{ pending: number; failing: number }> | undefined>;
}

const ENDED_BY: readonly EndedBy[] = ['visitor', 'advisor', 'timeout', 'gone', 'server'];
const STORE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REDIS_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class LotseMetrics {
  readonly registry = new Registry();
  #sources: MetricsSources | undefined;
  readonly #messages: Counter<'from'>;
  /** Messages relayed so far, by who wrote them; the counter above catches up when it is read. */
  readonly #relayed: Record<Role, number> = { visitor: 0, advisor: 0 };
  readonly #started: Counter;
  readonly #ended: Counter<'by'>;
  readonly #refusals: Counter<'limit'>;
  readonly #upgrades: Counter<'reason'>;
  readonly #store: Histogram<'operation' | 'outcome'>;
  readonly #redis: Histogram<'command'>;

  constructor() {
    const registers = [this.registry];
    const sources = (): MetricsSources | undefined => this.#sources;
    new Gauge({
      name: 'lotse_connections',
      help: 'Open WebSocket connections by role.',
      labelNames: ['role'],
      registers,
      collect() {
        const counts = sources()?.connections();
        if (counts === undefined) return;
        this.set({ role: 'visitor' }, counts.visitor);
        this.set({ role: 'advisor' }, counts.advisor);
      },
    });
    new Gauge({
      name: 'lotse_chats',
      help: 'Chats in memory by state: waiting in the queue, or active (held by an advisor).',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = await sources()?.chats();
        if (counts === undefined) return;
        this.set({ state: 'waiting' }, counts.waiting);
        this.set({ state: 'active' }, counts.active);
      },
    });
    new Gauge({
      name: 'lotse_cobrowse_sessions',
      help: 'Open co-browse sessions by the furthest state reached (offered, joined, consented, live).',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = sources()?.cobrowseSessions();
        if (counts === undefined) return;
        for (const state of ['offered', 'joined', 'consented', 'live'] as const) this.set({ state }, counts[state]);
      },
    });
    new Gauge({
      name: 'lotse_webhook_backlog',
      help: 'Transcript deliveries not yet filed, by status (pending, failing); read from the store at most every 10 s.',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        const backlog = await sources()?.webhookBacklog();
        if (backlog === undefined) return;
        this.set({ status: 'pending' }, backlog.pending);
        this.set({ status: 'failing' }, backlog.failing);
      },
    });
    // Counted in plain numbers, added to the counter when it is read: an `inc` with labels hashes them (a string
    // built for each message), and this one counts every message relayed.
    const relayed = this.#relayed;
    const reported = { visitor: 0, advisor: 0 };
    this.#messages = new Counter({
      name: 'lotse_chat_messages_relayed_total',
      help: 'Chat messages relayed, by who wrote them (visitor, advisor).',
      labelNames: ['from'],
      registers,
      collect() {
        for (const from of ['visitor', 'advisor'] as const) {
          this.inc({ from }, relayed[from] - reported[from]);
          reported[from] = relayed[from];
        }
      },
    });
    this.#started = new Counter({ name: 'lotse_chats_started_total', help: 'Chats started.', registers });
    this.#ended = new Counter({
      name: 'lotse_chats_ended_total',
      help: 'Chats ended, by who or what ended them (visitor, advisor, timeout, gone, server).',
      labelNames: ['by'],
      registers,
    });
    this.#refusals = new Counter({
      name: 'lotse_limit_refusals_total',
      help: 'Refusals by a limit, by the limit (see docs/operator.md#monitoring).',
      labelNames: ['limit'],
      registers,
    });
    this.#upgrades = new Counter({
      name: 'lotse_upgrades_refused_total',
      help: 'WebSocket upgrades refused, by reason (origin, path, subprotocol, token, expired, capacity, other).',
      labelNames: ['reason'],
      registers,
    });
    this.#store = new Histogram({
      name: 'lotse_store_duration_seconds',
      help: 'Store calls by operation (query, exec, transaction) and outcome (ok, error), in seconds.',
      labelNames: ['operation', 'outcome'],
      buckets: STORE_BUCKETS,
      registers,
    });
    this.#redis = new Histogram({
      name: 'lotse_redis_duration_seconds',
      help: 'Redis commands by command, in seconds.',
      labelNames: ['command'],
      buckets: REDIS_BUCKETS,
      registers,
    });
    // Every label value there is shows from the start (0), so that a rate over it is defined before the first event.
    for (const from of ['visitor', 'advisor']) this.#messages.inc({ from }, 0);
    for (const by of ENDED_BY) this.#ended.inc({ by }, 0);
    for (const limit of LIMITS) this.#refusals.inc({ limit }, 0);
    for (const reason of UPGRADE_REASONS) this.#upgrades.inc({ reason }, 0);
  }

  /** Where the gauges are read from; the composition root sets them once the parts exist. */
  setSources(sources: MetricsSources): void {
    this.#sources = sources;
  }

  messageRelayed(from: Role): void {
    this.#relayed[from] += 1;
  }

  chatStarted(): void {
    this.#started.inc();
  }

  chatEnded(by: EndedBy): void {
    this.#ended.inc({ by: oneOf(ENDED_BY, by, 'server') });
  }

  refused(limit: LimitName): void {
    this.#refusals.inc({ limit });
  }

  upgradeRefused(reason: string | undefined): void {
    this.#upgrades.inc({ reason: oneOf<UpgradeReason>(UPGRADE_REASONS, reason, 'other') });
  }

  /** One store call's duration (`store/timed.ts`). */
  readonly observeStore = (seconds: number, operation: StoreOperation, outcome: StoreOutcome): void => {
    this.#store.observe({ operation, outcome }, seconds);
  };

  /**
   * One Redis command's duration, for the Redis client's wrapper to call: `metrics.observeRedis(seconds, 'get')`.
   * The command is taken in lower case from `REDIS_COMMANDS` (`names.ts`); any other is counted as `other`.
   */
  readonly observeRedis = (seconds: number, command: string): void => {
    this.#redis.observe({ command: oneOf<RedisCommand>(REDIS_COMMANDS, command.toLowerCase(), 'other') }, seconds);
  };

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text a scrape gets: the process's metrics, then this server's. */
  async render(): Promise<string> {
    const [process, own] = await Promise.all([processRegistry().metrics(), this.registry.metrics()]);
    return `${process}${own}`;
  }
}
