/**
 * Steps of the chat on the demo pages as a person does them, for the end-to-end tests and the benchmark
 * (playwright-core, Chromium): the advisor console (whatever browser the visitor uses), the visitor's start, writing,
 * and what each screen shows of the conversation. One demo advisor may hold several chats at once: the steps that
 * act in a conversation name the visitor.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { TestServer } from './server.js';
import { until } from './until.js';

export const POPUP = 'lotse-chat lotse-chat-popup';
export const CONSOLE = 'lotse-advisor-console';
export const consoleEl = CONSOLE;

export async function openAdvisor(
  browser: Browser,
  server: TestServer,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/advisor.html`);
  await page
    .locator(`${CONSOLE} [part~="status"]`)
    .filter({ hasText: /verbunden|connected/i })
    .waitFor();
  return { context, page };
}

/** Launcher, terms and nickname: the visitor asks for a chat (which the server may still refuse). */
export async function askForVisitorChat(page: Page, nickname: string): Promise<void> {
  await page.locator('lotse-chat [part~="launcher"]').click();
  await page.locator(`${POPUP} [part~="terms-checkbox"]`).check();
  await page.locator(`${POPUP} [part~="terms-accept"]`).click();
  await page.locator(`${POPUP} [part~="nickname"]`).fill(nickname);
  await page.locator(`${POPUP} [part~="nickname-submit"]`).click();
}

export async function startVisitorChat(page: Page, nickname: string): Promise<void> {
  await askForVisitorChat(page, nickname);
  await page.locator(`${POPUP} [part~="composer"]`).waitFor();
}

export async function visitorWrites(page: Page, text: string): Promise<void> {
  const composer = page.locator(`${POPUP} [part~="composer"]`);
  await composer.fill(text);
  await composer.press('Enter');
}

/** The console's conversation with `nickname` (one console may hold several chats). */
export function advisorChat(page: Page, nickname: string): Locator {
  return page
    .locator(`${CONSOLE} lotse-advisor-conversation`)
    .filter({ has: page.locator('[part~="conversation-header"]', { hasText: nickname }) });
}

/** The context of the console's chat with `nickname`: its visitor card, co-browsing and notes. */
export function advisorContext(page: Page, nickname: string): Locator {
  return page
    .locator(`${CONSOLE} lotse-advisor-context`)
    .filter({ has: page.locator('[part~="visitor-card"]', { hasText: nickname }) });
}

export async function advisorWrites(page: Page, nickname: string, text: string): Promise<void> {
  const composer = advisorChat(page, nickname).locator('[part~="composer"]');
  await composer.fill(text);
  await composer.press('Enter');
}

/** Accepts the waiting chat of `nickname` once its `firstMessage` is in the queue, and waits for its card. */
export async function acceptChat(advisor: Page, nickname: string, firstMessage: string): Promise<void> {
  await advisor
    .locator(`${CONSOLE} [part~="queue-item"]`)
    .filter({ hasText: nickname })
    .filter({ hasText: firstMessage })
    .waitFor();
  await advisorAccepts(advisor, nickname);
}

/** Waits until the visitor's `text` shows in the conversation with `nickname`. */
export async function advisorReads(advisor: Page, nickname: string, text: string): Promise<void> {
  await advisorChat(advisor, nickname).locator('[part~="message"]').filter({ hasText: text }).waitFor();
}

/**
 * The advisor takes the waiting chat of `nickname` from the queue and sees its conversation (shown after an accept
 * whether the console's regions stand side by side or are tabs; the card is in the context region, a hidden tab on
 * a console narrower than its `wide-from`).
 */
export async function advisorAccepts(page: Page, nickname: string): Promise<void> {
  const item = page.locator(`${CONSOLE} [part~="queue-item"]`).filter({ hasText: nickname });
  await item.locator('[part~="accept"]').click();
  await advisorChat(page, nickname).locator('[part~="conversation-header"]').waitFor();
}

/** The texts of the confirmed messages the visitor's pop-up shows, in order. */
export function visitorMessages(page: Page): Promise<string[]> {
  return page
    .locator(`${POPUP} [part~="message"]:not([part~="message-pending"]) .text`)
    .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));
}

/** The texts of the confirmed messages of the console's conversation with `nickname`, in order. */
export function advisorMessages(page: Page, nickname: string): Promise<string[]> {
  return advisorChat(page, nickname)
    .locator('[part~="message"]:not([part~="message-pending"]) .text')
    .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));
}

/** Both screens show `expected`, and nothing else: nothing lost, nothing doubled, in order. */
export async function sameOnBothScreens(
  visitor: Page,
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
  assert.deepEqual(await visitorMessages(visitor), expected, 'visitor: nothing lost, nothing doubled, in order');
  assert.deepEqual(
    await advisorMessages(advisor, nickname),
    expected,
    'advisor: nothing lost, nothing doubled, in order',
  );
}
