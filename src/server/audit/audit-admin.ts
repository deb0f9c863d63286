/**
 * `GET /admin/audit?since=…&until=…&format=jsonl|csv`: the audit log for advisors whose token carries the `admin`
 * role, as `Authorization: Bearer <token>`. 401 without a valid token (recorded as a failed login), 403 without
 * the role, 400 for a bad range. No CORS headers: a page on another origin cannot read it. The export itself is
 * recorded as the admin's transaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_ROLE, verifyAdvisorToken } from '../transport/advisor-auth.js';
import { send, sendText } from '../transport/router.js';
import type { Route, RouteRequest } from '../transport/router.js';
import type { VerifiedAdvisor } from '../transport/advisor-auth.js';
import type { TransportConfig } from '../config/transport.js';
import type { Db } from '../store/sql.js';
import type { AuditLog } from './audit-log.js';
import { exportAudit, parseFormat, parseInstant } from './export.js';

export const ADMIN_AUDIT_PATH = '/admin/audit';

/** The audit log's route, for the route table (`transport/router.ts`). */
export function auditAdminRoutes(config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>, audit: AuditLog): Route[] {
  return [{ method: 'GET', path: ADMIN_AUDIT_PATH, handle: (request) => handleAdminAudit(request, config, audit) }];
}

/**
 * The admin behind a request's `Authorization: Bearer <token>`, or `undefined` after answering 401 (no or a bad
 * token; a bad one is recorded as a failed login) or 403 (no `admin` role). `authorizeAdminStore` builds on it.
 */
export async function authorizeAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>,
  audit: AuditLog,
): Promise<VerifiedAdvisor | undefined> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && /^Bearer \S+$/i.test(header) ? header.slice(7).trim() : undefined;
  if (token === undefined) {
    sendText(response, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    return undefined;
  }
  let admin;
  try {
    // An admin's token is held to the admin's (shorter) lifetime; a non-admin's to the advisor's, for the 403.
    const verified = await verifyAdvisorToken(token, config);
    admin = verified.roles.includes(ADMIN_ROLE) ? await verifyAdvisorToken(token, config, 'admin') : verified;
  } catch {
    audit.loginFailed(audit.ipHashOf(request), 'admin');
    sendText(response, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    return undefined;
  }
  if (!admin.roles.includes(ADMIN_ROLE)) {
    sendText(response, 403, 'Forbidden');
    return undefined;
  }
  return admin;
}

/**
 * The store behind an admin request: `authorizeAdmin`, then the store, or `undefined` after answering 401/403, or
 * 503 when the server runs without storage. Every `/admin/*` endpoint that reads the store starts here.
 */
export async function authorizeAdminStore(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>,
  audit: AuditLog,
): Promise<{ admin: VerifiedAdvisor; db: Db } | undefined> {
  const admin = await authorizeAdmin(request, response, config, audit);
  if (admin === undefined) return undefined;
  if (audit.db === null) {
    sendText(response, 503, 'No storage configured');
    return undefined;
  }
  return { admin, db: audit.db };
}

export async function handleAdminAudit(
  { request, response, url }: RouteRequest,
  config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>,
  audit: AuditLog,
): Promise<void> {
  const authorized = await authorizeAdminStore(request, response, config, audit);
  if (authorized === undefined) return;
  const { admin, db } = authorized;
  const params = url.searchParams;
  let range;
  let format;
  try {
    range = { since: parseInstant('since', params.get('since')), until: parseInstant('until', params.get('until')) };
    format = parseFormat(params.get('format'));
  } catch (error) {
    sendText(response, 400, error instanceof Error ? error.message : 'Bad Request');
    return;
  }
  const chunks: string[] = [];
  await exportAudit(db, range, format, (chunk) => void chunks.push(chunk));
  // Recorded after reading, so that an export never contains (or races with) its own record.
  audit.record('audit.export', admin.id, { ipHash: audit.ipHashOf(request), detail: { via: 'admin', format } });
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
  send(response, 200, type, chunks.join(''), { 'Cache-Control': 'no-store' });
}
