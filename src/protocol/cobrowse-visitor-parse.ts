/**
 * The visitor's co-browse socket, parsed by hand: the messages of `ServerToCobrowseVisitorSchema` (`messages.ts`,
 * with the `cobrowseToVisitor` entries of `cobrowse.ts`) without valibot, which would be some 4 KB of the co-browse
 * code a visitor loads. Strict in the same way: an unknown type, a missing field or a field of the wrong shape is
 * refused with the same error code and message as `parseServerToCobrowseVisitor`, unknown fields are left out of
 * the result, and the tests feed both the same valid and invalid frames and require the same answers. A change to
 * those schemas must be made here too; the tests say so when it is not. The readers are `hand-parse.ts`'s, the
 * pong and the error `session-parse.ts`'s (the chat's socket, `visitor-parse.ts`, receives those too).
 */
import type { ParseResult } from './envelope.js';
import {
  array,
  bad,
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
  string,
} from './hand-parse.js';
import type { Reader, Shape } from './hand-parse.js';
import { MAX_COBROWSE_LINK, MAX_SIGNAL_LENGTH, START_CODE_PATTERN } from './limits.js';
import type { ServerToCobrowseVisitor } from './messages.js';
import { SESSION_MESSAGES } from './session-parse.js';

const strings = array(string());

/**
 * By type, the fields after `v` and `type`, in the order of the schema: `pong`, `errorMessage` and
 * `cobrowseToVisitor`, as `ServerToCobrowseVisitorSchema` lists them.
 */
export const COBROWSE_VISITOR_MESSAGES: Record<string, Shape> = {
  ...SESSION_MESSAGES,
  'cobrowse.pending': { sessionId: id, advisor: shortText },
  'cobrowse.startcode': { sessionId: id, startCode: string(Infinity, 0, START_CODE_PATTERN), expiresAt: epochMs },
  'cobrowse.started': {
    sessionId: id,
    iceServers: array(
      object({
        // `v.union([v.string(), v.array(v.string())])`: one issue for the union, whatever failed in it.
        urls: ((value) => {
          try {
            return typeof value === 'string' ? value : strings(value);
          } catch {
            return bad('union');
          }
        }) satisfies Reader,
        username: optional(string()),
        credential: optional(string()),
      }),
    ),
    iceTransportPolicy: oneOf(['all', 'relay']),
    link: optional(integer(1, MAX_COBROWSE_LINK)),
    resumeToken,
    initiator: boolean,
    advisor: shortText,
  },
  'cobrowse.signal': { sessionId: id, signal: string(MAX_SIGNAL_LENGTH, 2) },
  'cobrowse.ended': { sessionId: id, by: oneOf(['visitor', 'advisor', 'timeout', 'server', 'void']) },
};

/** The types a co-browse socket receives. */
export const COBROWSE_VISITOR_TYPES: ReadonlySet<string> = new Set(Object.keys(COBROWSE_VISITOR_MESSAGES));

/**
 * Visitor side, co-browse socket: a frame from the server. The same answers as `parseServerToCobrowseVisitor`
 * (`parse.ts`), without valibot.
 */
export function parseCobrowseVisitorFrame(raw: string): ParseResult<ServerToCobrowseVisitor> {
  return parseFrame(raw, COBROWSE_VISITOR_MESSAGES, COBROWSE_VISITOR_TYPES);
}
