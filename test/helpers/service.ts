/**
 * The test servers of one run as a service: one node alone, or several nodes in this process on one throwaway
 * Redis (`redis.ts`), for the client tests that run each case both ways (reconnect.test.ts,
 * member-reconnect.test.ts). `close()` stops the nodes, then the Redis.
 */
import type { LotseConfig } from '../../src/server/config/lotse-config.js';
import { defaults } from '../../src/server/config/lotse-config.js';
import { startRedis } from './redis.js';
import { startTestServer } from './server.js';
import type { TestServer } from './server.js';

export interface TestService {
  /** The nodes, in the order started: their configuration and token secret are the same. */
  readonly nodes: readonly TestServer[];
  close(): Promise<void>;
}

/** The two ways the client tests run: one node, and two nodes through Redis. */
export const SERVICE_SHAPES = [
  { name: 'one node', nodes: 1 },
  { name: 'two nodes through Redis', nodes: 2 },
] as const;

export async function startService(count: number, overrides: Partial<LotseConfig> = {}): Promise<TestService> {
  if (count === 1) {
    const server = await startTestServer(overrides);
    return { nodes: [server], close: () => server.close() };
  }
  const redis = await startRedis();
  const nodes: TestServer[] = [];
  const close = async (): Promise<void> => {
    for (const node of nodes.splice(0)) await node.close();
    await redis.close();
  };
  try {
    for (let i = 0; i < count; i += 1) {
      nodes.push(await startTestServer({ ...overrides, redis: { ...defaults.redis, url: redis.url } }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes, close };
}
