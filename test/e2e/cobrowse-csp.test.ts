/**
 * A whole co-browse session on a page under the strict CSP the widget is built for (the demo pages':
 * `script-src 'self'; style-src 'self'; connect-src 'self' …`, no 'unsafe-inline'), in real Chromium over a real
 * data channel: not one CSP violation on the visitor's page from start to end (counted from the page's
 * `securitypolicyviolation` events), while the page changes its DOM and its styles as an insurer's scripts do, the
 * visitor types, and the advisor points. The same session inserts an `<iframe srcdoc>` with a hidden value and
 * marked text, and the visitor types a name: neither the frame's contents nor the name's length reach the advisor.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import {
  captureDataChannels,
  cobrowse,
  consoleEl,
  sentMessages,
  startSession,
  viewerFrame,
} from '../helpers/cobrowse-pages.js';

const SRCDOC_HIDDEN = 'SRCDOC-HIDDEN-4711';
const SRCDOC_MASKED = 'SRCDOC-MASKED-0815';
const NAME = 'Anna Beispiel';
const MASK = '******';

interface Violation {
  directive: string;
  source: string;
  sample: string;
}

/** Runs in the visitor's page before any of its scripts: keeps every CSP violation the page reports. */
function countViolations(): void {
  const found: Violation[] = [];
  (window as unknown as { __cspViolations: Violation[] }).__cspViolations = found;
  document.addEventListener(
    'securitypolicyviolation',
    (event) =>
      found.push({
        directive: event.effectiveDirective,
        source: `${event.sourceFile}:${event.lineNumber}`,
        sample: event.sample,
      }),
    true,
  );
}

const violations = (page: Page): Promise<Violation[]> =>
  page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);

describe('co-browsing under a strict CSP, end to end', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ demo: true, port: 0 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a whole session causes no CSP violation, and sends no srcdoc contents and no length of a typed name', async () => {
    const csp = (await fetch(`${server.url}/formular.html`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, /style-src 'self';/, 'the page is under the strict policy');
    assert.doesNotMatch(csp, /unsafe-inline/);

    const advisorContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const visitorContext = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    try {
      await captureDataChannels(visitorContext);
      await visitorContext.addInitScript(countViolations);
      const serverFrames: string[] = [];
      const advisor = await advisorContext.newPage();
      const visitor = await visitorContext.newPage();
      for (const page of [advisor, visitor]) {
        page.on('websocket', (socket) => {
          socket.on('framesent', ({ payload }) => serverFrames.push(String(payload)));
          socket.on('framereceived', ({ payload }) => serverFrames.push(String(payload)));
        });
      }
      await advisor.goto(`${server.url}/advisor.html`);
      await advisor
        .locator(`${consoleEl} [part~="status"]`)
        .filter({ hasText: /verbunden|connected/i })
        .waitFor();
      await visitor.goto(`${server.url}/formular.html`);
      await visitor.locator('[name=name]').fill('Vorher');

      await startSession(advisor, visitor);
      const frame = viewerFrame(advisor);
      await frame.getByText('Antrag auf Kostenübernahme').waitFor();

      // The page's own scripts at work, as on an insurer's site: text, styles set through the CSSOM (which the
      // CSP allows the page), classes, new elements, an iframe with a whole document in its srcdoc.
      await visitor.evaluate(
        ([hidden, masked]) => {
          const heading = document.querySelector('h1')!;
          heading.textContent = 'Geänderte Überschrift';
          heading.style.color = 'rgb(11, 93, 75)';
          heading.style.letterSpacing = '1px';
          heading.style.removeProperty('letter-spacing');
          heading.style.setProperty('--marke', '1');
          heading.classList.add('geaendert');
          const note = document.createElement('p');
          note.textContent = 'Neuer Hinweis der Seite';
          note.style.display = 'block';
          document.querySelector('main')!.append(note);
          const embedded = document.createElement('iframe');
          embedded.title = 'Eingebettet';
          embedded.srcdoc = `<input type=hidden value=${hidden}><p data-lotse-mask>${masked}</p><p>im Rahmen</p>`;
          document.querySelector('main')!.append(embedded);
        },
        [SRCDOC_HIDDEN, SRCDOC_MASKED],
      );
      await frame.getByText('Neuer Hinweis der Seite').waitFor();
      await visitor.locator('[name=name]').fill(NAME);
      await visitor.locator('[name=nachricht]').fill('Eine Nachricht');
      await visitor.mouse.move(200, 300);
      await visitor.mouse.wheel(0, 200);
      await visitor.evaluate(() => {
        document.querySelector('h1')!.style.color = 'rgb(200, 30, 30)';
      });

      // The advisor points; the pointer moves on the visitor's page.
      const viewer = advisor.locator(`${consoleEl} lotse-cobrowse-viewer`);
      const box = (await viewer.boundingBox())!;
      for (const step of [0, 10, 20, 30])
        await advisor.mouse.move(box.x + box.width / 2 + step, box.y + box.height / 3 + step);
      await visitor.locator(`${cobrowse} [part~="pointer"]`).waitFor({ state: 'visible' });

      // What the advisor sees of the name (once the last change has arrived).
      await frame.locator('h1[style*="200, 30, 30"]').waitFor();
      const nameShown = await frame.locator('[name=name]').inputValue();

      // The visitor ends the session.
      await visitor.locator(`${cobrowse} [part~="cobrowse-end"]`).click();
      await visitor.locator(`${cobrowse} [part~="live-bar"]`).waitFor({ state: 'detached' });
      await advisor.locator(`${consoleEl} lotse-cobrowse-viewer`).waitFor({ state: 'detached' });

      const { texts } = await sentMessages(visitor);
      const channel = texts.join('\n');
      assert.match(channel, /Neuer Hinweis der Seite/, 'the capture does contain the page');
      const wire = serverFrames.join('\n');
      const secrets = [SRCDOC_HIDDEN, SRCDOC_MASKED, 'im Rahmen', 'srcdoc', '*'.repeat(NAME.length)];
      // All at once, so that a failure gives every figure: the name as the advisor saw it, what of the frame and
      // of the name's length crossed the data channel or the server, and each CSP violation.
      assert.deepEqual(
        {
          nameShown,
          onChannel: secrets.filter((secret) => channel.includes(secret)),
          onServer: secrets.filter((secret) => wire.includes(secret)),
          violations: await violations(visitor),
        },
        { nameShown: MASK, onChannel: [], onServer: [], violations: [] },
      );
    } finally {
      await Promise.all([advisorContext.close(), visitorContext.close()]);
    }
  });
});
