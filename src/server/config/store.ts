/**
 * The storage and audit areas of the server configuration: one schema each, every setting with its environment
 * variable, default and description (`fields.ts`); the types are inferred from them. Plus the checks across fields.
 */
import * as v from 'valibot';
import { defaultsOf, setting } from './fields.js';
import { nonEmpty } from './values.js';

/** The embedded store's buffer cache, MiB: an audit log and member transcripts need far less than PGlite's 128. */
export const EMBEDDED_SHARED_BUFFERS_MB = 16;

const days = () =>
  v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.gtValue(0, 'must be greater than 0'),
    v.maxValue(3650, 'must be at most 3650 (ten years)'),
  );

/** Where the audit log and member chat transcripts live (`store/`): embedded PGlite by default, or PostgreSQL. */
export const StorageConfigSchema = v.strictObject(
  {
    driver: v.optional(
      setting(
        v.picklist(['embedded', 'postgres'], 'must be "embedded" or "postgres"'),
        '`embedded` (PGlite, PostgreSQL in WASM, files in `storage.dataDir`; needs nothing else) or `postgres`',
        { env: 'LOTSE_STORAGE_DRIVER' },
      ),
      'embedded',
    ),
    dataDir: v.optional(
      setting(nonEmpty(), "the embedded store's directory (relative to the working directory); one process at a time", {
        env: 'LOTSE_DATA_DIR',
      }),
      '.lotse-data',
    ),
    embeddedSharedBuffersMb: v.optional(
      setting(
        v.pipe(
          v.number('must be a number'),
          v.integer('must be an integer'),
          v.minValue(1, 'must be 1 to 1024'),
          v.maxValue(1024, 'must be 1 to 1024'),
        ),
        "the embedded store's buffer cache (PostgreSQL's `shared_buffers`) in MiB, held in memory from the start: PGlite's own default of 128 MiB costs 120 to 150 MB more resident memory than 16 (1 to 1024)",
        { env: 'LOTSE_EMBEDDED_SHARED_BUFFERS_MB' },
      ),
      EMBEDDED_SHARED_BUFFERS_MB,
    ),
    // The message never echoes the value: it may hold a password.
    url: v.optional(
      setting(
        v.pipe(
          v.string('must be a string'),
          v.check((value) => /^postgres(?:ql)?:\/\/\S+$/.test(value), 'must be a postgres:// or postgresql:// URL'),
        ),
        '`postgres://user:password@host:5432/db`; required for `postgres`; printed redacted',
        { env: 'LOTSE_DATABASE_URL' },
      ),
    ),
  },
  'must be an object',
);

export const AuditConfigSchema = v.strictObject(
  {
    retentionDays: v.optional(
      setting(
        days(),
        'audit records and last transactions older than this are deleted (hourly, and by `lotse purge`)',
        { env: 'LOTSE_AUDIT_RETENTION_DAYS' },
      ),
      180,
    ),
    failedLoginWindowSeconds: v.optional(
      setting(
        v.pipe(
          v.number('must be a number'),
          v.finite('must be finite'),
          v.gtValue(0, 'must be greater than 0'),
          v.maxValue(86_400, 'must be at most 86400 (one day)'),
        ),
        "refused advisor tokens from one client: the first in a window is one row at once, the rest one row with their `count` at the window's end (0 < n ≤ 86400)",
        { env: 'LOTSE_AUDIT_FAILED_LOGIN_WINDOW_SECONDS' },
      ),
      300,
    ),
  },
  'must be an object',
);

export type StorageConfig = v.InferOutput<typeof StorageConfigSchema>;
export type AuditConfig = v.InferOutput<typeof AuditConfigSchema>;

export const storageDefaults = defaultsOf(StorageConfigSchema);
export const auditDefaults = defaultsOf(AuditConfigSchema);

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
