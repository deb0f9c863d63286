/**
 * The insurer's own site on ANOTHER origin than the Lotse server, as in production: serves the HTML pages of
 * test/e2e/fixtures (with {{LOTSE}} replaced by the Lotse server's base URL) and a Lit element bundled on the fly
 * with esbuild, so that shadow DOM with adopted stylesheets is tested with the real Lit.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const dir = new URL('../e2e/fixtures/', import.meta.url);

export interface FixtureSite {
  origin: string;
  /** Set once the Lotse server is up: pages load `${lotse}/lotse/lotse.js`. */
  lotse: string;
  close(): Promise<void>;
}

export async function startFixtureSite(): Promise<FixtureSite> {
  let litBundle: string | undefined;
  const site: FixtureSite = { origin: '', lotse: '', close: async () => undefined };
  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/lit-card.js') {
        litBundle ??= (
          await build({
            entryPoints: [new URL('lit-card.ts', dir).pathname],
            bundle: true,
            format: 'esm',
            write: false,
            logLevel: 'silent',
          })
        ).outputFiles[0]!.text;
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(litBundle);
        return;
      }
      const name = path === '/' ? 'canary.html' : path.slice(1);
      if (!/^[\w-]+\.html$/.test(name)) throw new Error('not a fixture');
      const html = (await readFile(new URL(name, dir), 'utf8')).replaceAll('{{LOTSE}}', site.lotse);
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    } catch {
      response.writeHead(404).end();
    }
  };
  const server = createServer((request, response) => {
    serve(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return site;
}
