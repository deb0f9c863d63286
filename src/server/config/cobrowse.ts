/**
 * The co-browsing part of the server configuration: its type, defaults, the fields with their environment
 * variables, the schema, and the checks that span several fields. `config.ts` merges it into the whole.
 */
import * as v from 'valibot';
import { WEBCODE_LOCKOUT_MS, WEBCODE_MAX_WRONG } from '../../protocol/limits.js';
import { DEFAULT_COBROWSE_TERMS_TEXT, DEFAULT_COBROWSE_TERMS_VERSION } from './cobrowse-terms.js';

export type IceTransportPolicy = 'all' | 'relay';

export interface CobrowseConfig {
  /** A webcode is valid this long; a session not live by then ends (`by: 'timeout'`). Fractions allowed. */
  webcodeTtlMinutes: number;
  /** Wrong webcodes one client (keyed address, IPv6 by /64) may enter per lockout window … */
  webcodeMaxWrong: number;
  /** … a window that starts at its first wrong one and lasts this long; a lock is never forgotten before. */
  webcodeLockoutMinutes: number;
  /** Wrong webcodes server-wide per minute before every webcode check is slowed down (and a warning logged). */
  webcodeWrongBudgetPerMinute: number;
  /** Over the budget, webcode checks are answered one at a time, this far apart server-wide … */
  webcodeSlowdownMs: number;
  /** … with at most this many waiting; a further check is refused at once (`LOTSE_ERR_RATE_LIMITED`). */
  webcodeSlowQueue: number;
  /** The co-browse terms the visitor confirms before a start code is shown. */
  terms: { version: string; text: { de: string; en: string } };
  ice: {
    /** `stun:` / `stuns:` URLs handed to both browsers. */
    stunUrls: readonly string[];
    /** `turn:` / `turns:` URLs; each session gets short-lived credentials minted with `turnSecret`. */
    turnUrls: readonly string[];
    /** coturn's `static-auth-secret` (`use-auth-secret`, the TURN REST scheme). Never sent to a browser. */
    turnSecret?: string | undefined;
    /** Lifetime of the minted TURN credentials. */
    turnTtlSeconds: number;
    /** `relay` forces TURN (tests, locked-down networks). */
    transportPolicy: IceTransportPolicy;
  };
  /**
   * Origins the advisor's replay may load images, styles, fonts and media from (the insurer's own). Sent to the
   * console with `cobrowse.started`; every other URL of the visitor's page is removed before it is replayed.
   * Not set: the allowed page origins (`allowedOrigins`); `[]` (env `none`): nothing remote loads.
   */
  assetOrigins?: readonly string[] | undefined;
}

export const cobrowseDefaults = {
  webcodeTtlMinutes: 20,
  webcodeMaxWrong: WEBCODE_MAX_WRONG,
  webcodeLockoutMinutes: WEBCODE_LOCKOUT_MS / 60_000,
  webcodeWrongBudgetPerMinute: 20,
  webcodeSlowdownMs: 3000,
  webcodeSlowQueue: 10,
  terms: {
    version: DEFAULT_COBROWSE_TERMS_VERSION,
    text: { de: DEFAULT_COBROWSE_TERMS_TEXT.de, en: DEFAULT_COBROWSE_TERMS_TEXT.en },
  },
  ice: { stunUrls: [], turnUrls: [], turnTtlSeconds: 600, transportPolicy: 'all' },
} as const satisfies CobrowseConfig;

/** The rows `config.ts` adds to its FIELDS table (same shape). */
export const COBROWSE_FIELDS = [
  { path: 'cobrowse.webcodeTtlMinutes', env: 'LOTSE_COBROWSE_WEBCODE_TTL_MINUTES', kind: 'number' },
  { path: 'cobrowse.webcodeMaxWrong', env: 'LOTSE_COBROWSE_WEBCODE_MAX_WRONG', kind: 'int' },
  { path: 'cobrowse.webcodeLockoutMinutes', env: 'LOTSE_COBROWSE_WEBCODE_LOCKOUT_MINUTES', kind: 'number' },
  { path: 'cobrowse.webcodeWrongBudgetPerMinute', env: 'LOTSE_COBROWSE_WEBCODE_WRONG_BUDGET_PER_MINUTE', kind: 'int' },
  { path: 'cobrowse.webcodeSlowdownMs', env: 'LOTSE_COBROWSE_WEBCODE_SLOWDOWN_MS', kind: 'int' },
  { path: 'cobrowse.webcodeSlowQueue', env: 'LOTSE_COBROWSE_WEBCODE_SLOW_QUEUE', kind: 'int' },
  { path: 'cobrowse.terms.version', env: 'LOTSE_COBROWSE_TERMS_VERSION', kind: 'string' },
  { path: 'cobrowse.terms.text.de', kind: 'string' },
  { path: 'cobrowse.terms.text.en', kind: 'string' },
  { path: 'cobrowse.ice.stunUrls', env: 'LOTSE_COBROWSE_STUN_URLS', kind: 'list' },
  { path: 'cobrowse.ice.turnUrls', env: 'LOTSE_COBROWSE_TURN_URLS', kind: 'list' },
  { path: 'cobrowse.ice.turnSecret', env: 'LOTSE_COBROWSE_TURN_SECRET', kind: 'string' },
  { path: 'cobrowse.ice.turnTtlSeconds', env: 'LOTSE_COBROWSE_TURN_TTL_SECONDS', kind: 'int' },
  { path: 'cobrowse.ice.transportPolicy', env: 'LOTSE_COBROWSE_ICE_TRANSPORT_POLICY', kind: 'string' },
  { path: 'cobrowse.assetOrigins', env: 'LOTSE_COBROWSE_ASSET_ORIGINS', kind: 'list' },
] as const;

/** The origins the replay may load from: the configured ones, else the allowed page origins. */
export function assetOriginsOf(config: { allowedOrigins: readonly string[]; cobrowse: CobrowseConfig }): string[] {
  return [...(config.cobrowse.assetOrigins ?? config.allowedOrigins)];
}

function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

const nonEmpty = () => v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));
const intRange = (min: number, max: number) =>
  v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(min, `must be ${min} to ${max}`), v.maxValue(max, `must be ${min} to ${max}`));

const iceUrl = (scheme: 'stun' | 'turn') =>
  v.pipe(
    v.string('must be a string'),
    v.check(
      (value) => new RegExp(`^${scheme}s?:[^\\s]+$`).test(value),
      (issue) => `"${String(issue.input).slice(0, 80)}" is not a ${scheme}: or ${scheme}s: URL like ${scheme}:${scheme}.example-kasse.de:3478`,
    ),
  );

export const CobrowseConfigSchema = v.strictObject({
  webcodeTtlMinutes: v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.gtValue(0, 'must be greater than 0'),
    v.maxValue(24 * 60, 'must be at most 1440 (one day)'),
  ),
  webcodeMaxWrong: intRange(1, 100),
  webcodeLockoutMinutes: v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.gtValue(0, 'must be greater than 0'),
    v.maxValue(24 * 60, 'must be at most 1440 (one day)'),
  ),
  webcodeWrongBudgetPerMinute: intRange(1, 100_000),
  webcodeSlowdownMs: intRange(1, 60_000),
  webcodeSlowQueue: intRange(1, 10_000),
  terms: v.strictObject({
    version: v.pipe(nonEmpty(), v.maxLength(200, 'must be at most 200 characters')),
    text: v.strictObject({ de: nonEmpty(), en: nonEmpty() }, 'must be an object with de and en'),
  }, 'must be an object'),
  ice: v.strictObject({
    stunUrls: v.array(iceUrl('stun'), 'must be a list of stun: URLs'),
    turnUrls: v.array(iceUrl('turn'), 'must be a list of turn: URLs'),
    // The message never echoes the value: it is a secret.
    turnSecret: v.optional(v.pipe(v.string('must be a string'), v.minLength(16, 'must be at least 16 characters long'))),
    turnTtlSeconds: v.pipe(
      v.number('must be a number'),
      v.integer('must be an integer'),
      v.minValue(60, 'must be 60 to 86400'),
      v.maxValue(86_400, 'must be 60 to 86400'),
    ),
    transportPolicy: v.picklist(['all', 'relay'], 'must be "all" or "relay"'),
  }, 'must be an object'),
  assetOrigins: v.optional(v.pipe(
    v.array(v.string('must be a string'), 'must be a list of origins'),
    // `none` alone (the environment cannot say "empty"): no origin at all.
    v.transform((list) => (list.length === 1 && list[0] === 'none' ? [] : list)),
    v.check(
      (list) => list.every(isExactOrigin),
      (issue) => `${JSON.stringify(issue.input).slice(0, 120)}: each must be an exact origin like https://www.example-kasse.de (scheme, host, optional port; no path), or "none" alone`,
    ),
    v.maxLength(50, 'must be at most 50 origins'),
  )),
}, 'must be an object');

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
    issues.push(`${label('cobrowse.ice.transportPolicy')}: "relay" needs cobrowse.ice.turnUrls (no connection could ever be made)`);
  }
  return issues;
}
