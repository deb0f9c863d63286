// The conversation across pages (run by `npm run bench`; JSON lines on stdout, progress on stderr). Real Chromium
// pages of the demo site, the demo advisor console, the real server on loopback with the built bundles.
//
//   visitor_page_load_gzip_bytes_no_chat     what a page loads from /lotse/ before any click, without a stored chat
//   visitor_page_load_gzip_bytes_with_chat   the same on the next page of a tab with a running chat (the resume
//                                            code comes by import(), the history from the server)
//   chat_navigation_visible_p50_ms / p95     a link click in a running conversation → the pop-up open again on the
//                                            new page, the last message in it visible (20 navigations)
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium, startDemoServer } from '../test/helpers/browser.js';
import {
  POPUP,
  advisorAccepts,
  advisorWrites,
  openAdvisor,
  startVisitorChat,
  visitorWrites,
} from '../test/helpers/chat-pages.js';

const NAVIGATIONS = 20;
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ metric, value: Number(value.toFixed(3)), unit, ...extra }));
const progress = (text: string) => console.error(`bench: ${text}`);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** Gzip bytes of everything under /lotse/ the page loads, by path (the page's own files are not Lotse's). */
function countLotse(page: Page): Map<string, number> {
  const loaded = new Map<string, number>();
  page.on('response', async (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/lotse/')) return;
    try {
      loaded.set(path, gzipSync(await response.body(), { level: 9 }).length);
    } catch {
      // no body (a redirect, a closed page)
    }
  });
  return loaded;
}

const sum = (loaded: Map<string, number>) => [...loaded.values()].reduce((total, n) => total + n, 0);

const server = await startDemoServer();
const browser = await launchChromium();
try {
  progress('continuity: page-load bytes without and with a stored chat');
  const advisor = await openAdvisor(browser, server);
  const context = await browser.newContext();
  const visitor = await context.newPage();

  let loaded = countLotse(visitor);
  await visitor.goto(`${server.url}/`, { waitUntil: 'networkidle' });
  emit('visitor_page_load_gzip_bytes_no_chat', sum(loaded), 'bytes', { files: [...loaded.keys()], goal: 5000 });

  await startVisitorChat(visitor, 'Messlatte');
  await visitorWrites(visitor, 'Eine Frage zu den Leistungen.');
  await advisorAccepts(advisor.page, 'Messlatte');
  await advisorWrites(advisor.page, 'Messlatte', 'Antwort 0');
  await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Antwort 0' }).waitFor();

  // The next page of the same tab: a fresh page object would be a fresh tab, so the same one navigates.
  visitor.removeAllListeners('response');
  loaded = countLotse(visitor);
  await visitor.locator('nav a', { hasText: 'Leistungen' }).click();
  await visitor.waitForURL('**/leistungen.html');
  await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Antwort 0' }).waitFor();
  await visitor.waitForLoadState('networkidle');
  emit('visitor_page_load_gzip_bytes_with_chat', sum(loaded), 'bytes', { files: [...loaded.keys()] });

  progress(`continuity: ${NAVIGATIONS} link clicks in a running conversation`);
  const pages = ['/formular.html', '/', '/leistungen.html'];
  const samples: number[] = [];
  for (let i = 1; i <= NAVIGATIONS; i++) {
    const target = pages[i % pages.length]!;
    const text = `Antwort ${i}`;
    await advisorWrites(advisor.page, 'Messlatte', text);
    await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: text }).waitFor();
    const clicked = Date.now();
    await visitor.locator(`nav a[href="${target}"]`).click();
    await visitor.waitForURL(`${server.url}${target}`);
    // Seen in the new page's own frame loop: the pop-up open, the last message in it laid out on screen.
    const visibleAt = await visitor.waitForFunction(
      ({ selector, text }) => {
        const popup = document.querySelector('lotse-chat')?.shadowRoot?.querySelector(selector);
        if (popup === null || popup === undefined || !popup.hasAttribute('open')) return false;
        const messages = [...(popup.shadowRoot?.querySelectorAll('[part~="message-advisor"] .text') ?? [])];
        const last = messages.at(-1);
        return last?.textContent === text && last.checkVisibility() ? Date.now() : false;
      },
      { selector: 'lotse-chat-popup', text },
      { polling: 'raf' },
    );
    samples.push(Number(await visibleAt.jsonValue()) - clicked);
  }
  emit('chat_navigation_visible_p50_ms', quantile(samples, 0.5), 'ms', { samples: samples.length });
  emit('chat_navigation_visible_p95_ms', quantile(samples, 0.95), 'ms', { samples: samples.length });
  await context.close();
  await advisor.context.close();
} finally {
  await browser.close();
  await server.close();
}
