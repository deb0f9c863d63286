/**
 * `GET /admin/webhooks[?status=failing|pending|delivered]`: the transcript deliveries for an operator, as JSON, for
 * advisors whose token carries the `admin` role; the same authentication as `/admin/audit` (401, 403, failed logins
 * recorded). State and times only: no transcript content, no member name or insurance number ever leaves here.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { authorizeAdminStore } from '../audit/audit-admin.js';
import type { TransportConfig } from '../config/transport.js';
import { sendJson, sendText } from '../transport/router.js';
import type { Route, RouteRequest } from '../transport/router.js';
import { DELIVERY_STATUSES, listDeliveries } from './deliveries.js';
import type { DeliveryStatus } from './deliveries.js';

export const ADMIN_WEBHOOKS_PATH = '/admin/webhooks';

/** The deliveries' route, for the route table (`transport/router.ts`). */
export function webhookAdminRoutes(config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>, audit: AuditLog): Route[] {
  return [
    { method: 'GET', path: ADMIN_WEBHOOKS_PATH, handle: (request) => handleAdminWebhooks(request, config, audit) },
  ];
}

function parseStatus(value: string | null): DeliveryStatus | undefined {
  if (value === null || value === '') return undefined;
  const found = DELIVERY_STATUSES.find((status) => status === value);
  if (found === undefined) throw new RangeError(`status must be one of ${DELIVERY_STATUSES.join(', ')}`);
  return found;
}

export async function handleAdminWebhooks(
  { request, response, url }: RouteRequest,
  config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>,
  audit: AuditLog,
): Promise<void> {
  const authorized = await authorizeAdminStore(request, response, config, audit);
  if (authorized === undefined) return;
  const { db } = authorized;
  let status;
  try {
    status = parseStatus(url.searchParams.get('status'));
  } catch (error) {
    sendText(response, 400, error instanceof Error ? error.message : 'Bad Request');
    return;
  }
  sendJson(response, 200, { deliveries: await listDeliveries(db, status) });
}
