/**
 * Callback requests on the demo pages, for the end-to-end tests: the demo server (built bundles) on an embedded
 * store of its own with its hours' clock fixed, and the steps of the callback form (`<lotse-callback>`, in the
 * launcher while closed or in the pop-up) as a person does them (playwright-core).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import type { LotseConfig } from '../../src/server/config/lotse-config.js';
import { storageDefaults } from '../../src/server/config/store.js';
import { openStore } from '../../src/server/store/index.js';
import type { Db } from '../../src/server/store/sql.js';
import { startDemoServer } from './browser.js';
import { CONSOLE } from './chat-pages.js';
import { embeddedTemplate } from './postgres.js';
import type { TestServer } from './server.js';

export interface StoredDemo {
  server: TestServer;
  db: Db;
  /** Stops the server, closes the store and removes its folder; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The demo server with opening hours (not always open), their clock fixed at `clock`, on an embedded store copied
 * from the template into a temporary folder named after `name`; `overrides` go over the defaults.
 */
export async function startStoredDemo(
  name: string,
  clock: number,
  overrides: Partial<LotseConfig> = {},
): Promise<StoredDemo> {
  const dir = mkdtempSync(join(tmpdir(), `lotse-e2e-${name}-`));
  const dataDir = join(dir, 'data');
  let db: Db | undefined;
  let server: TestServer | undefined;
  const close = async (): Promise<void> => {
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    cpSync(await embeddedTemplate(), dataDir, { recursive: true });
    db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
    server = await startDemoServer(
      [],
      { hours: { ...defaults.hours, alwaysOpen: false }, ...overrides },
      { store: db, hoursClock: () => clock },
    );
    return { server, db, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A part inside the callback panel at `panel` (a selector down to `<lotse-callback>`). */
export function callbackPart(page: Page, panel: string, name: string): Locator {
  return page.locator(`${panel} [part~="${name}"]`);
}

/** Types the phone number and chooses the first call window. */
export async function fillCallback(page: Page, panel: string, phone: string): Promise<void> {
  await callbackPart(page, panel, 'callback-phone').fill(phone);
  await callbackPart(page, panel, 'callback-window').selectOption({ index: 1 });
}

/** Sends the form with the consent box unticked and waits for the error at the box. */
export async function submitWithoutConsent(page: Page, panel: string): Promise<void> {
  await callbackPart(page, panel, 'callback-submit').click();
  await page.locator(`${panel} #consent-error`).waitFor();
}

/** Ticks the consent box and sends the form. */
export async function consentAndSubmit(page: Page, panel: string): Promise<void> {
  await callbackPart(page, panel, 'callback-consent').check();
  await callbackPart(page, panel, 'callback-submit').click();
}

/** The console's entry for the callback request with this (normalised) number. */
export function consoleCallback(advisor: Page, phone: string): Locator {
  return advisor.locator(`${CONSOLE} [part~="callback"]`).filter({ hasText: phone });
}
