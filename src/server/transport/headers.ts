/**
 * The security headers of every HTTP response, set before any route answers: what a browser may do with the
 * response (sniffing, referrer, powerful features, opener, embedding by other origins) and, when the request came
 * over TLS, HSTS. Routes that serve files to the insurer's pages (`/lotse/…`, `/availability`) widen
 * `Cross-Origin-Resource-Policy` to `cross-origin`; HTML pages add their CSP with `pageCsp`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { TransportConfig } from '../config/transport.js';

/** Features no Lotse page or widget uses: refused to the page and everything it embeds. */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'bluetooth',
  'browsing-topics',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * True when the browser's request reached us over TLS: on this socket, or (with `trustProxy`) as the last
 * `X-Forwarded-Proto` entry says, the one the operator's own proxy set; earlier entries come from the client.
 */
export function cameOverTls(request: IncomingMessage, trustProxy: boolean): boolean {
  if ((request.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (!trustProxy) return false;
  const header = request.headers['x-forwarded-proto'];
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  return (
    value
      ?.split(',')
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item !== '')
      .pop() === 'https'
  );
}

/** Sets the headers every response carries; a route may replace `Cross-Origin-Resource-Policy` afterwards. */
export function setSecurityHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  config: Pick<TransportConfig, 'trustProxy' | 'http'>,
): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Refuses framing of every response; HTML pages say it once more in their CSP (`frame-ancestors 'none'`).
  response.setHeader('X-Frame-Options', 'DENY');
  if (config.http.hstsMaxAgeSeconds > 0 && cameOverTls(request, config.trustProxy)) {
    response.setHeader('Strict-Transport-Security', `max-age=${config.http.hstsMaxAgeSeconds}`);
  }
}

/** The origin's WebSocket counterpart: `https://a.example` → `wss://a.example`. */
function socketOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws');
}

/**
 * The CSP of an HTML page this server serves, built from configuration only: `connect-src` names
 * `'self'` and the configured public origin with its WebSocket scheme, never the request's `Host` header.
 * `console` is for the advisor console, whose co-browse viewer rebuilds the visitor's page with `<style>`
 * elements and style attributes in a script-less iframe that inherits this CSP, and loads the page's images,
 * styles and fonts from the co-browse asset origins (`cobrowse.assetOrigins`), and from nowhere else.
 */
export function pageCsp(
  config: Pick<TransportConfig, 'http'>,
  options: { console?: { assetOrigins: readonly string[] } } = {},
): string {
  const origin = config.http.publicOrigin;
  const assets = options.console === undefined ? '' : options.console.assetOrigins.map((item) => ` ${item}`).join('');
  const connect = origin === undefined ? "connect-src 'self'" : `connect-src 'self' ${origin} ${socketOrigin(origin)}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    options.console === undefined ? "style-src 'self'" : `style-src 'self' 'unsafe-inline'${assets}`,
    connect,
    `img-src 'self' data:${assets}`,
    ...(options.console === undefined ? [] : [`font-src 'self' data:${assets}`, `media-src 'self' data:${assets}`]),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
