/**
 * A provider's public face for unit tests of the advisor token verifier: a real HTTP server on port 0 that serves
 * a discovery document and a JWKS with real RS256 and ES256 keys, counts requests, and can be told to hang (for
 * the timeouts). It signs tokens with its keys. For the whole sign-in flow the tests use a real provider
 * (`oidc-provider.ts`).
 */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK, JWTPayload, CryptoKey } from 'jose';

export interface KeyServer {
  issuer: string;
  /** Requests per path. */
  hits: Map<string, number>;
  /** While true, requests get no answer. */
  hang: boolean;
  /** Changes the discovery document (e.g. another issuer). */
  discovery: Record<string, unknown>;
  sign(payload: JWTPayload, options?: { alg?: 'RS256' | 'ES256'; kid?: string; key?: CryptoKey }): Promise<string>;
  close(): Promise<void>;
}

export async function startKeyServer(): Promise<KeyServer> {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const keys: JWK[] = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  const hung = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
    if (state.hang) {
      hung.add(response);
      return;
    }
    const body =
      path === '/.well-known/openid-configuration' ? state.discovery : path === '/jwks' ? { keys } : undefined;
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: KeyServer = {
    issuer,
    hits: new Map(),
    hang: false,
    discovery: {
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
    },
    sign: (payload, options = {}) => {
      const alg = options.alg ?? 'RS256';
      const key = options.key ?? (alg === 'RS256' ? rsa.privateKey : ec.privateKey);
      return new SignJWT(payload)
        .setProtectedHeader({ alg, kid: options.kid ?? (alg === 'RS256' ? 'rsa-1' : 'ec-1'), typ: 'JWT' })
        .sign(key);
    },
    close: async () => {
      for (const response of hung) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}
