/**
 * Settings that only the environment sets, read before or outside the configuration object: which file to load,
 * and how much to log. Documented like every other setting (`fields.ts`), so that `lotse --help` and the table in
 * docs/configuration.md name them too.
 */
import * as v from 'valibot';
import { setting } from './fields.js';

export const EnvOnlySchema = v.strictObject({
  configFile: v.optional(
    setting(
      v.string(),
      'path of the JSON config file (or `--config FILE`); its settings lose to the environment variables',
      { env: 'LOTSE_CONFIG' },
    ),
  ),
  logLevel: v.optional(
    setting(v.picklist(['debug', 'info', 'warn', 'error', 'silent']), '`debug`, `info`, `warn`, `error`, `silent`', {
      env: 'LOTSE_LOG_LEVEL',
    }),
    'info',
  ),
});
