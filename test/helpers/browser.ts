/** Debian's Chromium through playwright-core (never a downloaded browser), and a demo server on a free port. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
// @ts-expect-error -- plain ESM helper shared with the test runner config, no types needed
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startTestServer } from './server.js';
import type { TestServer, TestServerOptions } from './server.js';
import type { LotseConfig } from '../../src/server/config/lotse-config.js';

/** Debian's Chromium with the project's flags, and any `extraArgs` a test needs on top. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath() as string,
    args: [...(chromiumArgs as string[]), ...extraArgs],
    headless: true,
  });
}

/** A port that was free a moment ago (the server needs its own origin in `allowedOrigins` before it listens). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The demo server (pages, bundles from dist/, WebSocket) as `npm start` runs it, on a free port. */
export async function startDemoServer(
  extraOrigins: string[] = [],
  overrides: Partial<LotseConfig> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const port = await freePort();
  return startTestServer(
    {
      demo: true,
      port,
      allowedOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...extraOrigins],
      ...overrides,
    },
    options,
  );
}
