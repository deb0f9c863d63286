/**
 * The co-browsing area of the server configuration: one schema, every setting with its environment variable,
 * default and description (`fields.ts`); the type is inferred from it. Plus the checks that span several fields.
 */
import * as v from 'valibot';
import { WEBCODE_LOCKOUT_MS, WEBCODE_MAX_WRONG } from '../../protocol/limits.js';
import { DEFAULT_COBROWSE_TERMS_TEXT, DEFAULT_COBROWSE_TERMS_VERSION } from './cobrowse-terms.js';
import { defaultsOf, setting } from './fields.js';
import { isExactOrigin } from './origins.js';
import { termsSchema } from './values.js';

/** The origins the replay may load from: the configured ones, else the allowed page origins. */
export function assetOriginsOf(config: { allowedOrigins: readonly string[]; cobrowse: CobrowseConfig }): string[] {
  return [...(config.cobrowse.assetOrigins ?? config.allowedOrigins)];
}

const intRange = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be an integer'),
    v.minValue(min, `must be ${min} to ${max}`),
    v.maxValue(max, `must be ${min} to ${max}`),
  );

const iceUrl = (scheme: 'stun' | 'turn') =>
  v.pipe(
    v.string('must be a string'),
    v.check(
      (value) => new RegExp(`^${scheme}s?:[^\\s]+$`).test(value),
      (issue) =>
        `"${String(issue.input).slice(0, 80)}" is not a ${scheme}: or ${scheme}s: URL like ${scheme}:${scheme}.example-kasse.de:3478`,
    ),
  );

const minutes = () =>
  v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.gtValue(0, 'must be greater than 0'),
    v.maxValue(24 * 60, 'must be at most 1440 (one day)'),
  );

export const CobrowseConfigSchema = v.strictObject(
  {
    webcodeTtlMinutes: v.optional(
      setting(minutes(), 'a webcode is valid this long (single use); a co-browse session not live by then ends', {
        env: 'LOTSE_COBROWSE_WEBCODE_TTL_MINUTES',
      }),
      20,
    ),
    webcodeMaxWrong: v.optional(
      setting(
        intRange(1, 100),
        'webcode attempts one client (keyed address, IPv6 by /64) may make per lockout window (a right one is given back); then `LOTSE_ERR_RATE_LIMITED` until the window ends (1 to 100)',
        { env: 'LOTSE_COBROWSE_WEBCODE_MAX_WRONG' },
      ),
      WEBCODE_MAX_WRONG,
    ),
    webcodeLockoutMinutes: v.optional(
      setting(minutes(), "that window, from the client's first attempt; a lock is never forgotten before it ends", {
        env: 'LOTSE_COBROWSE_WEBCODE_LOCKOUT_MINUTES',
      }),
      WEBCODE_LOCKOUT_MS / 60_000,
    ),
    webcodeWrongBudgetPerMinute: v.optional(
      setting(
        intRange(1, 100_000),
        'webcode attempts per minute server-wide (right ones given back); above it one `cobrowse.webcode_flood` warning and every check is slowed down (see [Guessing webcodes](operator.md#guessing-webcodes))',
        { env: 'LOTSE_COBROWSE_WEBCODE_WRONG_BUDGET_PER_MINUTE' },
      ),
      20,
    ),
    webcodeSlowdownMs: v.optional(
      setting(
        intRange(1, 60_000),
        'over the budget, webcode checks are answered one at a time this far apart (per node)',
        { env: 'LOTSE_COBROWSE_WEBCODE_SLOWDOWN_MS' },
      ),
      3000,
    ),
    webcodeSlowQueue: v.optional(
      setting(
        intRange(1, 10_000),
        'at most this many checks wait for their slot; a further one gets `LOTSE_ERR_RATE_LIMITED` at once',
        { env: 'LOTSE_COBROWSE_WEBCODE_SLOW_QUEUE' },
      ),
      10,
    ),
    terms: termsSchema({
      path: 'cobrowse.terms',
      versionEnv: 'LOTSE_COBROWSE_TERMS_VERSION',
      versionDescription:
        'version of the co-browse terms; a visitor must confirm exactly this one before a start code is shown',
      textDescription: 'co-browse terms as plain text, paragraphs separated by blank lines',
      defaults: { version: DEFAULT_COBROWSE_TERMS_VERSION, text: DEFAULT_COBROWSE_TERMS_TEXT },
    }),
    ice: v.strictObject(
      {
        stunUrls: v.optional(
          setting(
            v.array(iceUrl('stun'), 'must be a list of stun: URLs'),
            '`stun:`/`stuns:` URLs handed to both browsers',
            { env: 'LOTSE_COBROWSE_STUN_URLS' },
          ),
          [],
        ),
        turnUrls: v.optional(
          setting(
            v.array(iceUrl('turn'), 'must be a list of turn: URLs'),
            '`turn:`/`turns:` URLs (coturn); needs `turnSecret`. Without any ICE server, loopback and the same LAN still connect',
            { env: 'LOTSE_COBROWSE_TURN_URLS' },
          ),
          [],
        ),
        // The message never echoes the value: it is a secret.
        turnSecret: v.optional(
          setting(
            v.pipe(v.string('must be a string'), v.minLength(16, 'must be at least 16 characters long')),
            "coturn's `static-auth-secret` (`use-auth-secret`), at least 16 characters; each session gets credentials `username = <expiry>:<session id>`, `credential = base64(HMAC-SHA1(secret, username))`; the secret is never sent",
            { env: 'LOTSE_COBROWSE_TURN_SECRET' },
          ),
        ),
        turnTtlSeconds: v.optional(
          setting(intRange(60, 86_400), 'lifetime of those TURN credentials (60 to 86400)', {
            env: 'LOTSE_COBROWSE_TURN_TTL_SECONDS',
          }),
          600,
        ),
        transportPolicy: v.optional(
          setting(
            v.picklist(['all', 'relay'], 'must be "all" or "relay"'),
            '`relay` forces TURN (tests, locked-down networks; needs `turnUrls`)',
            { env: 'LOTSE_COBROWSE_ICE_TRANSPORT_POLICY' },
          ),
          'all',
        ),
      },
      'must be an object',
    ),
    assetOrigins: v.optional(
      setting(
        v.pipe(
          v.array(v.string('must be a string'), 'must be a list of origins'),
          // `none` alone (the environment cannot say "empty"): no origin at all.
          v.transform((list) => (list.length === 1 && list[0] === 'none' ? [] : list)),
          v.check(
            (list) => list.every(isExactOrigin),
            (issue) =>
              `${JSON.stringify(issue.input).slice(0, 120)}: each must be an exact origin like https://www.example-kasse.de (scheme, host, optional port; no path), or "none" alone`,
          ),
          v.maxLength(50, 'must be at most 50 origins'),
        ),
        "exact origins the advisor's co-browse replay may load images, styles, fonts and media from (the insurer's own sites and CDN). The console learns them from the server with `cobrowse.started`; every other URL of the visitor's page is removed before it is replayed (see [The replay loads only from the allow-list](advisor-console.md#the-replay-loads-only-from-the-allow-list)). `none` (file: `[]`): nothing remote loads, the replay shows the page without its images and web fonts",
        {
          env: 'LOTSE_COBROWSE_ASSET_ORIGINS',
          envNote: ' (comma-separated, or `none`)',
          shownDefault: 'the `allowedOrigins`',
        },
      ),
    ),
  },
  'must be an object',
);

export type CobrowseConfig = v.InferOutput<typeof CobrowseConfigSchema>;
export type IceTransportPolicy = CobrowseConfig['ice']['transportPolicy'];

export const cobrowseDefaults = defaultsOf(CobrowseConfigSchema);

/** Checks across fields, after the schema passed. `label` names a field with its environment variable. */
export function cobrowseIssues(config: CobrowseConfig, label: (path: string) => string): string[] {
  const issues: string[] = [];
  const { ice } = config;
  if (ice.turnUrls.length > 0 && ice.turnSecret === undefined) {
    issues.push(`${label('cobrowse.ice.turnSecret')}: required when cobrowse.ice.turnUrls are set`);
  }
  if (ice.turnSecret !== undefined && ice.turnUrls.length === 0) {
    issues.push(`${label('cobrowse.ice.turnUrls')}: required when cobrowse.ice.turnSecret is set`);
  }
  if (ice.transportPolicy === 'relay' && ice.turnUrls.length === 0) {
    issues.push(
      `${label('cobrowse.ice.transportPolicy')}: "relay" needs cobrowse.ice.turnUrls (no connection could ever be made)`,
    );
  }
  return issues;
}
