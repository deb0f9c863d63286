/**
 * Canned responses end to end: the demo server on a real embedded store (its plugin seeds the team's snippets),
 * the console and an insurer page in real Chromium. The advisor types `/gru` in the composer, picks the
 * suggestion with Enter, the placeholders filled (the visitor's nickname, the advisor's name), sends it with
 * Enter, and the visitor reads the filled text.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { storageDefaults } from '../../src/server/config/store.js';
import { openStore } from '../../src/server/store/index.js';
import type { Db } from '../../src/server/store/sql.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { POPUP, acceptChat, advisorChat, openAdvisor, startVisitorChat, visitorWrites } from '../helpers/chat-pages.js';
import { embeddedTemplate } from '../helpers/postgres.js';
import type { TestServer } from '../helpers/server.js';

describe('canned responses, end to end', () => {
  let dir = '';
  let db: Db;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-snippets-e2e-'));
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
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('"/gru" and Enter inserts the greeting with the names filled; sent, the visitor reads it', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    const visitor = await context.newPage();
    try {
      await visitor.goto(`${server.url}/`);
      await startVisitorChat(visitor, 'Wanderfalke');
      await visitorWrites(visitor, 'Guten Tag!');
      await acceptChat(advisor.page, 'Wanderfalke', 'Guten Tag!');

      const chat = advisorChat(advisor.page, 'Wanderfalke');
      const composer = chat.locator('[part~="composer"]');
      await composer.click();
      await composer.pressSequentially('/gru');
      const suggestions = chat.locator('[part~="snippet-suggestions"]');
      // The chat is German: the German greeting comes first, and is the active option.
      await suggestions.locator('[role="option"][aria-selected="true"]').filter({ hasText: '/gruss' }).waitFor();
      assert.match((await suggestions.locator('[role="option"]').first().textContent()) ?? '', /\/gruss\s+DE/);
      await composer.press('Enter');

      const greeting = 'Guten Tag Wanderfalke, mein Name ist Demo-Beraterin. Wie kann ich Ihnen helfen?';
      assert.equal(await composer.inputValue(), greeting);
      await suggestions.waitFor({ state: 'detached' });
      await composer.press('Enter');

      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: greeting }).waitFor();
      assert.equal(await composer.inputValue(), '');
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });
});
