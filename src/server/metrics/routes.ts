/**
 * The monitoring routes: `/metrics` (Prometheus text format; who may scrape it: `access.ts`) and `/readyz`
 * (`readiness.ts`). `/healthz`, liveness only, is the transport's (`transport/http.ts`). Refusals say nothing beyond
 * their status.
 */
import type { MetricsConfig } from '../config/metrics.js';
import { send, sendJson, sendText } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { scrapeAccess } from './access.js';
import type { LotseMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface MonitoringRoutesOptions {
  config: { metrics: MetricsConfig; trustProxy: boolean };
  metrics: LotseMetrics;
  readiness: Readiness;
}

export function monitoringRoutes({ config, metrics, readiness }: MonitoringRoutesOptions): Route[] {
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/readyz',
      handle: async ({ response }) => {
        const { ready, failed } = await readiness.run();
        sendJson(response, ready ? 200 : 503, ready ? { ready } : { ready, failed });
      },
    },
  ];
  if (config.metrics.enabled) {
    routes.push({
      method: 'GET',
      path: '/metrics',
      handle: async ({ request, response }) => {
        const verdict = scrapeAccess(request, { token: config.metrics.token, trustProxy: config.trustProxy });
        if (verdict === 'unauthorized') {
          sendText(response, 401, '', { 'WWW-Authenticate': 'Bearer' });
          return;
        }
        if (verdict === 'forbidden') {
          sendText(response, 403, '');
          return;
        }
        send(response, 200, metrics.contentType, await metrics.render(), { 'Cache-Control': 'no-store' });
      },
    });
  }
  return routes;
}
