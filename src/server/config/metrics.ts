/**
 * The metrics area of the server configuration: whether `/metrics` is served, who may scrape it, and how long
 * `/readyz` waits for each readiness check. One schema, every setting with its environment variable, default and
 * description (`fields.ts`); the type is inferred from it. Plus the redaction of the token.
 */
import * as v from 'valibot';
import { defaultsOf, setting } from './fields.js';

export const MetricsConfigSchema = v.strictObject(
  {
    enabled: v.optional(
      setting(
        v.boolean('must be true or false'),
        'serve `/metrics` (Prometheus text format; no personal data in any label); off: 404',
        { env: 'LOTSE_METRICS' },
      ),
      true,
    ),
    // The message never echoes the value: it is a secret.
    token: v.optional(
      setting(
        v.pipe(
          v.string('must be a string'),
          v.minLength(16, 'must be at least 16 characters long'),
          v.check((value) => /^[\x21-\x7e]+$/.test(value), 'must be printable ASCII without spaces'),
        ),
        'bearer token a scraper sends (`Authorization: Bearer …`), from anywhere; without it only this machine may scrape (loopback peer, no proxy headers; with `trustProxy`, a forwarded client address on loopback). At least 16 characters; printed redacted',
        { env: 'LOTSE_METRICS_TOKEN' },
      ),
    ),
    readyTimeoutSeconds: v.optional(
      setting(
        v.pipe(
          v.number('must be a number'),
          v.finite('must be finite'),
          v.gtValue(0, 'must be greater than 0'),
          v.maxValue(60, 'must be at most 60'),
        ),
        '`/readyz` answers 503 when a readiness check (the store answering `SELECT 1`, …) takes longer than this (0 < n ≤ 60)',
        { env: 'LOTSE_READY_TIMEOUT_SECONDS' },
      ),
      2,
    ),
  },
  'must be an object',
);

export type MetricsConfig = v.InferOutput<typeof MetricsConfigSchema>;

export const metricsDefaults = defaultsOf(MetricsConfigSchema);

/** The area with its token replaced, for printing. */
export function redactMetrics(config: MetricsConfig): MetricsConfig {
  return config.token === undefined ? config : { ...config, token: '[redacted]' };
}
