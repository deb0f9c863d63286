/**
 * The HTTP routes: health, availability (opening hours), the browser bundles under /lotse/, the generated terms modules (chat and co-browse),
 * and in demo mode the demo pages and demo advisor and member tokens (for this machine only). Never sets a cookie. The
 * security headers every response carries are set before routing (`headers.ts`); the files insurer pages load from
 * another origin widen `Cross-Origin-Resource-Policy` here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { mintAdvisorToken } from './advisor-auth.js';
import type { LotseConfig } from '../config/lotse-config.js';
import { assetOriginsOf } from '../config/cobrowse.js';
import { pageCsp } from './headers.js';
import type { Availability } from '../hours/availability.js';
import type { Logger } from '../log.js';
import { isLocalRequest } from './loopback.js';
import type { DemoMemberIssuer } from '../demo/member-issuer.js';
import { serveFile } from './static.js';

export interface HttpPaths {
  /** Built browser bundles, served under /lotse/. */
  cdnDir: string;
  /** Demo pages, served at / in demo mode. */
  demoDir: string;
}

export const DEMO_ADVISOR = { id: 'demo-advisor', name: 'Demo-Beraterin' } as const;
const DEMO_TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * The terms as an ES module: `{ version, text }` with the text of one language (`?lang=de` or `?lang=en`, what the
 * widget asks for: a visitor loads only their own language), or `{ version, text: { de, en } }` without one.
 */
export function termsModule(config: Pick<LotseConfig, 'terms'>, lang?: string | null): string {
  const { version, text } = config.terms;
  const body = lang === 'de' || lang === 'en' ? { version, text: text[lang] } : { version, text: { de: text.de, en: text.en } };
  return `export default ${JSON.stringify(body)};\n`;
}

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** What the insurer's pages load from this server, from their own origin: CORS and CORP both say so. */
const CROSS_ORIGIN = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } as const;

function notFound(response: ServerResponse): void {
  send(response, 404, 'text/plain; charset=utf-8', 'Not Found', { 'Cache-Control': 'no-store' });
}

type Route = {
  config: LotseConfig;
  paths: HttpPaths;
  availability: () => Availability;
  /** Demo mode without configured member tokens: the demo's stand-in member area. */
  demoMember: Pick<DemoMemberIssuer, 'mint'> | undefined;
};

async function route({ config, paths, availability, demoMember }: Route, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const pathname = url.pathname;

  if (pathname === '/availability') {
    // The only request the widget makes before consent: anonymous, cacheable, logged nowhere.
    const body = JSON.stringify({ ...availability(), timeZone: config.hours.timeZone });
    send(response, 200, 'application/json; charset=utf-8', body, {
      'Cache-Control': 'public, max-age=30',
      ...CROSS_ORIGIN,
    });
    return;
  }

  if (pathname === '/healthz') {
    send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ ok: true }), { 'Cache-Control': 'no-store' });
    return;
  }
  if (pathname === '/lotse/terms.js') {
    send(response, 200, 'text/javascript; charset=utf-8', termsModule(config, url.searchParams.get('lang')), {
      'Cache-Control': 'no-cache',
      ...CROSS_ORIGIN,
    });
    return;
  }
  if (pathname === '/lotse/cobrowse-terms.js') {
    send(response, 200, 'text/javascript; charset=utf-8', termsModule({ terms: config.cobrowse.terms }, url.searchParams.get('lang')), {
      'Cache-Control': 'no-cache',
      ...CROSS_ORIGIN,
    });
    return;
  }
  if (pathname.startsWith('/lotse/')) {
    // Source maps show the unminified code; an operator who wants them served says so. Judged on the file as
    // found on disk, so no spelling of the URL (`%2emap`, a trailing slash) gets one out.
    const refuse = config.http.sourceMaps ? undefined : (file: string) => file.toLowerCase().endsWith('.map');
    const served = await serveFile(request, response, paths.cdnDir, pathname.slice('/lotse/'.length), {
      'Cache-Control': 'public, max-age=300',
      ...CROSS_ORIGIN,
    }, refuse);
    if (!served) notFound(response);
    return;
  }
  if (!config.demo) {
    notFound(response);
    return;
  }
  if (pathname === '/demo/advisor-token') {
    // Whoever gets this token reads every chat: only a browser on this machine, at a loopback name, gets one.
    if (!isLocalRequest(request)) {
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden', { 'Cache-Control': 'no-store' });
      return;
    }
    const token = await mintAdvisorToken(DEMO_ADVISOR, config, DEMO_TOKEN_TTL_SECONDS);
    send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ token }), { 'Cache-Control': 'no-store' });
    return;
  }
  if (pathname === '/demo/member-token' && demoMember !== undefined) {
    // A member token names a member to the advisor: like the advisor token, only for a browser on this machine.
    if (!isLocalRequest(request)) {
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden', { 'Cache-Control': 'no-store' });
      return;
    }
    send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ token: await demoMember.mint() }), { 'Cache-Control': 'no-store' });
    return;
  }
  const file = pathname === '/' ? 'index.html' : pathname;
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache' };
  if (file.endsWith('.html')) {
    // The advisor console's co-browse viewer rebuilds the visitor's page with <style> elements and style
    // attributes in a script-less iframe, which inherits this page's CSP; the visitor pages keep the strict one.
    headers['Content-Security-Policy'] = file === '/advisor.html'
      ? pageCsp(config, { console: { assetOrigins: assetOriginsOf(config) } })
      : pageCsp(config);
  }
  if (!(await serveFile(request, response, paths.demoDir, file, headers))) notFound(response);
}

export function createRequestHandler(
  config: LotseConfig,
  paths: HttpPaths,
  log: Logger,
  availability: () => Availability,
  demoMember?: Pick<DemoMemberIssuer, 'mint'>,
) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    route({ config, paths, availability, demoMember }, request, response).catch(() => {
      log.error('http.error', { status: 500 });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal Server Error');
      else response.destroy();
    });
  };
}

export function defaultPaths(root: string): HttpPaths {
  return { cdnDir: join(root, 'dist', 'cdn'), demoDir: join(root, 'demo') };
}
