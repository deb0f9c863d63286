/** `createLotseServer(config)`: one HTTP server carrying the routes and the WebSocket gateway. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeAdmin } from '../audit/audit-admin.js';
import { AuditLog } from '../audit/audit-log.js';
import { startPurgeJob } from '../audit/audit-purge.js';
import type { PurgeJob } from '../audit/audit-purge.js';
import { ChatHub } from '../chat/chat-hub.js';
import type { CobrowseTiming } from '../cobrowse/hub.js';
import { validateConfig } from '../config/lotse-config.js';
import type { LotseConfig } from '../config/lotse-config.js';
import { Gateway } from '../transport/gateway.js';
import { setSecurityHeaders } from '../transport/headers.js';
import { createRequestHandler, defaultPaths } from '../transport/http.js';
import type { HttpPaths } from '../transport/http.js';
import { createLogger } from '../log.js';
import type { Logger } from '../log.js';
import { isLoopbackHost } from '../transport/loopback.js';
import { routeWebhookAdmin } from '../member/member-admin.js';
import { memberChatConfigured } from '../config/member.js';
import { createDemoMemberIssuer } from '../demo/member-issuer.js';
import { DEMO_WEBHOOK_PATH, DemoReceiver, demoReceiverWanted } from '../demo/webhook-receiver.js';
import { transcriptPurgeTask } from '../member/member-purge.js';
import { createMemberVerifier } from '../member/token.js';
import { startWebhookDeliverer } from '../webhook/webhook.js';
import type { WebhookDeliverer } from '../webhook/webhook.js';
import { packageRoot } from '../transport/static.js';
import { MemoryLimitStore } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import { openStore } from '../store/index.js';
import type { Db } from '../store/sql.js';

export interface ServerOptions {
  /** Where log lines go; a stderr JSON logger by default. */
  log?: Logger;
  /** Override where bundles and demo pages are read from (tests). */
  paths?: Partial<HttpPaths>;
  /** Shorter co-browse resume and start-code windows than the protocol's (tests only). */
  cobrowseTiming?: Partial<CobrowseTiming>;
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
}

export interface LotseServer {
  listen(): Promise<{ port: number; url: string }>;
  /** Closes every socket (4003), clears every timer, stops listening. Idempotent. */
  close(): Promise<void>;
  readonly http: Server;
  readonly hub: ChatHub;
  readonly config: LotseConfig;
  /** Logins, failed logins, co-browse and member chat start/end, last transactions. */
  readonly audit: AuditLog;
}

export function createLotseServer(input: LotseConfig, options: ServerOptions = {}): LotseServer {
  const config = validateConfig(input);
  const log = options.log ?? createLogger();
  const paths: HttpPaths = { ...defaultPaths(packageRoot()), ...options.paths };
  const limitStore = options.limitStore ?? new MemoryLimitStore({ maxEntries: config.limits.stateEntries });
  const audit = new AuditLog({
    db: options.store ?? null,
    log,
    trustProxy: config.trustProxy,
    // Its own store: a flood of failed logins must never crowd out the security state (webcode locks, used tokens).
    limitStore: new MemoryLimitStore({ maxEntries: config.limits.stateEntries }),
    failedLoginWindowMs: config.audit.failedLoginWindowSeconds * 1000,
  });
  // Transcript filing: the deliverer starts in listen() (the demo receiver's URL needs the port).
  const demoReceiver = demoReceiverWanted(config) ? new DemoReceiver() : undefined;
  let deliverer: WebhookDeliverer | undefined;
  // Member tokens: as configured; a demo without them gets a member area of its own (`GET /demo/member-token`).
  const demoMember = config.demo && !memberChatConfigured(config.member) ? createDemoMemberIssuer(config.member.tokens) : undefined;
  const memberTokens = demoMember?.tokens ?? (memberChatConfigured(config.member) ? config.member.tokens : undefined);
  const hub = new ChatHub(config, {
    log,
    auditLog: audit,
    limitStore,
    ...(memberTokens === undefined ? {} : { memberVerifier: createMemberVerifier(memberTokens) }),
    ...(options.cobrowseTiming === undefined ? {} : { cobrowseTiming: options.cobrowseTiming }),
    ...(options.hoursClock === undefined ? {} : { hoursClock: options.hoursClock }),
    onMemberChatFiled: () => deliverer?.kick(),
  });
  hub.members.transcripts.useStore(options.store ?? null);
  const gateway = new Gateway(hub, log, audit);
  const handle = createRequestHandler(config, paths, log, () => hub.hours.check(), demoMember);
  const onAdminError = (): void => log.error('http.error', { status: 500 });
  const http = createServer((request, response) => {
    setSecurityHeaders(request, response, config);
    if (routeAdmin(request, response, config, audit, onAdminError)) return;
    if (routeWebhookAdmin(request, response, config, audit, onAdminError)) return;
    if (demoReceiver?.route(request, response, onAdminError)) return;
    handle(request, response);
  });
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
    if (options.store === undefined) {
      ownStore = await openStore(config.storage);
      audit.useStore(ownStore);
      hub.members.transcripts.useStore(ownStore);
      log.info('store.opened', { driver: ownStore.driver });
    }
    const db = audit.db;
    if (db !== null && closing === undefined) {
      purgeJob = startPurgeJob({ db, retentionDays: config.audit.retentionDays, log, also: [transcriptPurgeTask(log)] });
    }
  };

  /** Files ended member chats to the configured webhook, or in the demo to this server's own receiver. */
  const startDeliverer = (port: number): void => {
    const db = audit.db;
    const { url, secret, timeoutSeconds } = config.member.webhook;
    if (db === null || closing !== undefined || deliverer !== undefined) return;
    const target = url !== undefined && secret !== undefined
      ? { url, secret, timeoutSeconds }
      : demoReceiver && { url: `http://127.0.0.1:${port}${DEMO_WEBHOOK_PATH}`, secret: demoReceiver.secret, timeoutSeconds };
    if (target) deliverer = startWebhookDeliverer({ db, target, log });
  };

  const listen = async (): Promise<{ port: number; url: string }> => {
    await openStorage();
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      http.once('error', onError);
      http.listen(config.port, config.host, () => {
        http.off('error', onError);
        const { port } = http.address() as AddressInfo;
        if (config.demo) {
          gateway.allowOrigin(`http://localhost:${port}`);
          gateway.allowOrigin(`http://127.0.0.1:${port}`);
        }
        startDeliverer(port);
        log.info('server.listening', { port });
        if (config.demo && !isLoopbackHost(config.host)) log.warn('server.demo_exposed', { port });
        const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        resolve({ port, url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}` });
      });
    });
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      // An attempt in flight finishes first (it may be to this server's own demo receiver).
      await deliverer?.close();
      hub.close();
      const stopped = new Promise<void>((resolve) => {
        if (!http.listening) resolve();
        else http.close(() => resolve());
      });
      http.closeAllConnections();
      await gateway.close();
      await stopped;
      // Sessions ended by the shutdown are recorded before the store closes.
      await audit.close();
      // So are the ends of the member chats the shutdown ended (with their delivery rows).
      await hub.members.transcripts.close();
      await purgeJob?.close();
      await ownStore?.close();
      log.info('server.closed');
    })();
    return closing;
  };

  return { listen, close, http, hub, config, audit };
}
