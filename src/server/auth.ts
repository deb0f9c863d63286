/**
 * Advisor tokens: HS256 JWTs minted by the insurer's identity side (or `lotse mint-advisor-token`) and carried
 * as the `lotse.bearer.<jwt>` subprotocol at the WebSocket upgrade.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { LotseConfig } from './config.js';

export interface AdvisorIdentity {
  id: string;
  name: string;
}

export interface VerifiedAdvisor extends AdvisorIdentity {
  /** Expiry of the token, epoch milliseconds. */
  expiresAt: number;
}

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
  return new SignJWT({ name: advisor.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(advisor.id)
    .setIssuer(config.advisorTokens.issuer)
    .setAudience(config.advisorTokens.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.round(ttlSeconds))
    .sign(key(config));
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
  const { sub, name, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_FIELD_LENGTH) throw new Error('invalid sub');
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_FIELD_LENGTH) throw new Error('invalid name');
  if (typeof exp !== 'number') throw new Error('invalid exp');
  return { id: sub, name, expiresAt: exp * 1000 };
}
