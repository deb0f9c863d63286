/**
 * The satisfaction rating end to end: real Chromium pages (the insurer page and the console), the real server with
 * the built bundles and an embedded store. A chat ends, the visitor rates it with one click, and the count shows
 * through the admin endpoint; a skipped rating stores nothing.
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
import { embeddedTemplate } from '../helpers/postgres.js';
import type { TestServer } from '../helpers/server.js';
import { CONSOLE, POPUP, acceptChat, openAdvisor, startVisitorChat, visitorWrites } from '../helpers/chat-pages.js';

const RATING = `${POPUP} lotse-chat-rating`;

describe('satisfaction rating, end to end', () => {
  let server: TestServer;
  let browser: Browser;
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), 'lotse-e2e-rating-'));

  before(async () => {
    const dataDir = join(dir, 'data');
    cpSync(await embeddedTemplate(), dataDir, { recursive: true });
    db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
    server = await startDemoServer([], {}, { store: db });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ratings(): Promise<{ topic: string | null; score: number; count: number }[]> {
    const token = await mintAdvisorToken({ id: 'adv-admin', name: 'Admin', roles: ['admin'] }, server.config, 60);
    const response = await fetch(`${server.url}/admin/ratings`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    return ((await response.json()) as { ratings: { topic: string | null; score: number; count: number }[] }).ratings;
  }

  /** A chat the demo advisor accepted, ended by the advisor; the visitor's page on its end screen. */
  async function endedChat(advisor: Page, visitor: Page, nickname: string): Promise<void> {
    await visitor.goto(`${server.url}/`);
    await startVisitorChat(visitor, nickname);
    await visitorWrites(visitor, `Frage von ${nickname}`);
    await acceptChat(advisor, nickname, `Frage von ${nickname}`);
    await advisor.locator(`${CONSOLE} [part~="end"]`).click();
    await visitor.locator(`${POPUP} [part~="copy"]`).waitFor();
  }

  it('one click counts the score, seen through /admin/ratings; skipping stores nothing', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    try {
      const visitor = await context.newPage();
      await endedChat(advisor.page, visitor, 'Kranich');
      await visitor.locator(`${RATING} [part~="rating-score"]`).nth(3).click();
      await visitor.locator(`${RATING} [role="status"]`).filter({ hasText: 'Vielen Dank' }).waitFor();
      assert.deepEqual(
        (await ratings()).map(({ topic, score, count }) => ({ topic, score, count })),
        [{ topic: null, score: 4, count: 1 }],
      );
      const rows = await db.query<{ row: string }>({ text: 'SELECT r::text AS row FROM ratings r', values: [] });
      assert.equal(rows.length, 1);
      assert.ok(!rows[0]?.row.includes('Kranich'));

      await advisor.page.locator(`${CONSOLE} [part~="dismiss"]`).click();
      const second = await context.newPage();
      await endedChat(advisor.page, second, 'Reiher');
      await second.locator(`${RATING} [part~="rating-skip"]`).click();
      await second.locator(`${RATING} [part~="rating"]`).waitFor({ state: 'detached' });
      assert.deepEqual(
        (await ratings()).map(({ score, count }) => [score, count]),
        [[4, 1]],
      );
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });
});
