/** Is a request from this machine, and addressed to it by a loopback name? (For what only this machine may have.) */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (v4 !== undefined) return isIP(v4) === 4 && v4.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/** A listening host that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * True only for a request whose peer is a loopback address, that came through no proxy, and whose Host header
 * names this server by a loopback name and its own port. The Host check defeats DNS rebinding: a page on
 * `evil.example` that re-points its name to 127.0.0.1 still sends `Host: evil.example`.
 *
 * A reverse proxy on the same machine that sets none of the proxy headers (nginx's plain `proxy_pass` to
 * 127.0.0.1 sends `Host: 127.0.0.1:<port>` and nothing else) is indistinguishable from a local browser: a server
 * that hands this machine anything must never sit behind one (docs/configuration.md says so).
 */
export function isLocalRequest(request: IncomingMessage): boolean {
  const { remoteAddress, localPort } = request.socket;
  if (!isLoopbackAddress(remoteAddress)) return false;
  const proxied = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via', 'x-forwarded-host'];
  if (proxied.some((name) => request.headers[name] !== undefined)) return false;
  // The port as a browser writes it: no leading zero (`localhost:08080` is not this server's name for itself).
  const match = /^(localhost|127\.0\.0\.1|\[::1\])(?::([1-9]\d{0,4}))?$/i.exec(request.headers.host ?? '');
  if (match === null) return false;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  return port === localPort;
}
