/**
 * The visitor's side of the flows as a person does it, in Firefox (see `firefox.ts`): the chat pop-up (consent,
 * nickname, messages, end, transcript) and the co-browse start view (webcode, consent, start code, live bar).
 * The same steps as the Chromium tests take with Playwright; the advisor stays in Chromium (`chat-pages.ts`,
 * `cobrowse-pages.ts`).
 */
import type { Page } from 'puppeteer-core';
import { check, click, deep, fill, press, textOf, waitFor } from './firefox.js';

/** Selector steps (for `deep`) into the chat pop-up and the co-browse element. */
export const chatPart = (part: string): string => deep('lotse-chat', 'lotse-chat-popup', `[part~="${part}"]`);
export const launcher = deep('lotse-chat', '[part~="launcher"]');
export const cobrowsePart = (part: string): string => deep('lotse-cobrowse', `[part~="${part}"]`);

/** Opens the pop-up, confirms the terms, picks a nickname, and waits for the composer (the chat is open). */
export async function startChat(page: Page, nickname: string): Promise<void> {
  await click(page, launcher);
  await check(page, chatPart('terms-checkbox'));
  await click(page, chatPart('terms-accept'));
  await fill(page, chatPart('nickname'), nickname);
  await click(page, chatPart('nickname-submit'));
  await waitFor(page, chatPart('composer'));
}

/** Writes a message and sends it with Enter. */
export async function visitorWrites(page: Page, text: string): Promise<void> {
  await fill(page, chatPart('composer'), text);
  await press(page, chatPart('composer'), 'Enter');
}

/** Waits for the advisor's message `text`. */
export async function visitorReads(page: Page, text: string): Promise<void> {
  await waitFor(page, chatPart('message-advisor'), { text });
}

/** Types the webcode into the site's search field ("123 456", as a person reads it out) and submits it. */
export async function enterWebcodeInSearch(page: Page, webcode: string): Promise<void> {
  const search = 'form[data-lotse-search] input[type="search"]';
  await fill(page, search, webcode.replace(/(\d{3})(\d{3})/, '$1 $2'));
  await press(page, search, 'Enter');
}

/** Ticks the co-browse consent, starts, and reads the start code off the page. */
export async function consentAndReadStartCode(page: Page): Promise<string> {
  await check(page, cobrowsePart('cobrowse-consent'));
  await click(page, cobrowsePart('cobrowse-start'));
  await waitFor(page, cobrowsePart('start-code'));
  return (await textOf(page, cobrowsePart('start-code'))).replace(/[^A-Z0-9]/g, '');
}
