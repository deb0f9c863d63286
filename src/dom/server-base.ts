/**
 * The base URL of the Lotse server from an element's `server` attribute (the rest of its URLs: `server-url.ts`).
 * `https://chat.example.de/beratung` is a base like `https://chat.example.de/beratung/`.
 */

/** The server's base URL with a trailing slash, or `undefined` if it is not an http(s) URL. */
export function serverBase(server: string | null | undefined, baseURI: string = document.baseURI): URL | undefined {
  if (server === null || server === undefined || server.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(server.trim(), baseURI);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.pathname = url.pathname.replace(/\/*$/, '/');
  url.search = '';
  url.hash = '';
  return url;
}
