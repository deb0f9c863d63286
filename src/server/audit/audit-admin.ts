/**
 * `GET /admin/audit?since=…&until=…&format=jsonl|csv`: the audit log for advisors whose token carries the `admin`
 * role, as `Authorization: Bearer <token>`. 401 without a valid token (recorded as a failed login), 403 without
 * the role, 400 for a bad range. No CORS headers: a page on another origin cannot read it. The export itself is
 * recorded as the admin's transaction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_ROLE, verifyAdvisorToken } from '../transport/advisor-auth.js';
import type { VerifiedAdvisor } from '../transport/advisor-auth.js';
import type { LotseConfig } from '../config/lotse-config.js';
import type { Db } from '../store/sql.js';
import type { AuditLog } from './audit-log.js';
import { exportAudit, parseFormat, parseInstant } from './export.js';

export const ADMIN_AUDIT_PATH = '/admin/audit';

/** A short plain-text answer, never cached (the admin endpoints' errors). */
export function plain(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}

/**
 * Serves `/admin/audit` and says so; `false` for any other path. Sits in front of the general routes so that
 * they keep no knowledge of the audit log.
 */
export function routeAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<LotseConfig, 'advisorTokens'>,
  audit: AuditLog,
  onError: () => void,
): boolean {
  return routeAdminPath(request, response, ADMIN_AUDIT_PATH, () => handleAdminAudit(request, response, config, audit), onError);
}

/**
 * Runs `handle` for a request to `path` (GET or HEAD; 405 otherwise), with the headers every admin endpoint
 * sends and a 500 when it throws; `false`, untouched, for any other path.
 */
export function routeAdminPath(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  handle: () => Promise<void>,
  onError: () => void,
): boolean {
  let pathname: string;
  try {
    pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return false;
  }
  if (pathname !== path) return false;
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    plain(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    return true;
  }
  handle().catch(() => {
    onError();
    if (!response.headersSent) plain(response, 500, 'Internal Server Error');
    else response.destroy();
  });
  return true;
}

/**
 * The admin behind a request's `Authorization: Bearer <token>`, or `undefined` after answering 401 (no or a bad
 * token; a bad one is recorded as a failed login) or 403 (no `admin` role). `authorizeAdminStore` builds on it.
 */
export async function authorizeAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<LotseConfig, 'advisorTokens'>,
  audit: AuditLog,
): Promise<VerifiedAdvisor | undefined> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && /^Bearer \S+$/i.test(header) ? header.slice(7).trim() : undefined;
  if (token === undefined) {
    plain(response, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    return undefined;
  }
  let admin;
  try {
    // An admin's token is held to the admin's (shorter) lifetime; a non-admin's to the advisor's, for the 403.
    const verified = await verifyAdvisorToken(token, config);
    admin = verified.roles.includes(ADMIN_ROLE) ? await verifyAdvisorToken(token, config, 'admin') : verified;
  } catch {
    audit.loginFailed(audit.ipHashOf(request), 'admin');
    plain(response, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    return undefined;
  }
  if (!admin.roles.includes(ADMIN_ROLE)) {
    plain(response, 403, 'Forbidden');
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
  config: Pick<LotseConfig, 'advisorTokens'>,
  audit: AuditLog,
): Promise<{ admin: VerifiedAdvisor; db: Db } | undefined> {
  const admin = await authorizeAdmin(request, response, config, audit);
  if (admin === undefined) return undefined;
  if (audit.db === null) {
    plain(response, 503, 'No storage configured');
    return undefined;
  }
  return { admin, db: audit.db };
}

export async function handleAdminAudit(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<LotseConfig, 'advisorTokens'>,
  audit: AuditLog,
): Promise<void> {
  const authorized = await authorizeAdminStore(request, response, config, audit);
  if (authorized === undefined) return;
  const { admin, db } = authorized;
  const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
  let range;
  let format;
  try {
    range = { since: parseInstant('since', params.get('since')), until: parseInstant('until', params.get('until')) };
    format = parseFormat(params.get('format'));
  } catch (error) {
    plain(response, 400, error instanceof Error ? error.message : 'Bad Request');
    return;
  }
  const chunks: string[] = [];
  await exportAudit(db, range, format, (chunk) => void chunks.push(chunk));
  // Recorded after reading, so that an export never contains (or races with) its own record.
  audit.record('audit.export', admin.id, { ipHash: audit.ipHashOf(request), detail: { via: 'admin', format } });
  const body = chunks.join('');
  response.writeHead(200, {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
