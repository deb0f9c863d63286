/**
 * Co-browsing end to end: the advisor's console and the visitor's page in two real Chromium contexts, the real
 * server for codes and signalling, a real WebRTC data channel between the two pages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { startFixtureSite } from '../helpers/fixtures.js';
import type { FixtureSite } from '../helpers/fixtures.js';
import {
  captureDataChannels,
  cobrowse,
  consentAndReadStartCode,
  consoleEl,
  coveredByLiveView,
  enterWebcodeInSearch,
  offerByPhone,
  overlap,
  selectedCandidateTypes,
  sentMessages,
  startSession,
  typeStartCode,
  viewerFrame,
} from '../helpers/cobrowse-pages.js';
import { hasCoturn, startCoturn } from '../helpers/coturn.js';
import { POPUP } from '../helpers/chat-pages.js';

/** The insurer's own controls in the demo site's header (brand, navigation, search), and on the whole page. */
const HEADER = '.site-header a, .site-header input, .site-header button';
const CONTROLS = 'a[href], button, input:not([type="hidden"]), select, textarea';

const CANARIES = [
  'DE89370400440532013000',
  'A123456789',
  'Geheim-Kennwort-42',
  'HIDDEN-CANARY-7731',
  'OPTION-CANARY-ALPHA',
  'OPTION-CANARY-BETA',
  'TEXTAREA-CANARY-4411',
  'BLOCKED-CANARY-9955',
  'MASKED-CANARY',
];

interface Pair {
  advisor: Page;
  visitor: Page;
  contexts: BrowserContext[];
  serverFrames: string[];
}

describe('co-browsing, end to end', () => {
  let site: FixtureSite;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    site = await startFixtureSite();
    server = await startTestServer({ demo: true, port: 0, allowedOrigins: [site.origin] });
    site.lotse = server.url;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await site?.close();
  });

  /** An advisor console (demo sign-in) and a visitor page; every WebSocket frame of both is kept. */
  async function pair(visitorUrl: string, target: TestServer = server): Promise<Pair> {
    const serverFrames: string[] = [];
    const advisorContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const visitorContext = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    await captureDataChannels(visitorContext);
    const advisor = await advisorContext.newPage();
    const visitor = await visitorContext.newPage();
    for (const page of [advisor, visitor]) {
      page.on('websocket', (socket) => {
        socket.on('framesent', ({ payload }) => serverFrames.push(String(payload)));
        socket.on('framereceived', ({ payload }) => serverFrames.push(String(payload)));
      });
    }
    await advisor.goto(`${target.url}/advisor.html`);
    await advisor
      .locator(`${consoleEl} [part~="status"]`)
      .filter({ hasText: /verbunden|connected/i })
      .waitFor();
    await visitor.goto(visitorUrl);
    return { advisor, visitor, contexts: [advisorContext, visitorContext], serverFrames };
  }

  const closeAll = (p: Pair) => Promise.all(p.contexts.map((c) => c.close()));

  it('webcode in the search field, consent, start code, live view, pointer, and the visitor ends it', async () => {
    const p = await pair(`${server.url}/formular.html`);
    try {
      const webcode = await offerByPhone(p.advisor);
      await enterWebcodeInSearch(p.visitor, webcode);
      // The start view: exact wording, and the start button only once the box is ticked.
      const consent = p.visitor.locator(`${cobrowse} [part~="cobrowse-consent"]`);
      const start = p.visitor.locator(`${cobrowse} [part~="cobrowse-start"]`);
      await consent.waitFor();
      assert.equal((await start.textContent())?.trim(), 'Co-Browsing Sitzung starten');
      assert.ok(await p.visitor.getByLabel('Bestätigung Nutzungs- und Teilnahmebedingungen').isVisible());
      assert.equal(await start.isDisabled(), true);
      assert.equal(await p.visitor.evaluate(() => sessionStorage.length), 0, 'nothing stored before consent');
      assert.deepEqual(
        await p.visitor.evaluate(() => {
          const w = window as unknown as { __lotseFrames: unknown[]; __lotsePeers: unknown[] };
          return [w.__lotseFrames.length, w.__lotsePeers.length];
        }),
        [0, 0],
        'no peer connection and nothing sent before consent',
      );
      const startCode = await consentAndReadStartCode(p.visitor);
      assert.match(startCode, /^[ACDEFHJKMNPRTUVWXY3479]{8}$/);
      await typeStartCode(p.advisor, startCode);
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor();

      // The advisor sees the visitor's page …
      const frame = viewerFrame(p.advisor);
      await frame.getByText('Antrag auf Kostenübernahme').waitFor();
      // Styled as the visitor sees it: the page's own stylesheet (a <link>) arrives in the replay too.
      assert.equal(
        await frame.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor),
        'rgb(11, 93, 75)',
      );
      // … and a change on it.
      await p.visitor.evaluate(() => {
        document.querySelector('h1')!.textContent = 'Geänderte Überschrift beim Versicherten';
      });
      await frame.getByText('Geänderte Überschrift beim Versicherten').waitFor();

      // The advisor's pointer appears on the visitor's page, labelled, and never intercepts clicks.
      const viewer = p.advisor.locator(`${consoleEl} lotse-cobrowse-viewer`);
      const box = (await viewer.boundingBox())!;
      await p.advisor.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
      await p.advisor.mouse.move(box.x + box.width / 2 + 10, box.y + box.height / 3 + 10);
      const pointer = p.visitor.locator(`${cobrowse} [part~="pointer"]`);
      await pointer.waitFor({ state: 'visible' });
      assert.match((await pointer.textContent()) ?? '', /Demo-Beraterin/);
      assert.equal(await pointer.evaluate((el) => getComputedStyle(el).pointerEvents), 'none');

      // Session state lives in sessionStorage only while live.
      assert.deepEqual(await p.visitor.evaluate(() => Object.keys(sessionStorage)), ['lotse-cobrowse']);
      assert.equal(await p.visitor.evaluate(() => localStorage.length), 0);

      // The visitor ends it; both sides stop, nothing stays behind.
      await p.visitor.locator(`${cobrowse} [part~="cobrowse-end"]`).click();
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });
      await p.advisor.locator(`${consoleEl} lotse-cobrowse-viewer`).waitFor({ state: 'detached' });
      assert.equal(await p.visitor.evaluate(() => sessionStorage.length), 0);
    } finally {
      await closeAll(p);
    }
  });

  it('the live bar leaves the page usable: not over the navigation, clear of the chat, moved by keyboard, ended with one Enter', async () => {
    const p = await pair(`${server.url}/formular.html`);
    const { visitor } = p;
    const bar = visitor.locator(`${cobrowse} [part~="live-bar"]`);
    const launcher = visitor.locator('lotse-chat [part~="launcher"]');
    const box = async (locator: typeof bar) => (await locator.boundingBox())!;
    /** After the next frames: the bar's ResizeObserver has run and whatever keeps clear of the bar has moved. */
    const settled = () =>
      visitor.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const usable = async (where: string): Promise<void> => {
      await settled();
      await visitor.evaluate(() => window.scrollTo(0, 0));
      assert.deepEqual(
        await coveredByLiveView(visitor, HEADER),
        [],
        `${where}, at the top: header controls Lotse covers`,
      );
      await visitor.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      assert.deepEqual(await coveredByLiveView(visitor, CONTROLS), [], `${where}, at the end: controls Lotse covers`);
      assert.equal(overlap(await box(bar), await box(launcher)), false, `${where}: the bar and the launcher overlap`);
      await launcher.click();
      await visitor.locator(`${POPUP} [part~="terms-checkbox"]`).waitFor();
      assert.equal(
        overlap(await box(bar), await box(visitor.locator(POPUP))),
        false,
        `${where}: the bar and the open pop-up overlap`,
      );
      await launcher.click();
      await visitor.locator(`${POPUP}[open]`).waitFor({ state: 'detached' });
    };
    try {
      // As wide as the screen where the old bar, at the top in the middle, lay over "Antrag" in the navigation.
      await visitor.setViewportSize({ width: 1280, height: 800 });
      await startSession(p.advisor, visitor);
      await usable('bar in its first corner');
      assert.equal(await visitor.locator('#q').inputValue(), '', 'the webcode is gone from the search field');
      assert.deepEqual(await visitor.evaluate(() => Object.keys(sessionStorage)), ['lotse-cobrowse']);

      // Moved by keyboard; focus stays on the button, which now offers the way back.
      await visitor.getByRole('button', { name: 'Leiste nach rechts verschieben' }).focus();
      await visitor.keyboard.press('Enter');
      assert.equal(await bar.getAttribute('data-corner'), 'end');
      assert.equal(
        await visitor.evaluate(() =>
          document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'),
        ),
        'Leiste nach links verschieben',
      );
      assert.deepEqual(await visitor.evaluate(() => Object.keys(sessionStorage).sort()), [
        'lotse-cobrowse',
        'lotse-cobrowse-bar',
      ]);
      await usable("bar moved to the launcher's corner");

      // Kept for the session: after a reload it comes back in the same corner.
      await visitor.reload();
      await bar.waitFor();
      assert.equal(await bar.getAttribute('data-corner'), 'end');
      await usable('bar moved, after a reload');

      // "Beenden" is the next stop after the move button: one Enter ends the session, and nothing stays stored.
      await visitor.getByRole('button', { name: 'Leiste nach links verschieben' }).focus();
      await visitor.keyboard.press('Tab');
      await visitor.keyboard.press('Enter');
      await bar.waitFor({ state: 'detached' });
      assert.equal(await visitor.evaluate(() => sessionStorage.length), 0);
      assert.deepEqual(
        await visitor.evaluate(() =>
          ['padding-block-end', 'scroll-padding-block-end', '--lotse-live-offset'].map((name) =>
            document.documentElement.style.getPropertyValue(name),
          ),
        ),
        ['', '', ''],
        'the page has its own styles back',
      );
    } finally {
      await closeAll(p);
    }
  });

  it('a wrong webcode is refused without saying whether it existed; a wrong start code is refused', async () => {
    const p = await pair(`${server.url}/`);
    try {
      const webcode = await offerByPhone(p.advisor);
      const wrong = webcode === '000000' ? '000001' : '000000';
      await enterWebcodeInSearch(p.visitor, wrong);
      const error = p.visitor.locator(`${cobrowse} [part~="cobrowse-error"]`);
      await error.waitFor();
      const wrongText = await error.textContent();
      assert.doesNotMatch(wrongText ?? '', /abgelaufen|existiert|expired|exist/i);

      // The right one still works, and a wrong start code is refused before the right one starts the session.
      await enterWebcodeInSearch(p.visitor, webcode);
      const startCode = await consentAndReadStartCode(p.visitor);
      const wrongStart = startCode.startsWith('A') ? 'CCCCCCCC' : 'AAAAAAAA';
      await typeStartCode(p.advisor, wrongStart);
      await p.advisor.locator(`${consoleEl} [part~="cobrowse-error"]`).waitFor();
      assert.equal(await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).count(), 0);
      await typeStartCode(p.advisor, startCode);
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor();
      await p.advisor.locator(`${consoleEl} [part~="cobrowse-end"]`).click();
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });
      assert.equal(await p.visitor.evaluate(() => sessionStorage.length), 0);
    } finally {
      await closeAll(p);
    }
  });

  it('an expired webcode gets the same answer as a wrong one', async () => {
    const short = await startTestServer({
      demo: true,
      port: 0,
      allowedOrigins: [site.origin],
      cobrowse: { ...server.config.cobrowse, webcodeTtlMinutes: 1 / 60 }, // one second
    });
    const p = await pair(`${short.url}/`, short);
    try {
      const webcode = await offerByPhone(p.advisor);
      await p.advisor.waitForTimeout(1500); // the code's lifetime is the subject of this test
      await enterWebcodeInSearch(p.visitor, webcode);
      const error = p.visitor.locator(`${cobrowse} [part~="cobrowse-error"]`);
      await error.waitFor();
      const expiredText = await error.textContent();
      assert.equal(await p.visitor.locator(`${cobrowse} [part~="cobrowse-consent"]`).count(), 0);
      // A code that never existed gets word for word the same answer.
      await p.visitor.reload();
      await enterWebcodeInSearch(p.visitor, webcode === '123456' ? '654321' : '123456');
      await error.waitFor();
      assert.equal(await error.textContent(), expiredText);
    } finally {
      await closeAll(p);
      await short.close();
    }
  });

  it('a reload during the session resumes it within 5 s with a fresh snapshot', async () => {
    const p = await pair(`${server.url}/leistungen.html`);
    try {
      await startSession(p.advisor, p.visitor);
      await viewerFrame(p.advisor).getByText('Zahnersatz und Kieferorthopädie').first().waitFor();
      const reloaded = Date.now();
      await p.visitor.goto(`${server.url}/formular.html`);
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ timeout: 5000 });
      await viewerFrame(p.advisor).getByText('Antrag auf Kostenübernahme').waitFor({ timeout: 5000 });
      assert.ok(Date.now() - reloaded < 5000, 'resumed within 5 s');
      await p.advisor.locator(`${consoleEl} [part~="cobrowse-end"]`).click();
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });
    } finally {
      await closeAll(p);
    }
  });

  it('canary page: no IBAN, insurance number, password, hidden value, option text or marked text crosses the data channel or the server; the Lit element arrives styled', async () => {
    const p = await pair(`${site.origin}/canary.html`);
    try {
      await p.visitor.locator('fixture-card').waitFor();
      await p.visitor.locator('#kvnr').fill('A123456789');
      await p.visitor.locator('#password').fill('Geheim-Kennwort-42');
      await p.visitor.locator('#iban').fill('DE89370400440532013000');
      await startSession(p.advisor, p.visitor);
      const frame = viewerFrame(p.advisor);
      await frame.getByText('Sichtbarer Seitentext für die Beraterin').waitFor();
      // Typing during the session is recorded as input events: still masked.
      await p.visitor.locator('#kvnr').fill('A123456789');
      await p.visitor.locator('#message').fill('TEXTAREA-CANARY-4411 noch einmal');
      await p.visitor.locator('#select').selectOption({ label: 'OPTION-CANARY-ALPHA' });
      await p.visitor.evaluate(() => {
        document.getElementById('dynamic')!.textContent = 'Zähler 1';
      });
      await frame.getByText('Zähler 1').waitFor();

      // The Lit element: shadow DOM and adopted stylesheet, styled in the replay.
      const color = await frame.locator('fixture-card .title').evaluate((el) => getComputedStyle(el).color);
      assert.equal(color, 'rgb(200, 30, 30)');

      const { texts } = await sentMessages(p.visitor);
      assert.ok(texts.length > 0, 'frames were captured');
      const channel = texts.join('\n');
      assert.match(channel, /Sichtbarer Seitentext/, 'the capture does contain the page');
      const wire = p.serverFrames.join('\n');
      for (const canary of CANARIES) {
        assert.equal(channel.includes(canary), false, `data channel carries ${canary}`);
        assert.equal(wire.includes(canary), false, `server traffic carries ${canary}`);
      }
      await p.advisor.locator(`${consoleEl} [part~="cobrowse-end"]`).click();
      await p.visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });
    } finally {
      await closeAll(p);
    }
  });

  it(
    'works through TURN only (iceTransportPolicy relay) with a local coturn',
    { skip: !hasCoturn() && !process.env['CI'] && 'coturn is not installed (apt-get install -y coturn)' },
    async () => {
      const turn = await startCoturn();
      const relayed = await startTestServer({
        demo: true,
        port: 0,
        allowedOrigins: [site.origin],
        cobrowse: {
          ...server.config.cobrowse,
          ice: {
            stunUrls: [],
            turnUrls: [turn.url],
            turnSecret: turn.secret,
            turnTtlSeconds: 600,
            transportPolicy: 'relay',
          },
        },
      });
      const p = await pair(`${relayed.url}/`, relayed);
      try {
        await startSession(p.advisor, p.visitor);
        await viewerFrame(p.advisor).getByText('Gesund versichert mit der Musterkasse').waitFor();
        assert.deepEqual(await selectedCandidateTypes(p.visitor), ['relay']);
        await p.visitor.locator(`${cobrowse} [part~="cobrowse-end"]`).click();
      } finally {
        await closeAll(p);
        await relayed.close();
        await turn.close();
      }
    },
  );
});
