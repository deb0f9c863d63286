/**
 * The server's own HTTP routes: health, availability (opening hours), the browser bundles under /lotse/ and the
 * generated terms modules (chat and co-browse). Never sets a cookie. The security headers every response carries are
 * set by the route table (`router.ts`); the files insurer pages load from another origin widen
 * `Cross-Origin-Resource-Policy` here.
 */
import type { LotseConfig } from '../config/lotse-config.js';
import type { Availability } from '../hours/availability.js';
import { send, sendJson, sendText } from './router.js';
import type { Route } from './router.js';
import { serveFile } from './static.js';

/**
 * The terms as an ES module: `{ version, text }` with the text of one language (`?lang=de` or `?lang=en`, what the
 * widget asks for: a visitor loads only their own language), or `{ version, text: { de, en } }` without one.
 */
export function termsModule(config: Pick<LotseConfig, 'terms'>, lang?: string | null): string {
  const { version, text } = config.terms;
  const body =
    lang === 'de' || lang === 'en' ? { version, text: text[lang] } : { version, text: { de: text.de, en: text.en } };
  return `export default ${JSON.stringify(body)};\n`;
}

/** What the insurer's pages load from this server, from their own origin: CORS and CORP both say so. */
const CROSS_ORIGIN = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } as const;

export interface HttpRoutesOptions {
  config: LotseConfig;
  /** Built browser bundles, served under /lotse/. */
  cdnDir: string;
  availability: () => Availability;
}

export function httpRoutes({ config, cdnDir, availability }: HttpRoutesOptions): Route[] {
  const terms =
    (of: Pick<LotseConfig, 'terms'>): Route['handle'] =>
    ({ response, url }) => {
      send(response, 200, 'text/javascript; charset=utf-8', termsModule(of, url.searchParams.get('lang')), {
        'Cache-Control': 'no-cache',
        ...CROSS_ORIGIN,
      });
    };
  // Source maps show the unminified code; an operator who wants them served says so. Judged on the file as found on
  // disk, so no spelling of the URL (`%2emap`, a trailing slash) gets one out.
  const refuseMaps = config.http.sourceMaps ? undefined : (file: string) => file.toLowerCase().endsWith('.map');
  return [
    {
      method: 'GET',
      path: '/availability',
      // The only request the widget makes before consent: anonymous, cacheable, logged nowhere.
      handle: ({ response }) =>
        sendJson(
          response,
          200,
          { ...availability(), timeZone: config.hours.timeZone },
          {
            'Cache-Control': 'public, max-age=30',
            ...CROSS_ORIGIN,
          },
        ),
    },
    { method: 'GET', path: '/healthz', handle: ({ response }) => sendJson(response, 200, { ok: true }) },
    { method: 'GET', path: '/lotse/terms.js', handle: terms(config) },
    { method: 'GET', path: '/lotse/cobrowse-terms.js', handle: terms({ terms: config.cobrowse.terms }) },
    {
      method: 'GET',
      path: '/lotse/*',
      handle: async ({ request, response, rest }) => {
        const headers = { 'Cache-Control': 'public, max-age=300', ...CROSS_ORIGIN };
        if (!(await serveFile(request, response, cdnDir, rest, headers, refuseMaps)))
          sendText(response, 404, 'Not Found');
      },
    },
  ];
}
