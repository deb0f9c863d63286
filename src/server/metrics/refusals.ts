/**
 * Refusals counted where they are already told: every limit logs its refusal with a fixed event name
 * (`log.ts`), so a logger in front of the server's logger counts them, and no limit's code knows about metrics.
 * It counts whatever the level (a refusal logged at `debug` counts too) and passes every line on unchanged.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { LogEvent, LogFields, Logger } from '../log.js';
import type { LimitName } from './names.js';

/** The limit a log line tells a refusal of, if it does. */
export function limitOf(event: LogEvent, fields: LogFields | undefined): LimitName | undefined {
  switch (event) {
    case 'upgrade.refused':
      return fields?.reason === 'capacity' ? 'connections' : undefined;
    case 'message.refused':
      return fields?.errorCode === ErrorCode.RateLimited ? 'rate_limited' : undefined;
    case 'connection.closed':
      return fields?.reason === 'rate' ? 'rate_close' : undefined;
    case 'chat.busy':
      return fields?.reason === 'per_client' ? 'waiting_per_client' : 'queue_full';
    case 'cobrowse.webcode_lockout':
      return 'webcode_lockout';
    case 'cobrowse.webcode_flood':
      return 'webcode_flood';
    case 'limits.store_full':
      return 'state_full';
    case 'connection.terminated':
      return fields?.reason === 'slow' ? 'slow_reader' : undefined;
    default:
      return undefined;
  }
}

export interface RefusalCounter {
  refused(limit: LimitName): void;
  upgradeRefused(reason: string | undefined): void;
}

/** `log`, with each refusal it is told also counted in `metrics`. */
export function countingLogger(log: Logger, metrics: RefusalCounter): Logger {
  const count = (event: LogEvent, fields: LogFields | undefined): void => {
    try {
      if (event === 'upgrade.refused') metrics.upgradeRefused(fields?.reason);
      const limit = limitOf(event, fields);
      if (limit !== undefined) metrics.refused(limit);
    } catch {
      // Counting must never break logging.
    }
  };
  return {
    debug: (event, fields) => {
      count(event, fields);
      log.debug(event, fields);
    },
    info: (event, fields) => {
      count(event, fields);
      log.info(event, fields);
    },
    warn: (event, fields) => {
      count(event, fields);
      log.warn(event, fields);
    },
    error: (event, fields) => {
      count(event, fields);
      log.error(event, fields);
    },
  };
}
