/**
 * A transfer end to end (issue 15): two advisor consoles in real Chromium (the demo advisor and the demo colleague),
 * a visitor on the demo's Leistungen page (`<lotse-chat topic="leistungen">`). The first advisor hands the chat to
 * the colleague with an internal note: the colleague sees the whole conversation and the note; the visitor reads
 * "Sie werden mit … verbunden", and neither the visitor's page nor any frame its socket received holds the note.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import { DEMO_TOPICS } from '../../src/server/config/topics.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { CONSOLE, POPUP, advisorChat, openAdvisor, startVisitorChat, visitorWrites } from '../helpers/chat-pages.js';

const NOTE = 'Interne Notiz 7Kq: Widerspruch vom März liegt vor';
const QUESTION = 'Wird die Brille bezahlt?';

/**
 * All text of a page, shadow roots and form values included (what a person could read there, and more). A string,
 * so that the test's compiler adds no helper the page lacks.
 */
const DEEP_TEXT = `(() => {
  const parts = [];
  const walk = (root) => {
    for (const node of root.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      if (node instanceof Element) {
        if (node.shadowRoot) walk(node.shadowRoot);
        if (node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement) parts.push(node.value);
      }
      walk(node);
    }
  };
  walk(document);
  return parts.join(' ');
})()`;

const deepText = (page: Page): Promise<string> => page.evaluate(DEEP_TEXT) as Promise<string>;

describe('transfer between two advisors, end to end', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    // As `serve --demo` configures them (the test server takes its configuration as given).
    server = await startDemoServer([], { chat: { ...defaults.chat, topics: [...DEMO_TOPICS] } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the colleague gets the chat with its history and the note; the visitor is told, and never gets the note', async () => {
    const anna = await openAdvisor(browser, server);
    const colleagueContext = await browser.newContext();
    const colleague = await colleagueContext.newPage();
    const visitorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    const frames: string[] = [];
    visitor.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => frames.push(String(payload)));
      socket.on('framesent', ({ payload }) => frames.push(String(payload)));
    });
    try {
      await colleague.goto(`${server.url}/advisor.html?colleague`);
      await colleague
        .locator(`${CONSOLE} [part~="status"]`)
        .filter({ hasText: /verbunden/i })
        .waitFor();

      await visitor.goto(`${server.url}/leistungen.html`);
      await startVisitorChat(visitor, 'Seeadler');
      await visitorWrites(visitor, QUESTION);

      // The colleague's queue shows the chat's topic; the demo advisor takes it.
      const item = colleague.locator(`${CONSOLE} [part~="queue-item"]`).filter({ hasText: 'Seeadler' });
      await item.locator('[part~="queue-topic"]').filter({ hasText: 'Leistungen' }).waitFor();
      await anna.page
        .locator(`${CONSOLE} [part~="queue-item"]`)
        .filter({ hasText: 'Seeadler' })
        .locator('[part~="accept"]')
        .click();
      await advisorChat(anna.page, 'Seeadler').locator('[part~="message"]').filter({ hasText: QUESTION }).waitFor();

      // Transfer with a note, from the dialog.
      const annaChat = advisorChat(anna.page, 'Seeadler');
      await annaChat.locator('[part~="transfer"]').click();
      const dialog = annaChat.locator('[part~="transfer-dialog"]');
      await dialog.getByRole('radio', { name: 'Demo-Kollege' }).check();
      await dialog.locator('[part~="transfer-note"]').fill(NOTE);
      await dialog.locator('[part~="transfer-submit"]').click();
      await anna.page
        .locator(`${CONSOLE} [part~="transfer-status"]`)
        .filter({ hasText: 'Der Chat wurde an Demo-Kollege weitergeleitet.' })
        .waitFor();
      await anna.page.locator(`${CONSOLE} lotse-advisor-conversation`).waitFor({ state: 'detached' });

      // The colleague: the whole conversation, and the note.
      const chat = advisorChat(colleague, 'Seeadler');
      await chat.locator('[part~="handover"]').filter({ hasText: NOTE }).waitFor();
      await chat
        .locator('[part~="handover"]')
        .filter({ hasText: 'Von Demo-Beraterin an Sie weitergeleitet.' })
        .waitFor();
      await chat.locator('[part~="message"]').filter({ hasText: QUESTION }).waitFor();

      // The visitor: told whom they are connected to; the colleague's reply arrives.
      await visitor
        .locator(`${POPUP} [part~="notice"]`)
        .filter({ hasText: 'Sie werden mit Demo-Kollege verbunden.' })
        .waitFor();
      const composer = chat.locator('[part~="composer"]');
      await composer.fill('Guten Tag, hier der Kollege.');
      await composer.press('Enter');
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'hier der Kollege' }).waitFor();

      const seen = await deepText(visitor);
      assert.ok(
        seen.includes(QUESTION) && seen.includes('hier der Kollege'),
        'the page text was read, shadow roots too',
      );
      assert.ok(!seen.includes('Widerspruch vom März'), "the visitor's page never shows the note");
      assert.ok(frames.length > 0, "the visitor's frames were recorded");
      assert.ok(!frames.some((frame) => frame.includes('7Kq')), "no frame of the visitor's socket holds the note");
      assert.ok(
        frames.some((frame) => frame.includes('"transferred"')),
        'the visitor received the transfer event',
      );
    } finally {
      await visitorContext.close();
      await colleagueContext.close();
      await anna.context.close();
    }
  });
});
