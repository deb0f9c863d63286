/**
 * `GET /admin/ratings?from=YYYY-MM-DD&to=YYYY-MM-DD`: the satisfaction ratings as counts per day, topic and score,
 * for an admin token (`Authorization: Bearer`, the `admin` role; 401/403/503 as `/admin/audit`). Both days are
 * inclusive and optional. JSON: `{ "ratings": [{ "day", "topic", "score", "count" }] }` (`topic` null for chats
 * without one). No CORS headers: a page on another origin cannot read it.
 */
import { authorizeAdminStore } from '../audit/audit-admin.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { TransportConfig } from '../config/transport.js';
import { sendJson, sendText } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { listRatings, parseDay } from './ratings-store.js';

export const ADMIN_RATINGS_PATH = '/admin/ratings';

export function ratingsAdminRoutes(config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>, audit: AuditLog): Route[] {
  return [
    {
      method: 'GET',
      path: ADMIN_RATINGS_PATH,
      handle: async ({ request, response, url }) => {
        const authorized = await authorizeAdminStore(request, response, config, audit);
        if (authorized === undefined) return;
        let range;
        try {
          range = {
            from: parseDay('from', url.searchParams.get('from')),
            to: parseDay('to', url.searchParams.get('to')),
          };
        } catch (error) {
          sendText(response, 400, error instanceof Error ? error.message : 'Bad Request');
          return;
        }
        const ratings = await listRatings(authorized.db, range);
        sendJson(response, 200, { ratings });
      },
    },
  ];
}
