/**
 * Test fixtures for member tokens: a real key pair (the "insurer's member area") that mints tokens with any claims,
 * and a real local JWKS server whose keys can be swapped (rotation).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { PublicJwk } from '../../../src/server/config/member.js';

export const MEMBER_ISSUER = 'https://mitglieder.example-kasse.de';
export const MEMBER_AUDIENCE = 'lotse-test';

export interface MemberClaims {
  sub?: string;
  name?: string;
  insurance_number?: string;
  iss?: string;
  aud?: string;
  /** Seconds relative to now (may be negative). */
  iatOffset?: number;
  /** Lifetime from iat, seconds. */
  lifetime?: number;
  [claim: string]: unknown;
}

export interface MemberArea {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  readonly privateKey: CryptoKey;
  /** A token with the given claims over sensible defaults (`undefined` leaves a claim out). */
  mint(claims?: MemberClaims): Promise<string>;
}

export async function createMemberArea(kid = 'kasse-1', alg: 'ES256' | 'RS256' = 'ES256'): Promise<MemberArea> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } as PublicJwk;
  return {
    kid,
    publicJwk,
    privateKey,
    mint: (claims = {}) => mintWith(privateKey, { alg, kid }, claims),
  };
}

const DEFAULTS: MemberClaims = {
  sub: 'member-4711',
  name: 'Erika Mustermann',
  insurance_number: 'A123456780',
  iss: MEMBER_ISSUER,
  aud: MEMBER_AUDIENCE,
};

/** Signs `claims` (over the defaults) with `key` and `header`. */
export function mintWith(
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string },
  claims: MemberClaims = {},
): Promise<string> {
  const { iatOffset = 0, lifetime = 240, ...rest } = { ...DEFAULTS, ...claims };
  const iat = Math.floor(Date.now() / 1000) + iatOffset;
  const payload: Record<string, unknown> = {};
  for (const [claim, value] of Object.entries({ ...rest, iat, exp: iat + lifetime })) {
    if (value !== undefined) payload[claim] = value;
  }
  return new SignJWT(payload).setProtectedHeader({ ...header, typ: 'JWT' }).sign(key);
}

export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  setKeys(keys: readonly JWK[]): void;
  close(): Promise<void>;
}

/** A real HTTP server on loopback serving `{ keys }` at /jwks.json, after `delayMs` (a slow key server). */
export async function startJwksServer(keys: readonly JWK[], delayMs = 0): Promise<JwksServer> {
  let current = [...keys];
  let fetches = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    if (request.url !== '/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    const body = JSON.stringify({ keys: current });
    const timer = setTimeout(() => {
      timers.delete(timer);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    }, delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get fetches() {
      return fetches;
    },
    setKeys: (next) => {
      current = [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
