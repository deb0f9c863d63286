/**
 * A real Lotse server on a free port, configured for tests (short timeouts, fixed secret, no demo), always open
 * unless a test configures `hours`: no test depends on the wall clock.
 */
import { createLotseServer } from '../../src/server/server.js';
import { validateConfig, defaults } from '../../src/server/config.js';
import type { LotseConfig } from '../../src/server/config.js';
import { mintAdvisorToken } from '../../src/server/auth.js';
import type { Db } from '../../src/server/store/sql.js';

export interface TestServer {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  config: LotseConfig;
  server: ReturnType<typeof createLotseServer>;
  mintAdvisorToken(id: string, name: string, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestServerOptions {
  /**
   * Storage: `null` (the default) stores nothing; these servers test the browser flows and storage has its own
   * tests (test/server/store*.test.ts). A `Db` is used and left open (the caller closes it).
   */
  store?: Db | null;
}

export async function startTestServer(overrides: Partial<LotseConfig> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const config = validateConfig({
    ...defaults,
    port: 0,
    host: '127.0.0.1',
    allowedOrigins: ['http://localhost:1234'],
    advisorTokens: { ...defaults.advisorTokens, secret: TEST_SECRET },
    hours: { ...defaults.hours, alwaysOpen: true },
    ...overrides,
  });
  const server = createLotseServer(config, { store: options.store ?? null });
  const { port } = await server.listen();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    config,
    server,
    mintAdvisorToken: (id, name, ttlSeconds = 3600) => mintAdvisorToken({ id, name }, config, ttlSeconds),
    close: () => server.close(),
  };
}
