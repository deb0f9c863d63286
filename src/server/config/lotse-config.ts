/**
 * The whole server configuration: one schema composed of the areas' schemas (`transport.ts` with `oidc.ts`,
 * `chat-area.ts`, `cobrowse.ts`, `hours.ts`, `store.ts`, `member.ts`, `metrics.ts`, `snippets.ts`, `callbacks.ts`),
 * each setting carrying its environment variable, default and description (`fields.ts`). From it come the type, the
 * defaults, the list of fields the env loader (`load.ts`), `lotse --help` and docs/configuration.md read
 * (`reference.ts`), and the validation, run once at start: every mistake is collected and reported together in one
 * `ConfigError`, each naming the field and its environment variable.
 */
import * as v from 'valibot';
import { CallbacksConfigSchema } from './callbacks.js';
import { chatEntries } from './chat-area.js';
import { CobrowseConfigSchema, cobrowseIssues } from './cobrowse.js';
import { EnvOnlySchema } from './env-only.js';
import { defaultsOf, fieldsOf } from './fields.js';
import type { Field } from './fields.js';
import { HoursConfigSchema, hoursIssues } from './hours.js';
import { MemberConfigSchema, memberIssues, redactMember } from './member.js';
import { oidcIssues } from './oidc.js';
import { RatingsConfigSchema } from './ratings.js';
import { RedisConfigSchema } from './redis.js';
import { MetricsConfigSchema, redactMetrics } from './metrics.js';
import { SnippetsConfigSchema } from './snippets.js';
import { AuditConfigSchema, StorageConfigSchema, redactUrl, storageIssues } from './store.js';
import { transportEntries, transportIssues } from './transport.js';
import type { AdvisorTokenConfig } from './transport.js';

export type { Field } from './fields.js';

const ConfigSchema = v.strictObject({
  ...transportEntries,
  ...chatEntries,
  cobrowse: CobrowseConfigSchema,
  hours: HoursConfigSchema,
  storage: StorageConfigSchema,
  audit: AuditConfigSchema,
  member: MemberConfigSchema,
  redis: RedisConfigSchema,
  metrics: MetricsConfigSchema,
  callbacks: CallbacksConfigSchema,
  snippets: SnippetsConfigSchema,
  ratings: RatingsConfigSchema,
});

/** The validated configuration. Each part takes only its area's type (`TransportConfig`, `MemberConfig`, …). */
export type LotseConfig = Omit<v.InferOutput<typeof ConfigSchema>, 'advisorTokens'> & {
  advisorTokens: AdvisorTokenConfig;
};

export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid Lotse configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Every default, as a config file would hold it (no `allowedOrigins`, no secret). */
export const defaults = defaultsOf(v.omit(ConfigSchema, ['allowedOrigins']));

/** Every setting of the configuration file, in the schema's order, with its environment variable. */
export const FIELDS: readonly Field[] = fieldsOf(ConfigSchema);

/** Settings only the environment sets (`LOTSE_CONFIG`, `LOTSE_LOG_LEVEL`). */
export const ENV_ONLY_FIELDS: readonly Field[] = fieldsOf(EnvOnlySchema);

/** A field's path with its environment variable, for messages. */
export function label(path: string): string {
  const field = FIELDS.find((f) => f.path === path || path.startsWith(`${f.path}.`));
  if (field === undefined) {
    return FIELDS.some((f) => f.path.startsWith(`${path}.`)) ? path : `${path} (unknown field)`;
  }
  return field.env ? `${path} (env ${field.env})` : `${path} (config file only)`;
}

/** Validates a complete configuration object; throws a `ConfigError` listing every mistake. */
export function validateConfig(input: unknown, earlier: readonly string[] = []): LotseConfig {
  const issues = [...earlier];
  const result = v.safeParse(ConfigSchema, input, { abortEarly: false, abortPipeEarly: false });
  if (!result.success) {
    for (const issue of result.issues) {
      const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      // An entry of a list is reported under the list's name (and its environment variable).
      const shown = path.replace(/(\.\d+)+$/, '');
      const message =
        issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never'
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
      ...transportIssues(output, label),
      ...oidcIssues(output.oidc, label),
    );
  }
  if (issues.length > 0 || output === undefined || output.advisorTokens.secret === undefined) {
    throw new ConfigError(issues);
  }
  const secret = output.advisorTokens.secret;
  return { ...output, advisorTokens: { ...output.advisorTokens, secret } };
}

/** The configuration with the secrets replaced, for printing. */
export function redactConfig(config: LotseConfig): LotseConfig {
  const ice =
    config.cobrowse.ice.turnSecret === undefined
      ? config.cobrowse.ice
      : { ...config.cobrowse.ice, turnSecret: '[redacted]' };
  return {
    ...config,
    advisorTokens: { ...config.advisorTokens, secret: '[redacted]' },
    cobrowse: { ...config.cobrowse, ice },
    storage:
      config.storage.url === undefined ? config.storage : { ...config.storage, url: redactUrl(config.storage.url) },
    member: redactMember(config.member),
    redis: config.redis.url === undefined ? config.redis : { ...config.redis, url: redactUrl(config.redis.url) },
    metrics: redactMetrics(config.metrics),
  };
}
