/**
 * The callback offer when there is no room, end to end: the demo server with the built bundles and an embedded
 * store, its hours fixed at an open moment (Monday 28 December 2026, 10:00 Berlin) and a queue of one
 * (`limits.maxWaitingChats`). One visitor waits; the next, on the demo's "Leistungen" page, is refused
 * (`LOTSE_ERR_BUSY`), and the pop-up's end view offers a callback instead: the topic of the page preselected, the
 * request sent after consent, and the console lists it live with the topic's label.
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

describe('callback offer when the queue is full, end to end', () => {
  let server: TestServer;
  let browser: Browser;
  let db: Db;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-e2e-callback-busy-'));
    const dataDir = join(dir, 'data');
    cpSync(await embeddedTemplate(), dataDir, { recursive: true });
    db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
    server = await startDemoServer(
      [],
      {
        hours: { ...defaults.hours, alwaysOpen: false },
        limits: { ...defaults.limits, maxWaitingChats: 1 },
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

  it('a refused start offers a callback; the request arrives in the console with its topic', async () => {
    const advisor = await openAdvisor(browser, server);
    const first = await browser.newContext();
    const second = await browser.newContext();
    try {
      await advisor.page.locator(`${CONSOLE} [part~="callbacks-count"]`).filter({ hasText: 'Keine' }).waitFor();
      const waiting = await first.newPage();
      await waiting.goto(`${server.url}/`);
      await startVisitorChat(waiting, 'Kranich');

      const visitor = await second.newPage();
      const posted: { path: string; body: string | null }[] = [];
      visitor.on('request', (request: Request) => {
        if (request.method() === 'POST')
          posted.push({ path: new URL(request.url()).pathname, body: request.postData() });
      });
      await visitor.goto(`${server.url}/leistungen.html`);
      await visitor.locator('lotse-chat [part~="launcher"]').click();
      await visitor.locator(`${POPUP} [part~="terms-checkbox"]`).check();
      await visitor.locator(`${POPUP} [part~="terms-accept"]`).click();
      await visitor.locator(`${POPUP} [part~="nickname"]`).fill('Reiher');
      await visitor.locator(`${POPUP} [part~="nickname-submit"]`).click();
      await visitor.locator(`${POPUP} [part~="ended"]`).filter({ hasText: 'nicht geführt' }).waitFor();
      await visitor.locator(OFFER).filter({ hasText: 'Alle Beraterinnen und Berater' }).waitFor();
      await visitor.locator(`${OFFER} [part~="callback-open"]`).click();

      assert.equal(await visitor.locator(`${OFFER} [part~="callback-topic"]`).inputValue(), 'leistungen');
      await visitor.locator(`${OFFER} [part~="callback-phone"]`).fill('0151 23456789');
      await visitor.locator(`${OFFER} [part~="callback-window"]`).selectOption({ index: 1 });
      await visitor.locator(`${OFFER} [part~="callback-submit"]`).click();
      await visitor.locator(`${OFFER} #consent-error`).waitFor();
      assert.equal(posted.length, 0, 'nothing posted before consent');
      await visitor.locator(`${OFFER} [part~="callback-consent"]`).check();
      await visitor.locator(`${OFFER} [part~="callback-submit"]`).click();
      await visitor.locator(`${OFFER} [part~="callback-done"]`).filter({ hasText: '+4915123456789' }).waitFor();
      assert.deepEqual(
        posted.map((request) => request.path),
        ['/callback'],
      );

      const item = advisor.page.locator(`${CONSOLE} [part~="callback"]`).filter({ hasText: '+4915123456789' });
      await item.filter({ hasText: 'Leistungen' }).waitFor();
      const rows = await db.query<{ phone: string; topic: string | null }>(
        sql`SELECT phone, topic FROM callback_requests`,
      );
      assert.deepEqual(rows, [{ phone: '+4915123456789', topic: 'leistungen' }]);
    } finally {
      await first.close();
      await second.close();
      await advisor.context.close();
    }
  });
});
