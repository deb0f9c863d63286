/**
 * Checks an HTTP upgrade request before any WebSocket exists: path, Origin, subprotocol and, for advisors, the
 * bearer token offered as a second subprotocol. Authentication happens here, never in a message.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../protocol/limits.js';
import { verifyAdvisorToken } from './advisor-auth.js';
import type { VerifiedAdvisor } from './advisor-auth.js';
import type { TransportConfig } from '../config/transport.js';
import type { LogFields } from '../log.js';

export type Role = 'visitor' | 'advisor';

export type UpgradeDecision =
  | { ok: true; role: 'visitor' }
  | { ok: true; role: 'advisor'; advisor: VerifiedAdvisor }
  | { ok: false; status: 400 | 401 | 403 | 404; reason: NonNullable<LogFields['reason']> };

const PATHS: Readonly<Record<string, Role>> = { '/ws/visitor': 'visitor', '/ws/advisor': 'advisor' };

export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function roleOf(request: IncomingMessage): Role | undefined {
  let path: string;
  try {
    path = new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
  return Object.hasOwn(PATHS, path) ? PATHS[path] : undefined;
}

export async function checkUpgrade(
  request: IncomingMessage,
  config: Pick<TransportConfig, 'advisorTokens' | 'oidc'>,
  allowedOrigins: ReadonlySet<string>,
): Promise<UpgradeDecision> {
  const role = roleOf(request);
  if (role === undefined) return { ok: false, status: 404, reason: 'path' };
  const origin = request.headers.origin;
  if (origin === undefined || !allowedOrigins.has(origin)) return { ok: false, status: 403, reason: 'origin' };
  const protocols = offeredProtocols(request);
  if (!protocols.includes(SUBPROTOCOL)) return { ok: false, status: 400, reason: 'subprotocol' };
  if (role === 'visitor') return { ok: true, role };

  const bearer = protocols.find((item) => item.startsWith(AUTH_SUBPROTOCOL_PREFIX));
  if (bearer === undefined) return { ok: false, status: 401, reason: 'token' };
  const token = bearer.slice(AUTH_SUBPROTOCOL_PREFIX.length);
  try {
    const advisor = await verifyAdvisorToken(token, config);
    return { ok: true, role, advisor };
  } catch {
    // Nothing of a refused token is kept: not even the subject it claims (anyone can claim anyone).
    return { ok: false, status: 401, reason: 'token' };
  }
}

/** Answers a refused upgrade with a plain HTTP status and drops the socket. */
export function refuse(socket: Duplex, status: number): void {
  if (socket.writable) {
    const text = STATUS_CODES[status] ?? 'Error';
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Content-Type-Options: nosniff\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
