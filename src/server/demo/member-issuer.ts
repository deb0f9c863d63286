/**
 * The demo's stand-in for an insurer's member-area backend: an ES256 key pair made at server start (in memory only),
 * its public key for the verifier, and `mint()` for `GET /demo/member-token`. Used only in demo mode when no member
 * tokens are configured; the private key never leaves this module.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { MemberTokenConfig, PublicJwk } from '../config/member.js';

export const DEMO_MEMBER = { sub: 'demo-member-1', name: 'Erika Mustermann', insuranceNumber: 'A123456780' } as const;
export const DEMO_MEMBER_ISSUER = 'lotse-demo-member-area';
export const DEMO_MEMBER_AUDIENCE = 'lotse-demo';
const DEMO_TOKEN_TTL_SECONDS = 300;

export interface DemoMemberIssuer {
  /** The token settings that verify this issuer's tokens (the configured claim names and limits kept). */
  readonly tokens: MemberTokenConfig;
  readonly publicJwk: PublicJwk;
  /** A token for the demo member, valid five minutes (or `ttlSeconds`). */
  mint(options?: { ttlSeconds?: number; now?: number }): Promise<string>;
}

export function createDemoMemberIssuer(configured: MemberTokenConfig): DemoMemberIssuer {
  const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  const kid = `demo-${randomBytes(6).toString('hex')}`;
  const publicJwk: PublicJwk = { ...(publicKey.export({ format: 'jwk' }) as PublicJwk), kid, alg: 'ES256', use: 'sig' };
  const tokens: MemberTokenConfig = {
    ...configured,
    issuer: DEMO_MEMBER_ISSUER,
    audience: DEMO_MEMBER_AUDIENCE,
    jwksUrl: undefined,
    publicKeys: [publicJwk],
    algorithms: ['ES256'],
  };
  return {
    tokens,
    publicJwk,
    mint: async (options = {}) => {
      const now = Math.floor((options.now ?? Date.now()) / 1000);
      const ttl = Math.min(options.ttlSeconds ?? DEMO_TOKEN_TTL_SECONDS, configured.maxLifetimeSeconds);
      return (
        new SignJWT({
          [configured.nameClaim]: DEMO_MEMBER.name,
          [configured.insuranceNumberClaim]: DEMO_MEMBER.insuranceNumber,
        })
          .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
          .setSubject(DEMO_MEMBER.sub)
          .setIssuer(DEMO_MEMBER_ISSUER)
          .setAudience(DEMO_MEMBER_AUDIENCE)
          .setIssuedAt(now)
          .setExpirationTime(now + ttl)
          // Each token its own id: without one, two tokens minted in the same second would be one token.
          .setJti(randomUUID())
          .sign(privateKey)
      );
    },
  };
}
