/**
 * Advisor tokens from the insurer's OpenID Connect provider (`oidc.*`): the ID token the console got by signing in
 * (authorization code with PKCE), or a token the host app hands over. Verified against the provider's keys, found
 * through its discovery document (`<issuer>/.well-known/openid-configuration` → `jwks_uri`), fetched on first use
 * with a timeout and cached; jose's remote key set refetches for an unknown `kid`, so a key rotation needs no
 * restart. Asymmetric algorithms only (never `none`, never HS*: whoever verifies with a shared secret could mint).
 * Issuer, audience, `exp` and `iat` are checked with the lifetime caps of the HS256 advisor tokens, and id, name,
 * roles and topics come from the configured claims. Nothing of a token is logged; a refusal throws.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { isSafeEndpoint } from '../config/member.js';
import type { OidcConfig } from '../config/oidc.js';
import type { VerifiedAdvisor } from './advisor-auth.js';

/** What the server reads of the provider's discovery document, and tells the console (`/advisor/config`). */
export interface OidcDiscovery {
  issuer: string;
  jwksUri: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** RP-initiated logout (`end_session_endpoint`), when the provider offers it. */
  endSessionEndpoint?: string;
}

export interface OidcVerifierOptions {
  /** The verifier's clock, epoch milliseconds (tests inject one). */
  now?: () => number;
  /** A discovery document is read again after this long. */
  discoveryMaxAgeMs?: number;
  /** An unknown `kid` refetches the keys, but not more often than this. */
  cooldownMs?: number;
  /** Keys are refetched when older than this even if every `kid` is known. */
  cacheMaxAgeMs?: number;
  /** The provider's discovery document or keys could not be fetched (for a log line; at most every 30 s). */
  onUnavailable?: () => void;
}

/** OIDC settings with the issuer set: OIDC is on. */
export type OidcSettings = OidcConfig & { issuer: string };

const MAX_FIELD_LENGTH = 200;
const UNAVAILABLE_EVERY_MS = 30_000;
const MAX_LIST = 100;
/** Control characters, and the bidi overrides and isolates that could make a name display as something else. */
const NAME_FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/** Whether OIDC sign-in is configured. */
export function oidcEnabled(oidc: OidcConfig | undefined): oidc is OidcSettings {
  return oidc?.issuer !== undefined;
}

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0, section 4). */
export function discoveryUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
}

function endpointOf(document: Record<string, unknown>, name: string): string {
  const value = document[name];
  if (typeof value !== 'string' || !isSafeEndpoint(value)) throw new Error(`discovery: bad ${name}`);
  return value;
}

async function fetchDiscovery(issuer: string, timeoutMs: number): Promise<OidcDiscovery> {
  const response = await fetch(discoveryUrl(issuer), {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`discovery: HTTP ${response.status}`);
  const document: unknown = await response.json();
  if (typeof document !== 'object' || document === null) throw new Error('discovery: not an object');
  const fields = document as Record<string, unknown>;
  // The document must name the issuer it was fetched for, exactly (Discovery 1.0, section 4.3).
  if (fields['issuer'] !== issuer) throw new Error('discovery: issuer differs');
  return {
    issuer,
    jwksUri: endpointOf(fields, 'jwks_uri'),
    authorizationEndpoint: endpointOf(fields, 'authorization_endpoint'),
    tokenEndpoint: endpointOf(fields, 'token_endpoint'),
    // Optional (OpenID Connect RP-Initiated Logout 1.0); when named, as safe as the others.
    ...(fields['end_session_endpoint'] === undefined
      ? {}
      : { endSessionEndpoint: endpointOf(fields, 'end_session_endpoint') }),
  };
}

/** A claim by name, or else by a dotted path into nested objects (`realm_access.roles`). */
export function claimAt(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let node: unknown = payload;
  for (const key of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A list claim (or one string) as a list of short strings; anything else is left out. */
function listOf(value: unknown): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return items
    .filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= MAX_FIELD_LENGTH)
    .slice(0, MAX_LIST);
}

function shortString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_FIELD_LENGTH && !NAME_FORBIDDEN.test(trimmed)
    ? trimmed
    : undefined;
}

/** Verifies tokens of one provider. Discovery and keys are fetched on first use, not here; nothing to close. */
export class OidcVerifier {
  readonly settings: OidcSettings;
  readonly #options: Required<Omit<OidcVerifierOptions, 'onUnavailable'>>;
  readonly #onUnavailable: (() => void) | undefined;
  #unavailableAt = Number.NEGATIVE_INFINITY;
  #discovery: { value: OidcDiscovery; at: number } | undefined;
  #pending: Promise<OidcDiscovery> | undefined;
  #keys: { uri: string; get: JWTVerifyGetKey } | undefined;

  constructor(settings: OidcSettings, options: OidcVerifierOptions = {}) {
    this.settings = settings;
    this.#options = {
      now: Date.now,
      discoveryMaxAgeMs: 3_600_000,
      cooldownMs: 30_000,
      cacheMaxAgeMs: 600_000,
      ...options,
    };
    this.#onUnavailable = options.onUnavailable;
  }

  /** The audience tokens must carry: `oidc.audience`, else the console's client id. */
  get audience(): string {
    const audience = this.settings.audience ?? this.settings.clientId;
    if (audience === undefined) throw new TypeError('oidc needs an audience or a client id');
    return audience;
  }

  /** The provider's discovery document, cached; concurrent callers share one request, a failure is not kept. */
  async discovery(): Promise<OidcDiscovery> {
    const cached = this.#discovery;
    if (cached !== undefined && this.#options.now() - cached.at < this.#options.discoveryMaxAgeMs) return cached.value;
    this.#pending ??= fetchDiscovery(this.settings.issuer, this.settings.timeoutSeconds * 1000)
      .then(
        (value) => {
          this.#discovery = { value, at: this.#options.now() };
          return value;
        },
        (error: unknown) => {
          this.#unavailable();
          throw error;
        },
      )
      .finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  #unavailable(): void {
    const now = this.#options.now();
    if (now - this.#unavailableAt < UNAVAILABLE_EVERY_MS) return;
    this.#unavailableAt = now;
    this.#onUnavailable?.();
  }

  async #keySet(): Promise<JWTVerifyGetKey> {
    const { jwksUri } = await this.discovery();
    if (this.#keys?.uri !== jwksUri) {
      const get = createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: this.settings.timeoutSeconds * 1000,
        cooldownDuration: this.#options.cooldownMs,
        cacheMaxAge: this.#options.cacheMaxAgeMs,
      });
      this.#keys = { uri: jwksUri, get };
    }
    return this.#keys.get;
  }

  /**
   * The advisor behind a token, or a throw. `maxLifetimeSeconds` caps `exp − iat` and the token's age (as for
   * HS256 tokens); `clockToleranceSeconds` applies to `exp`, `iat` and `nbf`.
   */
  async verify(token: string, maxLifetimeSeconds: number, clockToleranceSeconds: number): Promise<VerifiedAdvisor> {
    const { settings } = this;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.#keySet(), {
        algorithms: [...settings.algorithms],
        issuer: settings.issuer,
        audience: this.audience,
        clockTolerance: clockToleranceSeconds,
        maxTokenAge: maxLifetimeSeconds,
        requiredClaims: ['exp', 'iat'],
        currentDate: new Date(this.#options.now()),
      }));
    } catch (error) {
      // Not the token's fault: the provider (discovery or keys) could not be reached or read.
      const provider =
        error instanceof errors.JWKSTimeout ||
        error instanceof errors.JWKSInvalid ||
        !(error instanceof errors.JOSEError);
      if (provider) this.#unavailable();
      throw error;
    }
    const { exp, iat } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') throw new Error('invalid exp or iat');
    if (exp - iat > maxLifetimeSeconds) throw new Error('lifetime too long');
    const id = claimAt(payload, settings.idClaim);
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_FIELD_LENGTH) throw new Error('invalid id');
    const name = shortString(claimAt(payload, settings.nameClaim)) ?? shortString(payload['preferred_username']);
    if (name === undefined) throw new Error('invalid name');
    return {
      id,
      name,
      expiresAt: exp * 1000,
      issuedAt: iat * 1000,
      roles: listOf(claimAt(payload, settings.rolesClaim)),
      topics: listOf(claimAt(payload, settings.topicsClaim)),
    };
  }
}

const verifiers = new WeakMap<OidcConfig, OidcVerifier>();

/**
 * The verifier for a configuration's `oidc` section, made on first use and kept with it, so that every place that
 * verifies advisor tokens (the WebSocket upgrade, `/admin/*`, `/advisor/config`) shares one cache of keys. The
 * options count on the first call only: the server makes it at start, with its log (`app/server.ts`).
 */
export function oidcVerifierFor(oidc: OidcSettings, options: OidcVerifierOptions = {}): OidcVerifier {
  let verifier = verifiers.get(oidc);
  if (verifier === undefined) {
    verifier = new OidcVerifier(oidc, options);
    verifiers.set(oidc, verifier);
  }
  return verifier;
}
