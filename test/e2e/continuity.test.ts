/**
 * The conversation outlives the page, end to end: real Chromium pages of the demo site, the real server with the
 * built bundles. A link click, a reload, the back button, a message sent at the moment of the click, a second tab,
 * the grace period running out. Each checks both screens: nothing lost, nothing doubled, order kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import {
  POPUP,
  advisorAccepts,
  advisorChat,
  advisorWrites,
  openAdvisor,
  sameOnBothScreens,
  startVisitorChat,
  visitorWrites,
} from '../helpers/chat-pages.js';
import { cobrowse, overlap, startSession, viewerFrame } from '../helpers/cobrowse-pages.js';
import type { TestServer } from '../helpers/server.js';
import { until } from '../helpers/until.js';

/** The stored chat of the visitor's tab, as the widget wrote it (or null). */
function storedChat(page: Page): Promise<Record<string, unknown> | null> {
  return page.evaluate(() => {
    const raw = sessionStorage.getItem('lotse-chat');
    return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
  });
}

describe('the conversation outlives the page', () => {
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

  /** A running chat: the visitor on `/` wrote, the advisor took it and replied. */
  async function conversation(nickname: string) {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}/`);
    await startVisitorChat(visitor, nickname);
    await visitorWrites(visitor, 'Was zahlt die Kasse bei Zahnersatz?');
    await advisorAccepts(advisor.page, nickname);
    await advisorWrites(advisor.page, nickname, 'Schauen Sie unter Leistungen nach.');
    await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();
    const close = async (): Promise<void> => {
      await context.close();
      await advisor.context.close();
    };
    return { advisor: advisor.page, context, visitor, close };
  }

  it('a link click in the middle of the conversation: the pop-up comes back open, with the history, and goes on', async () => {
    const nickname = 'Seeadler';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      await visitor.locator('nav a', { hasText: 'Leistungen' }).click();
      await visitor.waitForURL('**/leistungen.html');
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();
      assert.equal(await visitor.locator(`${POPUP}[open]`).count(), 1, 'the pop-up is open again');
      // The advisor saw the page change: the visitor is back (never a silent zombie).
      await advisorChat(advisor, nickname)
        .locator('[part~="visitor-presence"]')
        .filter({ hasText: 'Seeadler ist wieder da' })
        .waitFor();
      assert.equal(await visitor.locator('lotse-chat [part~="launcher"]').getAttribute('aria-expanded'), 'true');

      await visitorWrites(visitor, 'Gefunden, danke!');
      await advisorWrites(advisor, nickname, 'Gern geschehen.');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Gefunden, danke!',
        'Gern geschehen.',
      ]);
      // Nothing of the conversation in the tab's storage: ids, secret and state only.
      const stored = JSON.stringify(await storedChat(visitor));
      assert.doesNotMatch(stored, /Zahnersatz|Leistungen nach|Gefunden|Gern geschehen/);

      // A form submit is a navigation too (the site's search); then the end, and the transcript from the resumed history.
      await visitor.locator('form[data-lotse-search] input[type="search"]').fill('Zahnersatz');
      await visitor.locator('form[data-lotse-search] input[type="search"]').press('Enter');
      await visitor.waitForURL('**/suche.html?q=Zahnersatz');
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Gern geschehen.' }).waitFor();
      await visitor.locator(`${POPUP} [part~="end"]`).click();
      await visitor.locator(`${POPUP} [part~="copy"]`).click();
      const copied = await visitor.evaluate(() => navigator.clipboard.readText());
      const order = [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Gefunden, danke!',
        'Gern geschehen.',
      ];
      const at = order.map((text) => copied.indexOf(text));
      assert.ok(
        at.every((index, i) => index >= 0 && (i === 0 || index > at[i - 1]!)),
        `the whole conversation, in order: ${copied}`,
      );
      assert.match(copied, /Seeadler: Was zahlt/, 'the nickname from the start, kept across the pages');
    } finally {
      await close();
    }
  });

  it('a message sent at the moment of the click arrives exactly once', async () => {
    const nickname = 'Kormoran';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      // Enter and the click in one task: the socket has no time to send before the page goes.
      await visitor.locator(`${POPUP} [part~="composer"]`).fill('Und beim Krankengeld?');
      await visitor.evaluate(() => {
        const popup = document.querySelector('lotse-chat')!.shadowRoot!.querySelector('lotse-chat-popup')!;
        const composer = popup.shadowRoot!.querySelector('textarea')!;
        composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        document.querySelector<HTMLAnchorElement>('nav a[href="/formular.html"]')!.click();
      });
      await visitor.waitForURL('**/formular.html');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Und beim Krankengeld?',
      ]);
      // Confirmed: it left the outbox, and storage with it.
      await until(
        async () => ((await storedChat(visitor))?.['outbox'] as unknown[] | undefined)?.length === 0,
        'the outbox is empty',
      );
    } finally {
      await close();
    }
  });

  it('a reload and the back button keep the chat; a collapsed pop-up stays collapsed', async () => {
    const nickname = 'Rotmilan';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      await visitor.locator(`${POPUP} [part~="collapse"]`).click();
      await visitor.reload();
      await visitor.locator(`${POPUP}`).waitFor({ state: 'attached' });
      assert.equal(await visitor.locator(`${POPUP}[open]`).count(), 0, 'collapsed as it was');
      await visitor.locator('lotse-chat [part~="launcher"]').click();
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();

      await visitor.locator('nav a', { hasText: 'Antrag' }).click();
      await visitor.waitForURL('**/formular.html');
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).waitFor();
      await visitor.goBack();
      await visitor.waitForURL(`${server.url}/`);
      await advisorWrites(advisor, nickname, 'Sind Sie wieder auf der Startseite?');
      await visitorWrites(visitor, 'Ja.');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Sind Sie wieder auf der Startseite?',
        'Ja.',
      ]);
    } finally {
      await close();
    }
  });

  it('a second tab opened from the page takes the chat over; the first one can take it back', async () => {
    const nickname = 'Eisvogel';
    const { advisor, context, visitor, close } = await conversation(nickname);
    try {
      const [second] = await Promise.all([
        context.waitForEvent('page'),
        visitor.evaluate(() => void window.open('/leistungen.html')),
      ]);
      await second.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();
      await visitor.locator(`${POPUP} [part~="elsewhere"]`).waitFor();
      assert.equal(
        await visitor.locator(`${POPUP} [part~="composer"]`).count(),
        0,
        'no composer in the tab that lost it',
      );

      await visitorWrites(second, 'Aus dem zweiten Tab.');
      await visitor.locator(`${POPUP} [part~="take-over"]`).click();
      await second.locator(`${POPUP} [part~="elsewhere"]`).waitFor();
      await visitorWrites(visitor, 'Wieder im ersten Tab.');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Aus dem zweiten Tab.',
        'Wieder im ersten Tab.',
      ]);
    } finally {
      await close();
    }
  });

  it('a navigation during co-browsing resumes both; the live bar never covers the pop-up', async () => {
    const nickname = 'Fischadler';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      await visitor.setViewportSize({ width: 900, height: 560 });
      await startSession(advisor, visitor);
      await viewerFrame(advisor).getByText('Zahnersatz und Kieferorthopädie').first().waitFor();
      await visitor.locator('nav a', { hasText: 'Leistungen' }).click();
      await visitor.waitForURL('**/leistungen.html');
      await visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor();
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Leistungen' }).waitFor();
      await viewerFrame(advisor).getByRole('heading', { name: 'Krankengeld' }).waitFor();

      const bar = await visitor.locator(`${cobrowse} [part~="live-bar"]`).boundingBox();
      const popup = await visitor.locator(POPUP).boundingBox();
      assert.ok(bar !== null && popup !== null);
      assert.equal(
        overlap(bar, popup),
        false,
        `the pop-up (${JSON.stringify(popup)}) and the live bar (${JSON.stringify(bar)}) overlap`,
      );

      await visitorWrites(visitor, 'Ich sehe Ihren Zeiger.');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Ich sehe Ihren Zeiger.',
      ]);
      await advisor.locator('lotse-advisor-console [part~="cobrowse-end"]').first().click();
      await visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });
    } finally {
      await close();
    }
  });

  it('the end removes the stored chat; closing the ended pop-up leaves nothing', async () => {
    const nickname = 'Uhu';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      assert.notEqual(await storedChat(visitor), null);
      await advisorChat(advisor, nickname).locator('[part~="end"]').click();
      await visitor.locator(`${POPUP} [part~="copy"]`).waitFor();
      await until(async () => (await storedChat(visitor)) === null, 'the stored chat is removed at the end');
      await visitor.locator(`${POPUP} [part~="close"]`).click();
      await visitor.reload();
      await visitor.locator('lotse-chat [part~="launcher"]').waitFor();
      assert.equal(await visitor.locator(POPUP).count(), 0, 'no pop-up loaded: nothing to come back to');
      assert.equal(await visitor.evaluate(() => sessionStorage.length + localStorage.length), 0);
    } finally {
      await close();
    }
  });
});

describe('the grace period', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext | undefined;

  before(async () => {
    server = await startDemoServer([], {
      chat: { abandonAfterSeconds: 3, advisorGraceSeconds: 60, idleMinutes: 30, topics: [] },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('a visitor away longer than the grace period: the chat ends with a notice on both sides', async () => {
    const advisor = await openAdvisor(browser, server);
    context = await browser.newContext();
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}/`);
    await startVisitorChat(visitor, 'Wiedehopf');
    await visitorWrites(visitor, 'Ich schaue kurz woanders.');
    await advisorAccepts(advisor.page, 'Wiedehopf');
    // The visitor leaves the site for longer than the grace period; the advisor sees it at once, then the end.
    await visitor.goto('about:blank');
    await advisorChat(advisor.page, 'Wiedehopf')
      .locator('[part~="visitor-presence"]')
      .filter({ hasText: 'Wiedehopf hat die Seite verlassen' })
      .waitFor();
    await advisorChat(advisor.page, 'Wiedehopf')
      .locator('[part~="system"]')
      .filter({ hasText: /nicht auf die Seite zurückgekehrt/ })
      .waitFor();
    await visitor.goBack();
    await visitor.locator(`${POPUP} [part~="ended"]`).waitFor();
    await until(async () => (await storedChat(visitor)) === null, 'nothing is kept of the ended chat');
    await advisor.context.close();
  });
});
