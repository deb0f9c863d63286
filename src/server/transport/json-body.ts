/**
 * A small JSON request body, for the admin endpoints that take one: `undefined` when it is larger than `limit`
 * bytes (the rest is read and dropped, so that the 413 reaches the sender) or is not JSON.
 */
import type { IncomingMessage } from 'node:http';

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

export function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBody> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    let chunks: Buffer[] | undefined = Number.isFinite(declared) && declared > limit ? undefined : [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (chunks === undefined) return;
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks = undefined;
    });
    request.once('end', () => {
      if (chunks === undefined) return resolve({ ok: false, status: 413 });
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ ok: false, status: 400 });
      }
    });
    request.once('error', reject);
  });
}
