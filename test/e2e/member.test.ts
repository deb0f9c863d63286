/**
 * The member chat end to end, in real Chromium pages against the real server with the built bundles and the
 * embedded store (PGlite), as `npm start` runs it:
 * - the demo member page fetches a short-lived token from the demo member area, the advisor sees the verified
 *   name and insurance number, and at the end the transcript is filed through the signed webhook to the demo
 *   receiver, whose page shows it;
 * - with keys the test holds itself: an expired token gets a clear message and the chat goes on once the page
 *   hands over a fresh one; a forged token gets a message and nothing else.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, importJWK } from 'jose';
import type { JWK } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import type { PublicJwk } from '../../src/server/config/member.js';
import { openStore } from '../../src/server/store/index.js';
import type { Db } from '../../src/server/store/sql.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { embeddedTemplate } from '../helpers/postgres.js';
import type { TestServer } from '../helpers/server.js';
import { openAdvisor } from '../helpers/chat-pages.js';
import { until } from '../helpers/until.js';

const popup = 'lotse-chat lotse-chat-popup';
const console_ = 'lotse-advisor-console';

async function confirmTerms(page: Page): Promise<void> {
  await page.locator('lotse-chat [part~="launcher"]').click();
  await page.locator(`${popup} [part~="terms-checkbox"]`).check();
  await page.locator(`${popup} [part~="terms-accept"]`).click();
}

async function write(page: Page, text: string): Promise<void> {
  const composer = page.locator(`${popup} [part~="composer"]`);
  await composer.fill(text);
  await composer.press('Enter');
}

/** A fresh embedded store: a copy of the initialised PGlite template (its initdb takes 10–30 s; a copy, a second). */
async function freshEmbeddedStore(): Promise<{ db: Db; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-e2e-member-'));
  const dataDir = join(dir, 'data');
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  return { db: await openStore({ ...defaults.storage, driver: 'embedded', dataDir }), dir };
}

describe('member chat, end to end (demo member area, transcript filed by webhook)', () => {
  let server: TestServer;
  let browser: Browser;
  let store: { db: Db; dir: string };

  before(async () => {
    store = await freshEmbeddedStore();
    server = await startDemoServer([], {}, { store: store.db });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.db.close();
    if (store) rmSync(store.dir, { recursive: true, force: true });
  });

  it('member writes without a nickname, the advisor sees the verified identity, the transcript arrives signed', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    const visitor = await context.newPage();
    const requests: string[] = [];
    const sockets: string[] = [];
    visitor.on('request', (request) => requests.push(new URL(request.url()).pathname));
    visitor.on('websocket', (socket) => sockets.push(socket.url()));
    try {
      await visitor.goto(`${server.url}/mitglieder.html`);
      await visitor.locator('lotse-chat [part~="launcher"]').click();
      await visitor.locator(`${popup} [part~="terms-checkbox"]`).check();
      // Before consent: no token fetched, no socket.
      assert.ok(!requests.includes('/demo/member-token'), 'no member token before consent');
      assert.deepEqual(sockets, []);
      await visitor.locator(`${popup} [part~="terms-accept"]`).click();

      // No nickname step: the conversation comes at once, saying the advisor will see who the member is.
      await visitor.locator(`${popup} [part~="composer"]`).waitFor();
      assert.equal(await visitor.locator(`${popup} [part~="nickname"]`).count(), 0);
      await visitor.locator(`${popup} [part~="member"]`).waitFor();
      assert.ok(requests.includes('/demo/member-token'), 'the token came from the member area after consent');
      await write(visitor, 'Ich möchte meine Bankverbindung ändern.');

      // The advisor sees the verified member, never a typed name.
      const item = advisor.page.locator(`${console_} [part~="queue-item"]`).filter({ hasText: 'Erika Mustermann' });
      await item.filter({ hasText: 'Bankverbindung' }).waitFor();
      await item.locator('[part~="accept"]').click();
      const card = advisor.page.locator(`${console_} [part~="visitor-card"]`);
      await card.filter({ hasText: 'Erika Mustermann' }).filter({ hasText: 'A123456780' }).waitFor();
      await card.filter({ hasText: /Verifiziertes Mitglied|Verified member/ }).waitFor();

      const reply = 'Gern, ich schicke Ihnen das Formular.';
      const composer = advisor.page.locator(`${console_} [part~="composer"]`);
      await composer.fill(reply);
      await composer.press('Enter');
      await visitor.locator(`${popup} [part~="message-advisor"]`).filter({ hasText: reply }).waitFor();
      await visitor.locator(`${popup} [part~="end"]`).click();
      await visitor.locator(`${popup} [part~="copy"]`).waitFor();

      // The transcript is kept in the store for its retention period …
      await until(async () => {
        const rows = await store.db.query<{ n: number }>({
          text: 'SELECT count(*)::int AS n FROM member_chats WHERE ended_at IS NOT NULL',
          values: [],
        });
        return rows[0]!.n === 1;
      }, 'the ended member chat in the store');
      const messages = await store.db.query<{ event: { kind: string; text?: string } }>({
        text: "SELECT event FROM member_messages WHERE event->>'kind' = 'message' ORDER BY seq",
        values: [],
      });
      assert.deepEqual(
        messages.map((row) => row.event.text),
        ['Ich möchte meine Bankverbindung ändern.', reply],
      );

      // … and filed into the member's record: the demo receiver verified the signature and shows what arrived.
      const inbox = await context.newPage();
      await inbox.goto(`${server.url}/eingang.html`);
      const delivery = inbox.locator('main').filter({ hasText: 'Erika Mustermann' });
      await delivery
        .filter({ hasText: 'Bankverbindung' })
        .filter({ hasText: 'A123456780' })
        .waitFor({ timeout: 20_000 });
      await delivery.filter({ hasText: reply }).waitFor();
      const status = await store.db.query<{ status: string; attempts: number }>({
        text: 'SELECT status, attempts FROM webhook_deliveries',
        values: [],
      });
      assert.deepEqual(status, [{ status: 'delivered', attempts: 1 }]);
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });
  it('a member chat goes on across pages of the member area, each resume with a fresh token from the page', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    const visitor = await context.newPage();
    let tokens = 0;
    visitor.on('request', (request) => {
      if (new URL(request.url()).pathname === '/demo/member-token') tokens += 1;
    });
    try {
      await visitor.goto(`${server.url}/mitglieder.html`);
      await confirmTerms(visitor);
      await write(visitor, 'Frage zur Familienversicherung.');
      const item = advisor.page.locator(`${console_} [part~="queue-item"]`).filter({ hasText: 'Familienversicherung' });
      await item.locator('[part~="accept"]').click();
      const conversation = advisor.page
        .locator(`${console_} lotse-advisor-conversation`)
        .filter({ has: advisor.page.locator('[part~="message"]', { hasText: 'Familienversicherung' }) });
      await conversation.locator('[part~="composer"]').fill('Gern, einen Moment.');
      await conversation.locator('[part~="composer"]').press('Enter');
      await visitor.locator(`${popup} [part~="message-advisor"]`).filter({ hasText: 'einen Moment' }).waitFor();
      const before = tokens;

      // A navigation inside the member area: the chat comes back with a fresh token, and nothing of the token in storage.
      await visitor.reload();
      await visitor.locator(`${popup} [part~="message-advisor"]`).filter({ hasText: 'einen Moment' }).waitFor();
      assert.ok(tokens > before, 'a fresh token was fetched for the resume');
      const stored = await visitor.evaluate(() => sessionStorage.getItem('lotse-chat') ?? '');
      assert.match(stored, /"member":true/);
      assert.doesNotMatch(stored, /eyJ|Familienversicherung|Erika/, 'no token, no text, no name in storage');
      await write(visitor, 'Und für Kinder?');
      await conversation.locator('[part~="message"]').filter({ hasText: 'Und für Kinder?' }).waitFor();
      const texts = await conversation.locator('[part~="message"] .text').allTextContents();
      assert.deepEqual(texts, ['Frage zur Familienversicherung.', 'Gern, einen Moment.', 'Und für Kinder?']);
      await visitor.locator(`${popup} [part~="end"]`).click();
      await visitor.locator(`${popup} [part~="copy"]`).waitFor();
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });
});

describe('member tokens in the widget: expired, renewed, forged', () => {
  const issuer = 'https://mitglieder.example-kasse.de';
  const audience = 'lotse-e2e';
  let server: TestServer;
  let browser: Browser;
  let privateJwk: JWK;

  async function mint(claims: { iat: number; exp: number }, key: JWK = privateJwk): Promise<string> {
    return new SignJWT({ name: 'Max Mitglied', insurance_number: 'B987654321' })
      .setProtectedHeader({ alg: 'ES256', kid: 'e2e' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('member-42')
      .setJti(randomUUID())
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(await importJWK(key, 'ES256'));
  }

  before(async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
    const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as PublicJwk), kid: 'e2e', alg: 'ES256' };
    server = await startDemoServer([], {
      member: {
        ...defaults.member,
        tokens: { ...defaults.member.tokens, issuer, audience, publicKeys: [publicJwk] },
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an expired token gets a clear message; a fresh one set by the page lets the member go on', async () => {
    const advisor = await openAdvisor(browser, server);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      // A page without the demo provider: it hands the widget a token the way a member area would.
      await page.goto(`${server.url}/`);
      const now = Math.floor(Date.now() / 1000);
      const expired = await mint({ iat: now - 400, exp: now - 100 });
      await page.evaluate((token) => {
        const chat = document.querySelector('lotse-chat') as HTMLElement & { memberToken?: string };
        chat.memberToken = token;
        chat.addEventListener('lotse-member-token-expired', () => document.body.setAttribute('data-expired', ''));
      }, expired);
      await confirmTerms(page);
      await page
        .locator(`${popup} [part~="problem"]`)
        .filter({ hasText: /abgelaufen|expired/i })
        .waitFor();
      await page.locator('body[data-expired]').waitFor({ state: 'attached' });
      assert.equal(server.server.hub.chats.size, 0, 'no chat for an expired token');

      const fresh = await mint({ iat: now, exp: now + 240 });
      await page.evaluate((token) => {
        (document.querySelector('lotse-chat') as HTMLElement & { memberToken?: string }).memberToken = token;
      }, fresh);
      await write(page, 'Jetzt mit frischer Anmeldung.');
      const item = advisor.page.locator(`${console_} [part~="queue-item"]`).filter({ hasText: 'Max Mitglied' });
      await item.filter({ hasText: 'frischer Anmeldung' }).waitFor();
      await until(
        async () => (await page.locator(`${popup} [part~="problem"]`).innerText()).trim() === '',
        'the message cleared',
      );
    } finally {
      await context.close();
      await advisor.context.close();
    }
  });

  it('a forged token gets a message and nothing else: no chat, no queue entry, no name', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The chat of the test before may still wait for its visitor to come back: count from here.
    const chatsBefore = server.server.hub.chats.size;
    const queueBefore = (await server.server.hub.queue.items()).length;
    try {
      await page.goto(`${server.url}/`);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const now = Math.floor(Date.now() / 1000);
      const forged = await mint({ iat: now, exp: now + 240 }, privateKey.export({ format: 'jwk' }) as JWK);
      await page.evaluate((token) => {
        (document.querySelector('lotse-chat') as HTMLElement & { memberToken?: string }).memberToken = token;
      }, forged);
      await confirmTerms(page);
      const problem = page.locator(`${popup} [part~="problem"], ${popup} [part~="ended"]`);
      await problem
        .filter({ hasText: /Anmeldung|sign-in|signed in/i })
        .first()
        .waitFor();
      const shown = await page.locator(popup).innerText();
      assert.doesNotMatch(
        shown,
        /Max Mitglied|B987654321|LOTSE_ERR|JWS|signature/i,
        'no identity and no technical detail',
      );
      assert.equal(server.server.hub.chats.size, chatsBefore, 'no chat started');
      assert.equal((await server.server.hub.queue.items()).length, queueBefore, 'nothing queued');
    } finally {
      await context.close();
    }
  });
});
