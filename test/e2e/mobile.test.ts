/**
 * On a phone, end to end: the demo pages at 390 px (and at 320 px, the width WCAG's reflow asks for), and a chat
 * that a visitor with a touch screen starts, leaves for another page and goes on with, while the advisor writes
 * from a desktop. Headless Chromium opens no on-screen keyboard: the pop-up's visual-viewport fit is tested in
 * test/visitor/viewport.test.ts with a fake one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { POPUP, advisorAccepts, advisorWrites, openAdvisor, sameOnBothScreens } from '../helpers/chat-pages.js';
import { cobrowse, coveredByLiveView, overlap, startSession } from '../helpers/cobrowse-pages.js';
import type { TestServer } from '../helpers/server.js';

const PHONE = { width: 390, height: 844 };
const LAUNCHER = 'lotse-chat [part~="launcher"]';
/** The pages of the insurer's site; the advisor's console (desktop only) is checked for its header alone. */
const PAGES = [
  '/',
  '/leistungen.html',
  '/formular.html',
  '/cobrowsing.html',
  '/mitglieder.html',
  '/suche.html',
  '/eingang.html',
];

function phone(browser: Browser, width = PHONE.width): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: PHONE.height }, hasTouch: true, isMobile: true });
}

/** How far the page reaches to the right: no more than the screen, or it scrolls sideways. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function launcherBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(LAUNCHER).boundingBox();
  assert.ok(box !== null, 'the launcher is shown');
  return box;
}

function onScreen(box: { x: number; y: number; width: number; height: number }, width = PHONE.width): boolean {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= PHONE.height;
}

/**
 * The page's own controls the launcher lies over, at the scroll position it is at: `strict`, any part of one; else
 * only where a tap or the text goes (its start and its middle), as a full-width field may end beneath the
 * launcher in the middle of a page, as on any site with a chat button.
 */
function coveredControls(page: Page, strict: boolean): Promise<string[]> {
  return page.evaluate((strict) => {
    // (No named functions in here: the test's TypeScript build would wrap them in a helper the page lacks.)
    const launcher = document
      .querySelector('lotse-chat')!
      .shadowRoot!.querySelector('[part~="launcher"]')!
      .getBoundingClientRect();
    const covered: string[] = [];
    for (const control of document.querySelectorAll(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary',
    )) {
      for (const box of control.getClientRects()) {
        const middle = box.top + box.height / 2;
        const points = strict ? [] : [box.left + 8, box.left + box.width / 2];
        const hit = strict
          ? box.right > launcher.left &&
            box.left < launcher.right &&
            box.bottom > launcher.top &&
            box.top < launcher.bottom
          : middle >= launcher.top &&
            middle <= launcher.bottom &&
            points.some((x) => x >= launcher.left && x <= launcher.right);
        if (hit) covered.push(control.outerHTML.slice(0, 80));
      }
    }
    return covered;
  }, strict);
}

describe('on a phone', () => {
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

  it('no demo page scrolls sideways at 390 or 320 px; the launcher is on the screen and leaves the controls usable', async () => {
    for (const width of [PHONE.width, 320]) {
      const context = await phone(browser, width);
      const page = await context.newPage();
      try {
        for (const path of PAGES) {
          await page.goto(`${server.url}${path}`);
          await page.waitForLoadState('networkidle');
          assert.ok((await pageWidth(page)) <= width, `${path} at ${width} px is ${await pageWidth(page)} px wide`);
          if ((await page.locator('lotse-chat').count()) === 0) continue; // the inbox has no chat
          await page.locator(LAUNCHER).waitFor();
          assert.ok(onScreen(await launcherBox(page), width), `${path} at ${width} px: the launcher is on the screen`);
          assert.deepEqual(
            await coveredControls(page, false),
            [],
            `${path} at ${width} px, at the top: controls under the launcher`,
          );
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          assert.deepEqual(
            await coveredControls(page, true),
            [],
            `${path} at ${width} px, at the end: controls under the launcher`,
          );
        }
        // The advisor's console is made for a desktop; on a phone its page still loads and its header fits.
        await page.goto(`${server.url}/advisor.html`);
        await page
          .locator('lotse-advisor-console [part~="status"]')
          .filter({ hasText: /verbunden|connected/i })
          .waitFor();
        const header = await page.locator('.site-header').evaluate((el) => [el.scrollWidth, el.clientWidth]);
        assert.ok(header[0]! <= header[1]!, `the console's header fits at ${width} px`);
      } finally {
        await context.close();
      }
    }
  });

  it('a chat started with taps goes on across pages: full screen, the history, every message once, in order', async () => {
    const nickname = 'Brachvogel';
    const advisor = await openAdvisor(browser, server);
    const context = await phone(browser);
    const visitor = await context.newPage();
    const composer = visitor.locator(`${POPUP} [part~="composer"]`);
    const writes = async (text: string): Promise<void> => {
      await composer.tap();
      await composer.fill(text);
      await visitor.locator(`${POPUP} [part~="send"]`).tap();
    };
    /** The pop-up fills the screen, its header fits, and the launcher is not over it. */
    const fullScreen = async (): Promise<void> => {
      assert.deepEqual(
        await visitor.locator(POPUP).boundingBox(),
        { x: 0, y: 0, ...PHONE },
        'the pop-up fills the screen',
      );
      const header = await visitor.locator(POPUP).evaluate((popup) => {
        const el = popup.shadowRoot!.querySelector('header')!;
        return [el.scrollWidth, el.clientWidth];
      });
      assert.ok(header[0]! <= header[1]!, `the pop-up's header fits (${header[0]} of ${header[1]} px)`);
      const collapse = await visitor.locator(`${POPUP} [part~="collapse"]`).boundingBox();
      assert.ok(
        collapse !== null && onScreen(collapse) && collapse.width >= 44 && collapse.height >= 44,
        'a large minimise button',
      );
      assert.equal(await visitor.locator(LAUNCHER).isVisible(), false, 'no launcher over the pop-up');
    };
    try {
      await visitor.goto(`${server.url}/`);
      await visitor.locator(LAUNCHER).tap();
      await visitor.locator(`${POPUP} [part~="terms-checkbox"]`).tap();
      await visitor.locator(`${POPUP} [part~="terms-accept"]`).tap();
      await visitor.locator(`${POPUP} [part~="nickname"]`).tap();
      await visitor.locator(`${POPUP} [part~="nickname"]`).fill(nickname);
      await visitor.locator(`${POPUP} [part~="nickname-submit"]`).tap();
      await composer.waitFor();
      await fullScreen();
      await writes('Was zahlt die Kasse beim Zahnersatz?');
      await advisorAccepts(advisor.page, nickname);
      await advisorWrites(advisor.page, nickname, 'Das steht unter Leistungen.');
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();

      // The pop-up covers the page: the visitor minimises it, and the page and the launcher are there.
      await visitor.locator(`${POPUP} [part~="collapse"]`).tap();
      assert.ok(onScreen(await launcherBox(visitor)), 'the launcher is on the screen');
      assert.ok((await pageWidth(visitor)) <= PHONE.width, 'the page does not scroll sideways');
      await visitor.locator('nav a', { hasText: 'Leistungen' }).tap();
      await visitor.waitForURL('**/leistungen.html');

      // The chat came back as it was left, minimised; a tap on the launcher and it fills the screen again.
      await visitor.locator(POPUP).waitFor({ state: 'attached' });
      assert.ok(onScreen(await launcherBox(visitor)), 'the launcher is on the screen on the next page');
      await visitor.locator(LAUNCHER).tap();
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();
      await fullScreen();
      await writes('Gefunden, danke!');
      await advisorWrites(advisor.page, nickname, 'Gern geschehen.');
      await sameOnBothScreens(visitor, advisor.page, nickname, [
        'Was zahlt die Kasse beim Zahnersatz?',
        'Das steht unter Leistungen.',
        'Gefunden, danke!',
        'Gern geschehen.',
      ]);

      // The back button with the pop-up open: it comes back open, full screen, with the history.
      await visitor.goBack();
      await visitor.waitForURL(`${server.url}/`);
      await visitor.locator(`${POPUP}[open] [part~="message-advisor"]`).filter({ hasText: 'Gern geschehen' }).waitFor();
      await fullScreen();
      await writes('Noch eine Frage zum Bonusheft.');
      await sameOnBothScreens(visitor, advisor.page, nickname, [
        'Was zahlt die Kasse beim Zahnersatz?',
        'Das steht unter Leistungen.',
        'Gefunden, danke!',
        'Gern geschehen.',
        'Noch eine Frage zum Bonusheft.',
      ]);
      await visitor.locator(`${POPUP} [part~="collapse"]`).tap();
      assert.ok(onScreen(await launcherBox(visitor)), 'the launcher is on the screen once minimised');
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });

  it('co-browsing: the live bar at the bottom leaves the navigation, the launcher and the pop-up clear, in either corner', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await phone(browser);
    const visitor = await context.newPage();
    const BAR = `${cobrowse} [part~="live-bar"]`;
    /** After the next frames: the bar's ResizeObserver has run and the launcher has moved above the bar. */
    const settled = () =>
      visitor.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    try {
      await visitor.goto(`${server.url}/`);
      const search = visitor.locator('#q');
      await startSession(advisor.page, visitor);
      assert.equal(await search.inputValue(), '', 'the webcode is gone from the search field');
      for (const corner of ['start', 'end']) {
        await settled();
        assert.equal(await visitor.locator(BAR).getAttribute('data-corner'), corner);
        assert.deepEqual(
          await coveredByLiveView(visitor, '.site-header a, .site-header input, .site-header button'),
          [],
          `${corner}: header controls under Lotse's bar or border`,
        );
        const bar = await visitor.locator(BAR).boundingBox();
        assert.ok(bar !== null && onScreen(bar), `the live bar is on the screen (${JSON.stringify(bar)})`);
        assert.equal(overlap(bar, await launcherBox(visitor)), false, `${corner}: the bar and the launcher overlap`);
        await visitor.locator(LAUNCHER).tap();
        await visitor.locator(`${POPUP} [part~="terms-checkbox"]`).waitFor();
        const popup = await visitor.locator(POPUP).boundingBox();
        assert.ok(popup !== null);
        assert.deepEqual([popup.x, popup.y, popup.width], [0, 0, PHONE.width], 'the pop-up is a sheet from the top');
        assert.ok(
          popup.y + popup.height <= bar.y,
          `${corner}: the pop-up (bottom ${popup.y + popup.height}) ends above the live bar (top ${bar.y})`,
        );
        await visitor.locator(`${POPUP} [part~="collapse"]`).tap();
        await visitor.locator(`${cobrowse} [part~="live-move"]`).tap();
      }
      await visitor.locator(`${cobrowse} [part~="cobrowse-end"]`).tap();
      await visitor.locator(BAR).waitFor({ state: 'detached' });
      await visitor.locator(`${cobrowse} [part~="cobrowse-close"]`).tap(); // the notice that it ended
      await visitor.locator(LAUNCHER).tap();
      await settled();
      assert.deepEqual(
        await visitor.locator(POPUP).boundingBox(),
        { x: 0, y: 0, ...PHONE },
        'the whole screen once co-browsing ended',
      );
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });
});
