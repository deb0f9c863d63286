/**
 * The visitor in Firefox (Debian's ESR over WebDriver BiDi, `test/helpers/firefox.ts`), the advisor in Chromium
 * (playwright-core), against the real demo server with the built bundles: the anonymous chat, and co-browsing with
 * a real WebRTC data channel between the two browsers.
 *
 * WebRTC between them works here as it does between two Chromiums. The peers find each other by host candidates
 * on this machine's own address; by default both browsers hide those behind mDNS names and resolve them by
 * multicast DNS, which leaves through the network interface. So Firefox announces addresses
 * (`scripts/firefox.mjs`) and the advisor's Chromium is started with the same choice
 * (`--disable-features=WebRtcHideLocalIpsWithMdns`); then no packet of the session leaves the machine.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { startFixtureSite } from '../helpers/fixtures.js';
import type { FixtureSite } from '../helpers/fixtures.js';
import { until } from '../helpers/until.js';
import { acceptChat, advisorReads, advisorWrites, openAdvisor } from '../helpers/chat-pages.js';
import {
  candidateTypesInPage,
  capturedFrames,
  consoleEl,
  dataChannelCapture,
  decodeSentMessages,
  offerByPhone,
  typeStartCode,
  viewerFrame,
} from '../helpers/cobrowse-pages.js';
import {
  check,
  click,
  closeFirefox,
  closeFirefoxPage,
  deep,
  fill,
  launchFirefox,
  newFirefoxPage,
  pasteClipboard,
  textOf,
  waitFor,
} from '../helpers/firefox.js';
import type { FirefoxBrowser, FirefoxPage } from '../helpers/firefox.js';
import {
  chatPart,
  cobrowsePart,
  consentAndReadStartCode,
  enterWebcodeInSearch,
  launcher,
  startChat,
  visitorReads,
  visitorWrites,
} from '../helpers/firefox-visitor.js';

/** What the co-browse canary page holds and must never send (test/e2e/fixtures/canary.html). */
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

/**
 * Installed before the page's scripts: every WebSocket the page opens and every text it sends on one (puppeteer
 * reports no WebSocket frames over BiDi). Runs in the page: no named inner functions.
 */
function webSocketCapture(): void {
  const w = window as unknown as { __lotseSockets: string[]; __lotseSocketSends: string[] };
  w.__lotseSockets = [];
  w.__lotseSocketSends = [];
  const Original = WebSocket;
  window.WebSocket = class extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      w.__lotseSockets.push(String(url));
    }
  } as typeof WebSocket;
  const send = Original.prototype.send;
  Original.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    w.__lotseSocketSends.push(typeof data === 'string' ? data : '[binary]');
    return send.call(this, data);
  };
}

/** The page side of `webSocketCapture`'s record. */
function capturedSockets(): { urls: string[]; sends: string[] } {
  const w = window as unknown as { __lotseSockets: string[]; __lotseSocketSends: string[] };
  return { urls: w.__lotseSockets, sends: w.__lotseSocketSends };
}

/** Every WebSocket frame the advisor's page sends or receives. */
function advisorFrames(advisor: Page): string[] {
  const frames: string[] = [];
  advisor.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => frames.push(String(payload)));
    socket.on('framereceived', ({ payload }) => frames.push(String(payload)));
  });
  return frames;
}

describe('Firefox visitor, Chromium advisor, end to end', () => {
  let site: FixtureSite;
  let server: TestServer;
  let chromium: Browser;
  let firefox: FirefoxBrowser;

  before(async () => {
    site = await startFixtureSite();
    server = await startDemoServer([site.origin]);
    site.lotse = server.url;
    [chromium, firefox] = await Promise.all([
      launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns']),
      launchFirefox(),
    ]);
  });

  after(async () => {
    await closeFirefox(firefox);
    await chromium?.close();
    await server?.close();
    await site?.close();
  });

  it('chat: the visitor confirms, writes and reads; the advisor accepts and replies; the visitor ends and copies the transcript', async () => {
    const advisor = await openAdvisor(chromium, server);
    let visitor: FirefoxPage | undefined;
    try {
      visitor = await newFirefoxPage(firefox);
      await visitor.goto(`${server.url}/`);
      await startChat(visitor, 'Wanderfalke');
      await visitorWrites(visitor, 'Wie beantrage ich eine Zahnreinigung?');

      await acceptChat(advisor.page, 'Wanderfalke', 'Zahnreinigung');
      await advisorReads(advisor.page, 'Wanderfalke', 'Wie beantrage ich eine Zahnreinigung?');
      const reply = 'Das geht formlos, ich erkläre es Ihnen gern.';
      await advisorWrites(advisor.page, 'Wanderfalke', reply);

      // The visitor reads the reply, with the advisor's name, and writes back.
      await visitorReads(visitor, reply);
      await waitFor(visitor, chatPart('advisor'), { text: 'Demo-Beraterin' });
      await visitorWrites(visitor, 'Danke, dann schreibe ich formlos.');
      await advisorReads(advisor.page, 'Wanderfalke', 'Danke, dann schreibe ich formlos.');

      // The visitor ends; the advisor sees it.
      await click(visitor, chatPart('end'));
      await advisor.page.locator(`${consoleEl} [part~="dismiss"]`).waitFor();

      // The transcript goes from the visitor's memory to Firefox's clipboard (not to the fallback text area).
      await click(visitor, chatPart('copy'));
      await waitFor(visitor, deep('lotse-chat', 'lotse-chat-popup', '[role="status"]'), { text: /kopiert|copied/ });
      await waitFor(visitor, chatPart('transcript'), { state: 'detached' });
      const copied = await pasteClipboard(visitor);
      assert.match(copied, /Wie beantrage ich eine Zahnreinigung\?/);
      assert.match(copied, /Das geht formlos, ich erkläre es Ihnen gern\./);
      assert.ok(copied.indexOf('Zahnreinigung') < copied.indexOf('Das geht formlos'), 'transcript keeps the order');

      // Nothing of the chat stays in the server's memory.
      assert.equal(server.server.hub.chats.size, 0);
    } finally {
      await closeFirefoxPage(visitor);
      await advisor.context.close();
    }
  });

  it('co-browsing: webcode in the search field, consent, start code, live view over WebRTC, pointer; the visitor ends it', async () => {
    const advisorContext = await chromium.newContext({ viewport: { width: 1400, height: 900 } });
    let visitor: FirefoxPage | undefined;
    try {
      const advisor = await advisorContext.newPage();
      await advisor.goto(`${server.url}/advisor.html`);
      await advisor
        .locator(`${consoleEl} [part~="status"]`)
        .filter({ hasText: /verbunden|connected/i })
        .waitFor();
      visitor = await newFirefoxPage(firefox, { viewport: { width: 1000, height: 800 } });
      await visitor.evaluateOnNewDocument(dataChannelCapture);
      await visitor.goto(`${server.url}/formular.html`);

      const webcode = await offerByPhone(advisor);
      await enterWebcodeInSearch(visitor, webcode);
      // The start view: exact wording, and the start button only once the box is ticked.
      await waitFor(visitor, cobrowsePart('cobrowse-consent'));
      assert.equal((await textOf(visitor, cobrowsePart('cobrowse-start'))).trim(), 'Co-Browsing Sitzung starten');
      assert.equal(
        await visitor.$eval(cobrowsePart('cobrowse-start'), (button) => (button as HTMLButtonElement).disabled),
        true,
      );
      assert.equal(await visitor.evaluate(() => sessionStorage.length), 0, 'nothing stored before consent');
      assert.deepEqual((await visitor.evaluate(capturedFrames)).frames, [], 'nothing sent before consent');

      const startCode = await consentAndReadStartCode(visitor);
      assert.match(startCode, /^[ACDEFHJKMNPRTUVWXY3479]{8}$/);
      await typeStartCode(advisor, startCode);
      await waitFor(visitor, cobrowsePart('live-bar'));

      // The advisor sees the visitor's page, styled, over the data channel from Firefox …
      const frame = viewerFrame(advisor);
      await frame.getByText('Antrag auf Kostenübernahme').waitFor();
      assert.equal(
        await frame.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor),
        'rgb(11, 93, 75)',
      );
      // … and a change on it.
      await visitor.evaluate(() => {
        document.querySelector('h1')!.textContent = 'Geänderte Überschrift beim Versicherten';
      });
      await frame.getByText('Geänderte Überschrift beim Versicherten').waitFor();
      assert.deepEqual(await visitor.evaluate(candidateTypesInPage), ['host'], 'a direct connection on this machine');
      const { texts } = decodeSentMessages(await visitor.evaluate(capturedFrames));
      assert.match(texts.join('\n'), /Antrag auf Kostenübernahme/, 'the page went over the data channel');

      // The advisor's pointer appears on the visitor's page in Firefox, labelled, and never intercepts clicks.
      const box = (await advisor.locator(`${consoleEl} lotse-cobrowse-viewer`).boundingBox())!;
      await advisor.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
      await advisor.mouse.move(box.x + box.width / 2 + 10, box.y + box.height / 3 + 10);
      await waitFor(visitor, cobrowsePart('pointer'), { text: 'Demo-Beraterin' });
      assert.equal(await visitor.$eval(cobrowsePart('pointer'), (el) => getComputedStyle(el).pointerEvents), 'none');

      // Session state lives in sessionStorage only while live.
      assert.deepEqual(await visitor.evaluate(() => Object.keys(sessionStorage)), ['lotse-cobrowse']);
      assert.equal(await visitor.evaluate(() => localStorage.length), 0);

      // The visitor ends it; both sides stop, nothing stays behind.
      await click(visitor, cobrowsePart('cobrowse-end'));
      await waitFor(visitor, cobrowsePart('live-bar'), { state: 'detached' });
      await advisor.locator(`${consoleEl} lotse-cobrowse-viewer`).waitFor({ state: 'detached' });
      assert.equal(await visitor.evaluate(() => sessionStorage.length), 0);
    } finally {
      await closeFirefoxPage(visitor);
      await advisorContext.close();
    }
  });
  it("before consent: no WebSocket, no cookie, no storage, no request but the widget's own code", async () => {
    let visitor: FirefoxPage | undefined;
    try {
      visitor = await newFirefoxPage(firefox);
      const page = visitor;
      await page.evaluateOnNewDocument(webSocketCapture);
      // A cookie of the insurer's own site, to prove that the availability request leaves it at home.
      await page.browserContext().setCookie({ name: 'site', value: 'probe', domain: '127.0.0.1', path: '/' });
      const requests: string[] = [];
      const cookieOf = new Map<string, string | undefined>();
      page.on('request', (request) => {
        // Firefox also reports data: URLs it loads for its own form controls (a font); they touch no network.
        const url = new URL(request.url());
        if (url.protocol === 'data:') return;
        const path = url.pathname;
        requests.push(path);
        cookieOf.set(path, request.headers()['cookie']);
      });
      const storage = () =>
        page.evaluate(async () => ({
          cookie: document.cookie,
          local: localStorage.length,
          session: sessionStorage.length,
          idb: (await indexedDB.databases()).length,
        }));
      const cookieNames = async () => (await page.browserContext().cookies()).map((cookie) => cookie.name);
      // The page's own requests; Firefox asks for /favicon.ico by itself (the demo page names no icon).
      const pageOwn = ['/', '/demo.css', '/favicon.ico'];
      const widgetRequests = () => requests.filter((path) => ![...pageOwn, '/availability'].includes(path));

      await page.goto(`${server.url}/`);
      await waitFor(page, launcher);
      await until(() => cookieOf.has('/availability'), 'the availability request');
      assert.deepEqual(
        requests.filter((path) => !pageOwn.includes(path)).sort(),
        ['/availability', '/lotse/lotse.js'],
        'page load fetches only the launcher and the availability',
      );
      assert.equal(cookieOf.get('/availability'), undefined, 'the availability request carries no cookie');
      assert.equal(cookieOf.get('/lotse/lotse.js'), 'site=probe', 'the probe cookie is there to be left out');
      assert.deepEqual(await cookieNames(), ['site'], 'nothing but the probe was set');
      await page.browserContext().deleteCookie(...(await page.browserContext().cookies()));

      await click(page, launcher);
      await check(page, chatPart('terms-checkbox'));
      // Terms read and ticked, start not yet clicked; then the nickname step, not yet submitted.
      for (const path of widgetRequests()) assert.match(path, /^\/lotse\/[\w./-]+\.js$/, `only own code: ${path}`);
      await click(page, chatPart('terms-accept'));
      await fill(page, chatPart('nickname'), 'Zaunkönig');
      for (const path of widgetRequests()) assert.match(path, /^\/lotse\/[\w./-]+\.js$/, `only own code: ${path}`);
      assert.deepEqual((await page.evaluate(capturedSockets)).urls, []);
      assert.deepEqual(await cookieNames(), []);
      assert.deepEqual(await storage(), { cookie: '', local: 0, session: 0, idb: 0 });

      // Only the nickname's submission opens the connection. Consent given, the chat is kept for this tab (so that it
      // outlives the page): one sessionStorage entry; no cookie, nothing else stored.
      await click(page, chatPart('nickname-submit'));
      await waitFor(page, chatPart('composer'));
      const { urls } = await page.evaluate(capturedSockets);
      assert.equal(urls.length, 1);
      assert.match(urls[0]!, /\/ws\/visitor$/);
      assert.deepEqual(await cookieNames(), []);
      assert.deepEqual(await storage(), { cookie: '', local: 0, session: 1, idb: 0 });
      assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), ['lotse-chat']);
    } finally {
      await closeFirefoxPage(visitor);
    }
  });

  it('co-browsing canary page: nothing private crosses the data channel or the server from Firefox; the Lit element arrives styled', async () => {
    const advisorContext = await chromium.newContext({ viewport: { width: 1400, height: 900 } });
    let visitor: FirefoxPage | undefined;
    try {
      const advisor = await advisorContext.newPage();
      const advisorWire = advisorFrames(advisor);
      await advisor.goto(`${server.url}/advisor.html`);
      await advisor
        .locator(`${consoleEl} [part~="status"]`)
        .filter({ hasText: /verbunden|connected/i })
        .waitFor();
      visitor = await newFirefoxPage(firefox, { viewport: { width: 1000, height: 800 } });
      await visitor.evaluateOnNewDocument(dataChannelCapture);
      await visitor.evaluateOnNewDocument(webSocketCapture);
      await visitor.goto(`${site.origin}/canary.html`);
      await waitFor(visitor, 'fixture-card');
      await fill(visitor, '#kvnr', 'A123456789');
      await fill(visitor, '#password', 'Geheim-Kennwort-42');
      await fill(visitor, '#iban', 'DE89370400440532013000');

      const webcode = await offerByPhone(advisor);
      await enterWebcodeInSearch(visitor, webcode);
      await typeStartCode(advisor, await consentAndReadStartCode(visitor));
      await waitFor(visitor, cobrowsePart('live-bar'));
      const frame = viewerFrame(advisor);
      await frame.getByText('Sichtbarer Seitentext für die Beraterin').waitFor();

      // Typing during the session is recorded as input events: still masked.
      await fill(visitor, '#kvnr', 'A123456789');
      await fill(visitor, '#message', 'TEXTAREA-CANARY-4411 noch einmal');
      await visitor.select('#select', 'OPTION-CANARY-ALPHA');
      await visitor.evaluate(() => {
        document.getElementById('dynamic')!.textContent = 'Zähler 1';
      });
      await frame.getByText('Zähler 1').waitFor();

      // The Lit element: shadow DOM and adopted stylesheet, recorded in Firefox, styled in Chromium's replay.
      assert.equal(
        await frame.locator('fixture-card .title').evaluate((el) => getComputedStyle(el).color),
        'rgb(200, 30, 30)',
      );

      const { texts } = decodeSentMessages(await visitor.evaluate(capturedFrames));
      const channel = texts.join('\n');
      assert.match(channel, /Sichtbarer Seitentext/, 'the capture does contain the page');
      const wire = [...(await visitor.evaluate(capturedSockets)).sends, ...advisorWire].join('\n');
      assert.match(wire, /cobrowse\./, 'the capture does contain the signalling');
      for (const canary of CANARIES) {
        assert.equal(channel.includes(canary), false, `data channel carries ${canary}`);
        assert.equal(wire.includes(canary), false, `server traffic carries ${canary}`);
      }
      await advisor.locator(`${consoleEl} [part~="cobrowse-end"]`).click();
      await waitFor(visitor, cobrowsePart('live-bar'), { state: 'detached' });
    } finally {
      await closeFirefoxPage(visitor);
      await advisorContext.close();
    }
  });
});
