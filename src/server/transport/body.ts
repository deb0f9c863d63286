/**
 * Reading a request body with a bound: nothing past the limit is ever buffered. The one reader of every route that
 * takes a body (callbacks, ratings, the admin's canned responses, a webhook receiver).
 */
import type { IncomingMessage } from 'node:http';

/**
 * The body, or `undefined` as soon as it passes `limit` bytes (or declares more in `Content-Length`); the rest is
 * then read and dropped (not buffered), so that the 413 reaches the sender before the connection closes.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    let chunks: Buffer[] | undefined = Number.isFinite(declared) && declared > limit ? undefined : [];
    let size = 0;
    if (chunks === undefined) resolve(undefined);
    request.on('data', (chunk: Buffer) => {
      if (chunks === undefined) return;
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks = undefined;
      resolve(undefined);
    });
    request.once('end', () => resolve(chunks === undefined ? undefined : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

/** A small JSON body: 413 when it is larger than `limit` bytes, 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBody> {
  const body = await readBody(request, limit);
  if (body === undefined) return { ok: false, status: 413 };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400 };
  }
}
