/**
 * `GET /admin/webhooks[?status=failing|pending|delivered]`: the transcript deliveries for an operator, as JSON, for
 * advisors whose token carries the `admin` role; the same authentication as `/admin/audit` (401, 403, failed logins
 * recorded). State and times only: no transcript content, no member name or insurance number ever leaves here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeAdminStore, plain, routeAdminPath } from '../audit/audit-admin.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { LotseConfig } from '../config/lotse-config.js';
import { DELIVERY_STATUSES, listDeliveries } from '../webhook/deliveries.js';
import type { DeliveryStatus } from '../webhook/deliveries.js';

export const ADMIN_WEBHOOKS_PATH = '/admin/webhooks';

/** Serves `/admin/webhooks` and says so; `false` for any other path. */
export function routeWebhookAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<LotseConfig, 'advisorTokens'>,
  audit: AuditLog,
  onError: () => void,
): boolean {
  return routeAdminPath(
    request, response, ADMIN_WEBHOOKS_PATH, () => handleAdminWebhooks(request, response, config, audit), onError,
  );
}

function parseStatus(value: string | null): DeliveryStatus | undefined {
  if (value === null || value === '') return undefined;
  const found = DELIVERY_STATUSES.find((status) => status === value);
  if (found === undefined) throw new RangeError(`status must be one of ${DELIVERY_STATUSES.join(', ')}`);
  return found;
}

export async function handleAdminWebhooks(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<LotseConfig, 'advisorTokens'>,
  audit: AuditLog,
): Promise<void> {
  const authorized = await authorizeAdminStore(request, response, config, audit);
  if (authorized === undefined) return;
  const { db } = authorized;
  let status;
  try {
    status = parseStatus(new URL(request.url ?? '/', 'http://localhost').searchParams.get('status'));
  } catch (error) {
    plain(response, 400, error instanceof Error ? error.message : 'Bad Request');
    return;
  }
  const deliveries = await listDeliveries(db, status);
  const body = JSON.stringify({ deliveries });
  response.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
