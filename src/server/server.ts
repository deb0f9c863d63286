/** `createLotseServer(config)`: one HTTP server carrying the routes and the WebSocket gateway. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatHub } from './chats.js';
import type { CobrowseTiming } from './cobrowse/hub.js';
import { validateConfig } from './config.js';
import type { LotseConfig } from './config.js';
import { Gateway } from './gateway.js';
import { createRequestHandler, defaultPaths } from './http.js';
import type { HttpPaths } from './http.js';
import { createLogger } from './log.js';
import type { Logger } from './log.js';
import { isLoopbackHost } from './loopback.js';
import { packageRoot } from './static.js';

export interface ServerOptions {
  /** Where log lines go; a stderr JSON logger by default. */
  log?: Logger;
  /** Override where bundles and demo pages are read from (tests). */
  paths?: Partial<HttpPaths>;
  /** Shorter co-browse resume and start-code windows than the protocol's (tests only). */
  cobrowseTiming?: Partial<CobrowseTiming>;
}

export interface LotseServer {
  listen(): Promise<{ port: number; url: string }>;
  /** Closes every socket (4003), clears every timer, stops listening. Idempotent. */
  close(): Promise<void>;
  readonly http: Server;
  readonly hub: ChatHub;
  readonly config: LotseConfig;
}

export function createLotseServer(input: LotseConfig, options: ServerOptions = {}): LotseServer {
  const config = validateConfig(input);
  const log = options.log ?? createLogger();
  const paths: HttpPaths = { ...defaultPaths(packageRoot()), ...options.paths };
  const hub = new ChatHub(config, {
    log,
    ...(options.cobrowseTiming === undefined ? {} : { cobrowseTiming: options.cobrowseTiming }),
  });
  const gateway = new Gateway(hub, log);
  const http = createServer(createRequestHandler(config, paths, log));
  http.on('upgrade', (request, socket, head: Buffer) => gateway.handleUpgrade(request, socket, head));
  http.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  let closing: Promise<void> | undefined;

  const listen = (): Promise<{ port: number; url: string }> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      http.once('error', onError);
      http.listen(config.port, config.host, () => {
        http.off('error', onError);
        const { port } = http.address() as AddressInfo;
        if (config.demo) {
          gateway.allowOrigin(`http://localhost:${port}`);
          gateway.allowOrigin(`http://127.0.0.1:${port}`);
        }
        log.info('server.listening', { port });
        if (config.demo && !isLoopbackHost(config.host)) log.warn('server.demo_exposed', { port });
        const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        resolve({ port, url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}` });
      });
    });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      hub.close();
      const stopped = new Promise<void>((resolve) => {
        if (!http.listening) resolve();
        else http.close(() => resolve());
      });
      http.closeAllConnections();
      await gateway.close();
      await stopped;
      log.info('server.closed');
    })();
    return closing;
  };

  return { listen, close, http, hub, config };
}
