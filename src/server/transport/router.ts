/**
 * The one HTTP route table. Parts contribute routes (method, path, handler); the composition root (`server/app/`)
 * mounts them, so that this module knows none of the parts. For every request it sets the security headers
 * (`headers.ts`), parses the URL once, finds the route, and answers what no route should answer itself: 400 for a
 * URL that does not parse, 404 for a path no route has, 405 (with `Allow`) for a method the path does not take, and
 * 500 when a handler throws. A `GET` route answers `HEAD` too; `send` leaves the body out for it.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TransportConfig } from '../config/transport.js';
import { setSecurityHeaders } from './headers.js';

/** `HEAD` is not among them: a `GET` route answers it. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRequest {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The request's URL, parsed once (against `http://localhost`: the Host header is never read for it). */
  readonly url: URL;
  /** For a prefix route (`/lotse/*`), the path below the prefix (`a.js` of `/lotse/a.js`); `''` otherwise. */
  readonly rest: string;
}

export interface Route {
  method: Method;
  /** An exact path (`/healthz`), or a prefix ending in `/*` (`/lotse/*`: every path below `/lotse/`; `/*`: every path). */
  path: string;
  handle(request: RouteRequest): void | Promise<void>;
}

/** Writes a whole answer: status, type, length and headers, and the body unless the request was `HEAD`. */
export function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** JSON, never cached unless `headers` say otherwise. */
export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value), {
    'Cache-Control': 'no-store',
    ...headers,
  });
}

/** A short plain-text answer (an error's), never cached; the status text unless `text` is given (`''`: no body). */
export function sendText(
  response: ServerResponse,
  status: number,
  text?: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(response, status, 'text/plain; charset=utf-8', text ?? STATUS_CODES[status] ?? '', {
    'Cache-Control': 'no-store',
    ...headers,
  });
}

export interface RouterOptions {
  /** For the security headers of every response (`headers.ts`). */
  config: Pick<TransportConfig, 'trustProxy' | 'http'>;
  /** A handler threw (logged by the caller, without anything of the request); the answer is a 500. */
  onError: () => void;
}

type Methods = ReadonlyMap<Method, Route>;

/**
 * The request listener of a route table. Exact paths win over prefixes, a longer prefix over a shorter one, so the
 * order routes are given in does not matter; the same method and path twice is a mistake and throws here.
 */
export function createRouter(
  routes: readonly Route[],
  options: RouterOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const exact = new Map<string, Map<Method, Route>>();
  const prefixes = new Map<string, Map<Method, Route>>();
  for (const route of routes) {
    const isPrefix = route.path.endsWith('/*');
    if (!route.path.startsWith('/')) throw new TypeError(`route path must start with "/": ${route.path}`);
    const table = isPrefix ? prefixes : exact;
    const key = isPrefix ? route.path.slice(0, -1) : route.path;
    const methods = table.get(key) ?? new Map<Method, Route>();
    if (methods.has(route.method)) throw new TypeError(`route mounted twice: ${route.method} ${route.path}`);
    methods.set(route.method, route);
    table.set(key, methods);
  }
  const byLength = [...prefixes.entries()].sort(([a], [b]) => b.length - a.length);

  const find = (pathname: string): { methods: Methods; rest: string } | undefined => {
    const methods = exact.get(pathname);
    if (methods !== undefined) return { methods, rest: '' };
    const found = byLength.find(([prefix]) => pathname.startsWith(prefix));
    return found === undefined ? undefined : { methods: found[1], rest: pathname.slice(found[0].length) };
  };

  return (request, response) => {
    setSecurityHeaders(request, response, options.config);
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      sendText(response, 400);
      return;
    }
    const match = find(url.pathname);
    if (match === undefined) {
      sendText(response, 404, 'Not Found');
      return;
    }
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const route = match.methods.get(method as Method);
    if (route === undefined) {
      sendText(response, 405, 'Method Not Allowed', { Allow: allowOf(match.methods) });
      return;
    }
    const failed = (): void => {
      options.onError();
      if (!response.headersSent) sendText(response, 500, 'Internal Server Error');
      else response.destroy();
    };
    try {
      const done = route.handle({ request, response, url, rest: match.rest });
      if (done instanceof Promise) done.catch(failed);
    } catch {
      failed();
    }
  };
}

/** `GET, HEAD, POST`: a path's methods for `Allow`, `HEAD` with `GET`. */
function allowOf(methods: Methods): string {
  const order: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  return order
    .filter((method) => methods.has(method))
    .flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]))
    .join(', ');
}
