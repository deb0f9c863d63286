/**
 * The advisor's side of a chat as a person does it, in Chromium (playwright-core): the console signed in (demo
 * mode), a waiting chat accepted, a reply written. Shared by the end-to-end tests whatever browser the visitor uses.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from './server.js';

export const consoleEl = 'lotse-advisor-console';

/** The console in a context of its own, once it says it is connected. */
export async function openAdvisor(browser: Browser, server: TestServer): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/advisor.html`);
  await page.locator(`${consoleEl} [part~="status"]`).filter({ hasText: /verbunden|connected/i }).waitFor();
  return { context, page };
}

/** Accepts the waiting chat of `nickname` (once its `firstMessage` is in the queue) and waits for its card. */
export async function acceptChat(advisor: Page, nickname: string, firstMessage: string): Promise<void> {
  const item = advisor.locator(`${consoleEl} [part~="queue-item"]`).filter({ hasText: nickname });
  await item.filter({ hasText: firstMessage }).waitFor();
  await item.locator('[part~="accept"]').click();
  await advisor.locator(`${consoleEl} [part~="visitor-card"]`).filter({ hasText: nickname }).waitFor();
}

/** Writes a message in the open conversation and sends it with Enter. */
export async function advisorWrites(advisor: Page, text: string): Promise<void> {
  const composer = advisor.locator(`${consoleEl} [part~="composer"]`);
  await composer.fill(text);
  await composer.press('Enter');
}

/** Waits until the visitor's `text` shows in the open conversation. */
export async function advisorReads(advisor: Page, text: string): Promise<void> {
  await advisor.locator(`${consoleEl} [part~="message"]`).filter({ hasText: text }).waitFor();
}
