/**
 * The callback offer when there is no room, end to end: the demo server with the built bundles and an embedded
 * store, its hours fixed at an open moment (Monday 28 December 2026, 10:00 Berlin) and a queue of one
 * (`limits.maxWaitingChats`). One visitor waits; the next, on the demo's "Leistungen" page, is refused
 * (`LOTSE_ERR_BUSY`), and the pop-up's end view offers a callback instead: the topic of the page preselected, the
 * request sent after consent, and the console lists it live with the topic's label.
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
  submitWithoutConsent,
} from '../helpers/callback-pages.js';
import type { StoredDemo } from '../helpers/callback-pages.js';
import { CONSOLE, POPUP, askForVisitorChat, openAdvisor, startVisitorChat } from '../helpers/chat-pages.js';

const CLOCK = Date.parse('2026-12-28T09:00:00Z');
const OFFER = `${POPUP} lotse-callback`;

describe('callback offer when the queue is full, end to end', () => {
  let demo: StoredDemo;
  let browser: Browser;

  before(async () => {
    demo = await startStoredDemo('callback-busy', CLOCK, {
      limits: { ...defaults.limits, maxWaitingChats: 1 },
      chat: { ...defaults.chat, topics: [...DEMO_TOPICS] },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('a refused start offers a callback; the request arrives in the console with its topic', async () => {
    const { server, db } = demo;
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
      await askForVisitorChat(visitor, 'Reiher');
      await visitor.locator(`${POPUP} [part~="ended"]`).filter({ hasText: 'nicht geführt' }).waitFor();
      await visitor.locator(OFFER).filter({ hasText: 'Alle Beraterinnen und Berater' }).waitFor();
      await callbackPart(visitor, OFFER, 'callback-open').click();

      assert.equal(await callbackPart(visitor, OFFER, 'callback-topic').inputValue(), 'leistungen');
      await fillCallback(visitor, OFFER, '0151 23456789');
      await submitWithoutConsent(visitor, OFFER);
      assert.equal(posted.length, 0, 'nothing posted before consent');
      await consentAndSubmit(visitor, OFFER);
      await callbackPart(visitor, OFFER, 'callback-done').filter({ hasText: '+4915123456789' }).waitFor();
      assert.deepEqual(
        posted.map((request) => request.path),
        ['/callback'],
      );

      await consoleCallback(advisor.page, '+4915123456789').filter({ hasText: 'Leistungen' }).waitFor();
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
