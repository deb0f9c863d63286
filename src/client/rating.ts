/**
 * Sends a satisfaction rating: `POST <server>/rating` with the single-use ticket and the score, as `text/plain` so
 * that the insurer's page sends it to the Lotse origin without a CORS preflight, and without credentials. Only
 * after the chat (so after the visitor's consent), and only on the visitor's click.
 */

/** The rating endpoint beside the visitor's WebSocket endpoint: `wss://h/p/ws/visitor` → `https://h/p/rating`. */
export function ratingUrl(socketUrl: string): string {
  const url = new URL('../rating', socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.href;
}

/** True when the server counted it. */
export async function sendRating(socketUrl: string, ticket: string, score: number): Promise<boolean> {
  try {
    const response = await fetch(ratingUrl(socketUrl), {
      method: 'POST',
      body: JSON.stringify({ ticket, score }),
      headers: { 'Content-Type': 'text/plain' },
      credentials: 'omit',
    });
    return response.ok;
  } catch {
    return false;
  }
}
