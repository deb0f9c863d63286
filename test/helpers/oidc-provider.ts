/**
 * A real OpenID Connect provider for the sign-in tests (`oidc-provider`, certified by the OpenID Foundation), on a
 * free port of 127.0.0.1: discovery, JWKS (an RS256 key made per start), authorization endpoint with PKCE,
 * token endpoint with refresh tokens, RP-initiated logout (`end_session_endpoint`), and its development login, consent
 * and logout pages (any login name is accepted;
 * the password is not checked). One public client, the advisor console, with the redirect URI the test gives.
 * Every user is an advisor named from the login, with roles and topics as the test asks.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export const CONSOLE_CLIENT_ID = 'lotse-console';

export interface OidcTestProvider {
  issuer: string;
  close(): Promise<void>;
}

export interface ProviderOptions {
  /** The console page's address, the one redirect URI the client may use. */
  redirectUri: string;
  /** The claims of every account beside `sub` and `name`. */
  claims?: Record<string, unknown>;
  /** Lifetime of an ID token, seconds (the console renews a minute before it ends). */
  idTokenSeconds?: number;
}

export async function startOidcProvider({
  redirectUri,
  claims = {},
  idTokenSeconds = 600,
}: ProviderOptions): Promise<OidcTestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [redirectUri],
        // RP-initiated logout ("Abmelden") comes back to the same page.
        post_logout_redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['lotse-oidc-test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], profile: ['name', ...Object.keys(claims)] },
    // Scope claims in the ID token too (the console sends the ID token), as Keycloak and Entra ID do.
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    clientBasedCORS: () => true,
    // Refresh tokens without `offline_access`, as Keycloak gives them to a public client.
    issueRefreshToken: () => true,
    ttl: {
      IdToken: idTokenSeconds,
      AccessToken: idTokenSeconds,
      RefreshToken: 3600,
      Session: 3600,
      Grant: 3600,
      Interaction: 600,
    },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, name: `Beraterin ${id}`, ...claims }),
    }),
  });
  // The development pages say so on the console; nothing else of the provider's is of interest to a test.
  provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider: ${String(error)}\n`));
  server.on('request', provider.callback());
  return {
    issuer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
