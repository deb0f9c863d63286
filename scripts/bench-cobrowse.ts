// Co-browse figures (run by `npm run bench`; JSON lines on stdout, progress on stderr). Two real Chromium
// contexts, the real server on loopback, a real WebRTC data channel, a generated page of about 10,000 nodes.
//
//   cobrowse_first_frame_ms            start code accepted → first frame shown in the advisor's viewer
//   cobrowse_dom_change_p50_ms / p95   a DOM change on the visitor's page → in the viewer's document
//   cobrowse_pointer_p50_ms / p95      the advisor's pointer move → drawn on the visitor's page
//   cobrowse_wire_bytes / raw bytes    a scripted minute of browsing: data channel bytes vs raw rrweb JSON
//   cobrowse_visitor_code_gzip_bytes   everything under /lotse/ the visitor's page loads from the webcode on: the
//                                      start view, the terms, the live session's code; by file and by phase
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { startTestServer } from '../test/helpers/server.js';
import { startFixtureSite } from '../test/helpers/fixtures.js';
import {
  captureDataChannels,
  cobrowse,
  consentAndReadStartCode,
  consoleEl,
  enterWebcodeInSearch,
  offerByPhone,
  sentMessages,
  typeStartCode,
  viewerFrame,
} from '../test/helpers/cobrowse-pages.js';

const MINUTE_MS = Number(process.env['LOTSE_BENCH_MINUTE_MS'] ?? 60_000);
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...extra }));
const progress = (text: string) => console.error(`bench: ${text}`);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** The replay iframe's document in the advisor page (the page's only iframe), through every shadow root. */
const findReplayDocument = `(() => {
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.tagName === 'IFRAME') return el.contentDocument;
      if (el.shadowRoot) { const found = walk(el.shadowRoot); if (found) return found; }
    }
    return undefined;
  };
  return walk(document);
})()`;

const site = await startFixtureSite();
const server = await startTestServer({ demo: true, port: 0, allowedOrigins: [site.origin] });
site.lotse = server.url;
const browser = await launchChromium();
try {
  const advisorContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  await captureDataChannels(visitorContext);
  const advisor = await advisorContext.newPage();
  const visitor = await visitorContext.newPage();
  // What the visitor's page loads from Lotse, by phase: `page` (the launcher, before any webcode: the page-load
  // figure, not counted here), `webcode` (the webcode typed: start view and terms), `consent` (the start click:
  // the start code), `live` (the advisor typed the start code: WebRTC, recording, the live session to its end).
  type Phase = 'page' | 'webcode' | 'consent' | 'live';
  const loaded = new Map<string, { phase: Phase; bytes: Promise<number> }>();
  let phase: Phase = 'page';
  visitor.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/lotse/') || loaded.has(path)) return;
    const body = response.body().catch(() => Buffer.alloc(0));
    loaded.set(path, { phase, bytes: body.then((bytes) => gzipSync(bytes, { level: 9 }).length) });
  });

  await advisor.goto(`${server.url}/advisor.html`);
  await advisor
    .locator(`${consoleEl} [part~="status"]`)
    .filter({ hasText: /verbunden|connected/i })
    .waitFor();
  await visitor.goto(`${site.origin}/big.html`, { waitUntil: 'networkidle' });
  const nodes = await visitor.evaluate(
    () =>
      document.querySelectorAll('*').length +
      document.evaluate('count(//text())', document, null, XPathResult.NUMBER_TYPE, null).numberValue,
  );
  progress(`visitor page has ${nodes} nodes`);

  // Webcode and consent: what the visitor's browser loads for co-browsing, by step.
  const webcode = await offerByPhone(advisor);
  phase = 'webcode';
  await enterWebcodeInSearch(visitor, webcode);
  await visitor.locator(`${cobrowse} [part~="terms"]`).waitFor();
  phase = 'consent';
  const startCode = await consentAndReadStartCode(visitor);
  phase = 'live';

  // 1. Start code accepted → first frame in the viewer.
  await advisor.evaluate(() => {
    const w = window as unknown as { __bench: { click?: number; frame?: number } };
    w.__bench = {};
    document.addEventListener(
      'click',
      (event) => {
        const hit = event
          .composedPath()
          .some((n) => n instanceof Element && (n.getAttribute('part') ?? '').split(' ').includes('start-code-submit'));
        if (hit) w.__bench.click = performance.now();
      },
      true,
    );
    document.addEventListener('lotse-advisor-cobrowse-frame', () => {
      w.__bench.frame ??= performance.now();
    });
  });
  await typeStartCode(advisor, startCode);
  await advisor.waitForFunction(
    () => (window as unknown as { __bench: { frame?: number } }).__bench.frame !== undefined,
    null,
    { timeout: 15_000 },
  );
  const first = await advisor.evaluate(() => {
    const b = (window as unknown as { __bench: { click: number; frame: number } }).__bench;
    return b.frame - b.click;
  });
  emit('cobrowse_first_frame_ms', first, 'ms', { nodes, goal: 1000 });
  await viewerFrame(advisor).getByText('Position 1250').waitFor();
  // 2. DOM change → in the viewer's document (wall clock on both pages: one machine).
  progress('DOM change latency');
  // The viewer re-creates its replay (a new iframe document) on every full snapshot, e.g. after the channel
  // reconnected: `__watch` (called on every poll) moves the observer to the current document, and counts the moves.
  await advisor.evaluate(`(() => {
    window.__seen = {};
    window.__moves = 0;
    const note = (doc) => {
      const text = doc.getElementById('probe')?.textContent ?? '';
      if (!(text in window.__seen)) window.__seen[text] = performance.timeOrigin + performance.now();
    };
    let watched;
    const observer = new MutationObserver(() => note(watched));
    window.__watch = () => {
      const doc = ${findReplayDocument};
      if (doc === undefined || doc === watched) return;
      if (watched !== undefined) window.__moves += 1;
      observer.disconnect();
      watched = doc;
      observer.observe(doc, { subtree: true, childList: true, characterData: true });
      note(doc);
    };
    window.__watch();
  })()`);
  const changed: Record<string, number> = {};
  for (let i = 0; i < 40; i += 1) {
    const label = `probe-${i}`;
    changed[label] = await visitor.evaluate((text) => {
      document.getElementById('probe')!.textContent = text;
      return performance.timeOrigin + performance.now();
    }, label);
    await advisor.waitForFunction((text) => {
      const w = window as unknown as { __seen: Record<string, number>; __watch(): void };
      w.__watch();
      return text in w.__seen;
    }, label);
  }
  const seen = await advisor.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
  const domLatency = Object.entries(changed).map(([label, at]) => seen[label]! - at);
  const moves = await advisor.evaluate(() => (window as unknown as { __moves: number }).__moves);
  if (moves > 0) progress(`the replay was re-created ${moves} time(s) during the DOM change samples`);
  emit('cobrowse_dom_change_p50_ms', quantile(domLatency, 0.5), 'ms', { samples: domLatency.length, goal: 50 });
  emit('cobrowse_dom_change_p95_ms', quantile(domLatency, 0.95), 'ms', { samples: domLatency.length, goal: 150 });

  // 3. Pointer move on the advisor's viewer → drawn on the visitor's page.
  progress('pointer latency');
  // (A string, not a function: tsx would wrap the nested functions in a helper the page does not have.)
  await visitor.evaluate(`(() => {
    window.__drawn = [];
    const find = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if ((el.getAttribute('part') ?? '').split(' ').includes('pointer')) return el;
        if (el.shadowRoot) { const found = find(el.shadowRoot); if (found) return found; }
      }
      return undefined;
    };
    const observer = new MutationObserver(() => window.__drawn.push(performance.timeOrigin + performance.now()));
    const attach = () => {
      const pointer = find(document);
      if (pointer === undefined) return requestAnimationFrame(attach);
      // Its first appearance is the first drawing (found on the next animation frame: at most one frame late).
      window.__drawn.push(performance.timeOrigin + performance.now());
      observer.observe(pointer, { attributes: true, attributeFilter: ['data-x', 'data-y'] });
    };
    attach();
  })()`);
  const viewer = advisor.locator(`${consoleEl} lotse-cobrowse-viewer`);
  const box = (await viewer.boundingBox())!;
  const moved: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const before = await visitor.evaluate(() => (window as unknown as { __drawn: number[] }).__drawn.length);
    moved.push(await advisor.evaluate(() => performance.timeOrigin + performance.now()));
    // Around the middle of the viewer, where the replayed page is whatever the scale.
    await advisor.mouse.move(box.x + box.width / 2 - 100 + (i % 2) * 200 + i, box.y + box.height / 2 - 60 + i * 4);
    await visitor.waitForFunction((n) => (window as unknown as { __drawn: number[] }).__drawn.length > n, before);
    await advisor.waitForTimeout(60); // moves farther apart than the pointer throttle, so each is one sample
  }
  const drawn = await visitor.evaluate(() => (window as unknown as { __drawn: number[] }).__drawn);
  // Each move produced at least one redraw; take the first redraw after each move.
  const pointerLatency = moved.map((at) => (drawn.find((t) => t >= at) ?? Number.NaN) - at).filter(Number.isFinite);
  emit('cobrowse_pointer_p50_ms', quantile(pointerLatency, 0.5), 'ms', { samples: pointerLatency.length, goal: 30 });
  emit('cobrowse_pointer_p95_ms', quantile(pointerLatency, 0.95), 'ms', { samples: pointerLatency.length });

  // 4. A scripted minute of browsing: scroll, pointer, typing, highlighting rows, adding entries.
  progress(`a scripted ${MINUTE_MS / 1000} s of browsing`);
  const before = await sentMessages(visitor);
  await scriptedBrowsing(visitor, MINUTE_MS);
  await visitor.waitForTimeout(500); // let the last batch go out
  const after = await sentMessages(visitor);
  const texts = after.texts.slice(before.texts.length);
  let rawBytes = 0;
  let events = 0;
  for (const text of texts) {
    const message = JSON.parse(text) as { t: string; events?: unknown[] };
    if (message.t !== 'events' || message.events === undefined) continue;
    events += message.events.length;
    rawBytes += Buffer.byteLength(JSON.stringify(message.events));
  }
  const wireBytes = after.wireBytes - before.wireBytes;
  emit('cobrowse_minute_wire_bytes', wireBytes, 'bytes', { events, seconds: MINUTE_MS / 1000 });
  emit('cobrowse_minute_raw_rrweb_json_bytes', rawBytes, 'bytes', { events });
  emit('cobrowse_minute_compression_ratio', rawBytes / Math.max(1, wireBytes), 'x', { goal: 5 });

  // The whole session's bytes, initial snapshot included.
  const all = after.texts.reduce((sum, text) => {
    const message = JSON.parse(text) as { t: string; events?: unknown[] };
    return sum + (message.events ? Buffer.byteLength(JSON.stringify(message.events)) : 0);
  }, 0);
  emit('cobrowse_session_compression_ratio', all / Math.max(1, after.wireBytes), 'x', {
    wireBytes: after.wireBytes,
    rawBytes: all,
  });

  await advisor.locator(`${consoleEl} [part~="cobrowse-end"]`).click();
  await visitor.locator(`${cobrowse} [part~="ended"]`).waitFor();

  // 5. The visitor's co-browse code: every file under /lotse/ from the webcode to the end of the session.
  const files = await Promise.all(
    [...loaded].map(async ([path, file]) => ({ path, phase: file.phase, bytes: await file.bytes })),
  );
  const counted = files.filter((file) => file.phase !== 'page');
  const phases = { webcode: 0, consent: 0, live: 0 };
  for (const file of counted) phases[file.phase as keyof typeof phases] += file.bytes;
  emit(
    'cobrowse_visitor_code_gzip_bytes',
    counted.reduce((sum, file) => sum + file.bytes, 0),
    'bytes',
    {
      phases,
      files: counted,
      notCounted: files.filter((file) => file.phase === 'page'),
      goal: 45000,
    },
  );
} finally {
  await browser.close();
  await server.close();
  await site.close();
}

async function scriptedBrowsing(page: Page, durationMs: number): Promise<void> {
  const started = Date.now();
  let step = 0;
  while (Date.now() - started < durationMs) {
    step += 1;
    await page.mouse.move(100 + ((step * 37) % 800), 100 + ((step * 53) % 600), { steps: 4 });
    if (step % 5 === 0) await page.mouse.wheel(0, step % 10 === 0 ? -900 : 600);
    if (step % 7 === 0) await page.locator('#note').pressSequentially(`Notiz ${step} `, { delay: 20 });
    if (step % 3 === 0) {
      await page.evaluate((n) => {
        const rows = document.querySelectorAll('#rows tr');
        rows[(n * 13) % rows.length]?.classList.toggle('hi');
        if (n % 9 === 0) {
          const tr = document.createElement('tr');
          tr.innerHTML = `<td>Neu ${n}</td><td>Eintrag</td><td>${n} €</td><td>offen</td>`;
          document.getElementById('rows')!.prepend(tr);
        }
      }, step);
    }
    await page.waitForTimeout(150);
  }
}
