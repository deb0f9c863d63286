/**
 * Server configuration: defaults, then an optional JSON file (`--config path` or `LOTSE_CONFIG`), then environment
 * variables (env wins), then CLI flags. Validated once at start; every mistake is collected and reported together
 * in one `ConfigError`, each naming the field and its environment variable.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { DEFAULT_TERMS_TEXT, DEFAULT_TERMS_VERSION } from './default-terms.js';

export interface LotseConfig {
  port: number;
  host: string;
  demo: boolean;
  /** Exact origins (scheme://host[:port]) allowed to open WebSockets. */
  allowedOrigins: string[];
  advisorTokens: { secret: string; issuer: string; audience: string };
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
  advisorTokens: { issuer: 'lotse', audience: 'lotse-advisor' },
  terms: { version: DEFAULT_TERMS_VERSION, text: { de: DEFAULT_TERMS_TEXT.de, en: DEFAULT_TERMS_TEXT.en } },
  chat: { abandonAfterSeconds: 120, advisorGraceSeconds: 60, idleMinutes: 30 },
  heartbeatSeconds: 30,
} as const satisfies Omit<LotseConfig, 'allowedOrigins' | 'advisorTokens'> & {
  advisorTokens: Omit<LotseConfig['advisorTokens'], 'secret'>;
};

type Kind = 'int' | 'number' | 'string' | 'bool' | 'list';
interface Field { path: string; env?: string; kind: Kind }

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
];

function label(path: string): string {
  const field = FIELDS.find((f) => f.path === path || path.startsWith(`${f.path}.`));
  if (field === undefined) {
    return FIELDS.some((f) => f.path.startsWith(`${path}.`)) ? path : `${path} (unknown field)`;
  }
  return field.env ? `${path} (env ${field.env})` : `${path} (config file only)`;
}

const positive = () =>
  v.pipe(v.number('must be a number'), v.finite('must be finite'), v.gtValue(0, 'must be greater than 0'));
const nonEmpty = () => v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));

function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

const ConfigSchema = v.strictObject({
  port: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be 0 to 65535'), v.maxValue(65535, 'must be 0 to 65535')),
  host: nonEmpty(),
  demo: v.boolean('must be true or false'),
  allowedOrigins: v.array(
    v.pipe(
      v.string('must be a string'),
      v.check(isExactOrigin, (issue) => `"${String(issue.input)}" is not an exact origin like https://www.example-kasse.de (scheme, host, optional port; no path, no trailing slash)`),
    ),
    'must be a list of origins',
  ),
  advisorTokens: v.strictObject({
    secret: v.optional(v.pipe(v.string('must be a string'), v.minLength(32, 'must be at least 32 characters long'))),
    issuer: nonEmpty(),
    audience: nonEmpty(),
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
});

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setPath(target: Raw, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Raw;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** `base` with `over` laid on top, recursively for plain objects. Neither is modified. */
function merge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isRecord(value) && isRecord(base[key]) ? merge(base[key] as Raw, value) : value;
  }
  return out;
}

/** The value of an environment variable for a field; `undefined` (and an issue) when it cannot be read. */
function fromEnv(field: Field, text: string, issues: string[]): unknown {
  switch (field.kind) {
    case 'int':
    case 'number': {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isNaN(n)) return n;
      issues.push(`${label(field.path)}: must be a number, got "${text.slice(0, 40)}"`);
      return undefined;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off|)$/i.test(text)) return false;
      issues.push(`${label(field.path)}: must be 1/true or 0/false, got "${text.slice(0, 40)}"`);
      return undefined;
    case 'list':
      return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
    case 'string':
      return text;
  }
}

export interface LoadOptions {
  /** CLI arguments after the command (`--config f`, `--demo`). */
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file; overrides `--config` and `LOTSE_CONFIG`. */
  file?: string;
}

export interface LoadResult {
  config: LotseConfig;
  /** True when no secret was configured and demo mode made up one for this process. */
  secretGenerated: boolean;
}

function configPathFrom(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--config') return argv[i + 1] ?? '';
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

function readFile(path: string, issues: string[]): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = isRecord(error) && typeof error['code'] === 'string' ? error['code'] : 'unreadable';
    issues.push(`config file ${path} (--config or env LOTSE_CONFIG): cannot be read (${code})`);
    return {};
  }
  try {
    const data: unknown = JSON.parse(text);
    if (isRecord(data)) return data;
    issues.push(`config file ${path}: must contain a JSON object`);
  } catch {
    issues.push(`config file ${path}: is not valid JSON`);
  }
  return {};
}

/** Validates a complete configuration object; throws a `ConfigError` listing every mistake. */
export function validateConfig(input: unknown, earlier: readonly string[] = []): LotseConfig {
  const issues = [...earlier];
  const result = v.safeParse(ConfigSchema, input, { abortEarly: false, abortPipeEarly: false });
  if (!result.success) {
    for (const issue of result.issues) {
      const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      const shown = path.replace(/^allowedOrigins\.\d+$/, 'allowedOrigins');
      const message = issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never'
        ? 'is not a known setting'
        : issue.message;
      issues.push(`${path === '' ? 'configuration' : label(shown)}: ${message}`);
    }
  }
  const output = result.success ? result.output : undefined;
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

/** Loads, merges and validates the configuration, and says whether the secret was generated. */
export function resolveConfig(options: LoadOptions = {}): LoadResult {
  const argv = options.argv ?? [];
  const env = options.env ?? process.env;
  const issues: string[] = [];

  const path = options.file ?? configPathFrom(argv) ?? env['LOTSE_CONFIG'];
  const fromFile = path === undefined || path === '' ? {} : readFile(path, issues);
  const fromEnvVars: Raw = {};
  for (const field of FIELDS) {
    const text = field.env === undefined ? undefined : env[field.env];
    const value = text === undefined || text === '' ? undefined : fromEnv(field, text, issues);
    if (value !== undefined) setPath(fromEnvVars, field.path, value);
  }
  if (argv.includes('--demo')) fromEnvVars['demo'] = true;

  const raw = merge(merge(defaults as unknown as Raw, fromFile), fromEnvVars);
  let secretGenerated = false;
  if (raw['demo'] === true) {
    const port = typeof raw['port'] === 'number' ? raw['port'] : defaults.port;
    if (raw['allowedOrigins'] === undefined) raw['allowedOrigins'] = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    const tokens = isRecord(raw['advisorTokens']) ? raw['advisorTokens'] : {};
    if (tokens['secret'] === undefined) {
      raw['advisorTokens'] = { ...tokens, secret: randomBytes(32).toString('base64url') };
      secretGenerated = true;
    }
  }
  if (raw['allowedOrigins'] === undefined) raw['allowedOrigins'] = [];
  return { config: validateConfig(raw, issues), secretGenerated };
}

/** The effective configuration; throws a `ConfigError` listing every mistake. */
export function loadConfig(options: LoadOptions = {}): LotseConfig {
  return resolveConfig(options).config;
}

/** The configuration with the secret replaced, for printing. */
export function redactConfig(config: LotseConfig): LotseConfig {
  return { ...config, advisorTokens: { ...config.advisorTokens, secret: '[redacted]' } };
}
