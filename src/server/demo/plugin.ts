/**
 * Demo mode as one plugin: everything `lotse serve --demo` adds to a server, and the only way in. The composition
 * root (`server/app/plugins.ts`) mounts it when the configuration says `demo`; no production module knows it.
 *
 * - the demo pages and this machine's advisor token (`pages.ts`);
 * - without configured member tokens, a member area of its own: a key pair made at start whose tokens the server
 *   verifies, and `GET /demo/member-token` (`member-issuer.ts`);
 * - without a configured webhook, a receiver of its own that the server files transcripts to
 *   (`webhook-receiver.ts`);
 * - once listening: its pages' origins (`http://localhost:<port>`, `http://127.0.0.1:<port>`) allowed to open
 *   sockets, and a warning (`server.demo_exposed`) when it listens beyond loopback;
 * - once the store is open: a few team canned responses in German and English (`snippets.ts`).
 */
import type { LotseConfig } from '../config/lotse-config.js';
import { memberChatConfigured } from '../config/member.js';
import type { MemberTokenConfig } from '../config/member.js';
import type { Logger } from '../log.js';
import { isLoopbackHost } from '../transport/loopback.js';
import type { Route } from '../transport/router.js';
import type { WebhookTarget } from '../webhook/webhook.js';
import { createDemoMemberIssuer } from './member-issuer.js';
import { demoPageRoutes } from './pages.js';
import { seedDemoSnippets } from './snippets.js';
import type { Db } from '../store/sql.js';
import { DEMO_WEBHOOK_PATH, DemoReceiver } from './webhook-receiver.js';

declare module '../log.js' {
  interface PluginLogEvents {
    /** Demo mode listens on an address other machines reach (warn). */
    'server.demo_exposed': true;
  }
}

export interface DemoPluginOptions {
  config: LotseConfig;
  log: Logger;
  /** The demo pages (the repository's `demo/`). */
  dir: string;
}

export interface DemoPlugin {
  routes: Route[];
  /** The demo member area's token settings, when no member tokens are configured. */
  memberTokens?: MemberTokenConfig;
  /** The demo receiver, when no webhook is configured: on this server, so known once it listens. */
  webhookTarget?: (port: number) => WebhookTarget;
  listening(port: number, server: { allowOrigin(origin: string): void }): void;
  /** Once the store is open: the demo's team canned responses (`snippets.ts`). */
  storeOpened(db: Db): Promise<void>;
}

export function demoPlugin({ config, log, dir }: DemoPluginOptions): DemoPlugin {
  const member = memberChatConfigured(config.member) ? undefined : createDemoMemberIssuer(config.member.tokens);
  const receiver = config.member.webhook.url === undefined ? new DemoReceiver() : undefined;
  const { timeoutSeconds } = config.member.webhook;
  return {
    routes: [...demoPageRoutes({ config, dir, member }), ...(receiver?.routes() ?? [])],
    ...(member === undefined ? {} : { memberTokens: member.tokens }),
    ...(receiver === undefined
      ? {}
      : {
          webhookTarget: (port: number) => ({
            url: `http://127.0.0.1:${port}${DEMO_WEBHOOK_PATH}`,
            secret: receiver.secret,
            timeoutSeconds,
          }),
        }),
    storeOpened: (db) => seedDemoSnippets(db, config.snippets),
    listening: (port, server) => {
      server.allowOrigin(`http://localhost:${port}`);
      server.allowOrigin(`http://127.0.0.1:${port}`);
      if (!isLoopbackHost(config.host)) log.warn('server.demo_exposed', { port });
    },
  };
}
