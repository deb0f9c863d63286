/** Public entry of `lotse/server`. */
export { createLotseServer } from './server.js';
export type { LotseServer, ServerOptions } from './server.js';
export { ConfigError, defaults, loadConfig, redactConfig, resolveConfig, validateConfig } from './config.js';
export type { LoadOptions, LoadResult, LotseConfig } from './config.js';
export { mintAdvisorToken, verifyAdvisorToken } from './auth.js';
export type { AdvisorIdentity, VerifiedAdvisor } from './auth.js';
export { createLogger } from './log.js';
export type { LogEvent, LogFields, Logger, LoggerOptions, LogLevel } from './log.js';
