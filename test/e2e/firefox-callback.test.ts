/**
 * Callback requests with the visitor in Firefox (Debian's ESR over WebDriver BiDi, `test/helpers/firefox.ts`) and the
 * advisor's console in Chromium, against the demo server with the built bundles and an embedded store: the same two
 * paths as `callback.test.ts` and `callback-busy.test.ts` in Chromium. Closed (hours fixed at Wednesday
 * 23 December 2026, 20:30 Berlin): the launcher offers a callback. Open but no room (Monday 28 December 2026,
 * 10:00 Berlin, a queue of one that one visitor fills): the refused start's end view offers one. Each request
 * arrives in the console; nothing is posted before the consent box is ticked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import type { LotseConfig } from '../../src/server/config/lotse-config.js';
import { DEMO_TOPICS } from '../../src/server/config/topics.js';
import { sql } from '../../src/server/store/sql.js';
import { launchChromium } from '../helpers/browser.js';
import { startStoredDemo } from '../helpers/callback-pages.js';
import type { StoredDemo } from '../helpers/callback-pages.js';
import { CONSOLE, openAdvisor } from '../helpers/chat-pages.js';
import {
  check,
  click,
  closeFirefox,
  closeFirefoxPage,
  deep,
  fill,
  launchFirefox,
  newFirefoxPage,
  selectIndex,
  waitFor,
} from '../helpers/firefox.js';
import type { FirefoxBrowser, FirefoxPage } from '../helpers/firefox.js';
import { chatPart, launcher, startChat } from '../helpers/firefox-visitor.js';

const CLOSED = Date.parse('2026-12-23T19:30:00Z');
const OPEN = Date.parse('2026-12-28T09:00:00Z');

const topics: Partial<LotseConfig> = { chat: { ...defaults.chat, topics: [...DEMO_TOPICS] } };

/** Installed before the page's scripts: the path of every POST the page sends by `fetch`. */
function postCapture(): void {
  const w = window as unknown as { __lotsePosts: string[] };
  w.__lotsePosts = [];
  const original = window.fetch;
  window.fetch = (input, init) => {
    if (init?.method === 'POST') w.__lotsePosts.push(new URL(String(input)).pathname);
    return original(input, init);
  };
}

function postsOf(page: FirefoxPage): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __lotsePosts: string[] }).__lotsePosts);
}

/** Fills in the form inside `at` (selector steps to `<lotse-callback>`), first without consent, then with it. */
async function request(page: FirefoxPage, at: string[], phone: string): Promise<void> {
  const inForm = (selector: string): string => deep(...at, selector);
  await click(page, inForm('[part~="callback-open"]'));
  await fill(page, inForm('[part~="callback-phone"]'), phone);
  await selectIndex(page, inForm('[part~="callback-window"]'), 1);
  await click(page, inForm('[part~="callback-submit"]'));
  await waitFor(page, inForm('#consent-error'));
  assert.deepEqual(await postsOf(page), [], 'nothing posted before consent');
  await check(page, inForm('[part~="callback-consent"]'));
  await click(page, inForm('[part~="callback-submit"]'));
}

describe('callback requests with a Firefox visitor, end to end', () => {
  let closed: StoredDemo | undefined;
  let full: StoredDemo | undefined;
  let chromium: Browser;
  let firefox: FirefoxBrowser;

  before(async () => {
    closed = await startStoredDemo('firefox-callback', CLOSED, topics);
    full = await startStoredDemo('firefox-callback', OPEN, {
      ...topics,
      limits: { ...defaults.limits, maxWaitingChats: 1 },
    });
    [chromium, firefox] = await Promise.all([launchChromium(), launchFirefox()]);
  });

  after(async () => {
    await closeFirefox(firefox);
    await chromium?.close();
    await closed?.close();
    await full?.close();
  });

  it('closed: the launcher offers a callback; the request arrives in the console', async () => {
    const { server, db } = closed as StoredDemo;
    const advisor = await openAdvisor(chromium, server);
    let visitor: FirefoxPage | undefined;
    try {
      visitor = await newFirefoxPage(firefox);
      await visitor.evaluateOnNewDocument(postCapture);
      await visitor.goto(`${server.url}/`);
      await visitor.waitForFunction(() => document.querySelector('lotse-chat')?.hasAttribute('closed'), {
        polling: 20,
        timeout: 10_000,
      });
      await click(visitor, launcher);
      const panel = ['lotse-chat', 'lotse-callback'];
      await waitFor(visitor, deep(...panel, '[part~="closed-notice"]'), { text: 'geschlossen' });
      await request(visitor, panel, '030 1234567');
      await waitFor(visitor, deep(...panel, '[part~="callback-done"]'), { text: '+49301234567' });
      assert.deepEqual(await postsOf(visitor), ['/callback']);
      await advisor.page.locator(`${CONSOLE} [part~="callback"]`).filter({ hasText: '+49301234567' }).waitFor();
      const rows = await db.query<{ phone: string }>(sql`SELECT phone FROM callback_requests`);
      assert.deepEqual(rows, [{ phone: '+49301234567' }]);
    } finally {
      await closeFirefoxPage(visitor);
      await advisor.context.close();
    }
  });

  it('no room: the refused start offers a callback, the page topic preselected; it arrives with its label', async () => {
    const { server, db } = full as StoredDemo;
    const advisor = await openAdvisor(chromium, server);
    let waiting: FirefoxPage | undefined;
    let visitor: FirefoxPage | undefined;
    try {
      waiting = await newFirefoxPage(firefox);
      await waiting.goto(`${server.url}/`);
      await startChat(waiting, 'Kranich');

      visitor = await newFirefoxPage(firefox);
      await visitor.evaluateOnNewDocument(postCapture);
      await visitor.goto(`${server.url}/leistungen.html`);
      await click(visitor, launcher);
      await check(visitor, chatPart('terms-checkbox'));
      await click(visitor, chatPart('terms-accept'));
      await fill(visitor, chatPart('nickname'), 'Reiher');
      await click(visitor, chatPart('nickname-submit'));
      await waitFor(visitor, chatPart('ended'), { text: 'nicht geführt' });
      const offer = ['lotse-chat', 'lotse-chat-popup', 'lotse-callback'];
      await waitFor(visitor, deep(...offer, '[part~="callback-open"]'));
      await waitFor(visitor, deep(...offer, 'p'), { text: 'Alle Beraterinnen und Berater' });
      await request(visitor, offer, '0151 23456789');
      await waitFor(visitor, deep(...offer, '[part~="callback-done"]'), { text: '+4915123456789' });
      assert.deepEqual(await postsOf(visitor), ['/callback']);
      await advisor.page
        .locator(`${CONSOLE} [part~="callback"]`)
        .filter({ hasText: '+4915123456789' })
        .filter({ hasText: 'Leistungen' })
        .waitFor();
      const rows = await db.query<{ phone: string; topic: string | null }>(
        sql`SELECT phone, topic FROM callback_requests`,
      );
      assert.deepEqual(rows, [{ phone: '+4915123456789', topic: 'leistungen' }]);
    } finally {
      await closeFirefoxPage(visitor);
      await closeFirefoxPage(waiting);
      await advisor.context.close();
    }
  });
});
