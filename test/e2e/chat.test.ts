/**
 * The anonymous chat end to end: two real Chromium pages (an insurer page with the script tag, the advisor
 * console) and the real server with the built bundles, exactly as `npm start` serves them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { until } from '../helpers/until.js';
import { POPUP, openAdvisor, startVisitorChat, visitorWrites } from '../helpers/chat-pages.js';

const popup = POPUP;

describe('anonymous chat, end to end', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('visitor opens, confirms, writes; advisor accepts and replies; visitor ends and copies the transcript', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const visitor = await context.newPage();
    try {
      await visitor.goto(`${server.url}/`);
      await startVisitorChat(visitor, 'Wanderfalke');
      await visitorWrites(visitor, 'Wie beantrage ich eine Zahnreinigung?');

      // The advisor sees the waiting chat with nickname and first message, and takes it.
      const item = advisor.page
        .locator('lotse-advisor-console [part~="queue-item"]')
        .filter({ hasText: 'Wanderfalke' });
      await item.filter({ hasText: 'Zahnreinigung' }).waitFor();
      await item.locator('[part~="accept"]').click();
      await advisor.page
        .locator('lotse-advisor-console [part~="visitor-card"]')
        .filter({ hasText: 'Wanderfalke' })
        .waitFor();
      await advisor.page
        .locator('lotse-advisor-console [part~="message"]')
        .filter({ hasText: 'Wie beantrage ich eine Zahnreinigung?' })
        .waitFor();

      const reply = 'Das geht formlos, ich erkläre es Ihnen gern.';
      const composer = advisor.page.locator('lotse-advisor-console [part~="composer"]');
      await composer.fill(reply);
      await composer.press('Enter');

      // The visitor reads the reply, with the advisor's name.
      await visitor.locator(`${popup} [part~="message-advisor"]`).filter({ hasText: reply }).waitFor();
      await visitor.locator(`${popup} [part~="advisor"]`).filter({ hasText: 'Demo-Beraterin' }).waitFor();

      // The visitor ends; the advisor sees it.
      await visitor.locator(`${popup} [part~="end"]`).click();
      await advisor.page.locator('lotse-advisor-console [part~="dismiss"]').waitFor();

      // The transcript comes from the visitor's memory to the clipboard.
      await visitor.locator(`${popup} [part~="copy"]`).click();
      const copied = await visitor.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, /Wie beantrage ich eine Zahnreinigung\?/);
      assert.match(copied, /Das geht formlos, ich erkläre es Ihnen gern\./);
      assert.ok(copied.indexOf('Zahnreinigung') < copied.indexOf('formlos'), 'transcript keeps the order');

      // Nothing of the chat stays in the server's memory.
      assert.equal(server.server.hub.chats.size, 0);
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });

  it('the advisor can end the chat, and the visitor sees it ended', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    const visitor = await context.newPage();
    try {
      await visitor.goto(`${server.url}/`);
      await startVisitorChat(visitor, 'Kranich');
      await visitorWrites(visitor, 'Hallo?');
      const item = advisor.page.locator('lotse-advisor-console [part~="queue-item"]').filter({ hasText: 'Kranich' });
      await item.locator('[part~="accept"]').click();
      await advisor.page.locator('lotse-advisor-console [part~="end"]').click();
      await visitor.locator(`${popup} [part~="copy"]`).waitFor();
      await visitor.locator(`${popup} [part~="composer"]`).waitFor({ state: 'detached' });
      assert.equal(server.server.hub.chats.size, 0);
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });

  it("before consent: no WebSocket, no cookie, no storage, no request but the widget's own code", async () => {
    const context = await browser.newContext();
    // A cookie of the insurer's own site, to prove that the availability request leaves it at home.
    await context.addCookies([{ name: 'site', value: 'probe', url: server.url }]);
    const page = await context.newPage();
    const requests: string[] = [];
    const sockets: string[] = [];
    const cookieOf = new Map<string, string | undefined>();
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      requests.push(path);
      // A request still in flight when the page closes has no headers to read: not one this test looks at (those it
      // does are awaited below, and a missing one fails the wait), so its rejection is not the test's failure.
      request
        .allHeaders()
        .then((headers) => cookieOf.set(path, headers['cookie']))
        .catch(() => undefined);
    });
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const storage = () =>
      page.evaluate(async () => ({
        cookie: document.cookie,
        local: localStorage.length,
        session: sessionStorage.length,
        idb: (await indexedDB.databases()).length,
      }));
    try {
      await page.goto(`${server.url}/`);
      await page.locator('lotse-chat [part~="launcher"]').waitFor();
      const widgetRequests = () => requests.filter((path) => !['/', '/demo.css', '/availability'].includes(path));
      await until(() => cookieOf.has('/availability'), 'the availability request');
      assert.deepEqual(
        requests.filter((path) => !['/', '/demo.css'].includes(path)).sort(),
        ['/availability', '/lotse/lotse.js'],
        'page load fetches only the launcher and the availability',
      );
      assert.equal(cookieOf.get('/availability'), undefined, 'the availability request carries no cookie');
      assert.equal(cookieOf.get('/lotse/lotse.js'), 'site=probe', 'the probe cookie is there to be left out');
      // Nothing but the probe was set; from here on nothing may be set at all.
      assert.deepEqual(
        (await context.cookies()).map((cookie) => cookie.name),
        ['site'],
      );
      await context.clearCookies();

      await page.locator('lotse-chat [part~="launcher"]').click();
      await page.locator(`${popup} [part~="terms-checkbox"]`).check();
      // Terms read and ticked, start not yet clicked; then the nickname step, not yet submitted.
      for (const path of widgetRequests()) assert.match(path, /^\/lotse\/[\w./-]+\.js$/, `only own code: ${path}`);
      await page.locator(`${popup} [part~="terms-accept"]`).click();
      await page.locator(`${popup} [part~="nickname"]`).fill('Zaunkönig');
      for (const path of widgetRequests()) assert.match(path, /^\/lotse\/[\w./-]+\.js$/, `only own code: ${path}`);
      assert.deepEqual(sockets, []);
      assert.deepEqual(await context.cookies(), []);
      assert.deepEqual(await storage(), { cookie: '', local: 0, session: 0, idb: 0 });

      // Only the nickname's submission opens the connection. Consent given, the chat is kept for this tab (so that it
      // outlives the page): one sessionStorage entry; no cookie, nothing else stored.
      await page.locator(`${popup} [part~="nickname-submit"]`).click();
      await page.locator(`${popup} [part~="composer"]`).waitFor();
      // The page opens the socket before it shows the composer, but Playwright reports it by an event of its own,
      // which under load arrived after the composer was found (0 sockets seen once, load average 13 on 2 cores).
      await until(() => sockets.length > 0, 'the visitor WebSocket');
      assert.equal(sockets.length, 1);
      assert.match(sockets[0]!, /\/ws\/visitor$/);
      assert.deepEqual(await context.cookies(), []);
      assert.deepEqual(await storage(), { cookie: '', local: 0, session: 1, idb: 0 });
      assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), ['lotse-chat']);
    } finally {
      await context.close();
    }
  });
});
