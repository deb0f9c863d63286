/** `createLotseServer(config)`: one HTTP server carrying the routes and the WebSocket gateway. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { auditAdminRoutes } from '../audit/audit-admin.js';
import { advisorConfigRoutes } from '../transport/advisor-config.js';
import { oidcEnabled, oidcVerifierFor } from '../transport/advisor-oidc.js';
import { AuditLog } from '../audit/audit-log.js';
import { startPurgeJob } from '../audit/audit-purge.js';
import type { PurgeJob } from '../audit/audit-purge.js';
import type { ChatHub } from '../chat/chat-hub.js';
import type { ChatLifecycle } from '../chat/lifecycle.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import type { CobrowseTiming } from '../cobrowse/hub.js';
import { validateConfig } from '../config/lotse-config.js';
import type { LotseConfig } from '../config/lotse-config.js';
import type { OpeningHours } from '../hours/watch.js';
import type { TranscriptStore } from '../member/transcripts.js';
import { createChatPart } from './chat-part.js';
import { createMonitoring } from './monitoring.js';
import type { LotseMetrics } from '../metrics/metrics.js';
import type { Readiness } from '../metrics/readiness.js';
import { CLIENT_KEY_PERIOD_MS, ClientKeyer } from '../transport/client-key.js';
import { Gateway } from '../transport/gateway.js';
import { httpRoutes } from '../transport/http.js';
import { createRouter } from '../transport/router.js';
import { createLogger } from '../log.js';
import type { Logger } from '../log.js';
import { webhookAdminRoutes } from '../webhook/webhook-admin.js';
import { snippetsAdminRoutes } from '../snippets/snippets-admin.js';
import { memberChatConfigured } from '../config/member.js';
import { transcriptPurgeTask } from '../member/member-purge.js';
import { createMemberVerifier } from '../member/token.js';
import { startWebhookDeliverer } from '../webhook/webhook.js';
import type { WebhookDeliverer } from '../webhook/webhook.js';
import { packageRoot } from '../transport/static.js';
import { mountPlugins, pluginPaths } from './plugins.js';
import type { PluginPaths } from './plugins.js';
import { MemoryLimitStore } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import type { ChatStateStores } from '../chat/hub-deps.js';
import { RedisChatDirectory } from '../state/redis/chat-directory.js';
import { RedisChatEventLog } from '../state/redis/chat-event-log.js';
import { RedisClientKeys } from '../state/redis/client-keys.js';
import { RedisCodeStore } from '../state/redis/code-store.js';
import { RedisCobrowseSessionStore } from '../state/redis/cobrowse-sessions.js';
import { COBROWSE_RESUME_MS } from '../../protocol/limits.js';
import { RedisState } from '../state/redis/connection.js';
import { RedisLimitStore } from '../state/redis/limit-store.js';
import { RedisNodeBus } from '../state/redis/node-bus.js';
import { RedisNodeLeases } from '../state/redis/node-leases.js';
import { RedisQueueStore } from '../state/redis/queue-store.js';
import { RedisAdvisorPresence } from '../state/redis/advisor-presence.js';
import { MemoryNodeBus } from '../state/node-bus.js';
import { NodeMessages } from '../cluster/node-messages.js';
import { openStore } from '../store/index.js';
import { callbackRoutes } from '../callback/callback-routes.js';
import { callbackPurgeTask } from '../callback/callback-purge.js';
import { callbackSource } from '../callback/callback-deliveries.js';
import { MemoryCodeStore } from '../state/code-store.js';
import { ratingRoutes } from '../rating/rating-route.js';
import { ratingsAdminRoutes } from '../rating/ratings-admin.js';
import { RatingTickets } from '../rating/tickets.js';
import type { Db } from '../store/sql.js';

/** Where files are read from: the browser bundles (served under /lotse/), and the plugins' files. */
export interface ServerPaths extends PluginPaths {
  cdnDir: string;
}

export interface ServerOptions {
  /** Where log lines go; a stderr JSON logger by default. */
  log?: Logger;
  /** Override where bundles and the plugins' files are read from (tests). */
  paths?: Partial<ServerPaths>;
  /** Shorter co-browse resume and start-code windows than the protocol's (tests only). */
  cobrowseTiming?: Partial<CobrowseTiming>;
  /** How long one client key is current (`transport/client-key.ts`; a day, tests shorten it to see a rotation). */
  clientKeyPeriodMs?: number;
  /** The clock of the opening hours (tests: never the wall clock). */
  hoursClock?: () => number;
  /**
   * Storage for the audit log and the member chats (transcripts, webhook deliveries). Absent: the server opens
   * `config.storage` in `listen()` and closes it in `close()`. A store given here is used and left open. `null`:
   * nothing is stored, member chats live in memory only (tests of other parts; embedding).
   */
  store?: Db | null;
  /** Limit state (webcode counts, used member tokens); in memory, bounded, by default. Failed-login windows have their own. */
  limitStore?: LimitStore;
  /** Chat state (`state/`: the queue's order, claims, each chat's events, …); in memory by default. */
  chatState?: ChatStateStores;
}

export interface LotseServer {
  listen(): Promise<{ port: number; url: string }>;
  /** Closes every socket (4003), clears every timer, stops listening. Idempotent. */
  close(): Promise<void>;
  readonly http: Server;
  readonly hub: ChatHub;
  readonly cobrowse: CobrowseHub;
  readonly hours: OpeningHours;
  /** Member chat transcripts (a subscriber of `lifecycle`). */
  readonly transcripts: TranscriptStore;
  /** What happens to each chat, for subscribers (`chat/lifecycle.ts`). */
  readonly lifecycle: ChatLifecycle;
  readonly config: LotseConfig;
  /** Logins, failed logins, co-browse and member chat start/end, last transactions. */
  readonly audit: AuditLog;
  /** What `/metrics` shows; `observeRedis` is the Redis client's hook. */
  readonly metrics: LotseMetrics;
  /** `/readyz`'s checks: add one with `readiness.add({ name, check })`. */
  readonly readiness: Readiness;
  /**
   * This node's id among the nodes of one service: with Redis, the value of `lotse:chat:{<id>}:owner` for the chats it
   * owns, the name of its lease, the tail of its co-browse sessions' ids. A random UUID, new at each start.
   */
  readonly nodeId: string;
}

/**
 * The chat state in Redis: each chat's events (kept a little longer than a chat can stay silent before it ends,
 * so that nothing of a chat outlives it), the queue and the advisors' presence (each entry kept while its node
 * touches it) and the co-browse webcodes.
 */
function redisChatState(redis: RedisState, config: LotseConfig, nodeId: string): ChatStateStores {
  const { idleMinutes, abandonAfterSeconds, advisorGraceSeconds } = config.chat;
  const ttlMs = (idleMinutes * 60 + abandonAfterSeconds + advisorGraceSeconds + 60) * 1000;
  const nodeTtlMs = config.redis.nodeTtlSeconds * 1000;
  return {
    events: new RedisChatEventLog(redis, nodeId, ttlMs),
    directory: new RedisChatDirectory(redis, ttlMs),
    queue: new RedisQueueStore(redis, nodeTtlMs),
    advisorPresence: new RedisAdvisorPresence(redis, nodeId, nodeTtlMs),
    webcodes: new RedisCodeStore(redis, 'webcode'),
    // A co-browse session's record outlives its dead owner for as long as either side may still come back.
    cobrowseSessions: new RedisCobrowseSessionStore(
      redis,
      (Math.max(COBROWSE_RESUME_MS / 1000, advisorGraceSeconds) + config.redis.leaseSeconds + 60) * 1000,
    ),
  };
}

function newRatingTickets(config: LotseConfig, redis: RedisState | undefined, storable: () => boolean): RatingTickets {
  const memory = redis === undefined ? new MemoryCodeStore() : undefined;
  return new RatingTickets(memory ?? new RedisCodeStore(redis as RedisState, 'rating'), {
    ttlMs: config.ratings.ticketMinutes * 60_000,
    timeZone: config.hours.timeZone,
    storable,
    ...(memory === undefined ? {} : { sweep: () => memory.sweep() }),
  });
}

export function createLotseServer(input: LotseConfig, options: ServerOptions = {}): LotseServer {
  const config = validateConfig(input);
  // Built first: every part gets the logger that counts refusals, and the store that times its statements.
  const monitoring = createMonitoring(config, options.log ?? createLogger());
  const { log } = monitoring;
  const givenStore = monitoring.timed(options.store);
  const root = packageRoot();
  const paths: ServerPaths = { cdnDir: join(root, 'dist', 'cdn'), ...pluginPaths(root), ...options.paths };
  // With `redis.url`, the state several nodes share lives in Redis (connected in `listen()`); without, in memory.
  const redisUrl = config.redis.url;
  const redis =
    redisUrl === undefined
      ? undefined
      : new RedisState({
          config: { ...config.redis, url: redisUrl },
          log,
          observe: monitoring.metrics.observeRedis,
        });
  // `/readyz` fails while Redis does not answer: a node cut off from the shared state takes no new visitors.
  if (redis !== undefined) {
    monitoring.readiness.add({
      name: 'redis',
      check: async () => {
        if (!(await redis.ping())) throw new Error('Redis does not answer');
      },
    });
  }
  // How this node speaks to the others (`cluster/`): over Redis pub/sub, or this process alone.
  const failedNodeMessage = (error: unknown): void =>
    log.error('state.failed', { reason: 'node_message', errorName: error instanceof Error ? error.name : 'Error' });
  const nodes = new NodeMessages(
    redis === undefined ? new MemoryNodeBus() : new RedisNodeBus(redis, { onError: failedNodeMessage }),
    failedNodeMessage,
    { shared: redis !== undefined },
  );
  const limitStore =
    options.limitStore ??
    (redis === undefined
      ? new MemoryLimitStore({ maxEntries: config.limits.stateEntries })
      : new RedisLimitStore(redis, 'limit'));
  const chatState =
    options.chatState ?? (redis === undefined ? undefined : redisChatState(redis, config, nodes.nodeId));
  // A client is one client on every node: with Redis the day's keys of the limits are the service's
  // (`state/redis/client-keys.ts`). The audit log's key stays in this node's memory: its hashes are stored and
  // exported, and a key kept in Redis would let whoever reads both link them to addresses.
  const sharedKeys = (namespace: string): Partial<ConstructorParameters<typeof ClientKeyer>[0]> =>
    redis === undefined
      ? {}
      : {
          shared: new RedisClientKeys(redis, namespace),
          onFallback: (error: unknown) =>
            log.warn('state.failed', { reason: 'keys', errorName: error instanceof Error ? error.name : 'Error' }),
        };
  const audit = new AuditLog({
    db: givenStore ?? null,
    log,
    trustProxy: config.trustProxy,
    // Its own store: a flood of failed logins must never crowd out the security state (webcode locks, used tokens).
    limitStore:
      redis === undefined
        ? new MemoryLimitStore({ maxEntries: config.limits.stateEntries })
        : new RedisLimitStore(redis, 'login'),
    failedLoginWindowMs: config.audit.failedLoginWindowSeconds * 1000,
  });
  const plugins = mountPlugins(config, log, paths);
  // Transcript filing: the deliverer starts in listen() (a plugin's target on this server needs the port).
  const pluginTarget = plugins.find((plugin) => plugin.webhookTarget !== undefined)?.webhookTarget;
  let deliverer: WebhookDeliverer | undefined;
  /** Done callback requests are filed to the configured webhook only (not a plugin's receiver). */
  let callbackDeliverer: WebhookDeliverer | undefined;
  const { url: webhookUrl, secret: webhookSecret } = config.member.webhook;
  const fileCallbacks = webhookUrl !== undefined && webhookSecret !== undefined;
  // Member tokens: as configured, or a plugin's when none are.
  const memberTokens = memberChatConfigured(config.member)
    ? config.member.tokens
    : plugins.find((plugin) => plugin.memberTokens !== undefined)?.memberTokens;
  // The one client keyer: the gateway keys each upgrade with it once. A replaced key is kept for a webcode lockout
  // (and while a socket keyed under it is open), so that no count made under it is forgotten early.
  const keyer = new ClientKeyer({
    periodMs: options.clientKeyPeriodMs ?? CLIENT_KEY_PERIOD_MS,
    keepPreviousMs: config.cobrowse.webcodeLockoutMinutes * 60_000,
    ...sharedKeys('limits'),
  });
  // Rating tickets: in Redis with other nodes (a ticket handed out on one node is used once on any), else in memory.
  const ratingTickets = config.ratings.enabled ? newRatingTickets(config, redis, () => audit.db !== null) : undefined;
  const chat = createChatPart(config, {
    ratingTickets,
    log,
    audit,
    limitStore,
    memberVerifier: memberTokens === undefined ? undefined : createMemberVerifier(memberTokens),
    // A transcript is filed when there is somewhere to file it: the configured webhook, or a plugin's receiver.
    fileTranscripts: config.member.webhook.url !== undefined || pluginTarget !== undefined,
    onMemberChatFiled: () => deliverer?.kick(),
    callbackDb: () => audit.db,
    fileCallbacks: () => fileCallbacks,
    onCallbackFiled: () => callbackDeliverer?.kick(),
    cobrowseTiming: options.cobrowseTiming,
    hoursClock: options.hoursClock,
    ...(chatState === undefined ? {} : { state: chatState }),
    nodes,
    ...(redis === undefined
      ? {}
      : {
          leases: { store: new RedisNodeLeases(redis), ms: config.redis.leaseSeconds * 1000 },
          redisInstance: redis,
        }),
  });
  const { hub, cobrowse, hours, transcripts, lifecycle } = chat;
  transcripts.useStore(givenStore ?? null);
  // The provider's keys, one cache for the upgrade, /admin/* and /advisor/config; a provider out of reach is logged.
  if (oidcEnabled(config.oidc)) {
    oidcVerifierFor(config.oidc, { onUnavailable: () => log.warn('oidc.unavailable', { reason: 'keys' }) });
  }
  const gateway = new Gateway(chat.endpoints, config, log, audit, keyer);
  monitoring.watch({ gateway, hub, lifecycle, cobrowse, db: () => audit.db, storeless: givenStore === null });
  const routes = [
    ...httpRoutes({
      config,
      terms: config.terms,
      cobrowseTerms: config.cobrowse.terms,
      timeZone: config.hours.timeZone,
      cdnDir: paths.cdnDir,
      // `callback: true` while the closed launcher offers a callback request (a store is open, and it is on).
      availability: () => ({ ...hours.check(), ...(chat.callbacks.offered ? { callback: true as const } : {}) }),
    }),
    ...callbackRoutes({
      config: config.callbacks,
      allowedOrigins: config.allowedOrigins,
      trustProxy: config.trustProxy,
      timeZone: config.hours.timeZone,
      topics: config.chat.topics,
      desk: chat.callbacks,
      keyer,
      limitStore,
      audit,
      log,
    }),
    ...advisorConfigRoutes(config),
    ...auditAdminRoutes(config, audit),
    ...webhookAdminRoutes(config, audit),
    ...snippetsAdminRoutes(config, audit, () => chat.snippets.changed()),
    ...ratingsAdminRoutes(config, audit),
    ...(ratingTickets === undefined
      ? []
      : ratingRoutes({
          tickets: ratingTickets,
          db: () => audit.db,
          limits: limitStore,
          perClientPerHour: config.ratings.perClientPerHour,
          trustProxy: config.trustProxy,
          keyOf: (address) => keyer.keyOf(address),
          onError: (error) =>
            log.error('state.failed', { reason: 'rating', errorName: error instanceof Error ? error.name : 'Error' }),
        })),
    ...monitoring.routes(),
    ...plugins.flatMap((plugin) => plugin.routes),
  ];
  const http = createServer(createRouter(routes, { config, onError: () => log.error('http.error', { status: 500 }) }));
  http.on('upgrade', (request, socket, head: Buffer) => gateway.handleUpgrade(request, socket, head));
  http.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  let closing: Promise<void> | undefined;
  let ownStore: Db | undefined;
  let purgeJob: PurgeJob | undefined;

  /** Opens the configured store unless one was given, and starts the purge job on whichever is in use. */
  const openStorage = async (): Promise<void> => {
    if (givenStore === undefined) {
      ownStore = monitoring.timed(await openStore(config.storage));
      audit.useStore(ownStore);
      transcripts.useStore(ownStore);
      log.info('store.opened', { driver: ownStore.driver });
    }
    const db = audit.db;
    if (db !== null && closing === undefined) {
      for (const plugin of plugins) await plugin.storeOpened?.(db);
      purgeJob = startPurgeJob({
        db,
        retentionDays: config.audit.retentionDays,
        log,
        also: [transcriptPurgeTask(log), callbackPurgeTask(log)],
      });
    }
  };

  /** Files ended member chats to the configured webhook, or to a plugin's receiver on this server. */
  const startDeliverer = (port: number): void => {
    const db = audit.db;
    const { url, secret, timeoutSeconds } = config.member.webhook;
    if (db === null || closing !== undefined || deliverer !== undefined) return;
    const target = url !== undefined && secret !== undefined ? { url, secret, timeoutSeconds } : pluginTarget?.(port);
    if (target) deliverer = startWebhookDeliverer({ db, target, log });
    if (fileCallbacks && url !== undefined && secret !== undefined)
      callbackDeliverer = startWebhookDeliverer({
        db,
        target: { url, secret, timeoutSeconds },
        log,
        source: callbackSource,
      });
  };

  const listen = async (): Promise<{ port: number; url: string }> => {
    // Redis first: a Redis that writes to disk is refused before anything else is opened.
    await redis?.open();
    await nodes.listen();
    await chat.start();
    await keyer.ready();
    await openStorage();
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      http.once('error', onError);
      http.listen(config.port, config.host, () => {
        http.off('error', onError);
        const { port } = http.address() as AddressInfo;
        startDeliverer(port);
        log.info('server.listening', { port });
        for (const plugin of plugins) plugin.listening?.(port, gateway);
        const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        resolve({ port, url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}` });
      });
    });
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Not ready from now on: a load balancer that probes `/readyz` sends this node nothing new while it drains.
      monitoring.readiness.markClosing();
      // An attempt in flight finishes first (it may be to a plugin's receiver on this server).
      await deliverer?.close();
      await callbackDeliverer?.close();
      await chat.close();
      const stopped = new Promise<void>((resolve) => {
        if (!http.listening) resolve();
        else http.close(() => resolve());
      });
      http.closeAllConnections();
      await gateway.close();
      await stopped;
      // Sessions ended by the shutdown are recorded before the store closes.
      await audit.close();
      // So are the ends of the member chats the shutdown ended (with their delivery rows): the transcript store takes
      // no more and writes what it holds (a store that keeps failing gets a few last tries), then the lifecycle's
      // subscribers finish theirs (`member/transcript-writer.ts`).
      await transcripts.close();
      await lifecycle.drain();
      await purgeJob?.close();
      await ownStore?.close();
      keyer.close();
      await nodes.close();
      await redis?.close();
      log.info('server.closed');
    })();
    return closing;
  };

  return {
    listen,
    close,
    http,
    hub,
    cobrowse,
    hours,
    transcripts,
    lifecycle,
    config,
    audit,
    metrics: monitoring.metrics,
    readiness: monitoring.readiness,
    nodeId: nodes.nodeId,
  };
}
