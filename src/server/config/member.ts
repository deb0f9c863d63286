/**
 * The member chat area of the server configuration: how member tokens are verified, how long transcripts are kept,
 * and where they are filed at chat end. One schema, every setting with its environment variable, default and
 * description (`fields.ts`); the types are inferred from it. Plus the checks across fields and the redaction.
 *
 * Member chat is on when issuer, audience and a key source (JWKS URL or public keys) are all set; demo mode turns
 * it on with a key pair of its own (`demo/member-issuer.ts`) when none is configured.
 */
import * as v from 'valibot';
import { defaultsOf, setting } from './fields.js';
import { redactUrl } from './store.js';

/** A public key as JSON Web Key (RFC 7517): only what verification needs; private members are refused. */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  [member: string]: unknown;
}

/** Asymmetric signature algorithms only: a shared secret would let anyone who verifies also mint tokens. */
export const MEMBER_TOKEN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type MemberTokenAlgorithm = (typeof MEMBER_TOKEN_ALGORITHMS)[number];

/** The longest token lifetime (exp − iat) the server accepts at all: the member area mints short-lived tokens. */
export const MAX_MEMBER_TOKEN_LIFETIME_SECONDS = 300;

/** Whether `host` (as in a URL, IPv6 in brackets) names this machine. */
function isLoopbackName(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/**
 * A list of accepted signature algorithms, asymmetric only: the member tokens' and the advisors' OIDC tokens
 * (`oidc.ts`). A shared secret (`HS*`) would let every verifier mint tokens; `none` verifies nothing.
 */
export function asymmetricAlgorithms() {
  return v.pipe(
    v.array(
      v.picklist(
        MEMBER_TOKEN_ALGORITHMS,
        (issue) =>
          `"${String(issue.input).slice(0, 20)}" is not allowed: asymmetric algorithms only (RS256/384/512, PS256/384/512, ES256/384/512, EdDSA)`,
      ),
      'must be a list of algorithms',
    ),
    v.minLength(1, 'must name at least one algorithm'),
  );
}

/**
 * An https URL, or http to this machine only: keys and transcripts must not travel in the clear, but a receiver or
 * key server next to Lotse (the demo, tests, a sidecar) needs no certificate. No credentials in the URL.
 */
export function isSafeEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackName(url.hostname));
}

const ENDPOINT_MESSAGE =
  'must be an https:// URL without credentials (http:// only for a loopback host such as 127.0.0.1)';
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const nonEmpty = () =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(200, 'must be at most 200 characters'),
  );
const claimName = () =>
  v.pipe(
    v.string('must be a string'),
    v.regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a claim name (letters, digits, _ . : -)'),
  );
const endpoint = () => v.pipe(v.string('must be a string'), v.check(isSafeEndpoint, ENDPOINT_MESSAGE));

const publicJwk = v.pipe(
  v.looseObject(
    {
      kty: v.picklist(
        ['RSA', 'EC', 'OKP'],
        'each key needs kty "RSA", "EC" or "OKP" (public keys for asymmetric algorithms)',
      ),
      kid: v.optional(v.string('kid must be a string')),
      alg: v.optional(
        v.picklist(MEMBER_TOKEN_ALGORITHMS, 'alg must be an asymmetric algorithm (RS*, PS*, ES*, EdDSA)'),
      ),
    },
    'must be a list of JSON Web Keys (objects)',
  ),
  // The message never echoes the key: a private key pasted here by mistake must not end up in a log.
  v.check(
    (jwk) => PRIVATE_JWK_MEMBERS.every((member) => !(member in jwk)),
    'must hold public keys only: a key has private members (d, p, q, …); give only its public half',
  ),
);

const publicJwks = v.pipe(
  v.array(publicJwk, 'must be a list of JSON Web Keys'),
  v.minLength(1, 'must hold at least one key (or leave it out)'),
  v.transform((keys): PublicJwk[] => keys),
);

/** Member chat (`member/`): verified member tokens, transcript retention, filing by webhook. */
export const MemberConfigSchema = v.strictObject(
  {
    tokens: v.strictObject(
      {
        issuer: v.optional(
          setting(
            nonEmpty(),
            "required `iss` of member tokens (the insurer's member-area backend). Member chat is on when issuer, audience and a key source are all set; one without the others is an error",
            { env: 'LOTSE_MEMBER_TOKEN_ISSUER' },
          ),
        ),
        audience: v.optional(
          setting(nonEmpty(), 'required `aud` of member tokens', { env: 'LOTSE_MEMBER_TOKEN_AUDIENCE' }),
        ),
        jwksUrl: v.optional(
          setting(
            endpoint(),
            'where the member area publishes its public keys (JWKS): `https://`, or `http://` to a loopback host only; no credentials in the URL. Fetched on first use and cached 10 minutes; a token with an unknown `kid` refetches (at most every 30 s), so a key rotation needs no restart',
            { env: 'LOTSE_MEMBER_JWKS_URL' },
          ),
        ),
        publicKeys: v.optional(
          setting(
            publicJwks,
            'the public keys as a list of JWKs, instead of `jwksUrl` (not both); `kty` `RSA`, `EC` or `OKP`; a key with private members (`d`, …) or a symmetric key is refused',
          ),
        ),
        algorithms: v.optional(
          setting(
            asymmetricAlgorithms(),
            'accepted signature algorithms; asymmetric only (`RS*`, `PS*`, `ES*`, `EdDSA`): `none` and `HS*` are refused, since a shared secret would let every verifier mint tokens',
            { env: 'LOTSE_MEMBER_TOKEN_ALGORITHMS' },
          ),
          ['RS256', 'PS256', 'ES256', 'EdDSA'],
        ),
        maxLifetimeSeconds: v.optional(
          setting(
            v.pipe(
              v.number('must be a number'),
              v.integer('must be an integer'),
              v.minValue(1, `must be 1 to ${MAX_MEMBER_TOKEN_LIFETIME_SECONDS}`),
              v.maxValue(
                MAX_MEMBER_TOKEN_LIFETIME_SECONDS,
                `must be 1 to ${MAX_MEMBER_TOKEN_LIFETIME_SECONDS} (member tokens are short-lived)`,
              ),
            ),
            'longest accepted lifetime (`exp` − `iat`), 1 to 300; a token living longer is invalid, one older than this is expired',
            { env: 'LOTSE_MEMBER_TOKEN_MAX_LIFETIME_SECONDS' },
          ),
          MAX_MEMBER_TOKEN_LIFETIME_SECONDS,
        ),
        clockToleranceSeconds: v.optional(
          setting(
            v.pipe(
              v.number('must be a number'),
              v.integer('must be an integer'),
              v.minValue(0, 'must be 0 to 120'),
              v.maxValue(120, 'must be 0 to 120'),
            ),
            'clock skew tolerated on `exp`, `iat`, `nbf` (0 to 120)',
            { env: 'LOTSE_MEMBER_TOKEN_CLOCK_TOLERANCE_SECONDS' },
          ),
          30,
        ),
        nameClaim: v.optional(
          setting(
            claimName(),
            "the claim with the member's name as the advisor sees it (1–200 characters, no control characters)",
            { env: 'LOTSE_MEMBER_NAME_CLAIM' },
          ),
          'name',
        ),
        insuranceNumberClaim: v.optional(
          setting(claimName(), 'the claim with the insurance number (1–32 letters and digits)', {
            env: 'LOTSE_MEMBER_INSURANCE_NUMBER_CLAIM',
          }),
          'insurance_number',
        ),
      },
      'must be an object',
    ),
    transcriptRetentionDays: v.optional(
      setting(
        v.pipe(
          v.number('must be a number'),
          v.finite('must be finite'),
          v.gtValue(0, 'must be greater than 0'),
          v.maxValue(3650, 'must be at most 3650 (ten years)'),
        ),
        "a member chat's transcript is deleted this long after its end (hourly, and by `lotse purge`), delivered or not",
        { env: 'LOTSE_MEMBER_TRANSCRIPT_RETENTION_DAYS' },
      ),
      14,
    ),
    webhook: v.strictObject(
      {
        url: v.optional(
          setting(
            endpoint(),
            'where a transcript is filed at chat end (see [Transcript webhook](operator.md#transcript-webhook)); `https://`, or `http://` to a loopback host; needs `secret` and member chat',
            { env: 'LOTSE_MEMBER_WEBHOOK_URL', defaultNote: " (demo: the demo's own receiver)" },
          ),
        ),
        // The message never echoes the value: it is a secret.
        secret: v.optional(
          setting(
            v.pipe(v.string('must be a string'), v.minLength(32, 'must be at least 32 characters long')),
            'HMAC-SHA256 key of the `Lotse-Signature` header, at least 32 characters; printed redacted',
            { env: 'LOTSE_MEMBER_WEBHOOK_SECRET' },
          ),
        ),
        timeoutSeconds: v.optional(
          setting(
            v.pipe(
              v.number('must be a number'),
              v.finite('must be finite'),
              v.gtValue(0, 'must be greater than 0'),
              v.maxValue(120, 'must be at most 120'),
            ),
            'one delivery attempt gives up after this long',
            { env: 'LOTSE_MEMBER_WEBHOOK_TIMEOUT_SECONDS' },
          ),
          10,
        ),
      },
      'must be an object',
    ),
  },
  'must be an object',
);

export type MemberConfig = v.InferOutput<typeof MemberConfigSchema>;
export type MemberTokenConfig = MemberConfig['tokens'];

export const memberDefaults = defaultsOf(MemberConfigSchema);

/** Whether member tokens are configured (issuer, audience and a key source): member chat is on. */
export function memberChatConfigured(member: MemberConfig): boolean {
  const { issuer, audience, jwksUrl, publicKeys } = member.tokens;
  return issuer !== undefined && audience !== undefined && (jwksUrl !== undefined || publicKeys !== undefined);
}

/** Checks across fields, after the schema passed. `label` names a field with its environment variable. */
export function memberIssues(member: MemberConfig, demo: boolean, label: (path: string) => string): string[] {
  const issues: string[] = [];
  const { issuer, audience, jwksUrl, publicKeys } = member.tokens;
  const keys = jwksUrl !== undefined || publicKeys !== undefined;
  const together = 'member tokens need issuer, audience and jwksUrl or publicKeys together';
  if (issuer !== undefined || audience !== undefined || keys) {
    if (issuer === undefined) issues.push(`${label('member.tokens.issuer')}: required (${together})`);
    if (audience === undefined) issues.push(`${label('member.tokens.audience')}: required (${together})`);
    if (!keys)
      issues.push(
        `${label('member.tokens.jwksUrl')}: required, or member.tokens.publicKeys in the config file (${together})`,
      );
  }
  if (jwksUrl !== undefined && publicKeys !== undefined) {
    issues.push(
      `${label('member.tokens.publicKeys')}: set either member.tokens.jwksUrl or member.tokens.publicKeys, not both`,
    );
  }
  const { url, secret } = member.webhook;
  if (url !== undefined && secret === undefined) {
    issues.push(`${label('member.webhook.secret')}: required when member.webhook.url is set (at least 32 characters)`);
  }
  if (secret !== undefined && url === undefined) {
    issues.push(`${label('member.webhook.url')}: required when member.webhook.secret is set`);
  }
  if (url !== undefined && !demo && !keys && issuer === undefined && audience === undefined) {
    issues.push(
      `${label('member.webhook.url')}: has no effect while member chat is off (configure member.tokens first)`,
    );
  }
  return issues;
}

/** The member section with its secret replaced and any URL credentials removed, for printing. */
export function redactMember(member: MemberConfig): MemberConfig {
  const { url, secret } = member.webhook;
  const jwksUrl = member.tokens.jwksUrl;
  return {
    ...member,
    tokens: jwksUrl === undefined ? member.tokens : { ...member.tokens, jwksUrl: redactUrl(jwksUrl) },
    webhook: {
      ...member.webhook,
      ...(url === undefined ? {} : { url: redactUrl(url) }),
      ...(secret === undefined ? {} : { secret: '[redacted]' }),
    },
  };
}
