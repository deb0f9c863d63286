/**
 * The team's canned responses for admins, with the same authentication as `/admin/audit` (an advisor token with the
 * `admin` role; 401, 403, failed logins recorded; 503 without a store):
 * - `GET /admin/snippets`: every team snippet, as JSON (`{ snippets: [{ id, shortcut, lang, text }] }`);
 * - `POST /admin/snippets` with `{ shortcut, lang, text }`: a new one (201, the snippet);
 * - `PUT /admin/snippets/<id>` with the same: replaces it (200); `DELETE /admin/snippets/<id>`: removes it (204).
 * 400 for a bad body or a text over `snippets.maxTextLength`, 404 for an unknown id, 409 for a shortcut taken in
 * that language or `snippets.maxTeam` reached. Each change is the admin's last transaction in the audit log, and
 * `changed` tells the connected consoles (`snippets-news.ts`: the new list, on every node).
 */
import type { AuditLog } from '../audit/audit-log.js';
import { authorizeAdminStore } from '../audit/audit-admin.js';
import type { SnippetsConfig } from '../config/snippets.js';
import type { TransportConfig } from '../config/transport.js';
import { readJsonBody } from '../transport/body.js';
import { sendJson, sendText } from '../transport/router.js';
import type { Route, RouteRequest } from '../transport/router.js';
import {
  SnippetRefusedError,
  TEAM,
  addSnippet,
  listSnippets,
  parseSnippetInput,
  removeSnippet,
  updateSnippet,
} from './snippet-store.js';
import type { SnippetInput } from './snippet-store.js';

export const ADMIN_SNIPPETS_PATH = '/admin/snippets';

/** A body is one snippet: its text at most 2,000 characters, up to 4 bytes each in UTF-8, and some JSON around it. */
const MAX_BODY_BYTES = 16 * 1024;

type Config = Pick<TransportConfig, 'advisorTokens' | 'oidc'> & { snippets: SnippetsConfig };

/** The team snippets' routes, for the route table (`transport/router.ts`). */
export function snippetsAdminRoutes(config: Config, audit: AuditLog, changed: () => void = () => undefined): Route[] {
  const handle = (request: RouteRequest) => handleAdminSnippets(request, config, audit, changed);
  return [
    { method: 'GET', path: ADMIN_SNIPPETS_PATH, handle },
    { method: 'POST', path: ADMIN_SNIPPETS_PATH, handle },
    { method: 'PUT', path: `${ADMIN_SNIPPETS_PATH}/*`, handle },
    { method: 'DELETE', path: `${ADMIN_SNIPPETS_PATH}/*`, handle },
  ];
}

const REFUSAL_STATUS = { exists: 409, limit: 409, too_long: 400, unknown: 404 } as const;

async function bodyOf({ request, response }: RouteRequest): Promise<SnippetInput | undefined> {
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) {
    sendText(response, body.status, body.status === 413 ? 'Payload Too Large' : 'the body must be JSON');
    return undefined;
  }
  try {
    return parseSnippetInput(body.value);
  } catch (error) {
    sendText(response, 400, error instanceof Error ? error.message : 'Bad Request');
    return undefined;
  }
}

export async function handleAdminSnippets(
  route: RouteRequest,
  config: Config,
  audit: AuditLog,
  changed: () => void = () => undefined,
): Promise<void> {
  const { request, response, rest } = route;
  const authorized = await authorizeAdminStore(request, response, config, audit);
  if (authorized === undefined) return;
  const { admin, db } = authorized;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  if (method === 'GET') {
    sendJson(response, 200, { snippets: await listSnippets(db, TEAM) });
    return;
  }
  const id = decodeURIComponent(rest);
  if (method !== 'POST' && !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    sendText(response, 404, 'Not Found');
    return;
  }
  try {
    if (method === 'DELETE') {
      if (!(await removeSnippet(db, TEAM, id))) throw new SnippetRefusedError('unknown', `no snippet ${id}`);
      response.writeHead(204, { 'Cache-Control': 'no-store' }).end();
    } else {
      const input = await bodyOf(route);
      if (input === undefined) return;
      const saved =
        method === 'POST'
          ? await addSnippet(db, TEAM, input, config.snippets)
          : await updateSnippet(db, TEAM, id, input, config.snippets);
      sendJson(response, method === 'POST' ? 201 : 200, saved);
    }
  } catch (error) {
    if (!(error instanceof SnippetRefusedError)) throw error;
    sendText(response, REFUSAL_STATUS[error.reason], error.message);
    return;
  }
  audit.record('snippets.change', admin.id, {
    ipHash: audit.ipHashOf(request),
    detail: { via: 'admin', method: method ?? null },
  });
  changed();
}
