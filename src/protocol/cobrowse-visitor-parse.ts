/**
 * The visitor's co-browse socket, parsed by hand: the messages of `ServerToCobrowseVisitorSchema` (`messages.ts`,
 * with the `cobrowseToVisitor` entries of `cobrowse.ts`) without valibot, which would be some 4 KB of the co-browse
 * code a visitor loads. Strict in the same way: an unknown type, a missing field or a field of the wrong shape is
 * refused with the same error code and message as `parseServerToCobrowseVisitor`, unknown fields are left out of
 * the result, and the tests feed both the same valid and invalid frames and require the same answers. A change to
 * those schemas must be made here too; the tests say so when it is not.
 */
import { ErrorCode } from './errors.js';
import { fail, readEnvelope } from './envelope.js';
import type { ParseResult } from './envelope.js';
import { MAX_SIGNAL_LENGTH, RESUME_TOKEN_LENGTH, START_CODE_PATTERN } from './limits.js';
import type { ServerToCobrowseVisitor } from './messages.js';

/** Thrown by a reader: valibot's issue type (it decides between `TooLong` and `Malformed`) and where. */
interface Bad {
  issue: string;
  path: string[];
}

/** Reads one value: what valibot's output would be; throws `Bad` when it does not fit. */
type Reader = ((value: unknown) => unknown) & { optional?: true };

const bad = (issue: string): never => {
  throw { issue, path: [] } satisfies Bad;
};

/** Runs `read`, and puts `key` in front of the path of what it throws. */
function at<T>(key: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    (error as Bad).path.unshift(key);
    throw error;
  }
}

const string =
  (max = Infinity, min = 0, pattern?: RegExp): Reader =>
  (value) =>
    typeof value !== 'string'
      ? bad('string')
      : value.length < min
        ? bad('min_length')
        : value.length > max
          ? bad('max_length')
          : pattern && !pattern.test(value)
            ? bad('regex')
            : value;

const oneOf =
  (options: readonly unknown[]): Reader =>
  (value) =>
    options.includes(value) ? value : bad('picklist');

const optional = (reader: Reader): Reader => Object.assign((value: unknown) => reader(value), { optional: true as const });

const array =
  (item: Reader): Reader =>
  (value) =>
    Array.isArray(value) ? value.map((entry, index) => at(String(index), () => item(entry))) : bad('array');

/** Fields in the schema's order: valibot reports the first that does not fit. Unknown fields are left out. */
const object =
  (shape: Record<string, Reader>): Reader =>
  (value) => {
    if (!value || typeof value !== 'object') return bad('object');
    const out: Record<string, unknown> = {};
    for (const key in shape) {
      const reader = shape[key]!;
      if (key in value) out[key] = at(key, () => reader((value as Record<string, unknown>)[key]));
      else if (!reader.optional) at(key, () => bad('object'));
    }
    return out;
  };

const id = string(Infinity, 0, /^[A-Za-z0-9_-]{8,64}$/);
const shortText = string(200);
const strings = array(string());

/** By type, the fields after `v` and `type`, in the order of the schema. */
const MESSAGES: Record<string, Record<string, Reader>> = {
  'session.pong': {},
  error: { code: oneOf(Object.values(ErrorCode)), message: string(500), ref: optional(shortText) },
  'cobrowse.pending': { sessionId: id, advisor: shortText },
  'cobrowse.startcode': {
    sessionId: id,
    startCode: string(Infinity, 0, START_CODE_PATTERN),
    // `epochMs`: an integer from 0.
    expiresAt: (value) =>
      typeof value !== 'number' || Number.isNaN(value)
        ? bad('number')
        : !Number.isInteger(value)
          ? bad('integer')
          : value < 0
            ? bad('min_value')
            : value,
  },
  'cobrowse.started': {
    sessionId: id,
    iceServers: array(
      object({
        // `v.union([v.string(), v.array(v.string())])`: one issue for the union, whatever failed in it.
        urls: (value) => {
          try {
            return typeof value === 'string' ? value : strings(value);
          } catch {
            return bad('union');
          }
        },
        username: optional(string()),
        credential: optional(string()),
      }),
    ),
    iceTransportPolicy: oneOf(['all', 'relay']),
    resumeToken: (value) =>
      typeof value !== 'string' ? bad('string') : value.length !== RESUME_TOKEN_LENGTH ? bad('length') : value,
    initiator: (value) => (typeof value === 'boolean' ? value : bad('boolean')),
    advisor: shortText,
  },
  'cobrowse.signal': { sessionId: id, signal: string(MAX_SIGNAL_LENGTH, 2) },
  'cobrowse.ended': { sessionId: id, by: oneOf(['visitor', 'advisor', 'timeout', 'server', 'void']) },
};

/** The types a co-browse socket receives. */
export const COBROWSE_VISITOR_TYPES: ReadonlySet<string> = new Set(Object.keys(MESSAGES));

/**
 * Visitor side, co-browse socket: a frame from the server. The same answers as `parseServerToCobrowseVisitor`
 * (`parse.ts`), without valibot.
 */
export function parseCobrowseVisitorFrame(raw: string): ParseResult<ServerToCobrowseVisitor> {
  const envelope = readEnvelope(raw, COBROWSE_VISITOR_TYPES, Number.POSITIVE_INFINITY);
  if ('ok' in envelope) return envelope;
  const { data, type, ref } = envelope;
  try {
    // `v` and `type` are the envelope's, checked already.
    const message = { v: data['v'], type, ...(object(MESSAGES[type]!)(data) as object) };
    // Checked field by field above, against the same rules as the schema the type is inferred from.
    return { ok: true, message: message as ServerToCobrowseVisitor };
  } catch (error) {
    const { issue = 'unknown', path = [] } = error as Partial<Bad>;
    const code = issue === 'max_length' || issue === 'min_length' ? ErrorCode.TooLong : ErrorCode.Malformed;
    return fail(code, `${type}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${issue}`, ref);
  }
}
