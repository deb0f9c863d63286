/**
 * Advisor tokens: HS256 JWTs minted by the insurer's identity side (or `lotse mint-advisor-token`) and carried
 * as the `lotse.bearer.<jwt>` subprotocol at the WebSocket upgrade.
 */
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import type { LotseConfig } from './config.js';

export interface AdvisorIdentity {
  id: string;
  name: string;
  /** Role claims (`roles` in the token); `admin` may export the audit log (`GET /admin/audit`). */
  roles?: readonly string[];
}

export interface VerifiedAdvisor extends AdvisorIdentity {
  /** Expiry of the token, epoch milliseconds. */
  expiresAt: number;
  roles: readonly string[];
}

/** The role that may read the audit log. */
export const ADMIN_ROLE = 'admin';

type TokenConfig = Pick<LotseConfig, 'advisorTokens'>;

const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_FIELD_LENGTH = 200;

function key(config: TokenConfig): Uint8Array {
  return new TextEncoder().encode(config.advisorTokens.secret);
}

export async function mintAdvisorToken(
  advisor: AdvisorIdentity,
  config: TokenConfig,
  ttlSeconds: number,
): Promise<string> {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) throw new RangeError('ttlSeconds must be a positive number');
  if (advisor.id.length === 0 || advisor.id.length > MAX_FIELD_LENGTH) throw new RangeError('id must be 1 to 200 characters');
  if (advisor.name.length === 0 || advisor.name.length > MAX_FIELD_LENGTH) throw new RangeError('name must be 1 to 200 characters');
  const now = Math.floor(Date.now() / 1000);
  const roles = advisor.roles ?? [];
  return new SignJWT(roles.length > 0 ? { name: advisor.name, roles: [...roles] } : { name: advisor.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(advisor.id)
    .setIssuer(config.advisorTokens.issuer)
    .setAudience(config.advisorTokens.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.round(ttlSeconds))
    .sign(key(config));
}

/**
 * The subject a token claims, without verifying it: only for recording a failed login, and only when it looks
 * like an identifier. Never trust it for anything else.
 */
export function claimedSubject(token: string): string | undefined {
  try {
    const { sub } = decodeJwt(token);
    return typeof sub === 'string' && /^[A-Za-z0-9_.:@-]{1,200}$/.test(sub) ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies signature, expiry, issuer and audience (30 s clock tolerance); throws on any failure. */
export async function verifyAdvisorToken(token: string, config: TokenConfig): Promise<VerifiedAdvisor> {
  const { payload } = await jwtVerify(token, key(config), {
    algorithms: ['HS256'],
    issuer: config.advisorTokens.issuer,
    audience: config.advisorTokens.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'exp'],
  });
  const { sub, name, exp, roles } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_FIELD_LENGTH) throw new Error('invalid sub');
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_FIELD_LENGTH) throw new Error('invalid name');
  if (typeof exp !== 'number') throw new Error('invalid exp');
  const known = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  return { id: sub, name, expiresAt: exp * 1000, roles: known };
}
