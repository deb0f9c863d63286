/**
 * The callback offer while a chat waits long, end to end: the demo server with the built bundles and an embedded
 * store, its hours fixed at an open moment (Monday 28 December 2026, 10:00 Berlin), and no advisor signed in, so the
 * queue gives no estimate of the wait. A visitor on the demo's "Leistungen" page starts a chat and waits; under the
 * queue text the pop-up offers "Rückruf statt warten"; the request (topic preselected, sent after consent) ends the
 * waiting chat, the end view confirms it, and the console, opened afterwards, lists the request and no waiting chat.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Request } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import { storageDefaults } from '../../src/server/config/store.js';
import { DEMO_TOPICS } from '../../src/server/config/topics.js';
import { openStore } from '../../src/server/store/index.js';
import { sql } from '../../src/server/store/sql.js';
import type { Db } from '../../src/server/store/sql.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { CONSOLE, POPUP, openAdvisor, startVisitorChat } from '../helpers/chat-pages.js';
import { embeddedTemplate } from '../helpers/postgres.js';
import type { TestServer } from '../helpers/server.js';

const CLOCK = Date.parse('2026-12-28T09:00:00Z');
const OFFER = `${POPUP} lotse-callback`;

describe('callback offer while the chat waits long, end to end', () => {
  let server: TestServer;
  let browser: Browser;
  let db: Db;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-e2e-callback-wait-'));
    const dataDir = join(dir, 'data');
    cpSync(await embeddedTemplate(), dataDir, { recursive: true });
    db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
    server = await startDemoServer(
      [],
      {
        hours: { ...defaults.hours, alwaysOpen: false },
        chat: { ...defaults.chat, topics: [...DEMO_TOPICS] },
      },
      { store: db, hoursClock: () => CLOCK },
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no advisor available: the waiting visitor requests a callback instead; the chat ends, the console lists it', async () => {
    const context = await browser.newContext();
    let advisor: Awaited<ReturnType<typeof openAdvisor>> | undefined;
    try {
      const visitor = await context.newPage();
      const posted: string[] = [];
      visitor.on('request', (request: Request) => {
        if (request.method() === 'POST') posted.push(new URL(request.url()).pathname);
      });
      await visitor.goto(`${server.url}/leistungen.html`);
      await startVisitorChat(visitor, 'Reiher');
      await visitor.locator(`${POPUP} [part~="queue"]`).waitFor();
      const open = visitor.locator(`${OFFER} [part~="callback-open"]`);
      await open.filter({ hasText: 'Rückruf statt warten' }).waitFor();
      await open.click();

      assert.equal(await visitor.locator(`${OFFER} [part~="callback-topic"]`).inputValue(), 'leistungen');
      await visitor.locator(`${OFFER} [part~="callback-phone"]`).fill('0151 23456789');
      await visitor.locator(`${OFFER} [part~="callback-window"]`).selectOption({ index: 1 });
      await visitor.locator(`${OFFER} [part~="callback-consent"]`).check();
      await visitor.locator(`${OFFER} [part~="callback-submit"]`).click();
      await visitor.locator(`${POPUP} [part~="callback-done"]`).filter({ hasText: '+4915123456789' }).waitFor();
      await visitor.locator(`${POPUP} [part~="ended"]`).filter({ hasText: 'beendet' }).waitFor();
      assert.deepEqual(posted, ['/callback']);

      advisor = await openAdvisor(browser, server);
      const item = advisor.page.locator(`${CONSOLE} [part~="callback"]`).filter({ hasText: '+4915123456789' });
      await item.filter({ hasText: 'Leistungen' }).waitFor();
      assert.equal(
        await advisor.page.locator(`${CONSOLE} [part~="queue-item"]`).filter({ hasText: 'Reiher' }).count(),
        0,
        'the chat no longer waits',
      );
      const rows = await db.query<{ phone: string; topic: string | null }>(
        sql`SELECT phone, topic FROM callback_requests`,
      );
      assert.deepEqual(rows, [{ phone: '+4915123456789', topic: 'leistungen' }]);
    } finally {
      await context.close();
      await advisor?.context.close();
    }
  });
});
