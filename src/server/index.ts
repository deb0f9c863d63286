/** Public entry of `lotse/server`. */
export { createLotseServer } from './app/server.js';
export type { LotseServer, ServerOptions } from './app/server.js';
export { ConfigError, defaults, redactConfig, validateConfig } from './config/lotse-config.js';
export type { LotseConfig } from './config/lotse-config.js';
export { loadConfig, resolveConfig } from './config/load.js';
export type { LoadOptions, LoadResult } from './config/load.js';
export type { CobrowseConfig } from './config/cobrowse.js';
export type { ChatConfig } from './config/chat-area.js';
export type { HoursConfig } from './config/hours.js';
export type { MemberConfig } from './config/member.js';
export type { AuditConfig, StorageConfig } from './config/store.js';
export type { AdvisorTokenConfig, TransportConfig } from './config/transport.js';
export { mintAdvisorToken, verifyAdvisorToken } from './transport/advisor-auth.js';
export type { AdvisorIdentity, VerifiedAdvisor } from './transport/advisor-auth.js';
export { createLogger } from './log.js';
export type { LogEvent, LogFields, Logger, LoggerOptions, LogLevel } from './log.js';
export {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  signatureHeader,
  verifySignature,
} from './webhook/signature.js';
export type { VerifyOptions } from './webhook/signature.js';
export type { Transcript, TranscriptEvent, TranscriptMessage } from './webhook/deliveries.js';
