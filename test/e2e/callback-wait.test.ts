/**
 * The callback offer while a chat waits long, end to end: the demo server with the built bundles and an embedded
 * store, its hours fixed at an open moment (Monday 28 December 2026, 10:00 Berlin), and no advisor signed in, so the
 * queue gives no estimate of the wait. A visitor on the demo's "Leistungen" page starts a chat and waits; under the
 * queue text the pop-up offers "Rückruf statt warten"; the request (topic preselected, sent after consent) ends the
 * waiting chat, the end view confirms it, and the console, opened afterwards, lists the request and no waiting chat.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Request } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import { DEMO_TOPICS } from '../../src/server/config/topics.js';
import { sql } from '../../src/server/store/sql.js';
import { launchChromium } from '../helpers/browser.js';
import {
  callbackPart,
  consentAndSubmit,
  consoleCallback,
  fillCallback,
  startStoredDemo,
} from '../helpers/callback-pages.js';
import type { StoredDemo } from '../helpers/callback-pages.js';
import { CONSOLE, POPUP, openAdvisor, startVisitorChat } from '../helpers/chat-pages.js';

const CLOCK = Date.parse('2026-12-28T09:00:00Z');
const OFFER = `${POPUP} lotse-callback`;

describe('callback offer while the chat waits long, end to end', () => {
  let demo: StoredDemo;
  let browser: Browser;

  before(async () => {
    demo = await startStoredDemo('callback-wait', CLOCK, { chat: { ...defaults.chat, topics: [...DEMO_TOPICS] } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('no advisor available: the waiting visitor requests a callback instead; the chat ends, the console lists it', async () => {
    const { server, db } = demo;
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
      const open = callbackPart(visitor, OFFER, 'callback-open');
      await open.filter({ hasText: 'Rückruf statt warten' }).waitFor();
      await open.click();

      assert.equal(await callbackPart(visitor, OFFER, 'callback-topic').inputValue(), 'leistungen');
      await fillCallback(visitor, OFFER, '0151 23456789');
      await consentAndSubmit(visitor, OFFER);
      await visitor.locator(`${POPUP} [part~="callback-done"]`).filter({ hasText: '+4915123456789' }).waitFor();
      await visitor.locator(`${POPUP} [part~="ended"]`).filter({ hasText: 'beendet' }).waitFor();
      assert.deepEqual(posted, ['/callback']);

      advisor = await openAdvisor(browser, server);
      await consoleCallback(advisor.page, '+4915123456789').filter({ hasText: 'Leistungen' }).waitFor();
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
