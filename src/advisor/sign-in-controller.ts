/**
 * The console's own sign-in, as a Lit reactive controller around `client/oidc-sign-in.ts`. With the console's
 * `sign-in` attribute and no token from the host, it asks the server's `/advisor/config` for the provider and offers
 * "Anmelden"; back from the provider it
 * finishes the sign-in (and takes the answer out of the address bar). It renews a minute before the ID token
 * expires: with the refresh token when the provider gave one, silently; otherwise it asks the advisor to sign in
 * again (`renew`), and the session goes on until the server closes it at the token's expiry. Tokens stay in memory.
 * `signOut` forgets them (and what the tab stored of a sign-in), and goes to the provider's logout page when it has
 * one (RP-initiated logout, back to this page); otherwise the console offers "Anmelden" again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SignInConfig, SignInFailure, SignInTokens } from '../client/oidc-sign-in.js';

/** The flow itself loads only for a console that signs in by itself (about 2 KB gzip the others never fetch). */
const flow = () => import('../client/oidc-sign-in.js');

/**
 * `off`: the host hands over the token, or the server offers no sign-in; `loading`: asking the server; `ready`:
 * "Anmelden" is offered; `working`: on the way to the provider or back; `failed`: see `failure`.
 */
export type SignInState = 'off' | 'loading' | 'ready' | 'working' | 'signed-in' | 'renew' | 'failed';

/** How long before the ID token's expiry the console renews. */
export const RENEW_BEFORE_MS = 60_000;
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface SignInSource {
  /** The Lotse server's base URL, or undefined. */
  server: URL | undefined;
  /** Whether the console signs in by itself: the `sign-in` attribute, and no token set by the host. */
  enabled: boolean;
}

/** This page without query or fragment: where the provider sends the advisor back (after sign-in and sign-out). */
function here(): string {
  return `${location.origin}${location.pathname}`;
}

export class SignInController implements ReactiveController {
  state: SignInState = 'off';
  failure: SignInFailure | undefined;
  /** The advisor signed out here and stays on the page (no logout page at the provider). */
  signedOut = false;

  #host: ReactiveControllerHost;
  #source: () => SignInSource;
  #onToken: () => void;
  #server: string | undefined;
  #config: SignInConfig | undefined;
  #tokens: SignInTokens | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, source: () => SignInSource, onToken: () => void) {
    this.#host = host;
    this.#source = source;
    this.#onToken = onToken;
    host.addController(this);
  }

  /** The ID token of the console's own sign-in, or undefined. */
  get token(): string | undefined {
    return this.#tokens?.idToken;
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Connected again later: ask the server again.
    this.#server = undefined;
  }

  /** Follows the host's server and token; loads the server's sign-in settings once per server. */
  sync(): void {
    const { server, enabled } = this.#source();
    if (!enabled || server === undefined) {
      this.#server = undefined;
      this.#set('off');
      return;
    }
    if (server.href === this.#server) return;
    this.#server = server.href;
    void this.#load(server);
  }

  /** Goes to the provider's sign-in page. */
  signIn(): void {
    const config = this.#config;
    if (config === undefined) return;
    this.#set('working');
    this.signedOut = false;
    flow()
      .then(({ beginSignIn }) => beginSignIn(config, here(), sessionStorage))
      .then(
        (url) => location.assign(url),
        () => this.#fail('exchange'),
      );
  }

  /** Whether there is a sign-in of the console's own to end (`signOut`). */
  get canSignOut(): boolean {
    return this.#tokens !== undefined;
  }

  /**
   * Signs the advisor out: forgets the tokens and the tab's stored sign-in, stops the renewal, tells the host
   * (which closes its session), then goes to the provider's logout page if it has one, or offers "Anmelden" again.
   * Returns whether it leaves for the provider.
   */
  async signOut(): Promise<boolean> {
    const tokens = this.#tokens;
    const config = this.#config;
    if (tokens === undefined) return false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#tokens = undefined;
    this.failure = undefined;
    const oidc = await flow();
    oidc.forgetSignIn(sessionStorage);
    this.#onToken();
    const url = config === undefined ? undefined : oidc.signOutUrl(config, tokens.idToken, here());
    if (url !== undefined) {
      this.#set('working');
      location.assign(url);
      return true;
    }
    this.signedOut = true;
    this.#set('ready');
    this.#host.requestUpdate();
    return false;
  }

  /** After `unavailable`: asks the server again. */
  retry(): void {
    const { server } = this.#source();
    this.#server = undefined;
    if (server !== undefined) this.sync();
  }

  async #load(server: URL): Promise<void> {
    const renewing = this.state === 'renew';
    this.#set('loading');
    let config: SignInConfig | null;
    let oidc: Awaited<ReturnType<typeof flow>>;
    try {
      oidc = await flow();
      config = await oidc.loadSignInConfig(server);
    } catch {
      if (this.#server === server.href) this.#fail('unavailable');
      return;
    }
    if (this.#server !== server.href) return;
    if (config === null) {
      this.#set('off');
      return;
    }
    this.#config = config;
    const here = new URL(location.href);
    if (!oidc.isSignInAnswer(here, sessionStorage)) {
      // Moved in the document and back: still signed in, with the renewal timer set again.
      if (this.#tokens !== undefined && !renewing) this.#signedIn(this.#tokens);
      else this.#set(this.#tokens === undefined ? 'ready' : 'renew');
      return;
    }
    // The code is used once, whatever happens: out of the address bar (and the history) at once.
    history.replaceState(history.state, '', oidc.withoutAnswer(here));
    this.#set('working');
    try {
      this.#signedIn(await oidc.completeSignIn(config, here, sessionStorage));
    } catch (error) {
      this.#fail(error instanceof oidc.SignInError ? error.reason : 'exchange');
    }
  }

  #signedIn(tokens: SignInTokens): void {
    this.#tokens = tokens;
    this.failure = undefined;
    this.#set('signed-in');
    clearTimeout(this.#timer);
    const wait = Math.min(MAX_TIMEOUT_MS, Math.max(1000, tokens.expiresAt - RENEW_BEFORE_MS - Date.now()));
    this.#timer = setTimeout(() => void this.#renew(), wait);
    this.#onToken();
  }

  async #renew(): Promise<void> {
    const config = this.#config;
    const tokens = this.#tokens;
    if (config === undefined || tokens === undefined) return;
    if (tokens.refreshToken !== undefined) {
      try {
        this.#signedIn(await (await flow()).refreshSignIn(config, tokens));
        return;
      } catch {
        // Refused or unreachable: the advisor signs in again.
      }
    }
    this.#set('renew');
  }

  #fail(reason: SignInFailure): void {
    this.failure = reason;
    this.#set('failed');
  }

  #set(state: SignInState): void {
    if (this.state === state) return;
    this.state = state;
    this.#host.requestUpdate();
  }
}
