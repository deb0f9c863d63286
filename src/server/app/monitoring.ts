/**
 * The monitoring of one server (`metrics/`): the metrics with their sources (the gateway's sockets, the hub's chats,
 * co-browsing's sessions, the store's webhook backlog), the readiness checks (the store answering `SELECT 1`), and
 * the routes. The composition root (`server.ts`) builds it first, so that the logger and the store it hands the
 * parts are the counting and the timed ones; the parts know nothing of it.
 */
import type { ChatHub } from '../chat/chat-hub.js';
import type { ChatLifecycle } from '../chat/lifecycle.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import type { MetricsConfig } from '../config/metrics.js';
import type { Logger } from '../log.js';
import { CachedFigure } from '../metrics/cached.js';
import { lifecycleMetrics } from '../metrics/lifecycle.js';
import { LotseMetrics } from '../metrics/metrics.js';
import { Readiness } from '../metrics/readiness.js';
import { countingLogger } from '../metrics/refusals.js';
import { monitoringRoutes } from '../metrics/routes.js';
import { sql } from '../store/sql.js';
import type { Db } from '../store/sql.js';
import { timedDb } from '../store/timed.js';
import type { Gateway } from '../transport/gateway.js';
import type { Route } from '../transport/router.js';
import { countUndelivered } from '../webhook/deliveries.js';

/** The webhook backlog is read from the store at most this often, however often Prometheus scrapes. */
const BACKLOG_MAX_AGE_MS = 10_000;
/** How long a scrape waits for that read before it shows the last figure. */
const BACKLOG_WAIT_MS = 1000;

export interface Monitoring {
  readonly metrics: LotseMetrics;
  readonly readiness: Readiness;
  /** The server's logger, counting the refusals it is told of. */
  readonly log: Logger;
  /** A store with every statement timed (`undefined` and `null` pass unchanged). */
  timed<T extends Db | null | undefined>(db: T): T;
  /** Reads the gauges from the parts, and checks the store (`db()`: the store in use, null before it opened). */
  watch(parts: {
    gateway: Gateway;
    hub: ChatHub;
    lifecycle: ChatLifecycle;
    cobrowse: CobrowseHub;
    db: () => Db | null;
    storeless: boolean;
  }): void;
  routes(): Route[];
}

export function createMonitoring(config: { metrics: MetricsConfig; trustProxy: boolean }, log: Logger): Monitoring {
  const metrics = new LotseMetrics();
  const readiness = new Readiness({ timeoutMs: config.metrics.readyTimeoutSeconds * 1000 });
  return {
    metrics,
    readiness,
    log: countingLogger(log, metrics),
    timed: <T extends Db | null | undefined>(db: T): T =>
      (db === null || db === undefined ? db : timedDb(db, metrics.observeStore)) as T,
    watch: ({ gateway, hub, lifecycle, cobrowse, db, storeless }) => {
      lifecycle.subscribe(lifecycleMetrics(metrics));
      const backlog = new CachedFigure(
        async () => {
          const store = db();
          return store === null ? undefined : countUndelivered(store);
        },
        { maxAgeMs: BACKLOG_MAX_AGE_MS, waitMs: BACKLOG_WAIT_MS },
      );
      metrics.setSources({
        connections: () => gateway.connectionCounts(),
        chats: () => {
          let waiting = 0;
          let active = 0;
          for (const chat of hub.chats.all()) {
            if (chat.state === 'waiting') waiting += 1;
            else if (chat.state === 'active') active += 1;
          }
          return { waiting, active };
        },
        cobrowseSessions: () => cobrowse.sessionCountsByState(),
        webhookBacklog: () => (db() === null ? Promise.resolve(undefined) : backlog.get()),
      });
      // Without storage on purpose (`store: null`), there is nothing to check; otherwise a store not open yet fails.
      if (!storeless) {
        readiness.add({
          name: 'store',
          check: async () => {
            const store = db();
            if (store === null) throw new Error('store not open');
            await store.query(sql`SELECT 1`);
          },
        });
      }
    },
    routes: () => monitoringRoutes({ config, metrics, readiness }),
  };
}
