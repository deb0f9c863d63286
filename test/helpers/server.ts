/**
 * A real Lotse server on a free port, configured for tests (short timeouts, fixed secret, no demo), always open
 * unless a test configures `hours`: no test depends on the wall clock. It logs to stderr at `warn` (so a test run
 * shows problems, not every chat), or at the level `LOTSE_TEST_LOG` names (`LOTSE_TEST_LOG=debug` to follow one).
 */
import { MAX_WAITING_CHATS } from '../../src/protocol/limits.js';
import { createLotseServer } from '../../src/server/app/server.js';
import { validateConfig, defaults } from '../../src/server/config/lotse-config.js';
import type { LotseConfig } from '../../src/server/config/lotse-config.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { createLogger } from '../../src/server/log.js';
import type { Logger, LogLevel } from '../../src/server/log.js';
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
  /** Where the server logs; by default stderr at `testLogLevel()`. A test that reads log lines passes its own. */
  log?: Logger;
  /** The clock of the opening hours (a test of the closed chat fixes it; never the wall clock). */
  hoursClock?: () => number;
}

/** The levels in order, quietest last. */
const LEVELS: readonly (LogLevel | 'silent')[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** The test servers' log level: `LOTSE_TEST_LOG` if set, else `warn`. A value that is no level is an error. */
export function testLogLevel(value = process.env['LOTSE_TEST_LOG']): LogLevel | 'silent' {
  if (value === undefined || value === '') return 'warn';
  const level = LEVELS.find((known) => known === value);
  if (level === undefined) throw new TypeError(`LOTSE_TEST_LOG must be one of ${LEVELS.join(', ')}; got "${value}"`);
  return level;
}

/**
 * For servers whose log lines a test collects (and which print nothing by default): which of those lines also go
 * to stderr. None without `LOTSE_TEST_LOG`; with it, those at or above the level it names. Checked here, once, so
 * that a bad value fails the test's setup and never a log call inside the server.
 */
export function testLogEcho(): (level: string) => boolean {
  if (!process.env['LOTSE_TEST_LOG']) return () => false;
  const threshold = LEVELS.indexOf(testLogLevel());
  return (level) => LEVELS.indexOf(level as LogLevel) >= threshold;
}

export async function startTestServer(
  overrides: Partial<LotseConfig> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const config = validateConfig({
    ...defaults,
    port: 0,
    host: '127.0.0.1',
    allowedOrigins: ['http://localhost:1234'],
    advisorTokens: { ...defaults.advisorTokens, secret: TEST_SECRET },
    hours: { ...defaults.hours, alwaysOpen: true },
    // Every browser in a test comes from 127.0.0.1: one client, for which the queue's share is the whole queue.
    limits: { ...defaults.limits, maxWaitingChatsPerClient: MAX_WAITING_CHATS },
    ...overrides,
  });
  const server = createLotseServer(config, {
    log: options.log ?? createLogger({ level: testLogLevel() }),
    store: options.store ?? null,
    ...(options.hoursClock === undefined ? {} : { hoursClock: options.hoursClock }),
  });
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
