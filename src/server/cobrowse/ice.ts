/**
 * ICE servers for one co-browse session. TURN credentials follow coturn's REST scheme (`use-auth-secret`):
 * username `<expiry unix seconds>:<session id>`, credential base64(HMAC-SHA1(static-auth-secret, username)).
 * The secret itself never leaves the server.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../protocol/cobrowse.js';
import type { CobrowseConfig } from '../config/cobrowse.js';

export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** STUN and TURN servers as configured; `[]` when none are (loopback and the same LAN still connect). */
export function iceServersFor(ice: CobrowseConfig['ice'], sessionId: string, now: number): IceServer[] {
  const servers: IceServer[] = [];
  if (ice.stunUrls.length > 0) servers.push({ urls: [...ice.stunUrls] });
  if (ice.turnUrls.length > 0 && ice.turnSecret !== undefined) {
    const username = `${Math.floor(now / 1000) + ice.turnTtlSeconds}:${sessionId}`;
    servers.push({ urls: [...ice.turnUrls], username, credential: turnCredential(ice.turnSecret, username) });
  }
  return servers;
}
