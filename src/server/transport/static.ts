/** Static files: locating the package root, and serving a file from a directory without leaving it. */
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The directory holding package.json, walking up from this module (works from src/ and from dist/lib/). */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the server module');
    dir = parent;
  }
}

/**
 * Resolves a URL path below `root`; undefined for anything that could leave it (`..`, encoded slashes, NUL,
 * dot-files).
 */
export function safeJoin(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  const base = resolve(root);
  const full = resolve(base, ...segments);
  return full === base || full.startsWith(base + sep) ? full : undefined;
}

/**
 * Serves `urlPath` from `root` with the given headers. Resolves false when there is no such file (the caller
 * answers 404); symlinks pointing outside `root` count as missing, and so does a file `refuse` says no to: it sees
 * the file as resolved on disk, after decoding and normalising, so `a.js%2emap` or `a.js.map/` cannot slip past it.
 */
export async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  root: string,
  urlPath: string,
  headers: Readonly<Record<string, string>> = {},
  refuse: (file: string) => boolean = () => false,
): Promise<boolean> {
  const path = safeJoin(root, urlPath);
  if (path === undefined || refuse(path)) return false;
  let real: string;
  let size: number;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!realFile.startsWith(realRoot + sep) || refuse(realFile)) return false;
    const info = await stat(realFile);
    if (!info.isFile()) return false;
    real = realFile;
    size = info.size;
  } catch {
    return false;
  }
  response.writeHead(200, { 'Content-Type': contentTypeOf(real), 'Content-Length': String(size), ...headers });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  const stream = createReadStream(real);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
  return true;
}
