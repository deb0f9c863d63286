/**
 * Advisor tokens: HS256 JWTs minted by the insurer's identity side (or `lotse mint-advisor-token`) and carried
 * as the `lotse.bearer.<jwt>` subprotocol at the WebSocket upgrade.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { AdvisorTokenConfig } from '../config/transport.js';

export interface AdvisorIdentity {
  id: string;
  name: string;
  /** Role claims (`roles` in the token); `admin` may export the audit log (`GET /admin/audit`). */
  roles?: readonly string[];
  /** Topic claims (`topics` in the token: ids of `chat.topics`): chats of these topics come first in the queue. */
  topics?: readonly string[];
}

export interface VerifiedAdvisor extends AdvisorIdentity {
  /** Expiry of the token, epoch milliseconds. */
  expiresAt: number;
  /** When it was issued (`iat`), epoch milliseconds. */
  issuedAt: number;
  roles: readonly string[];
  topics: readonly string[];
}

/** The role that may read the audit log. */
export const ADMIN_ROLE = 'admin';

/** The lifetime caps are optional here (a validated configuration always has them): absent, the defaults hold. */
type TokenConfig = {
  advisorTokens: Omit<AdvisorTokenConfig, 'maxLifetimeSeconds' | 'adminMaxLifetimeSeconds'> &
    Partial<Pick<AdvisorTokenConfig, 'maxLifetimeSeconds' | 'adminMaxLifetimeSeconds'>>;
};

/** Defaults of `advisorTokens.maxLifetimeSeconds` and `advisorTokens.adminMaxLifetimeSeconds`. */
export const ADVISOR_TOKEN_MAX_LIFETIME_SECONDS = 12 * 3600;
export const ADMIN_TOKEN_MAX_LIFETIME_SECONDS = 3600;

export const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_FIELD_LENGTH = 200;

function key(config: TokenConfig): Uint8Array {
  return new TextEncoder().encode(config.advisorTokens.secret);
}

/** The longest lifetime (`exp − iat`) accepted for a token used as `use`, in seconds. */
export function maxLifetimeOf(config: TokenConfig, use: 'advisor' | 'admin'): number {
  return use === 'admin'
    ? (config.advisorTokens.adminMaxLifetimeSeconds ?? ADMIN_TOKEN_MAX_LIFETIME_SECONDS)
    : (config.advisorTokens.maxLifetimeSeconds ?? ADVISOR_TOKEN_MAX_LIFETIME_SECONDS);
}

export async function mintAdvisorToken(
  advisor: AdvisorIdentity,
  config: TokenConfig,
  ttlSeconds: number,
): Promise<string> {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) throw new RangeError('ttlSeconds must be a positive number');
  const cap = maxLifetimeOf(config, advisor.roles?.includes(ADMIN_ROLE) ? 'admin' : 'advisor');
  if (Math.round(ttlSeconds) > cap) throw new RangeError(`ttlSeconds must be at most ${cap} (the accepted lifetime)`);
  if (advisor.id.length === 0 || advisor.id.length > MAX_FIELD_LENGTH)
    throw new RangeError('id must be 1 to 200 characters');
  if (advisor.name.length === 0 || advisor.name.length > MAX_FIELD_LENGTH)
    throw new RangeError('name must be 1 to 200 characters');
  const now = Math.floor(Date.now() / 1000);
  const roles = advisor.roles ?? [];
  const topics = advisor.topics ?? [];
  const claims = {
    name: advisor.name,
    ...(roles.length > 0 ? { roles: [...roles] } : {}),
    ...(topics.length > 0 ? { topics: [...topics] } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(advisor.id)
    .setIssuer(config.advisorTokens.issuer)
    .setAudience(config.advisorTokens.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.round(ttlSeconds))
    .sign(key(config));
}

/**
 * Verifies signature, issuer, audience, `sub`, `iat` and `exp` (30 s clock tolerance), as member tokens are: the
 * lifetime `exp − iat` at most the cap for `use` (`advisorTokens.maxLifetimeSeconds`, or for `/admin/*`
 * `advisorTokens.adminMaxLifetimeSeconds`), a token issued longer ago than that is expired, and an `iat` in the
 * future beyond the tolerance is refused. Throws on any failure.
 */
export async function verifyAdvisorToken(
  token: string,
  config: TokenConfig,
  use: 'advisor' | 'admin' = 'advisor',
): Promise<VerifiedAdvisor> {
  const maxLifetime = maxLifetimeOf(config, use);
  const { payload } = await jwtVerify(token, key(config), {
    algorithms: ['HS256'],
    issuer: config.advisorTokens.issuer,
    audience: config.advisorTokens.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    // Older than the longest lifetime: expired, whatever `exp` says; `iat` in the future: refused.
    maxTokenAge: maxLifetime,
    requiredClaims: ['sub', 'exp', 'iat'],
  });
  const { sub, name, exp, iat, roles, topics } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_FIELD_LENGTH) throw new Error('invalid sub');
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_FIELD_LENGTH) throw new Error('invalid name');
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new Error('invalid exp or iat');
  if (exp - iat > maxLifetime) throw new Error('lifetime too long');
  const known = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  return { id: sub, name, expiresAt: exp * 1000, issuedAt: iat * 1000, roles: known, topics: topicsOf(topics) };
}

/** Most topics a token may name; more are left out. */
const MAX_TOPIC_CLAIMS = 50;

/**
 * The `topics` claim: the strings of an array (at most `MAX_TOPIC_CLAIMS`, each at most 200 characters); anything
 * else is no topics. Whether a topic is configured is the queue's concern: an unknown one sorts nothing first.
 */
export function topicsOf(claim: unknown): readonly string[] {
  if (!Array.isArray(claim)) return [];
  return claim
    .filter(
      (topic): topic is string => typeof topic === 'string' && topic.length > 0 && topic.length <= MAX_FIELD_LENGTH,
    )
    .slice(0, MAX_TOPIC_CLAIMS);
}
