/**
 * The advisor WebSocket URL from the server's base URL: `https://chat.example.de/lotse` becomes
 * `wss://chat.example.de/lotse/ws/advisor`. Only http and https bases are accepted; anything else gives
 * `undefined`, which the console shows as a configuration problem.
 */
export function advisorSocketUrl(server: string | null | undefined, base?: string): string | undefined {
  if (server === null || server === undefined || server.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(server.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = url.pathname.replace(/\/+$/, '') + '/ws/advisor';
  url.search = '';
  url.hash = '';
  return url.href;
}
