/**
 * A callback request end to end: the demo server with the built bundles and an embedded store, its opening hours
 * fixed at a closed moment (Wednesday 23 December 2026, 20:30 Berlin); a visitor page in real Chromium finds the
 * launcher closed, asks for a callback, and the advisor console lists it live, claims it and marks it done. The
 * visitor's page sends nothing with the number before the consent box is ticked (every request is recorded).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Request } from 'playwright-core';
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
import { CONSOLE, openAdvisor } from '../helpers/chat-pages.js';

const CLOCK = Date.parse('2026-12-23T19:30:00Z');
const PANEL = 'lotse-chat lotse-callback';

describe('callback request, end to end', () => {
  let demo: StoredDemo;
  let browser: Browser;

  before(async () => {
    demo = await startStoredDemo('callback', CLOCK);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('from the closed launcher to the console: requested, listed live, claimed, done; nothing sent before consent', async () => {
    const { server, db } = demo;
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    const visitor = await context.newPage();
    const requests: { method: string; path: string; body: string | null }[] = [];
    visitor.on('request', (request: Request) => {
      requests.push({ method: request.method(), path: new URL(request.url()).pathname, body: request.postData() });
    });
    try {
      // The console lists callback requests (none yet).
      await advisor.page.locator(`${CONSOLE} [part~="callbacks-count"]`).filter({ hasText: 'Keine' }).waitFor();

      await visitor.goto(`${server.url}/`);
      const launcher = visitor.locator('lotse-chat [part~="launcher"]');
      await visitor.waitForFunction(() => document.querySelector('lotse-chat')?.hasAttribute('closed'));
      await launcher.click();
      await visitor.locator(`${PANEL} [part~="closed-notice"]`).filter({ hasText: 'geschlossen' }).waitFor();
      await callbackPart(visitor, PANEL, 'callback-open').click();

      await fillCallback(visitor, PANEL, '030 1234567');
      // Without consent: an error at the box, which has the focus, and nothing sent.
      await submitWithoutConsent(visitor, PANEL);
      assert.equal(await visitor.evaluate(() => document.activeElement?.tagName), 'LOTSE-CHAT');
      const posted = (): typeof requests => requests.filter((r) => r.method !== 'GET');
      assert.deepEqual(posted(), [], 'nothing but GETs before consent');
      assert.ok(
        requests.every((r) => r.body === null && !r.path.includes('1234567')),
        'no request carries the number before consent',
      );

      await consentAndSubmit(visitor, PANEL);
      await callbackPart(visitor, PANEL, 'callback-done').filter({ hasText: '+49301234567' }).waitFor();
      assert.equal(posted().length, 1);
      assert.equal(posted()[0]?.path, '/callback');

      // The console lists it live, the number as a tel: link; the advisor takes it and marks it done.
      const item = consoleCallback(advisor.page, '+49301234567');
      await item.waitFor();
      assert.equal(await item.locator('[part~="callback-phone"]').getAttribute('href'), 'tel:+49301234567');
      await item.locator('[part~="callback-claim"]').click();
      await item.filter({ hasText: 'Von Ihnen übernommen' }).waitFor();
      await item.locator('[part~="callback-done"]').click();
      await item.waitFor({ state: 'detached' });
      await advisor.page.locator(`${CONSOLE} [part~="callbacks-count"]`).filter({ hasText: 'Keine' }).waitFor();

      const rows = await db.query<{ phone: string; done_by: string | null }>(
        sql`SELECT phone, done_by FROM callback_requests`,
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.phone, '+49301234567');
      assert.ok(rows[0]?.done_by);
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });
});
