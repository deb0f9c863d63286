/**
 * The console's own sign-in (`sign-in` attribute): the offer, the provider's answer handled on return (state,
 * nonce, the code exchanged once, the address bar cleaned), failures, and renewal. The server's `/advisor/config`
 * and the provider's token endpoint are a fake `fetch` here (the page cannot leave for a provider in this runner);
 * the whole flow against a real provider is test/e2e/oidc-sign-in.test.ts.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/advisor/index.js';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import { beginSignIn, signOutUrl } from '../../src/client/oidc-sign-in.js';
import type { SignInConfig } from '../../src/client/oidc-sign-in.js';
import { FakeSocket, FakeWebSocket } from './fake-socket.js';
import { SERVER, deepActive, one, settled, text } from './helpers.js';

const ISSUER = 'https://login.example-kasse.de/realms/beratung';
const CONFIG: SignInConfig = {
  issuer: ISSUER,
  clientId: 'lotse-console',
  scope: 'openid profile',
  authorizationEndpoint: `${ISSUER}/auth`,
  tokenEndpoint: `${ISSUER}/token`,
};

const b64 = (value: object): string =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** An ID token as the provider would send it (the console does not check the signature: the server does). */
const idToken = (claims: Record<string, unknown>): string =>
  `${b64({ alg: 'RS256' })}.${b64({ iss: ISSUER, aud: 'lotse-console', sub: 'u-1', exp: Date.now() / 1000 + 3600, ...claims })}.sig`;

interface Call {
  url: string;
  body: URLSearchParams | undefined;
}
let calls: Call[] = [];
const realFetch = window.fetch;
const home = location.href;

/** `/advisor/config` answers `config` (or fails); the token endpoint answers `tokens()`. */
function fakeNetwork(config: SignInConfig | null | 'down', tokens: () => Record<string, unknown> = () => ({})): void {
  calls = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, body: init?.body instanceof URLSearchParams ? init.body : undefined });
    if (url.endsWith('/advisor/config')) {
      if (config === 'down') return new Response('', { status: 503 });
      return Response.json({ oidc: config });
    }
    if (url === CONFIG.tokenEndpoint) return Response.json(tokens());
    return new Response('', { status: 404 });
  };
}

async function consoleWithSignIn(lang = 'de'): Promise<LotseAdvisorConsole> {
  FakeSocket.instances = [];
  const wrapper = await fixture<HTMLElement>(html`<div lang=${lang}>
    <lotse-advisor-console sign-in server=${SERVER} .webSocket=${FakeWebSocket}></lotse-advisor-console>
  </div>`);
  return wrapper.querySelector('lotse-advisor-console') as LotseAdvisorConsole;
}

/** This tab started a sign-in and the provider sent it back with `code` and `state`. */
async function returnFromProvider(params: (state: string) => Record<string, string>): Promise<string> {
  const url = new URL(await beginSignIn(CONFIG, home, sessionStorage));
  const nonce = url.searchParams.get('nonce') ?? '';
  const back = new URL(home);
  for (const [name, value] of Object.entries(params(url.searchParams.get('state') ?? '')))
    back.searchParams.set(name, value);
  history.replaceState(null, '', back.href);
  return nonce;
}

describe('lotse-advisor-console: its own sign-in', () => {
  afterEach(() => {
    window.fetch = realFetch;
    sessionStorage.clear();
    history.replaceState(null, '', home);
  });

  it('offers "Anmelden" when the server names a provider; accessible in German and English', async () => {
    fakeNetwork(CONFIG);
    const el = await consoleWithSignIn();
    const button = () => one(el.renderRoot, '[part="sign-in"]') as HTMLButtonElement;
    await waitUntil(() => el.renderRoot.querySelector('[part="sign-in"]:not([disabled])') !== null);
    expect(text(button())).to.equal('Anmelden');
    expect(calls.map((call) => call.url)).to.deep.equal(['https://lotse.example/beratung/advisor/config']);
    expect(FakeSocket.instances).to.have.length(0);
    await expect(el).to.be.accessible();
    el.parentElement?.setAttribute('lang', 'en');
    await waitUntil(() => text(button()) === 'Sign in');
    await expect(el).to.be.accessible();
  });

  it('without the attribute, or with a token from the host, asks nothing', async () => {
    fakeNetwork(CONFIG);
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket}></lotse-advisor-console>`,
    );
    expect(text(one(el.renderRoot, '[part="signed-out"]'))).to.contain('Nicht angemeldet');
    const withToken = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console sign-in server=${SERVER} .webSocket=${FakeWebSocket} .token=${'t'}></lotse-advisor-console>`,
    );
    await settled(withToken);
    expect(calls).to.have.length(0);
  });

  it("the provider's answer: code exchanged with the verifier, nonce checked, address cleaned, connected", async () => {
    const nonce = await returnFromProvider((state) => ({ code: 'code-1', state, iss: ISSUER }));
    const token = idToken({ nonce, name: 'Anna' });
    fakeNetwork(CONFIG, () => ({ id_token: token, token_type: 'Bearer' }));
    const el = await consoleWithSignIn();
    await waitUntil(() => FakeSocket.instances.length === 1, 'connects with the ID token');
    await settled(el);
    expect(el.renderRoot.querySelector('[part="sign-in-panel"]')).to.equal(null);
    expect(FakeSocket.last.protocols).to.deep.equal(['lotse.v1', `lotse.bearer.${token}`]);
    const exchange = calls.find((call) => call.url === CONFIG.tokenEndpoint)?.body;
    expect(exchange?.get('grant_type')).to.equal('authorization_code');
    expect(exchange?.get('code')).to.equal('code-1');
    expect(exchange?.get('client_id')).to.equal('lotse-console');
    expect(exchange?.get('redirect_uri')).to.equal(home);
    expect(exchange?.get('code_verifier')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(location.href).to.equal(home);
    expect(sessionStorage.length).to.equal(0);
    // Moved in the page: still signed in, connected again with the same token, no second exchange.
    const parent = el.parentElement as HTMLElement;
    el.remove();
    parent.append(el);
    await waitUntil(() => FakeSocket.instances.length === 2, 'connects again');
    expect(FakeSocket.last.protocols).to.deep.equal(['lotse.v1', `lotse.bearer.${token}`]);
    expect(calls.filter((call) => call.url === CONFIG.tokenEndpoint)).to.have.length(1);
  });

  it('"Abmelden" closes the socket, forgets the tokens and offers "Anmelden" again (no logout page)', async () => {
    const nonce = await returnFromProvider((state) => ({ code: 'code-9', state }));
    const token = idToken({ nonce, name: 'Anna' });
    fakeNetwork(CONFIG, () => ({ id_token: token, refresh_token: 'r-1' }));
    const el = await consoleWithSignIn();
    await waitUntil(() => FakeSocket.instances.length === 1, 'connects with the ID token');
    const socket = FakeSocket.last;
    socket.open();
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'u-1', name: 'Anna' },
      presence: 'available',
      now: Date.now(),
    });
    await settled(el);
    const button = one<HTMLButtonElement>(el.renderRoot, '[part~="sign-out"]');
    expect(text(button)).to.equal('Abmelden');
    await expect(el).to.be.accessible();
    // A sign-in this tab started meanwhile (another "Anmelden" elsewhere on the page) is forgotten too.
    sessionStorage.setItem('lotse.advisor.signin', '{}');
    const signedOut = oneEvent(el, 'lotse-advisor-sign-out');
    button.click();
    const event = await signedOut;
    expect(event.detail).to.deep.equal({ provider: false });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(socket.readyState).to.equal(3);
    expect(sessionStorage.length).to.equal(0);
    await waitUntil(() => deepActive() === el.renderRoot.querySelector('[part="sign-in"]'), 'focus on "Anmelden"');
    expect(text(one(el.renderRoot, '[part="sign-in-status"]'))).to.equal('Sie haben sich abgemeldet.');
    expect(el.renderRoot.querySelector('[part~="sign-out"]')).to.equal(null);
    await expect(el).to.be.accessible();
    // Nothing connects again with the old token, and no renewal asks the provider.
    await settled(el);
    expect(FakeSocket.instances).to.have.length(1);
    expect(calls.filter((call) => call.url === CONFIG.tokenEndpoint)).to.have.length(1);
  });

  it("with the provider's logout page: RP-initiated logout with id_token_hint and the way back", () => {
    expect(signOutUrl(CONFIG, 'id-1', home)).to.equal(undefined);
    const url = new URL(signOutUrl({ ...CONFIG, endSessionEndpoint: `${ISSUER}/logout?ui=1` }, 'id-1', home)!);
    expect(url.origin + url.pathname).to.equal(`${ISSUER}/logout`);
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      ui: '1',
      id_token_hint: 'id-1',
      client_id: 'lotse-console',
      post_logout_redirect_uri: home,
    });
  });

  it('a wrong state, nonce or issuer is refused with a reason, and the code is not exchanged twice', async () => {
    await returnFromProvider(() => ({ code: 'code-2', state: 'forged' }));
    fakeNetwork(CONFIG, () => ({ id_token: idToken({}) }));
    const el = await consoleWithSignIn();
    await waitUntil(() => text(one(el.renderRoot, '[part="sign-in-error"]')) !== '');
    expect(text(one(el.renderRoot, '[part="sign-in-error"]'))).to.contain('passt nicht');
    expect(calls.some((call) => call.url === CONFIG.tokenEndpoint)).to.equal(false);
    expect(FakeSocket.instances).to.have.length(0);
    await expect(el).to.be.accessible();

    await returnFromProvider((state) => ({ code: 'code-3', state }));
    fakeNetwork(CONFIG, () => ({ id_token: idToken({ nonce: 'another' }) }));
    const second = await consoleWithSignIn('en');
    await waitUntil(() => text(one(second.renderRoot, '[part="sign-in-error"]')) !== '');
    expect(text(one(second.renderRoot, '[part="sign-in-error"]'))).to.contain('does not match');
    expect(FakeSocket.instances).to.have.length(0);

    // The advisor cancelled at the provider: said so, and "Anmelden" is offered again.
    await returnFromProvider((state) => ({ error: 'access_denied', state }));
    fakeNetwork(CONFIG);
    const third = await consoleWithSignIn();
    await waitUntil(() => text(one(third.renderRoot, '[part="sign-in-error"]')) !== '');
    expect(text(one(third.renderRoot, '[part="sign-in-error"]'))).to.contain('abgebrochen oder abgelehnt');
    expect((one(third.renderRoot, '[part="sign-in"]') as HTMLButtonElement).disabled).to.equal(false);
    expect(calls.some((call) => call.url === CONFIG.tokenEndpoint)).to.equal(false);
  });

  it('a provider that cannot be reached: said so, and asked again on "Erneut versuchen"', async () => {
    fakeNetwork('down');
    const el = await consoleWithSignIn();
    await waitUntil(() => el.renderRoot.querySelector('[part="sign-in-retry"]') !== null);
    expect(text(one(el.renderRoot, '[part="sign-in-error"]'))).to.contain('nicht erreichbar');
    await expect(el).to.be.accessible();
    fakeNetwork(CONFIG);
    one(el.renderRoot, '[part="sign-in-retry"]').click();
    await waitUntil(() => el.renderRoot.querySelector('[part="sign-in"]:not([disabled])') !== null);
  });

  it('renews with the refresh token before expiry; without one it asks to sign in again', async () => {
    const soon = () => Date.now() / 1000 + 61;
    let nonce = await returnFromProvider((state) => ({ code: 'c', state }));
    let answer: Record<string, unknown> = { id_token: idToken({ nonce, exp: soon() }), refresh_token: 'r-1' };
    fakeNetwork(CONFIG, () => answer);
    const el = await consoleWithSignIn();
    await waitUntil(() => FakeSocket.instances.length === 1);
    FakeSocket.last.open();
    const renewed = idToken({ exp: soon() + 3600 });
    answer = { id_token: renewed, refresh_token: 'r-2' };
    await waitUntil(() => calls.some((call) => call.body?.get('grant_type') === 'refresh_token'), 'refreshes', {
      timeout: 5000,
    });
    expect(calls.find((call) => call.body?.get('grant_type') === 'refresh_token')?.body?.get('refresh_token')).to.equal(
      'r-1',
    );
    // The next connect of the session takes the renewed token.
    FakeSocket.last.close(4001);
    await waitUntil(() => FakeSocket.instances.length === 2, 'reconnects with the renewed token', { timeout: 5000 });
    expect(FakeSocket.last.protocols).to.deep.equal(['lotse.v1', `lotse.bearer.${renewed}`]);
    el.remove();

    history.replaceState(null, '', home);
    nonce = await returnFromProvider((state) => ({ code: 'c2', state }));
    answer = { id_token: idToken({ nonce, exp: soon() }) };
    fakeNetwork(CONFIG, () => answer);
    const without = await consoleWithSignIn();
    await waitUntil(() => FakeSocket.instances.length === 1);
    FakeSocket.last.open();
    await waitUntil(() => without.renderRoot.querySelector('[part="sign-in-renew"]') !== null, 'asks', {
      timeout: 5000,
    });
    expect(one(without.renderRoot, '[part="sign-in-renew"]').getAttribute('role')).to.equal('alert');
    expect(text(one(without.renderRoot, '[part="sign-in"]'))).to.equal('Erneut anmelden');
    await expect(without).to.be.accessible();
  });
});
