/**
 * The OpenID Connect area of the server configuration: advisors who sign in through the insurer's identity
 * provider. One schema, every setting with its environment variable, default and description (`fields.ts`); the
 * type is inferred from it. Plus the checks across fields.
 *
 * OIDC is on when `oidc.issuer` is set: the server then accepts advisor tokens signed by that provider (keys from
 * its discovery document's `jwks_uri`), beside the HS256 tokens of `advisorTokens.secret`. With `oidc.clientId` the
 * console also offers "Anmelden" itself (authorization code with PKCE); without it the host app hands the console a
 * token. Lifetimes are those of `advisorTokens` (`maxLifetimeSeconds`, `adminMaxLifetimeSeconds`).
 */
import * as v from 'valibot';
import { setting } from './fields.js';
import { asymmetricAlgorithms, isSafeEndpoint } from './member.js';

const ENDPOINT_MESSAGE =
  'must be an https:// URL without credentials (http:// only for a loopback host such as 127.0.0.1)';

const text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );
/** A claim name, or a dotted path into nested claims (`realm_access.roles`); a URL-like name is taken as it is. */
const claimName = () =>
  v.pipe(
    v.string('must be a string'),
    v.regex(/^[A-Za-z0-9_.:/-]{1,200}$/, 'must be a claim name or dotted path (letters, digits, _ . : / -)'),
  );

export const OidcConfigSchema = v.strictObject(
  {
    issuer: v.optional(
      setting(
        v.pipe(v.string('must be a string'), v.check(isSafeEndpoint, ENDPOINT_MESSAGE)),
        "the identity provider's issuer (`iss`), exactly as its discovery document says it; turns OIDC sign-in on. Its `/.well-known/openid-configuration` is read on first use (cached an hour) for the `jwks_uri`",
        { env: 'LOTSE_OIDC_ISSUER' },
      ),
    ),
    clientId: v.optional(
      setting(
        text(200),
        "the console's client id at the provider (a public client: authorization code with PKCE, no secret); without it the console offers no sign-in of its own and the host app hands it a token",
        { env: 'LOTSE_OIDC_CLIENT_ID' },
      ),
    ),
    audience: v.optional(
      setting(
        text(200),
        'required `aud` of the tokens; the console sends the ID token, whose `aud` is the client id. Set it when the host app hands over access tokens for a Lotse API',
        { env: 'LOTSE_OIDC_AUDIENCE', shownDefault: '`oidc.clientId`' },
      ),
    ),
    scope: v.optional(
      setting(
        v.pipe(text(500), v.regex(/(^|\s)openid(\s|$)/, 'must include openid')),
        'scopes the console asks for; add `offline_access` where the provider gives refresh tokens only then (Entra ID)',
        { env: 'LOTSE_OIDC_SCOPE' },
      ),
      'openid profile',
    ),
    algorithms: v.optional(
      setting(asymmetricAlgorithms(), 'accepted signature algorithms; asymmetric only: `none` and `HS*` are refused', {
        env: 'LOTSE_OIDC_ALGORITHMS',
      }),
      ['RS256', 'PS256', 'ES256', 'EdDSA'],
    ),
    idClaim: v.optional(
      setting(claimName(), "the claim with the advisor's stable id (Entra ID: `oid`)", { env: 'LOTSE_OIDC_ID_CLAIM' }),
      'sub',
    ),
    nameClaim: v.optional(
      setting(claimName(), "the claim with the advisor's name as shown; `preferred_username` when it is missing", {
        env: 'LOTSE_OIDC_NAME_CLAIM',
      }),
      'name',
    ),
    rolesClaim: v.optional(
      setting(
        claimName(),
        'the claim with the roles, a list (or one string); `admin` may use `/admin/*` (Keycloak realm roles: `realm_access.roles`)',
        { env: 'LOTSE_OIDC_ROLES_CLAIM' },
      ),
      'roles',
    ),
    topicsClaim: v.optional(
      setting(claimName(), "the claim with the advisor's topics, a list (or one string)", {
        env: 'LOTSE_OIDC_TOPICS_CLAIM',
      }),
      'topics',
    ),
    timeoutSeconds: v.optional(
      setting(
        v.pipe(
          v.number('must be a number'),
          v.finite('must be finite'),
          v.gtValue(0, 'must be greater than 0'),
          v.maxValue(60, 'must be at most 60'),
        ),
        'a request for the discovery document or the keys gives up after this long',
        { env: 'LOTSE_OIDC_TIMEOUT_SECONDS' },
      ),
      5,
    ),
  },
  'must be an object',
);

export type OidcConfig = v.InferOutput<typeof OidcConfigSchema>;

/** Checks across fields, after the schema passed. `label` names a field with its environment variable. */
export function oidcIssues(oidc: OidcConfig, label: (path: string) => string): string[] {
  const issues: string[] = [];
  const { issuer, clientId, audience } = oidc;
  if (issuer !== undefined && clientId === undefined && audience === undefined) {
    issues.push(`${label('oidc.audience')}: required with oidc.issuer (or set oidc.clientId, its default)`);
  }
  if (issuer === undefined && (clientId !== undefined || audience !== undefined)) {
    issues.push(`${label('oidc.issuer')}: required when oidc.clientId or oidc.audience is set`);
  }
  return issues;
}
