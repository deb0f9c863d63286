/**
 * Loading the server configuration: defaults, then an optional JSON file (`--config path` or `LOTSE_CONFIG`), then
 * environment variables (env wins), then CLI flags; demo mode fills in what a local demo needs. The result goes
 * through `validateConfig` (`lotse-config.ts`), which reports every mistake at once.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ADVISOR_RESERVED_CONNECTIONS } from '../../protocol/limits.js';
import { defaults, FIELDS, label, validateConfig } from './lotse-config.js';
import { DEMO_TOPICS } from './topics.js';
import { DEMO_HOST } from './transport.js';
import type { Field, LotseConfig } from './lotse-config.js';

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
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'string':
      return text;
    case 'object':
      return undefined;
  }
}

export interface LoadOptions {
  /** CLI arguments after the command (`--config f`, `--demo`). */
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file; overrides `--config` and `LOTSE_CONFIG`. */
  file?: string | undefined;
  /** Demo mode, as `--demo`. */
  demo?: boolean | undefined;
}

export interface LoadResult {
  config: LotseConfig;
  /** True when no secret was configured and demo mode made up one for this process. */
  secretGenerated: boolean;
  /** True when demo mode made the chat always open because no hours were configured. */
  demoAlwaysOpen: boolean;
}

/** Whether file or environment set any opening hours (the manual `closedNow` switch alone does not count). */
function configuresHours(...sources: Raw[]): boolean {
  return sources.some(
    (source) => isRecord(source['hours']) && Object.keys(source['hours']).some((key) => key !== 'closedNow'),
  );
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

/**
 * Unless file or environment set it, the advisors' reserved share follows a small connection budget: a tenth of
 * `limits.maxConnections`, at most `ADVISOR_RESERVED_CONNECTIONS` (a budget of 100 keeps 90 for visitors, not 0).
 */
function fitAdvisorReserve(raw: Raw, ...sources: Raw[]): void {
  const limits = raw['limits'];
  if (!isRecord(limits) || typeof limits['maxConnections'] !== 'number') return;
  if (
    sources.some((source) => isRecord(source['limits']) && source['limits']['advisorReservedConnections'] !== undefined)
  )
    return;
  const reserve = Math.min(ADVISOR_RESERVED_CONNECTIONS, Math.floor(limits['maxConnections'] / 10));
  raw['limits'] = { ...limits, advisorReservedConnections: Math.max(0, reserve) };
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
  if (options.demo === true || argv.includes('--demo')) fromEnvVars['demo'] = true;

  const raw = merge(merge(defaults as unknown as Raw, fromFile), fromEnvVars);
  fitAdvisorReserve(raw, fromFile, fromEnvVars);
  let secretGenerated = false;
  let demoAlwaysOpen = false;
  if (raw['demo'] === true) {
    // A demo must work at any hour; explicit hours still win.
    if (!configuresHours(fromFile, fromEnvVars) && isRecord(raw['hours'])) {
      raw['hours'] = { ...raw['hours'], alwaysOpen: true };
      demoAlwaysOpen = true;
    }
    if (fromFile['host'] === undefined && fromEnvVars['host'] === undefined) raw['host'] = DEMO_HOST;
    // A demo shows topics (the demo page sets one) unless some are configured.
    const chat = isRecord(raw['chat']) ? raw['chat'] : {};
    if (!Array.isArray(chat['topics']) || chat['topics'].length === 0) raw['chat'] = { ...chat, topics: DEMO_TOPICS };
    const port = typeof raw['port'] === 'number' ? raw['port'] : defaults.port;
    if (raw['allowedOrigins'] === undefined)
      raw['allowedOrigins'] = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    const tokens = isRecord(raw['advisorTokens']) ? raw['advisorTokens'] : {};
    if (tokens['secret'] === undefined) {
      raw['advisorTokens'] = { ...tokens, secret: randomBytes(32).toString('base64url') };
      secretGenerated = true;
    }
  }
  if (raw['allowedOrigins'] === undefined) raw['allowedOrigins'] = [];
  return { config: validateConfig(raw, issues), secretGenerated, demoAlwaysOpen };
}

/** The effective configuration; throws a `ConfigError` listing every mistake. */
export function loadConfig(options: LoadOptions = {}): LotseConfig {
  return resolveConfig(options).config;
}
