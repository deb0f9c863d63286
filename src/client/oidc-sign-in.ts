/**
 * The advisor's sign-in through the insurer's OpenID Connect provider, without any element: the authorization code
 * flow with PKCE (RFC 7636, S256) of a public client. `begin` keeps verifier, state and nonce in sessionStorage
 * (the one thing that must survive the trip to the provider and back; this tab only) and gives the URL to go to;
 * `complete` checks the answer (state, RFC 9207's `iss` when given), exchanges the code once, checks the ID
 * token's nonce, issuer and audience, and forgets the stored values whatever happens. `refresh` renews with a
 * refresh token when the provider gave one. The tokens live in memory only. The ID token's signature is the server's
 * to verify (it is the one that trusts the token); the checks here bind the answer to this tab's request.
 * `signOutUrl` is the provider's logout page for RP-initiated logout, when it has one; `forgetSignIn` drops what
 * this tab stored of a sign-in.
 */

/** What the console learns from `GET <server>/advisor/config`. */
export interface SignInConfig {
  issuer: string;
  clientId: string;
  scope: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The provider's logout page (RP-initiated logout), when its discovery document names one. */
  endSessionEndpoint?: string;
}

export interface SignInTokens {
  /** The ID token: what the console hands the Lotse server. */
  idToken: string;
  refreshToken?: string;
  /** The ID token's `exp`, epoch milliseconds. */
  expiresAt: number;
  /** Its `sub`: a refreshed token must name the same person. */
  subject: string;
}

/** Why a sign-in failed, as a closed word for the console's message. */
export type SignInFailure = 'unavailable' | 'refused' | 'mismatch' | 'exchange';

export class SignInError extends Error {
  readonly reason: SignInFailure;
  constructor(reason: SignInFailure) {
    super(`sign-in ${reason}`);
    this.name = 'SignInError';
    this.reason = reason;
  }
}

const STORAGE_KEY = 'lotse.advisor.signin';
/** A started sign-in older than this is stale: the provider's login page was left open too long. */
const PENDING_MAX_AGE_MS = 30 * 60_000;

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
  at: number;
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The console's sign-in settings from `/advisor/config`: `null` when the server offers none. */
export async function loadSignInConfig(server: URL, fetcher: typeof fetch = fetch): Promise<SignInConfig | null> {
  let body: unknown;
  try {
    const response = await fetcher(new URL('advisor/config', server), { credentials: 'omit', cache: 'no-store' });
    if (!response.ok) throw new SignInError('unavailable');
    body = await response.json();
  } catch {
    throw new SignInError('unavailable');
  }
  const oidc = typeof body === 'object' && body !== null ? (body as { oidc?: unknown }).oidc : undefined;
  if (oidc === null) return null;
  const fields = (typeof oidc === 'object' && oidc !== null ? oidc : {}) as Record<string, unknown>;
  const { issuer, clientId, scope, authorizationEndpoint, tokenEndpoint } = fields;
  if (![issuer, clientId, scope, authorizationEndpoint, tokenEndpoint].every(isString)) {
    throw new SignInError('unavailable');
  }
  const config = { issuer, clientId, scope, authorizationEndpoint, tokenEndpoint } as SignInConfig;
  const endSession = fields['endSessionEndpoint'];
  return isString(endSession) ? { ...config, endSessionEndpoint: endSession } : config;
}

/** Forgets what this tab stored of a sign-in (a started one's verifier, state and nonce). */
export function forgetSignIn(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

/**
 * The provider's logout page for this advisor (OpenID Connect RP-Initiated Logout 1.0): with the ID token as
 * `id_token_hint`, the client id, and where to come back to; `undefined` when the provider names no such page.
 */
export function signOutUrl(config: SignInConfig, idToken: string, postLogoutRedirectUri: string): string | undefined {
  if (config.endSessionEndpoint === undefined) return undefined;
  const url = new URL(config.endSessionEndpoint);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
  return url.href;
}

/** Starts a sign-in: stores verifier, state and nonce for this tab, and returns the provider's URL to go to. */
export async function beginSignIn(config: SignInConfig, redirectUri: string, storage: Storage): Promise<string> {
  const pending: Pending = {
    verifier: randomText(),
    state: randomText(),
    nonce: randomText(),
    redirectUri,
    at: Date.now(),
  };
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier));
  storage.setItem(STORAGE_KEY, JSON.stringify(pending));
  const url = new URL(config.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** Whether `location` is the provider's answer to a sign-in this tab started. */
export function isSignInAnswer(location: URL, storage: Storage): boolean {
  const params = location.searchParams;
  return (params.has('code') || params.has('error')) && params.has('state') && storage.getItem(STORAGE_KEY) !== null;
}

/** The payload of a JWT, unverified (the server verifies the signature), or `undefined`. */
function payloadOf(token: string): Record<string, unknown> | undefined {
  try {
    const part = token.split('.')[1] ?? '';
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The tokens from a token endpoint's answer, after checking the ID token's issuer and audience (and nonce). */
async function tokensOf(response: Response, config: SignInConfig, nonce: string | undefined): Promise<SignInTokens> {
  if (!response.ok) throw new SignInError('exchange');
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const idToken = body['id_token'];
  if (!isString(idToken)) throw new SignInError('exchange');
  const claims = payloadOf(idToken);
  const aud = claims?.['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (
    claims === undefined ||
    claims['iss'] !== config.issuer ||
    !audiences.includes(config.clientId) ||
    typeof claims['exp'] !== 'number' ||
    !isString(claims['sub']) ||
    (nonce !== undefined && claims['nonce'] !== nonce)
  ) {
    throw new SignInError('mismatch');
  }
  const refreshToken = body['refresh_token'];
  return {
    idToken,
    ...(isString(refreshToken) ? { refreshToken } : {}),
    expiresAt: claims['exp'] * 1000,
    subject: claims['sub'],
  };
}

function tokenRequest(config: SignInConfig, fields: Record<string, string>, fetcher: typeof fetch): Promise<Response> {
  return fetcher(config.tokenEndpoint, {
    method: 'POST',
    credentials: 'omit',
    cache: 'no-store',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, client_id: config.clientId }),
  }).catch(() => {
    throw new SignInError('exchange');
  });
}

/**
 * Finishes a sign-in from the provider's answer in `location`. The stored values are removed first: an answer is
 * used once, and a failed one is not retried with the same code.
 */
export async function completeSignIn(
  config: SignInConfig,
  location: URL,
  storage: Storage,
  fetcher: typeof fetch = fetch,
): Promise<SignInTokens> {
  const stored = storage.getItem(STORAGE_KEY);
  storage.removeItem(STORAGE_KEY);
  let pending: Pending;
  try {
    pending = JSON.parse(stored ?? '') as Pending;
  } catch {
    throw new SignInError('mismatch');
  }
  const params = location.searchParams;
  if (params.get('state') !== pending.state || Date.now() - pending.at > PENDING_MAX_AGE_MS) {
    throw new SignInError('mismatch');
  }
  // RFC 9207: a provider that names itself must be the one asked.
  if (params.has('iss') && params.get('iss') !== config.issuer) throw new SignInError('mismatch');
  const code = params.get('code');
  if (code === null) throw new SignInError('refused');
  const response = await tokenRequest(
    config,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: pending.redirectUri,
      code_verifier: pending.verifier,
    },
    fetcher,
  );
  return tokensOf(response, config, pending.nonce);
}

/** New tokens with the refresh token; the new ID token must name the same person. */
export async function refreshSignIn(
  config: SignInConfig,
  current: SignInTokens,
  fetcher: typeof fetch = fetch,
): Promise<SignInTokens> {
  if (current.refreshToken === undefined) throw new SignInError('exchange');
  const response = await tokenRequest(
    config,
    { grant_type: 'refresh_token', refresh_token: current.refreshToken },
    fetcher,
  );
  const next = await tokensOf(response, config, undefined);
  if (next.subject !== current.subject) throw new SignInError('mismatch');
  // A provider that does not rotate refresh tokens keeps the old one valid.
  return next.refreshToken === undefined ? { ...next, refreshToken: current.refreshToken } : next;
}

/** The URL without the provider's answer (code, state, iss, session_state, error…), for `history.replaceState`. */
export function withoutAnswer(location: URL): string {
  const url = new URL(location.href);
  for (const name of ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri']) {
    url.searchParams.delete(name);
  }
  return url.href;
}
