/**
 * `GET /advisor/config`: what the advisor console needs to sign in by itself, from the server that will verify the
 * result, so the two cannot disagree: the provider's issuer, the console's client id and scopes, and the
 * authorization and token endpoints from the discovery document the server has read (and checked) anyway, and its
 * `end_session_endpoint` when it has one (the console's "Abmelden" goes there: RP-initiated logout). Public:
 * all of it is in the provider's own discovery document, and a public client has no secret. `{ "oidc": null }`
 * when the console has no sign-in of its own (no `oidc.issuer` or no `oidc.clientId`); 503 while the provider's
 * discovery document cannot be read. Readable from the console's page on another origin (CORS `*`, no credentials).
 */
import type { TransportConfig } from '../config/transport.js';
import { oidcEnabled, oidcVerifierFor } from './advisor-oidc.js';
import { sendJson } from './router.js';
import type { Route } from './router.js';

export const ADVISOR_CONFIG_PATH = '/advisor/config';

/** The console's sign-in settings, as `/advisor/config` gives them. */
export interface AdvisorSignInConfig {
  issuer: string;
  clientId: string;
  scope: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The provider's logout page (RP-initiated logout); absent when its discovery document names none. */
  endSessionEndpoint?: string;
}

const CROSS_ORIGIN = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } as const;

export function advisorConfigRoutes(config: Pick<TransportConfig, 'oidc'>): Route[] {
  return [
    {
      method: 'GET',
      path: ADVISOR_CONFIG_PATH,
      handle: async ({ response }) => {
        const { oidc } = config;
        if (!oidcEnabled(oidc) || oidc.clientId === undefined) {
          sendJson(response, 200, { oidc: null }, CROSS_ORIGIN);
          return;
        }
        let discovery;
        try {
          discovery = await oidcVerifierFor(oidc).discovery();
        } catch {
          sendJson(response, 503, { error: 'LOTSE_ERR_OIDC_UNAVAILABLE' }, CROSS_ORIGIN);
          return;
        }
        const body: AdvisorSignInConfig = {
          issuer: oidc.issuer,
          clientId: oidc.clientId,
          scope: oidc.scope,
          authorizationEndpoint: discovery.authorizationEndpoint,
          tokenEndpoint: discovery.tokenEndpoint,
          ...(discovery.endSessionEndpoint === undefined ? {} : { endSessionEndpoint: discovery.endSessionEndpoint }),
        };
        sendJson(response, 200, { oidc: body }, CROSS_ORIGIN);
      },
    },
  ];
}
