/**
 * URLs derived from an element's `server` attribute: the base of the Lotse server, its terms module and the
 * WebSocket endpoints. `https://chat.example.de/beratung` is a base like `https://chat.example.de/beratung/`.
 * The base alone is a module of its own (`server-base.ts`): the launcher needs it, and only it, on every page view.
 */

export { serverBase } from './server-base.js';

/**
 * A terms module in one language: `terms.js` (chat) or `cobrowse-terms.js` (co-browsing), `?lang=de` or `en`.
 * Modules are cached by URL for the life of the page (a failed import stays failed), so every load after the first
 * asks for a new URL (`&load=2`); the server ignores that part.
 */
export function termsUrl(
  base: URL,
  lang: 'de' | 'en',
  load = 1,
  file: 'terms.js' | 'cobrowse-terms.js' = 'terms.js',
): string {
  const url = new URL(`lotse/${file}`, base);
  url.searchParams.set('lang', lang);
  if (load > 1) url.searchParams.set('load', String(load));
  return url.href;
}

/** A WebSocket endpoint under the base: http becomes ws, https becomes wss. */
export function socketUrl(base: URL, role: 'visitor' | 'advisor'): string {
  const url = new URL(`ws/${role}`, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
