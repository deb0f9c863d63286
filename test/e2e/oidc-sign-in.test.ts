/**
 * Advisor sign-in through a real OpenID Connect provider, end to end: the insurer's internal app (a page on its own
 * origin) holds `<lotse-advisor-console sign-in>`; the advisor clicks "Anmelden", signs in on the provider's own
 * login page (authorization code with PKCE), comes back, and the console connects with the ID token, which the Lotse
 * server verifies against the provider's keys. Then a visitor's chat is accepted and answered. Real Chromium, real
 * provider (`oidc-provider`), the real server with the built bundles.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { defaults } from '../../src/server/config/lotse-config.js';
import { verifyAdvisorToken } from '../../src/server/transport/advisor-auth.js';
import { launchChromium, startDemoServer } from '../helpers/browser.js';
import { CONSOLE, POPUP, acceptChat, advisorWrites, startVisitorChat, visitorWrites } from '../helpers/chat-pages.js';
import { CONSOLE_CLIENT_ID, startOidcProvider } from '../helpers/oidc-provider.js';
import type { OidcTestProvider } from '../helpers/oidc-provider.js';
import type { TestServer } from '../helpers/server.js';

describe('advisor sign-in through an OpenID Connect provider, end to end', () => {
  let app: Server;
  let appUrl: string;
  let provider: OidcTestProvider;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    // The insurer's internal app: one page with the console, on an origin of its own.
    let page = '';
    app = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(page);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    appUrl = `${appOrigin}/beratung`;
    provider = await startOidcProvider({
      redirectUri: appUrl,
      claims: { roles: ['advisor'], topics: ['leistungen'] },
      // The console renews a minute before the end: two seconds after signing in.
      idTokenSeconds: 62,
    });
    server = await startDemoServer([appOrigin], {
      oidc: { ...defaults.oidc, issuer: provider.issuer, clientId: CONSOLE_CLIENT_ID },
    });
    page = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Beratung</title>
      <script type="module" src="${server.url}/lotse/advisor.js"></script></head>
      <body><main><h1>Beratung</h1><lotse-advisor-console sign-in server="${server.url}"></lotse-advisor-console>
      </main></body></html>`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
    app?.closeAllConnections();
    await new Promise((resolve) => app?.close(resolve));
  });

  it('signs in on the provider (code + PKCE), connects with the ID token, and accepts a chat', async () => {
    const context = await browser.newContext();
    const visitorContext = await browser.newContext();
    try {
      const advisor = await context.newPage();
      const toProvider: { url: URL; body: string | null }[] = [];
      advisor.on('request', (request) => {
        const url = new URL(request.url());
        if (url.origin === provider.issuer) toProvider.push({ url, body: request.postData() });
      });
      const refreshed = new Promise<string>((resolve) => {
        advisor.on('response', (response) => {
          if (!response.url().startsWith(`${provider.issuer}/token`)) return;
          if (!response.request().postData()?.includes('grant_type=refresh_token')) return;
          void response.json().then((body: { id_token: string }) => resolve(body.id_token));
        });
      });
      await advisor.goto(appUrl);
      await advisor.locator(`${CONSOLE} [part~="sign-in"]`).click();

      // The provider's own login and consent pages.
      await advisor.waitForURL((url) => url.origin === provider.issuer);
      await advisor.locator('input[name="login"]').fill('olga');
      await advisor.locator('input[name="password"]').fill('not-checked-by-the-dev-login');
      await advisor.getByRole('button', { name: 'Sign-in' }).click();
      await advisor.getByRole('button', { name: 'Continue' }).click();

      // Back in the app: connected as the provider's user, the answer gone from the address bar.
      await advisor.locator(`${CONSOLE} [part~="advisor-name"]`).filter({ hasText: 'Beraterin olga' }).waitFor();
      await advisor
        .locator(`${CONSOLE} [part~="status"]`)
        .filter({ hasText: /verbunden/i })
        .waitFor();
      assert.equal(advisor.url(), appUrl);
      assert.equal(await advisor.evaluate(() => sessionStorage.length), 0);
      const authorize = toProvider.find(({ url }) => url.pathname === '/auth')?.url.searchParams;
      assert.equal(authorize?.get('code_challenge_method'), 'S256');
      assert.equal(authorize?.get('response_type'), 'code');
      const exchange = new URLSearchParams(toProvider.find(({ url }) => url.pathname === '/token')?.body ?? '');
      assert.equal(exchange.get('grant_type'), 'authorization_code');
      assert.match(exchange.get('code_verifier') ?? '', /^[A-Za-z0-9_-]{43}$/);

      // A visitor's chat, accepted and answered by the signed-in advisor.
      const visitor = await visitorContext.newPage();
      await visitor.goto(`${server.url}/`);
      await startVisitorChat(visitor, 'Zaunkönig');
      await visitorWrites(visitor, 'Gilt das auch für Brillen?');
      await acceptChat(advisor, 'Zaunkönig', 'Brillen');
      await advisorWrites(advisor, 'Zaunkönig', 'Ja, mit Verordnung.');
      await visitor.locator(`${POPUP} [part~="message-advisor"]`).filter({ hasText: 'Ja, mit Verordnung.' }).waitFor();
      await visitor.locator(`${POPUP} [part~="advisor"]`).filter({ hasText: 'Beraterin olga' }).waitFor();

      // Renewed silently with the refresh token, and the new ID token is one the server takes, with the claims.
      const renewed = await refreshed;
      const verified = await verifyAdvisorToken(renewed, server.config);
      assert.deepEqual(
        { id: verified.id, name: verified.name, roles: verified.roles, topics: verified.topics },
        { id: 'olga', name: 'Beraterin olga', roles: ['advisor'], topics: ['leistungen'] },
      );
      assert.equal(await advisor.locator(`${CONSOLE} [part~="sign-in-renew"]`).count(), 0);

      // "Abmelden": the event, then the provider's logout page (RP-initiated logout with the ID
      // token as hint), and back in the app, signed out, with nothing of the sign-in left in the tab.
      const events: string[] = [];
      await advisor.exposeFunction('signedOut', (detail: string) => events.push(detail));
      await advisor.evaluate(() =>
        document.addEventListener('lotse-advisor-sign-out', (event) =>
          (window as unknown as { signedOut(detail: string): void }).signedOut(JSON.stringify(event.detail)),
        ),
      );
      await advisor.locator(`${CONSOLE} [part~="sign-out"]`).click();
      await advisor.waitForURL((url) => url.origin === provider.issuer);
      assert.deepEqual(events, [JSON.stringify({ provider: true })]);
      const logout = toProvider.find(({ url }) => url.pathname === '/session/end')?.url.searchParams;
      // The console's latest ID token (renewed every two seconds here): one the server still takes, for olga.
      assert.equal((await verifyAdvisorToken(logout?.get('id_token_hint') ?? '', server.config)).id, 'olga');
      assert.equal(logout?.get('post_logout_redirect_uri'), appUrl);
      await advisor.getByRole('button', { name: 'Yes, sign me out' }).click();
      await advisor.waitForURL(appUrl);
      await advisor.locator(`${CONSOLE} [part~="sign-in"]`).filter({ hasText: 'Anmelden' }).waitFor();
      assert.equal(await advisor.evaluate(() => sessionStorage.length), 0);
    } finally {
      await visitorContext.close();
      await context.close();
    }
  });
});
