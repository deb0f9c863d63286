/**
 * What demo mode serves over HTTP besides the receiver: the demo pages at / (a sample insurer page, a member area,
 * the advisor console; from the repository's `demo/`), and for this machine only an advisor token and, without
 * configured member tokens, a member token of the demo's own member area.
 */
import type { LotseConfig } from '../config/lotse-config.js';
import { assetOriginsOf } from '../config/cobrowse.js';
import { mintAdvisorToken } from '../transport/advisor-auth.js';
import { pageCsp } from '../transport/headers.js';
import { isLocalRequest } from '../transport/loopback.js';
import { sendJson, sendText } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { serveFile } from '../transport/static.js';
import type { DemoMemberIssuer } from './member-issuer.js';

export const DEMO_ADVISOR = { id: 'demo-advisor', name: 'Demo-Beraterin' } as const;
/**
 * A colleague, for trying a transfer (`advisor.html?colleague`): another advisor of the topic `leistungen` (of the
 * demo's topics; a configured list may not have it: then it sorts nothing first).
 */
export const DEMO_COLLEAGUE = { id: 'demo-colleague', name: 'Demo-Kollege', topics: ['leistungen'] } as const;
const DEMO_TOKEN_TTL_SECONDS = 8 * 3600;

export interface DemoPagesOptions {
  config: LotseConfig;
  /** The demo pages. */
  dir: string;
  /** Without configured member tokens: the demo's stand-in member area. */
  member?: Pick<DemoMemberIssuer, 'mint'> | undefined;
}

export function demoPageRoutes({ config, dir, member }: DemoPagesOptions): Route[] {
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/demo/advisor-token',
      handle: async ({ request, response, url }) => {
        // Whoever gets this token reads every chat: only a browser on this machine, at a loopback name, gets one.
        if (!isLocalRequest(request)) {
          sendText(response, 403, 'Forbidden');
          return;
        }
        const advisor = url.searchParams.has('colleague') ? DEMO_COLLEAGUE : DEMO_ADVISOR;
        sendJson(response, 200, { token: await mintAdvisorToken(advisor, config, DEMO_TOKEN_TTL_SECONDS) });
      },
    },
    {
      method: 'GET',
      path: '/*',
      handle: async ({ request, response, url }) => {
        const file = url.pathname === '/' ? 'index.html' : url.pathname;
        const headers: Record<string, string> = { 'Cache-Control': 'no-cache' };
        if (file.endsWith('.html')) {
          // The advisor console's co-browse viewer rebuilds the visitor's page with <style> elements and style
          // attributes in a script-less iframe, which inherits this page's CSP; the visitor pages keep the strict one.
          headers['Content-Security-Policy'] =
            file === '/advisor.html'
              ? pageCsp(config, { console: { assetOrigins: assetOriginsOf(config) } })
              : pageCsp(config);
        }
        if (!(await serveFile(request, response, dir, file, headers))) sendText(response, 404, 'Not Found');
      },
    },
  ];
  if (member !== undefined) {
    routes.push({
      method: 'GET',
      path: '/demo/member-token',
      handle: async ({ request, response }) => {
        // A member token names a member to the advisor: like the advisor token, only for a browser on this machine.
        if (!isLocalRequest(request)) {
          sendText(response, 403, 'Forbidden');
          return;
        }
        sendJson(response, 200, { token: await member.mint() });
      },
    });
  }
  return routes;
}
