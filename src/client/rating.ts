/**
 * Sends a satisfaction rating: `POST <server>/rating` with the single-use ticket and the score, as `text/plain` so
 * that the insurer's page sends it to the Lotse origin without a CORS preflight, and without credentials. Only
 * after the chat (so after the visitor's consent), and only on the visitor's click.
 */

/** True when the server (at `base`, the element's `server`) counted it. */
export async function sendRating(base: URL, ticket: string, score: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('rating', base), {
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
