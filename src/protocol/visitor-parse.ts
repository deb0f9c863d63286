/**
 * The visitor's chat socket, parsed by hand: every message of `ServerToChatVisitorSchema` (`messages.ts`) without
 * valibot, which would be some 8 KB (minified) of the chat pop-up a visitor loads. The same answers as the valibot
 * parser of that schema (`parseServerToChatVisitor` in `parse.ts`): an unknown type (a co-browse message among
 * them: those come on the co-browse socket), a missing field or a field of the wrong shape is refused with the same
 * error code and message, unknown fields are left out, texts are trimmed. The schema stays the one source of truth:
 * a change to it must be made here too, and the tests (`test/protocol/visitor-parse.test.ts`) say so when it is
 * not. The error and the pong are `session-parse.ts`'s; the readers are `hand-parse.ts`'s.
 */
import type { ParseResult } from './envelope.js';
import {
  array,
  boolean,
  epochMs,
  id,
  integer,
  object,
  oneOf,
  optional,
  parseFrame,
  resumeToken,
  shortText,
  trimmed,
  variant,
} from './hand-parse.js';
import type { Shape } from './hand-parse.js';
import { MAX_TEXT_LENGTH } from './limits.js';
import type { ServerToChatVisitor } from './messages.js';
import { SESSION_MESSAGES } from './session-parse.js';
import { TEXT_FORBIDDEN } from './text.js';

/** The other way, too: the chat client takes what it needs of the wire from one module. */
export { encode } from './envelope.js';

/** An event's number in the chat's log: from 1. */
const seq = integer(1);

/** `ChatEventSchema`: by `kind`, the fields after it. */
const event = variant('kind', {
  message: {
    id,
    from: oneOf(['visitor', 'advisor']),
    text: trimmed(MAX_TEXT_LENGTH, 1, TEXT_FORBIDDEN),
    at: epochMs,
  },
  joined: { advisor: shortText, at: epochMs },
  left: { at: epochMs },
  transferred: { to: shortText, at: epochMs },
  ended: { by: oneOf(['visitor', 'advisor', 'timeout', 'gone', 'server']), at: epochMs },
});

/** By type, the fields after `v` and `type`, in the order of the schema. */
const MESSAGES: Record<string, Shape> = {
  'chat.started': { chatId: id, resumeToken },
  'chat.resumed': { chatId: id, events: array(object({ seq, event })) },
  'chat.event': { seq, event },
  'chat.typing': { typing: boolean },
  'chat.read': { seq: integer(0, 1_000_000) },
  'chat.queue': { position: integer(1), waitSeconds: optional(integer(0)), unstaffed: optional(boolean) },
  'chat.rating': { ticket: id },
  ...SESSION_MESSAGES,
};

/** The types the chat's socket receives. */
export const VISITOR_TYPES: ReadonlySet<string> = new Set(Object.keys(MESSAGES));

/** Visitor side, chat socket: a frame from the server. The same answers as `parse.ts`'s, without valibot. */
export function parseServerToChatVisitor(raw: string): ParseResult<ServerToChatVisitor> {
  return parseFrame(raw, MESSAGES, VISITOR_TYPES);
}
