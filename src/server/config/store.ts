/**
 * The storage and audit part of the server configuration: types, defaults, fields with their environment
 * variables, schema, and the checks across fields. `config.ts` merges it into the whole.
 */
import * as v from 'valibot';
import type { Driver } from '../store/sql.js';

export interface StorageConfig {
  /** `embedded` (PGlite in `dataDir`, the default) or `postgres` (`url`). */
  driver: Driver;
  /** The embedded driver's directory, relative to the working directory unless absolute. */
  dataDir: string;
  /** `postgres://user:password@host:port/database`; required for `postgres`. Never printed. */
  url?: string | undefined;
}

export interface AuditConfig {
  /** Audit records and last transactions older than this are deleted by the purge job. */
  retentionDays: number;
  /** Refused advisor tokens from one client are recorded as one row per this window, with a count. */
  failedLoginWindowSeconds: number;
}

export const storageDefaults = { driver: 'embedded', dataDir: '.lotse-data' } as const satisfies StorageConfig;
export const auditDefaults = { retentionDays: 180, failedLoginWindowSeconds: 300 } as const satisfies AuditConfig;

/** The rows `config.ts` adds to its FIELDS table (same shape). */
export const STORAGE_FIELDS = [
  { path: 'storage.driver', env: 'LOTSE_STORAGE_DRIVER', kind: 'string' },
  { path: 'storage.dataDir', env: 'LOTSE_DATA_DIR', kind: 'string' },
  { path: 'storage.url', env: 'LOTSE_DATABASE_URL', kind: 'string' },
  { path: 'audit.retentionDays', env: 'LOTSE_AUDIT_RETENTION_DAYS', kind: 'number' },
  { path: 'audit.failedLoginWindowSeconds', env: 'LOTSE_AUDIT_FAILED_LOGIN_WINDOW_SECONDS', kind: 'number' },
] as const;

const nonEmpty = () => v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));

export const StorageConfigSchema = v.strictObject({
  driver: v.picklist(['embedded', 'postgres'], 'must be "embedded" or "postgres"'),
  dataDir: nonEmpty(),
  // The message never echoes the value: it may hold a password.
  url: v.optional(v.pipe(
    v.string('must be a string'),
    v.check((value) => /^postgres(?:ql)?:\/\/\S+$/.test(value), 'must be a postgres:// or postgresql:// URL'),
  )),
}, 'must be an object');

export const AuditConfigSchema = v.strictObject({
  retentionDays: v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.gtValue(0, 'must be greater than 0'),
    v.maxValue(3650, 'must be at most 3650 (ten years)'),
  ),
  failedLoginWindowSeconds: v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.gtValue(0, 'must be greater than 0'),
    v.maxValue(86_400, 'must be at most 86400 (one day)'),
  ),
}, 'must be an object');

/** Checks across fields, after the schema passed. */
export function storageIssues(config: StorageConfig, label: (path: string) => string): string[] {
  return config.driver === 'postgres' && config.url === undefined
    ? [`${label('storage.url')}: required when storage.driver is "postgres"`]
    : [];
}

/** The URL with its password replaced, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return '[redacted]';
  }
}
