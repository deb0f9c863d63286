/**
 * The conversation outlives the page with the visitor in Firefox (Debian's ESR over WebDriver BiDi) and the advisor
 * in Chromium, against the real demo server: a link click, a message sent as the link is clicked, a reload, the back
 * button (Firefox's back-forward cache), a second tab taking the chat over, and a navigation during co-browsing.
 * Each checks both screens: nothing lost, nothing doubled, order kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { advisorAccepts, advisorChat, advisorMessages, advisorWrites, openAdvisor } from '../helpers/chat-pages.js';
import { offerByPhone, typeStartCode, viewerFrame } from '../helpers/cobrowse-pages.js';
import {
  click,
  closeFirefox,
  closeFirefoxPage,
  deep,
  launchFirefox,
  newFirefoxPage,
  waitFor,
} from '../helpers/firefox.js';
import type { FirefoxBrowser, FirefoxPage } from '../helpers/firefox.js';
import {
  chatPart,
  cobrowsePart,
  consentAndReadStartCode,
  enterWebcodeInSearch,
  startChat,
  visitorReads,
  visitorWrites,
} from '../helpers/firefox-visitor.js';
import type { TestServer } from '../helpers/server.js';
import { until } from '../helpers/until.js';

/** The confirmed messages the visitor's pop-up shows, in order. */
function visitorMessages(page: FirefoxPage): Promise<string[]> {
  return page.evaluate(() => {
    const popup = document.querySelector('lotse-chat')?.shadowRoot?.querySelector('lotse-chat-popup');
    const items = popup?.shadowRoot?.querySelectorAll('[part~="message"]:not([part~="message-pending"]) .text') ?? [];
    return [...items].map((item) => item.textContent ?? '');
  });
}

/** A navigation by a real click on a link of the page's own navigation, waited for to its load. */
async function clickLink(page: FirefoxPage, href: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), click(page, `nav a[href="${href}"]`)]);
}

async function sameOnBothScreens(
  visitor: FirefoxPage,
  advisor: Page,
  nickname: string,
  expected: string[],
): Promise<void> {
  await until(
    async () => (await visitorMessages(visitor)).length >= expected.length,
    'the visitor sees every message',
    10_000,
  );
  await until(
    async () => (await advisorMessages(advisor, nickname)).length >= expected.length,
    'the advisor sees every message',
    10_000,
  );
  assert.deepEqual(
    await visitorMessages(visitor),
    expected,
    'visitor (Firefox): nothing lost, nothing doubled, in order',
  );
  assert.deepEqual(
    await advisorMessages(advisor, nickname),
    expected,
    'advisor: nothing lost, nothing doubled, in order',
  );
}

describe('Firefox visitor: the conversation outlives the page', () => {
  let server: TestServer;
  let chromium: Browser;
  let firefox: FirefoxBrowser;

  before(async () => {
    server = await startDemoServer();
    [chromium, firefox] = await Promise.all([
      launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns']),
      launchFirefox(),
    ]);
  });

  after(async () => {
    await closeFirefox(firefox);
    await chromium?.close();
    await server?.close();
  });

  /** A running chat: the visitor (Firefox) on `/` wrote, the advisor (Chromium) took it and replied. */
  async function conversation(nickname: string) {
    const advisor = await openAdvisor(chromium, server);
    const visitor = await newFirefoxPage(firefox);
    await visitor.goto(`${server.url}/`);
    await startChat(visitor, nickname);
    await visitorWrites(visitor, 'Was zahlt die Kasse bei Zahnersatz?');
    await advisorAccepts(advisor.page, nickname);
    await advisorWrites(advisor.page, nickname, 'Schauen Sie unter Leistungen nach.');
    await visitorReads(visitor, 'Leistungen nach');
    const close = async (): Promise<void> => {
      await closeFirefoxPage(visitor);
      await advisor.context.close();
    };
    return { advisor: advisor.page, visitor, close };
  }

  it('a link click, a message sent as the link is clicked, a reload and the back button keep the chat', async () => {
    const nickname = 'Seeadler';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      await clickLink(visitor, '/leistungen.html');
      await visitorReads(visitor, 'Leistungen nach');
      await waitFor(visitor, deep('lotse-chat', 'lotse-chat-popup[open]'), { state: 'attached' });
      await advisorChat(advisor, nickname)
        .locator('[part~="visitor-presence"]')
        .filter({ hasText: `${nickname} ist wieder da` })
        .waitFor();

      // Enter and the click in one task: the socket has no time to send before the page goes.
      await Promise.all([
        visitor.waitForNavigation({ waitUntil: 'load' }),
        visitor.evaluate(() => {
          const popup = document.querySelector('lotse-chat')!.shadowRoot!.querySelector('lotse-chat-popup')!;
          const composer = popup.shadowRoot!.querySelector('textarea')!;
          composer.value = 'Und beim Krankengeld?';
          composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
          document.querySelector<HTMLAnchorElement>('nav a[href="/formular.html"]')!.click();
        }),
      ]);
      assert.match(visitor.url(), /formular\.html$/);

      await visitor.reload({ waitUntil: 'load' });
      await visitorReads(visitor, 'Leistungen nach');
      await Promise.all([visitor.waitForNavigation({ waitUntil: 'load' }), visitor.goBack()]);
      assert.match(visitor.url(), /leistungen\.html$/);
      await advisorWrites(advisor, nickname, 'Sind Sie wieder bei den Leistungen?');
      await visitorReads(visitor, 'wieder bei den Leistungen');
      await visitorWrites(visitor, 'Ja.');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Und beim Krankengeld?',
        'Sind Sie wieder bei den Leistungen?',
        'Ja.',
      ]);
      const stored = await visitor.evaluate(() => sessionStorage.getItem('lotse-chat') ?? '');
      assert.doesNotMatch(stored, /Zahnersatz|Krankengeld|Leistungen nach/, 'no text of the conversation in storage');
    } finally {
      await close();
    }
  });

  it('a second tab opened from the page takes the chat over; the first one can take it back', async () => {
    const nickname = 'Eisvogel';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      const opened = new Promise<FirefoxPage>((resolve) => {
        visitor
          .browserContext()
          .once('targetcreated', (target) => void target.page().then((page) => page && resolve(page)));
      });
      await visitor.evaluate(() => void window.open('/leistungen.html'));
      const second = await opened;
      await visitorReads(second, 'Leistungen nach');
      await waitFor(visitor, chatPart('elsewhere'), { text: 'Der Chat läuft in einem anderen Tab.' });
      await waitFor(visitor, chatPart('composer'), { state: 'detached' });

      await visitorWrites(second, 'Aus dem zweiten Tab.');
      await click(visitor, chatPart('take-over'));
      await waitFor(second, chatPart('elsewhere'));
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

  it('a navigation during co-browsing resumes both the chat and the session', async () => {
    const nickname = 'Fischadler';
    const { advisor, visitor, close } = await conversation(nickname);
    try {
      const webcode = await offerByPhone(advisor);
      await enterWebcodeInSearch(visitor, webcode);
      const startCode = await consentAndReadStartCode(visitor);
      await typeStartCode(advisor, startCode);
      await waitFor(visitor, cobrowsePart('live-bar'));
      await viewerFrame(advisor).getByText('Zahnersatz und Kieferorthopädie').first().waitFor();

      await clickLink(visitor, '/leistungen.html');
      await waitFor(visitor, cobrowsePart('live-bar'));
      await visitorReads(visitor, 'Leistungen nach');
      await viewerFrame(advisor).getByRole('heading', { name: 'Krankengeld' }).waitFor();
      await visitorWrites(visitor, 'Ich sehe Ihren Zeiger.');
      await sameOnBothScreens(visitor, advisor, nickname, [
        'Was zahlt die Kasse bei Zahnersatz?',
        'Schauen Sie unter Leistungen nach.',
        'Ich sehe Ihren Zeiger.',
      ]);
      await advisor.locator('lotse-advisor-console [part~="cobrowse-end"]').first().click();
      await waitFor(visitor, cobrowsePart('live-bar'), { state: 'detached' });
    } finally {
      await close();
    }
  });
});
