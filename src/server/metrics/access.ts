/**
 * Who may scrape `/metrics`. With a token configured: whoever sends `Authorization: Bearer <token>` (compared in
 * constant time), from anywhere. Without one: this machine only.
 * - Without `trustProxy`: a request from a loopback peer that came through no proxy and names this server by a
 *   loopback name (`transport/loopback.ts`). A reverse proxy on this machine that sets `X-Forwarded-For` (as every
 *   one of the documented set-ups does) is therefore refused: what it relays comes from elsewhere.
 * - With `trustProxy`: a request that came through the proxy counts by the client address the proxy forwarded (the
 *   last `X-Forwarded-For` entry, as for every per-client limit), so a scraper on the proxy's machine is let in and
 *   the internet is not; one without `X-Forwarded-For` is judged as without `trustProxy`. That trusts the proxy, as
 *   `trustProxy` always does: Lotse must then be reachable through it alone.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../transport/client-key.js';
import { isLocalRequest, isLoopbackAddress } from '../transport/loopback.js';

export type ScrapeVerdict = 'ok' | 'unauthorized' | 'forbidden';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function scrapeAccess(
  request: IncomingMessage,
  options: { token: string | undefined; trustProxy: boolean },
): ScrapeVerdict {
  if (options.token !== undefined) {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer +(\S+)\s*$/i.exec(header);
    // Both sides hashed to the same length first: neither the token's length nor its bytes show in the timing.
    const ok = match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(options.token));
    return ok ? 'ok' : 'unauthorized';
  }
  if (options.trustProxy && request.headers['x-forwarded-for'] !== undefined) {
    return isLoopbackAddress(clientAddress(request, true)) ? 'ok' : 'forbidden';
  }
  return isLocalRequest(request) ? 'ok' : 'forbidden';
}
