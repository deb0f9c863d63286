/**
 * Screenshots of the advisor console as an advisor works in it: the demo server (built bundles, as `npm start`
 * serves them), a visitor on the demo's Leistungen page who chats and has started co-browsing, a second visitor
 * waiting in the queue, and the console at 1280 and 1920 px wide with the conversation and the live view. For
 * looking at the layout (a person looks at them; nothing is compared here).
 *
 *   node scripts/build.mjs && node --import tsx scripts/console-screens.ts [out-dir]
 *
 * Writes console-1280.png, console-1920.png and console-1024.png to out-dir (default: ./screens) and prints one JSON
 * line per file.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startDemoServer } from '../test/helpers/browser.js';
import type { TestServer } from '../test/helpers/server.js';
import {
  CONSOLE,
  acceptChat,
  advisorReads,
  advisorWrites,
  startVisitorChat,
  visitorWrites,
} from '../test/helpers/chat-pages.js';
import {
  consentAndReadStartCode,
  enterWebcodeInSearch,
  typeStartCode,
  viewerFrame,
} from '../test/helpers/cobrowse-pages.js';

/** 1280 and 1920 side by side; 1024 shows the regions as tabs (the context tab, with the live view). */
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 1024, height: 768 },
] as const;

const NICKNAME = 'Wanderfalke';

async function conversation(advisor: Page, visitor: Page): Promise<void> {
  await startVisitorChat(visitor, NICKNAME);
  await visitorWrites(visitor, 'Guten Tag! Ich brauche eine neue Zahnkrone. Was zahlt die Kasse dazu?');
  await acceptChat(advisor, NICKNAME, 'Zahnkrone');
  const lines: [from: 'advisor' | 'visitor', text: string][] = [
    ['advisor', 'Guten Tag, hier ist Ihre Beraterin. Für Zahnersatz gibt es einen Festzuschuss.'],
    ['visitor', 'Wie hoch ist der denn?'],
    ['advisor', 'Das hängt vom Befund und von Ihrem Bonusheft ab. Ich zeige es Ihnen gern auf der Seite.'],
    ['visitor', 'Gern, ich bin auf der Seite Leistungen.'],
  ];
  for (const [from, text] of lines) {
    if (from === 'advisor') await advisorWrites(advisor, NICKNAME, text);
    else {
      await visitorWrites(visitor, text);
      await advisorReads(advisor, NICKNAME, text);
    }
  }
}

async function cobrowse(advisor: Page, visitor: Page): Promise<void> {
  const context = advisor.locator(`${CONSOLE} lotse-advisor-context`).filter({ hasText: NICKNAME });
  await context.locator('[part~="cobrowse-offer"]').click();
  const webcode = (await context.locator('[part~="webcode"]').textContent())!.replace(/\D/g, '');
  await context.locator('[part~="webcode-post"]').click();
  await enterWebcodeInSearch(visitor, webcode);
  const startCode = await consentAndReadStartCode(visitor);
  await typeStartCode(advisor, startCode);
  await viewerFrame(advisor).getByText('Zahnersatz und Kieferorthopädie').first().waitFor();
  await advisorWrites(advisor, NICKNAME, 'Ich sehe Ihre Seite. Schauen Sie bitte unter „Zahnersatz“.');
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'screens');
  mkdirSync(out, { recursive: true });
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startDemoServer();
    browser = await launchChromium();
    const advisorContext = await browser.newContext({ viewport: SIZES[1] });
    const advisor = await advisorContext.newPage();
    await advisor.goto(`${server.url}/advisor.html`);
    await advisor
      .locator(`${CONSOLE} [part~="status"]`)
      .filter({ hasText: /verbunden|connected/i })
      .waitFor();
    const visitor = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    await visitor.goto(`${server.url}/leistungen.html`);
    await conversation(advisor, visitor);
    await cobrowse(advisor, visitor);

    // Someone else is waiting meanwhile.
    const waiting = await (await browser.newContext()).newPage();
    await waiting.goto(`${server.url}/`);
    await startVisitorChat(waiting, 'Rotkehlchen');
    await visitorWrites(waiting, 'Hallo, wie melde ich mein Neugeborenes an?');
    await advisor.locator(`${CONSOLE} [part~="queue-item"]`).filter({ hasText: 'Rotkehlchen' }).waitFor();

    for (const size of SIZES) {
      await advisor.setViewportSize(size);
      await advisor.waitForFunction(
        (w) =>
          (document.querySelector('lotse-advisor-console') as { layout?: string } | null)?.layout ===
          (w >= 1280 ? 'columns' : 'tabs'),
        size.width,
      );
      if (size.width < 1280) {
        await advisor.locator(`${CONSOLE} #region-tab-context`).click();
      }
      // The live view re-fits to its new box; give it a frame.
      await advisor.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const path = resolve(out, `console-${size.width}.png`);
      await advisor.screenshot({ path });
      const layout = await advisor.evaluate(
        () => (document.querySelector('lotse-advisor-console') as { layout?: string }).layout,
      );
      console.log(JSON.stringify({ file: path, ...size, layout }));
    }
  } finally {
    await browser?.close();
    await server?.close();
  }
}

await main();
