/**
 * Server configuration: its shape, defaults, the table of fields with their environment variables, and the
 * validation, run once at start: every mistake is collected and reported together in one `ConfigError`, each
 * naming the field and its environment variable. Loading it from file and environment is `config/load.ts`.
 */
import * as v from 'valibot';
import {
  ADVISOR_RATE_BURST, ADVISOR_RATE_GRACE_MS, ADVISOR_RATE_PER_SECOND, ADVISOR_RATE_STRIKES_BEFORE_CLOSE,
  ADVISOR_RESERVED_CONNECTIONS, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT, MAX_WAITING_CHATS, MAX_WAITING_CHATS_PER_CLIENT,
  VISITOR_IDLE_MS,
} from '../../protocol/limits.js';
import { DEFAULT_LIMIT_STORE_ENTRIES } from '../state/limit-store.js';
import { COBROWSE_FIELDS, CobrowseConfigSchema, cobrowseDefaults, cobrowseIssues } from './cobrowse.js';
import type { CobrowseConfig } from './cobrowse.js';
import { DEFAULT_TERMS_TEXT, DEFAULT_TERMS_VERSION } from './chat-terms.js';
import { HOURS_FIELDS, HoursConfigSchema, hoursDefaults, hoursIssues } from './hours.js';
import type { HoursConfig } from './hours.js';
import { MEMBER_FIELDS, MemberConfigSchema, memberDefaults, memberIssues, redactMember } from './member.js';
import type { MemberConfig } from './member.js';
import {
  AuditConfigSchema, STORAGE_FIELDS, StorageConfigSchema, auditDefaults, redactUrl, storageDefaults, storageIssues,
} from './store.js';
import type { AuditConfig, StorageConfig } from './store.js';

export interface LotseConfig {
  port: number;
  host: string;
  demo: boolean;
  /** Exact origins (scheme://host[:port]) allowed to open WebSockets. */
  allowedOrigins: string[];
  advisorTokens: {
    secret: string; issuer: string; audience: string;
    /** Longest accepted lifetime (`exp − iat`) of an advisor token; longer ones are refused, older ones expired. */
    maxLifetimeSeconds: number;
    /** The same for a token with the admin role: a longer-lived one is refused at `/admin/*`. */
    adminMaxLifetimeSeconds: number;
  };
  terms: { version: string; text: { de: string; en: string } };
  chat: {
    /** A visitor whose socket is gone this long ends the chat (`by: 'timeout'`). Fractions allowed. */
    abandonAfterSeconds: number;
    /** An advisor gone this long loses the chat back to the queue. */
    advisorGraceSeconds: number;
    /** No message for this long ends the chat. */
    idleMinutes: number;
  };
  heartbeatSeconds: number;
  /** Client address for the per-client limits from the last `X-Forwarded-For` entry: behind one trusted proxy only. */
  trustProxy: boolean;
  limits: {
    /** Open WebSockets (and upgrades in progress) at once; further upgrades get HTTP 503. */
    maxConnections: number;
    /**
     * An advisor socket's budget: `burst` messages at once, refilled at `perSecond`; over it a burst is told to slow
     * down (`retryAfterMs`), and only drops after `graceSeconds`, more than `strikesBeforeClose` within 10 s, close.
     */
    advisorRate: { burst: number; perSecond: number; strikesBeforeClose: number; graceSeconds: number };
    /** Chats one client (keyed address, IPv6 by /64) may have waiting at once; more get `LOTSE_ERR_TOO_MANY_WAITING`. */
    maxWaitingChatsPerClient: number;
    /** Chats waiting in the whole queue; beyond it every `chat.start` gets `LOTSE_ERR_BUSY`. */
    maxWaitingChats: number;
    /** Visitor sockets (and upgrades in progress) one client may hold at once; more get HTTP 503. */
    maxVisitorSocketsPerClient: number;
    /** Of `maxConnections`, this many are for advisors only: visitors get HTTP 503 once the rest is taken. */
    advisorReservedConnections: number;
    /** A visitor socket without a chat and without a co-browse session is closed (4004) after this long. Fractions allowed. */
    visitorIdleSeconds: number;
    /** Entries the in-memory limit state (`state/limit-store.ts`) holds; full of live ones, it fails closed. */
    stateEntries: number;
  };
  /** What HTTP responses say about themselves (`headers.ts`). */
  http: {
    /** The origin browsers reach this server at (`https://chat.example-kasse.de`), for the pages' CSP. */
    publicOrigin?: string;
    /** Serve the bundles' source maps (`.map` files under `/lotse/`); 404 otherwise. */
    sourceMaps: boolean;
    /** `Strict-Transport-Security` max-age on responses to TLS requests; 0 sends none. */
    hstsMaxAgeSeconds: number;
  };
  cobrowse: CobrowseConfig;
  /** Opening hours with statutory public holidays (`hours/`). */
  hours: HoursConfig;
  /** Where the audit log and member chat transcripts live (`store/`): embedded PGlite by default, or PostgreSQL. */
  storage: StorageConfig;
  audit: AuditConfig;
  /** Member chat (`member/`): verified member tokens, transcript retention, filing by webhook. */
  member: MemberConfig;
}

export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid Lotse configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export const defaults = {
  port: 8080,
  host: '0.0.0.0',
  demo: false,
  advisorTokens: { issuer: 'lotse', audience: 'lotse-advisor', maxLifetimeSeconds: 12 * 3600, adminMaxLifetimeSeconds: 3600 },
  terms: { version: DEFAULT_TERMS_VERSION, text: { de: DEFAULT_TERMS_TEXT.de, en: DEFAULT_TERMS_TEXT.en } },
  chat: { abandonAfterSeconds: 120, advisorGraceSeconds: 60, idleMinutes: 30 },
  heartbeatSeconds: 30,
  trustProxy: false,
  limits: {
    maxConnections: MAX_CONNECTIONS,
    stateEntries: DEFAULT_LIMIT_STORE_ENTRIES,
    advisorRate: {
      burst: ADVISOR_RATE_BURST,
      perSecond: ADVISOR_RATE_PER_SECOND,
      strikesBeforeClose: ADVISOR_RATE_STRIKES_BEFORE_CLOSE,
      graceSeconds: ADVISOR_RATE_GRACE_MS / 1000,
    },
    maxWaitingChatsPerClient: MAX_WAITING_CHATS_PER_CLIENT,
    maxWaitingChats: MAX_WAITING_CHATS,
    maxVisitorSocketsPerClient: MAX_CONNECTIONS_PER_CLIENT,
    advisorReservedConnections: ADVISOR_RESERVED_CONNECTIONS,
    visitorIdleSeconds: VISITOR_IDLE_MS / 1000,
  },
  http: { sourceMaps: false, hstsMaxAgeSeconds: 31_536_000 },
  cobrowse: cobrowseDefaults,
  hours: hoursDefaults,
  storage: storageDefaults,
  audit: auditDefaults,
  member: memberDefaults,
} as const satisfies Omit<LotseConfig, 'allowedOrigins' | 'advisorTokens'> & {
  advisorTokens: Omit<LotseConfig['advisorTokens'], 'secret'>;
};

type Kind = 'int' | 'number' | 'string' | 'bool' | 'list';
export interface Field { readonly path: string; readonly env?: string; readonly kind: Kind }

/** Every field, with the environment variable that sets it. Order is the order of the reference. */
export const FIELDS: readonly Field[] = [
  { path: 'port', env: 'PORT', kind: 'int' },
  { path: 'host', env: 'LOTSE_HOST', kind: 'string' },
  { path: 'demo', env: 'LOTSE_DEMO', kind: 'bool' },
  { path: 'allowedOrigins', env: 'LOTSE_ALLOWED_ORIGINS', kind: 'list' },
  { path: 'advisorTokens.secret', env: 'LOTSE_ADVISOR_TOKEN_SECRET', kind: 'string' },
  { path: 'advisorTokens.issuer', env: 'LOTSE_ADVISOR_TOKEN_ISSUER', kind: 'string' },
  { path: 'advisorTokens.audience', env: 'LOTSE_ADVISOR_TOKEN_AUDIENCE', kind: 'string' },
  { path: 'terms.version', env: 'LOTSE_TERMS_VERSION', kind: 'string' },
  { path: 'terms.text.de', kind: 'string' },
  { path: 'terms.text.en', kind: 'string' },
  { path: 'chat.abandonAfterSeconds', env: 'LOTSE_CHAT_ABANDON_AFTER_SECONDS', kind: 'number' },
  { path: 'chat.advisorGraceSeconds', env: 'LOTSE_CHAT_ADVISOR_GRACE_SECONDS', kind: 'number' },
  { path: 'chat.idleMinutes', env: 'LOTSE_CHAT_IDLE_MINUTES', kind: 'number' },
  { path: 'heartbeatSeconds', env: 'LOTSE_HEARTBEAT_SECONDS', kind: 'number' },
  { path: 'trustProxy', env: 'LOTSE_TRUST_PROXY', kind: 'bool' },
  { path: 'limits.maxConnections', env: 'LOTSE_MAX_CONNECTIONS', kind: 'int' },
  { path: 'limits.advisorRate.burst', env: 'LOTSE_ADVISOR_RATE_BURST', kind: 'int' },
  { path: 'limits.advisorRate.perSecond', env: 'LOTSE_ADVISOR_RATE_PER_SECOND', kind: 'number' },
  { path: 'limits.advisorRate.strikesBeforeClose', env: 'LOTSE_ADVISOR_RATE_STRIKES', kind: 'int' },
  { path: 'limits.advisorRate.graceSeconds', env: 'LOTSE_ADVISOR_RATE_GRACE_SECONDS', kind: 'number' },
  { path: 'limits.maxWaitingChatsPerClient', env: 'LOTSE_MAX_WAITING_CHATS_PER_CLIENT', kind: 'int' },
  { path: 'limits.maxWaitingChats', env: 'LOTSE_MAX_WAITING_CHATS', kind: 'int' },
  { path: 'limits.maxVisitorSocketsPerClient', env: 'LOTSE_MAX_VISITOR_SOCKETS_PER_CLIENT', kind: 'int' },
  { path: 'limits.advisorReservedConnections', env: 'LOTSE_ADVISOR_RESERVED_CONNECTIONS', kind: 'int' },
  { path: 'limits.visitorIdleSeconds', env: 'LOTSE_VISITOR_IDLE_SECONDS', kind: 'number' },
  { path: 'http.publicOrigin', env: 'LOTSE_PUBLIC_ORIGIN', kind: 'string' },
  { path: 'http.sourceMaps', env: 'LOTSE_SOURCE_MAPS', kind: 'bool' },
  { path: 'http.hstsMaxAgeSeconds', env: 'LOTSE_HSTS_MAX_AGE_SECONDS', kind: 'int' },
  { path: 'limits.stateEntries', env: 'LOTSE_LIMIT_STATE_ENTRIES', kind: 'int' },
  { path: 'advisorTokens.maxLifetimeSeconds', env: 'LOTSE_ADVISOR_TOKEN_MAX_LIFETIME_SECONDS', kind: 'int' },
  { path: 'advisorTokens.adminMaxLifetimeSeconds', env: 'LOTSE_ADMIN_TOKEN_MAX_LIFETIME_SECONDS', kind: 'int' },
  ...COBROWSE_FIELDS,
  ...HOURS_FIELDS,
  ...STORAGE_FIELDS,
  ...MEMBER_FIELDS,
];

/** A field's path with its environment variable, for messages. */
export function label(path: string): string {
  const field = FIELDS.find((f) => f.path === path || path.startsWith(`${f.path}.`));
  if (field === undefined) {
    return FIELDS.some((f) => f.path.startsWith(`${path}.`)) ? path : `${path} (unknown field)`;
  }
  return field.env ? `${path} (env ${field.env})` : `${path} (config file only)`;
}

const positive = () =>
  v.pipe(v.number('must be a number'), v.finite('must be finite'), v.gtValue(0, 'must be greater than 0'));
const nonEmpty = () => v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));
/** An advisor token's longest lifetime: a minute to a week. */
const lifetime = () =>
  v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(60, 'must be 60 to 604800'), v.maxValue(604_800, 'must be 60 to 604800'));

function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

const originMessage = (issue: { input: unknown }): string =>
  `"${String(issue.input)}" is not an exact origin like https://www.example-kasse.de (scheme, host, optional port; no path, no trailing slash)`;

const ConfigSchema = v.strictObject({
  port: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be 0 to 65535'), v.maxValue(65535, 'must be 0 to 65535')),
  host: nonEmpty(),
  demo: v.boolean('must be true or false'),
  allowedOrigins: v.array(
    v.pipe(
      v.string('must be a string'),
      v.check(isExactOrigin, originMessage),
    ),
    'must be a list of origins',
  ),
  advisorTokens: v.strictObject({
    secret: v.optional(v.pipe(v.string('must be a string'), v.minLength(32, 'must be at least 32 characters long'))),
    issuer: nonEmpty(),
    audience: nonEmpty(),
    maxLifetimeSeconds: lifetime(),
    adminMaxLifetimeSeconds: lifetime(),
  }, 'must be an object'),
  terms: v.strictObject({
    version: v.pipe(nonEmpty(), v.maxLength(200, 'must be at most 200 characters')),
    text: v.strictObject({ de: nonEmpty(), en: nonEmpty() }, 'must be an object with de and en'),
  }, 'must be an object'),
  chat: v.strictObject({
    abandonAfterSeconds: positive(),
    advisorGraceSeconds: positive(),
    idleMinutes: positive(),
  }, 'must be an object'),
  heartbeatSeconds: positive(),
  trustProxy: v.boolean('must be true or false'),
  limits: v.strictObject({
    maxConnections: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be at least 1')),
    advisorRate: v.strictObject({
      burst: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be at least 1')),
      perSecond: positive(),
      strikesBeforeClose: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be 0 or more')),
      graceSeconds: v.pipe(v.number('must be a number'), v.finite('must be finite'), v.minValue(0, 'must be 0 or more'), v.maxValue(60, 'must be at most 60')),
    }, 'must be an object'),
    maxWaitingChatsPerClient: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be at least 1')),
    maxWaitingChats: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be at least 1')),
    maxVisitorSocketsPerClient: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be at least 1')),
    advisorReservedConnections: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be at least 0')),
    visitorIdleSeconds: positive(),
    stateEntries: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1000, 'must be at least 1000')),
  }, 'must be an object'),
  http: v.strictObject({
    publicOrigin: v.optional(v.pipe(v.string('must be a string'), v.check(isExactOrigin, originMessage))),
    sourceMaps: v.boolean('must be true or false'),
    hstsMaxAgeSeconds: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be 0 or more')),
  }, 'must be an object'),
  cobrowse: CobrowseConfigSchema,
  hours: HoursConfigSchema,
  storage: StorageConfigSchema,
  audit: AuditConfigSchema,
  member: MemberConfigSchema,
});

/** Validates a complete configuration object; throws a `ConfigError` listing every mistake. */
export function validateConfig(input: unknown, earlier: readonly string[] = []): LotseConfig {
  const issues = [...earlier];
  const result = v.safeParse(ConfigSchema, input, { abortEarly: false, abortPipeEarly: false });
  if (!result.success) {
    for (const issue of result.issues) {
      const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      // An entry of a list is reported under the list's name (and its environment variable).
      const shown = path.replace(/(\.\d+)+$/, '');
      const message = issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never'
        ? 'is not a known setting'
        : issue.message;
      issues.push(`${path === '' ? 'configuration' : label(shown)}: ${message}`);
    }
  }
  const output = result.success ? result.output : undefined;
  if (output) {
    issues.push(
      ...cobrowseIssues(output.cobrowse, label),
      ...hoursIssues(output.hours, label),
      ...storageIssues(output.storage, label),
      ...memberIssues(output.member, output.demo, label),
    );
  }
  if (output && output.limits.advisorReservedConnections >= output.limits.maxConnections) {
    issues.push(`${label('limits.advisorReservedConnections')}: must be less than limits.maxConnections (${output.limits.maxConnections}), or visitors could never connect`);
  }
  if (output && !output.demo) {
    if (output.allowedOrigins.length === 0) {
      issues.push(`${label('allowedOrigins')}: required outside demo mode (comma-separated exact origins)`);
    }
    if (output.advisorTokens.secret === undefined) {
      issues.push(`${label('advisorTokens.secret')}: required outside demo mode (at least 32 characters)`);
    }
  } else if (output && output.advisorTokens.secret === undefined) {
    issues.push(`${label('advisorTokens.secret')}: required`);
  }
  if (issues.length > 0 || output === undefined || output.advisorTokens.secret === undefined) {
    throw new ConfigError(issues);
  }
  const secret = output.advisorTokens.secret;
  return { ...output, advisorTokens: { ...output.advisorTokens, secret } };
}

/** The configuration with the secrets replaced, for printing. */
export function redactConfig(config: LotseConfig): LotseConfig {
  const ice = config.cobrowse.ice.turnSecret === undefined
    ? config.cobrowse.ice
    : { ...config.cobrowse.ice, turnSecret: '[redacted]' };
  return {
    ...config,
    advisorTokens: { ...config.advisorTokens, secret: '[redacted]' },
    cobrowse: { ...config.cobrowse, ice },
    storage: config.storage.url === undefined ? config.storage : { ...config.storage, url: redactUrl(config.storage.url) },
    member: redactMember(config.member),
  };
}
