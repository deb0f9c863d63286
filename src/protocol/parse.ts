/**
 * Parsing of inbound frames. Used by the server for what clients send and by the clients for what the server
 * sends: nothing on the wire is ever cast to a type.
 */
import * as v from 'valibot';
import { ErrorCode } from './errors.js';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from './limits.js';
import {
  AdvisorToServerSchema,
  ServerToAdvisorSchema,
  ServerToCobrowseVisitorSchema,
  ServerToVisitorSchema,
  VisitorToServerSchema,
} from './messages.js';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToCobrowseVisitor,
  ServerToVisitor,
  VisitorToServer,
} from './messages.js';

export type ParseResult<T> =
  | { ok: true; message: T }
  | { ok: false; code: ErrorCode; message: string; ref?: string };

type Schema<T> = v.GenericSchema<unknown, T>;

function fail(code: ErrorCode, message: string, ref?: string): { ok: false; code: ErrorCode; message: string; ref?: string } {
  return ref === undefined ? { ok: false, code, message } : { ok: false, code, message, ref };
}

/** The option schemas of a `v.variant('type', …)`, by their `type` literal. */
function typesOf(schema: { options: readonly { entries: { type: { literal: unknown } } }[] }): ReadonlySet<string> {
  return new Set(schema.options.map((option) => String(option.entries.type.literal)));
}

function parseWith<T>(raw: string, schema: Schema<T>, allowed: ReadonlySet<string>, maxBytes: number): ParseResult<T> {
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
  const result = v.safeParse(schema, data);
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  const code = issue.type === 'max_length' || issue.type === 'min_length' ? ErrorCode.TooLong : ErrorCode.Malformed;
  return fail(code, `${type}: ${path ? `${path}: ` : ''}${issue.type}`, ref);
}

// Computed on first use, so that a browser bundle keeps only the schemas it parses (the visitor's bundle has
// no use for the advisor's messages, and a top-level call would keep them all).
let visitorTypes: ReadonlySet<string> | undefined;
let advisorTypes: ReadonlySet<string> | undefined;
let toVisitorTypes: ReadonlySet<string> | undefined;
let toAdvisorTypes: ReadonlySet<string> | undefined;
let toCobrowseVisitorTypes: ReadonlySet<string> | undefined;

/** Server side: a frame from a visitor connection. Advisor-only types are unknown here. */
export function parseVisitorMessage(raw: string): ParseResult<VisitorToServer> {
  return parseWith(raw, VisitorToServerSchema, (visitorTypes ??= typesOf(VisitorToServerSchema)), MAX_FRAME_BYTES);
}

/** Server side: a frame from an authenticated advisor connection. */
export function parseAdvisorMessage(raw: string): ParseResult<AdvisorToServer> {
  return parseWith(raw, AdvisorToServerSchema, (advisorTypes ??= typesOf(AdvisorToServerSchema)), MAX_FRAME_BYTES);
}

/** Visitor side: a frame from the server. Server frames may be larger (a resumed chat carries its history). */
export function parseServerToVisitor(raw: string): ParseResult<ServerToVisitor> {
  return parseWith(raw, ServerToVisitorSchema, (toVisitorTypes ??= typesOf(ServerToVisitorSchema)), Number.POSITIVE_INFINITY);
}

/** Visitor side, co-browse socket: a frame from the server (co-browse messages, errors, pongs only). */
export function parseServerToCobrowseVisitor(raw: string): ParseResult<ServerToCobrowseVisitor> {
  return parseWith(
    raw,
    ServerToCobrowseVisitorSchema,
    (toCobrowseVisitorTypes ??= typesOf(ServerToCobrowseVisitorSchema)),
    Number.POSITIVE_INFINITY,
  );
}

/** Advisor side: a frame from the server. */
export function parseServerToAdvisor(raw: string): ParseResult<ServerToAdvisor> {
  return parseWith(raw, ServerToAdvisorSchema, (toAdvisorTypes ??= typesOf(ServerToAdvisorSchema)), Number.POSITIVE_INFINITY);
}

/** A message as its sender writes it: `v` is added by `encode`. */
export type Outgoing<T> = T extends unknown ? Omit<T, 'v'> : never;

/** Serialises an outbound message, as `encode<ServerToVisitor>({ type: 'chat.typing', typing })`. */
export function encode<T extends { v: number; type: string }>(message: Outgoing<T>): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...message });
}
