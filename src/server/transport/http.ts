/**
 * The server's own HTTP routes: health, availability (opening hours), the browser bundles under /lotse/ and the
 * generated terms modules (chat and co-browse). Never sets a cookie. The security headers every response carries are
 * set by the route table (`router.ts`); the files insurer pages load from another origin widen
 * `Cross-Origin-Resource-Policy` here.
 */
import type { TransportConfig } from '../config/transport.js';
import type { Availability } from '../hours/availability.js';
import { send, sendJson, sendText } from './router.js';
import type { Route } from './router.js';
import { serveFile } from './static.js';

/** Terms of use (chat or co-browse): a version and the text in both languages. */
export interface Terms {
  readonly version: string;
  readonly text: Readonly<{ de: string; en: string }>;
}

/**
 * The terms as an ES module: `{ version, text }` with the text of one language (`?lang=de` or `?lang=en`, what the
 * widget asks for: a visitor loads only their own language), or `{ version, text: { de, en } }` without one.
 */
export function termsModule(terms: Terms, lang?: string | null): string {
  const { version, text } = terms;
  const body =
    lang === 'de' || lang === 'en' ? { version, text: text[lang] } : { version, text: { de: text.de, en: text.en } };
  return `export default ${JSON.stringify(body)};\n`;
}

/** What the insurer's pages load from this server, from their own origin: CORS and CORP both say so. */
const CROSS_ORIGIN = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } as const;

export interface HttpRoutesOptions {
  config: Pick<TransportConfig, 'http'>;
  /** The chat's terms of use (`terms`) and the co-browse terms (`cobrowse.terms`). */
  terms: Terms;
  cobrowseTerms: Terms;
  /** The opening hours' time zone, told with the availability. */
  timeZone: string;
  /** Built browser bundles, served under /lotse/. */
  cdnDir: string;
  /** With `callback: true` while the closed launcher offers callback requests. */
  availability: () => Availability & { callback?: true };
}

export function httpRoutes({
  config,
  terms,
  cobrowseTerms,
  timeZone,
  cdnDir,
  availability,
}: HttpRoutesOptions): Route[] {
  const termsRoute =
    (of: Terms): Route['handle'] =>
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
          { ...availability(), timeZone },
          {
            'Cache-Control': 'public, max-age=30',
            ...CROSS_ORIGIN,
          },
        ),
    },
    { method: 'GET', path: '/healthz', handle: ({ response }) => sendJson(response, 200, { ok: true }) },
    { method: 'GET', path: '/lotse/terms.js', handle: termsRoute(terms) },
    { method: 'GET', path: '/lotse/cobrowse-terms.js', handle: termsRoute(cobrowseTerms) },
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
