/**
 * What the hand-written parsers of the visitor's sockets (`cobrowse-visitor-parse.ts`, `visitor-parse.ts`) are
 * made of, without valibot, which the visitor's browser would otherwise load for them. Each reader stands in for
 * one valibot schema or pipe of `messages.ts`/`cobrowse.ts`: it returns what valibot's output would be, or throws
 * the issue valibot reports first (its type and where), so that `parseFrame` answers a frame exactly as `parse.ts`
 * does with the schema: the same error code and message, unknown fields left out, texts trimmed. The tests of both
 * parsers feed them and the schemas the same thousands of frames and require the same answers.
 */
import { ErrorCode } from './errors.js';
import { fail, readEnvelope } from './envelope.js';
import type { ParseResult } from './envelope.js';
import { RESUME_TOKEN_LENGTH } from './limits.js';

/** Thrown by a reader: valibot's issue type (it decides between `TooLong` and `Malformed`) and where. */
interface Bad {
  issue: string;
  path: string[];
}

/** Reads one value: what valibot's output would be; throws `Bad` when it does not fit. */
export type Reader = ((value: unknown) => unknown) & { optional?: true };

/** The fields of one object schema, in the schema's order: valibot reports the first that does not fit. */
export type Shape = Record<string, Reader>;

export const bad = (issue: string): never => {
  // A plain object, not an Error: caught in this module, and no stack to build for every field that does not fit.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
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

/** `v.string()` with `v.minLength`, `v.maxLength` and `v.regex`, checked in that order. */
export const string =
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

/** `v.pipe(v.string(), v.trim(), v.minLength(min), v.maxLength(max), v.check(…))`: the check is `forbidden`. */
export const trimmed = (max: number, min: number, forbidden: RegExp): Reader => {
  const length = string(max, min);
  return (value) => {
    const text = length(typeof value === 'string' ? value.trim() : value) as string;
    return forbidden.test(text) ? bad('check') : text;
  };
};

/** `v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max))`. */
export const integer =
  (min: number, max = Infinity): Reader =>
  (value) =>
    typeof value !== 'number' || Number.isNaN(value)
      ? bad('number')
      : !Number.isInteger(value)
        ? bad('integer')
        : value < min
          ? bad('min_value')
          : value > max
            ? bad('max_value')
            : value;

export const boolean: Reader = (value) => (typeof value === 'boolean' ? value : bad('boolean'));

/** `v.picklist(options)`. */
export const oneOf =
  (options: readonly unknown[]): Reader =>
  (value) =>
    options.includes(value) ? value : bad('picklist');

export const optional = (reader: Reader): Reader =>
  Object.assign((value: unknown) => reader(value), { optional: true as const });

export const array =
  (item: Reader): Reader =>
  (value) =>
    Array.isArray(value) ? value.map((entry, index) => at(String(index), () => item(entry))) : bad('array');

/** `v.object(shape)`: a missing field that is not optional is the object's issue. Unknown fields are left out. */
export const object =
  (shape: Shape): Reader =>
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

/**
 * `v.variant(key, [v.object({ [key]: v.literal(…), … }), …])`: the fields of each option by its literal. A value
 * that is no object, or whose `key` names no option, is the variant's issue (at `key` for the latter).
 */
export const variant =
  (key: string, options: Record<string, Shape>): Reader =>
  (value) => {
    if (!value || typeof value !== 'object') return bad('variant');
    const tag = (value as Record<string, unknown>)[key];
    return typeof tag === 'string' && Object.hasOwn(options, tag)
      ? { [key]: tag, ...(object(options[tag]!)(value) as object) }
      : at(key, () => bad('variant'));
  };

// Fields that `messages.ts` and `cobrowse.ts` both define, alike.

/** `chatId`, `sessionId`, a client message id (`CLIENT_ID_PATTERN`): all the same pattern. */
export const id = string(Infinity, 0, /^[A-Za-z0-9_-]{8,64}$/);
export const shortText = string(200);
export const epochMs = integer(0);
export const resumeToken: Reader = (value) =>
  typeof value !== 'string' ? bad('string') : value.length !== RESUME_TOKEN_LENGTH ? bad('length') : value;

/**
 * A frame whose `type` is one of `messages` (checked by the envelope, as `parse.ts` does), read with the fields of
 * its type: the same answer as `parse.ts` gives with the valibot schema these stand in for.
 */
export function parseFrame<T>(
  raw: string,
  messages: Record<string, Shape>,
  types: ReadonlySet<string>,
): ParseResult<T> {
  const envelope = readEnvelope(raw, types, Number.POSITIVE_INFINITY);
  if ('ok' in envelope) return envelope;
  const { data, type, ref } = envelope;
  try {
    // `v` and `type` are the envelope's, checked already.
    const message = { v: data['v'], type, ...(object(messages[type]!)(data) as object) };
    // Checked field by field, against the same rules as the schema the type is inferred from.
    return { ok: true, message: message as T };
  } catch (error) {
    const { issue = 'unknown', path = [] } = error as Partial<Bad>;
    const code = issue === 'max_length' || issue === 'min_length' ? ErrorCode.TooLong : ErrorCode.Malformed;
    return fail(code, `${type}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${issue}`, ref);
  }
}
