/**
 * The two messages every visitor socket receives, chat or co-browse: the `session.pong` of the heartbeat and an
 * `error`, as hand-written shapes (`hand-parse.ts`) for both hand-written parsers, in the order of the schemas
 * (`pong`, `errorMessage` in `messages.ts`).
 */
import { ErrorCode } from './errors.js';
import { oneOf, optional, shortText, string } from './hand-parse.js';
import type { Shape } from './hand-parse.js';

export const SESSION_MESSAGES: Record<string, Shape> = {
  'session.pong': {},
  error: { code: oneOf(Object.values(ErrorCode)), message: string(500), ref: optional(shortText) },
};
