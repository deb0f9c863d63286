/**
 * What a plugin may add to a server, and the one place plugins are mounted: a plugin contributes routes, member
 * tokens to verify when none are configured, a place to file transcripts when no webhook is configured, and a hook
 * once the server listens. The parts never know a plugin is there.
 */
import { join } from 'node:path';
import type { LotseConfig } from '../config/lotse-config.js';
import type { MemberTokenConfig } from '../config/member.js';
import { demoPlugin } from '../demo/plugin.js';
import type { Logger } from '../log.js';
import type { Route } from '../transport/router.js';
import type { Db } from '../store/sql.js';
import type { WebhookTarget } from '../webhook/webhook.js';

export interface ServerPlugin {
  /** Mounted in the one route table beside the parts' routes; a path taken twice throws at start. */
  routes: readonly Route[];
  /** Member tokens to verify when the configuration has none. */
  memberTokens?: MemberTokenConfig;
  /** Where ended member chats are filed when no webhook is configured (the port is known once listening). */
  webhookTarget?: (port: number) => WebhookTarget;
  /** Once the server listens: `allowOrigin` lets pages this server serves open sockets. */
  listening?: (port: number, server: { allowOrigin(origin: string): void }) => void;
  /** Once the store is open, before the server listens (the demo's canned responses). */
  storeOpened?: (db: Db) => Promise<void>;
}

/** Where plugins read their files from. */
export interface PluginPaths {
  demoDir: string;
}

export function pluginPaths(root: string): PluginPaths {
  return { demoDir: join(root, 'demo') };
}

/** The plugins the configuration asks for. */
export function mountPlugins(config: LotseConfig, log: Logger, paths: PluginPaths): ServerPlugin[] {
  return config.demo ? [demoPlugin({ config, log, dir: paths.demoDir })] : [];
}
