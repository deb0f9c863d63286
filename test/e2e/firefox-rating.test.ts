/**
 * The satisfaction rating with the visitor in Firefox (Debian's ESR over WebDriver BiDi, `test/helpers/firefox.ts`)
 * and the advisor's console in Chromium, against the demo server with the built bundles and an embedded store: the
 * same flow as `rating.test.ts` in Chromium. The advisor ends a chat; the visitor rates it with one click, and the
 * count shows through the admin endpoint; a skipped rating stores nothing.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { storageDefaults } from '../../src/server/config/store.js';
import { openStore } from '../../src/server/store/index.js';
import type { Db } from '../../src/server/store/sql.js';
import { mintAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { CONSOLE, acceptChat, openAdvisor } from '../helpers/chat-pages.js';
import {
  click,
  closeFirefox,
  closeFirefoxPage,
  deep,
  launchFirefox,
  newFirefoxPage,
  waitFor,
} from '../helpers/firefox.js';
import type { FirefoxBrowser, FirefoxPage } from '../helpers/firefox.js';
import { chatPart, startChat, visitorWrites } from '../helpers/firefox-visitor.js';
import { embeddedTemplate } from '../helpers/postgres.js';
import type { TestServer } from '../helpers/server.js';

const rating = (selector: string): string => deep('lotse-chat', 'lotse-chat-popup', 'lotse-chat-rating', selector);

describe('satisfaction rating with a Firefox visitor, end to end', () => {
  let server: TestServer;
  let chromium: Browser;
  let firefox: FirefoxBrowser;
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), 'lotse-e2e-firefox-rating-'));

  before(async () => {
    const dataDir = join(dir, 'data');
    cpSync(await embeddedTemplate(), dataDir, { recursive: true });
    db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
    server = await startDemoServer([], {}, { store: db });
    [chromium, firefox] = await Promise.all([launchChromium(), launchFirefox()]);
  });

  after(async () => {
    await closeFirefox(firefox);
    await chromium?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ratings(): Promise<[number, number][]> {
    const token = await mintAdvisorToken({ id: 'adv-admin', name: 'Admin', roles: ['admin'] }, server.config, 60);
    const response = await fetch(`${server.url}/admin/ratings`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    const { ratings: rows } = (await response.json()) as { ratings: { score: number; count: number }[] };
    return rows.map(({ score, count }) => [score, count]);
  }

  /** A chat the demo advisor accepted, ended by the advisor; the visitor's page on its end screen. */
  async function endedChat(advisor: Page, visitor: FirefoxPage, nickname: string): Promise<void> {
    await visitor.goto(`${server.url}/`);
    await startChat(visitor, nickname);
    await visitorWrites(visitor, `Frage von ${nickname}`);
    await acceptChat(advisor, nickname, `Frage von ${nickname}`);
    await advisor.locator(`${CONSOLE} [part~="end"]`).click();
    await waitFor(visitor, chatPart('copy'));
  }

  it('one click counts the score, seen through /admin/ratings; skipping stores nothing', async () => {
    const advisor = await openAdvisor(chromium, server);
    let first: FirefoxPage | undefined;
    let second: FirefoxPage | undefined;
    try {
      first = await newFirefoxPage(firefox);
      await endedChat(advisor.page, first, 'Kranich');
      await click(first, rating('[part~="rating-score"][aria-label="4 von 5"]'));
      await waitFor(first, rating('[role="status"]'), { text: 'Vielen Dank' });
      assert.deepEqual(await ratings(), [[4, 1]]);

      await advisor.page.locator(`${CONSOLE} [part~="dismiss"]`).click();
      second = await newFirefoxPage(firefox);
      await endedChat(advisor.page, second, 'Reiher');
      await click(second, rating('[part~="rating-skip"]'));
      await waitFor(second, rating('[part~="rating"]'), { state: 'detached' });
      assert.deepEqual(await ratings(), [[4, 1]]);
    } finally {
      await closeFirefoxPage(first);
      await closeFirefoxPage(second);
      await advisor.context.close();
    }
  });
});
