/** Public entry of `lotse/server`. */
export { createLotseServer } from './server.js';
export type { LotseServer, ServerOptions } from './server.js';
export { ConfigError, defaults, redactConfig, validateConfig } from './config.js';
export type { LotseConfig } from './config.js';
export { loadConfig, resolveConfig } from './config-load.js';
export type { LoadOptions, LoadResult } from './config-load.js';
export type { CobrowseConfig } from './cobrowse/config.js';
export { mintAdvisorToken, verifyAdvisorToken } from './auth.js';
export type { AdvisorIdentity, VerifiedAdvisor } from './auth.js';
export { createLogger } from './log.js';
export type { LogEvent, LogFields, Logger, LoggerOptions, LogLevel } from './log.js';
export { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, signatureHeader, verifySignature } from './member/webhook-signature.js';
export type { VerifyOptions } from './member/webhook-signature.js';
export type { Transcript, TranscriptEvent, TranscriptMessage } from './member/webhook-store.js';
