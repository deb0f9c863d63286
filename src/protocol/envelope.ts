/**
 * The envelope of every frame, without any schema library: what a parse result looks like, the checks every
 * inbound frame goes through before its own fields are looked at (size, JSON, an object, `v`, a known `type`),
 * and `encode` for outbound frames. Shared by the valibot parsers (`parse.ts`) and the hand-written one of the
 * visitor's co-browse socket (`cobrowse-visitor-parse.ts`), so that both answer a bad envelope the same way.
 */
import { ErrorCode } from './errors.js';
import { PROTOCOL_VERSION } from './limits.js';

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: ErrorCode; message: string; ref?: string };

export type ParseFailure = Extract<ParseResult<unknown>, { ok: false }>;

export function fail(code: ErrorCode, message: string, ref?: string): ParseFailure {
  return ref === undefined ? { ok: false, code, message } : { ok: false, code, message, ref };
}

/** A frame whose envelope is right: the parsed object, its `type` (one of the allowed) and what errors refer to. */
export interface Envelope {
  data: Record<string, unknown>;
  type: string;
  ref: string | undefined;
}

/** Checks a frame's envelope; the message's own fields are the caller's. */
export function readEnvelope(
  raw: string,
  allowed: { has(type: string): boolean },
  maxBytes: number,
): Envelope | ParseFailure {
  // Length in UTF-16 units is a lower bound of the UTF-8 bytes; the server's `maxPayload` is the hard limit.
  if (raw.length > maxBytes) return fail(ErrorCode.Malformed, 'frame too large');
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return fail(ErrorCode.Malformed, 'not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(ErrorCode.Malformed, 'not an object');
  }
  const record = data as Record<string, unknown>;
  const type = typeof record['type'] === 'string' ? (record['type'] as string).slice(0, 64) : undefined;
  const ref = typeof record['id'] === 'string' ? (record['id'] as string).slice(0, 64) : type;
  if (record['v'] !== PROTOCOL_VERSION) {
    return fail(ErrorCode.UnsupportedVersion, `protocol version ${PROTOCOL_VERSION} expected`, ref);
  }
  if (type === undefined) return fail(ErrorCode.Malformed, 'missing type');
  if (!allowed.has(type)) return fail(ErrorCode.UnknownType, `unknown type "${type}"`, ref);
  return { data: record, type, ref };
}

/** A message as its sender writes it: `v` is added by `encode`. */
export type Outgoing<T> = T extends unknown ? Omit<T, 'v'> : never;

/** Serialises an outbound message, as `encode<ServerToVisitor>({ type: 'chat.typing', typing })`. */
export function encode<T extends { v: number; type: string }>(message: Outgoing<T>): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...message });
}
