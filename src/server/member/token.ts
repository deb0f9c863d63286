/**
 * Member tokens: short-lived JWTs the insurer's member-area backend signs and the page hands to the widget. The
 * server verifies one on every `chat.start` and `chat.resume` that carries it, and takes the member's name and
 * insurance number from its verified claims only.
 *
 * Verification: signature with an asymmetric algorithm from the allow-list (never `none`, never HS*: a shared
 * secret would let every verifier mint tokens), keys from the configuration or a JWKS URL (cached; an unknown `kid`
 * refetches, at most once per cooldown), issuer, audience, `sub`, `exp` and `iat` present, a lifetime
 * (exp − iat) within `maxLifetimeSeconds`, not older than that either, and `iat` not in the future beyond the
 * clock tolerance. Nothing of a token or its claims is ever logged; errors carry a closed reason word only.
 */
import { createHash } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { MAX_INSURANCE_NUMBER_LENGTH } from '../../protocol/limits.js';
import type { MemberTokenConfig, PublicJwk } from '../config/member.js';

export type MemberTokenErrorKind = 'expired' | 'invalid';

/** Why a token was refused, as a closed word (for a debug log line and tests; never the token or a claim). */
export type MemberTokenReason =
  'expired' | 'signature' | 'algorithm' | 'keys' | 'claims' | 'lifetime' | 'malformed' | 'off';

export class MemberTokenError extends Error {
  readonly kind: MemberTokenErrorKind;
  readonly reason: MemberTokenReason;
  constructor(kind: MemberTokenErrorKind, reason: MemberTokenReason) {
    super(`member token ${kind} (${reason})`);
    this.name = 'MemberTokenError';
    this.kind = kind;
    this.reason = reason;
  }
}

/** What a verified token says about the member: the only source of a member's identity. */
export interface VerifiedMember {
  /** The member's stable id at the insurer (`sub`): server-side only, never shown, never logged. */
  sub: string;
  name: string;
  insuranceNumber: string;
  /** Expiry of the token, epoch milliseconds. */
  expiresAt: number;
  /**
   * What makes this token one token, for "a token starts at most one chat": a SHA-256 of its `jti` (with `sub`),
   * or of its signed header and payload when it has no `jti`. Never the token itself.
   */
  tokenId: string;
}

/** Verification keys and rules, made once from the configuration (`createMemberVerifier`). */
export interface MemberVerifier {
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly maxLifetimeSeconds: number;
  readonly clockToleranceSeconds: number;
  readonly nameClaim: string;
  readonly insuranceNumberClaim: string;
  /** The verifier's clock, epoch milliseconds (tests inject one). */
  readonly now: () => number;
}

export interface RemoteKeyOptions {
  /** A JWKS request gives up after this long. */
  timeoutMs?: number;
  /** An unknown `kid` refetches the JWKS, but not more often than this. */
  cooldownMs?: number;
  /** Keys are refetched when older than this even if every `kid` is known. */
  cacheMaxAgeMs?: number;
}

export const REMOTE_KEY_DEFAULTS = { timeoutMs: 5_000, cooldownMs: 30_000, cacheMaxAgeMs: 10 * 60_000 } as const;

const MAX_SUB_LENGTH = 200;
const MAX_NAME_LENGTH = 200;
/** Control characters, and the bidi overrides and isolates that could make a name display as something else. */
const NAME_FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const INSURANCE_NUMBER = new RegExp(`^[A-Za-z0-9]{1,${MAX_INSURANCE_NUMBER_LENGTH}}$`);

/**
 * The verifier for a configuration with issuer, audience and a key source (the caller checks that member chat is
 * configured). Remote keys are fetched on first use, not here.
 */
export function createMemberVerifier(
  tokens: MemberTokenConfig,
  options: { now?: () => number; remote?: RemoteKeyOptions } = {},
): MemberVerifier {
  const { issuer, audience, jwksUrl, publicKeys } = tokens;
  if (issuer === undefined || audience === undefined)
    throw new TypeError('member tokens need an issuer and an audience');
  let keys: JWTVerifyGetKey;
  if (jwksUrl !== undefined) {
    const remote = { ...REMOTE_KEY_DEFAULTS, ...options.remote };
    keys = createRemoteJWKSet(new URL(jwksUrl), {
      timeoutDuration: remote.timeoutMs,
      cooldownDuration: remote.cooldownMs,
      cacheMaxAge: remote.cacheMaxAgeMs,
    });
  } else if (publicKeys !== undefined) {
    keys = createLocalJWKSet({ keys: publicKeys.map((jwk: PublicJwk) => ({ ...jwk })) });
  } else {
    throw new TypeError('member tokens need jwksUrl or publicKeys');
  }
  return {
    keys,
    issuer,
    audience,
    algorithms: [...tokens.algorithms],
    maxLifetimeSeconds: tokens.maxLifetimeSeconds,
    clockToleranceSeconds: tokens.clockToleranceSeconds,
    nameClaim: tokens.nameClaim,
    insuranceNumberClaim: tokens.insuranceNumberClaim,
    now: options.now ?? Date.now,
  };
}

/** jose's failure as expired or invalid, with a reason word. */
function refusal(error: unknown): MemberTokenError {
  if (error instanceof MemberTokenError) return error;
  // Expired: `exp` passed, or `iat` older than maxLifetimeSeconds (jose's maxTokenAge).
  if (error instanceof errors.JWTExpired) return new MemberTokenError('expired', 'expired');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new MemberTokenError('invalid', 'algorithm');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new MemberTokenError('invalid', 'signature');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new MemberTokenError('invalid', 'signature');
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error instanceof errors.JWKInvalid
  ) {
    return new MemberTokenError('invalid', 'keys');
  }
  if (error instanceof errors.JWTClaimValidationFailed) return new MemberTokenError('invalid', 'claims');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return new MemberTokenError('invalid', 'malformed');
  // A JWKS endpoint that cannot be reached, or answers with an error status.
  return new MemberTokenError('invalid', 'keys');
}

function claimString(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === 'string' ? value : undefined;
}

/** The verified member, or a `MemberTokenError` (`expired`: ask the member area for a fresh token). */
export async function verifyMemberToken(token: string, verifier: MemberVerifier): Promise<VerifiedMember> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, verifier.keys, {
      algorithms: [...verifier.algorithms],
      issuer: verifier.issuer,
      audience: verifier.audience,
      clockTolerance: verifier.clockToleranceSeconds,
      // A token older than the longest lifetime is refused as expired, whatever its `exp` says; an `iat` in the
      // future (beyond the tolerance) is refused as invalid.
      maxTokenAge: verifier.maxLifetimeSeconds,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: new Date(verifier.now()),
    }));
  } catch (error) {
    throw refusal(error);
  }
  const { sub, exp, iat } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new MemberTokenError('invalid', 'claims');
  // A member area that mints hour-long tokens is misconfigured: a fresh token would be refused just the same.
  if (exp - iat > verifier.maxLifetimeSeconds) throw new MemberTokenError('invalid', 'lifetime');
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH)
    throw new MemberTokenError('invalid', 'claims');
  const name = claimString(payload, verifier.nameClaim)?.trim();
  if (name === undefined || name.length === 0 || name.length > MAX_NAME_LENGTH || NAME_FORBIDDEN.test(name)) {
    throw new MemberTokenError('invalid', 'claims');
  }
  const insuranceNumber = claimString(payload, verifier.insuranceNumberClaim);
  if (insuranceNumber === undefined || !INSURANCE_NUMBER.test(insuranceNumber))
    throw new MemberTokenError('invalid', 'claims');
  return { sub, name, insuranceNumber, expiresAt: exp * 1000, tokenId: tokenIdOf(token, payload, sub) };
}

/**
 * What makes a token one token: its `jti` (per `sub`), or else its signing input (`header.payload`, which holds the
 * `sub` and `iat`). Never the signature text: base64url decoding ignores the spare bits of its last character, and
 * an ECDSA signature has a second valid form (r, n − s), so one token has several signature texts.
 */
function tokenIdOf(token: string, payload: JWTPayload, sub: string): string {
  const { jti } = payload;
  const basis =
    typeof jti === 'string' && jti.length > 0
      ? `jti\0${sub}\0${jti}`
      : `input\0${token.slice(0, token.lastIndexOf('.'))}`;
  return createHash('sha256').update(basis).digest('base64url');
}
