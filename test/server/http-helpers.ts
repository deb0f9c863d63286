/**
 * Raw HTTP for the server's tests: a request sent as written (so that paths like `/lotse/../x` reach the server
 * unnormalised), and the folder of stand-in bundles and demo pages that the static routes serve.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to `base` (a server's URL) for `path` exactly as given. */
export function rawRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(base);
  const { method = 'GET', headers = {} } = options;
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers every answer carries, whatever route gave it (`transport/headers.ts`). */
export function assertSecurityHeaders(reply: Reply): void {
  assert.equal(reply.headers['x-content-type-options'], 'nosniff');
  assert.equal(reply.headers['referrer-policy'], 'no-referrer');
  assert.equal(reply.headers['set-cookie'], undefined);
}

export interface ServedFiles {
  readonly dir: string;
  /** The server options that serve this folder's `cdn/` and `demo/`. */
  readonly paths: { paths: { cdnDir: string; demoDir: string } };
  remove(): void;
}

/**
 * A throwaway folder with a stand-in bundle (`cdn/lotse.js`, `cdn/chunks/a.css`), two demo pages and, beside them,
 * a file no route may serve (`secret.txt`). `files` adds or replaces files by their path below the folder.
 */
export function servedFiles(prefix: string, files: Record<string, string> = {}): ServedFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'cdn', 'chunks'), { recursive: true });
  mkdirSync(join(dir, 'demo'));
  const all: Record<string, string> = {
    'cdn/lotse.js': 'export const x = 1;\n',
    'cdn/chunks/a.css': 'p{}',
    'secret.txt': 'do not serve',
    'demo/index.html': '<!doctype html><title>Demo</title>',
    'demo/advisor.html': '<!doctype html><title>Advisor</title>',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) writeFileSync(join(dir, path), text);
  return {
    dir,
    paths: { paths: { cdnDir: join(dir, 'cdn'), demoDir: join(dir, 'demo') } },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
