/**
 * Parsing of inbound frames. Used by the server for what clients send and by the clients for what the server
 * sends: nothing on the wire is ever cast to a type. The envelope (size, JSON, `v`, `type`) is `envelope.ts`'s.
 * The visitor's browser loads no valibot: its chat socket and its co-browse socket have hand-written parsers
 * (`visitor-parse.ts`, `cobrowse-visitor-parse.ts`), held to `parseServerToVisitor` and
 * `parseServerToCobrowseVisitor` here by their tests. These two stay as the schemas' own answer: for those tests,
 * and for the server's tests and benchmarks that play a visitor from Node.
 */
import * as v from 'valibot';
import { readAdvisorChatMessage, readVisitorChatMessage } from './chat-message-read.js';
import { ErrorCode } from './errors.js';
import { fail, readEnvelope } from './envelope.js';
import type { ParseResult } from './envelope.js';
import { MAX_FRAME_BYTES } from './limits.js';
import {
  AdvisorToServerSchema,
  ServerToAdvisorSchema,
  ServerToChatVisitorSchema,
  ServerToCobrowseVisitorSchema,
  ServerToVisitorSchema,
  VisitorToServerSchema,
} from './messages.js';
import type {
  AdvisorToServer,
  ServerToAdvisor,
  ServerToChatVisitor,
  ServerToCobrowseVisitor,
  ServerToVisitor,
  VisitorToServer,
} from './messages.js';

export { encode } from './envelope.js';
export type { Outgoing, ParseResult } from './envelope.js';

type Schema<T> = v.GenericSchema<unknown, T>;

/** A `v.variant('type', …)` of object schemas. */
type Variant = Schema<unknown> & {
  options: readonly (Schema<unknown> & { entries: { type: { literal: unknown } } })[];
};

/**
 * The `type` literals of a variant, each with the one option schema that has it. Once the envelope has checked the
 * `type`, that option alone answers as the variant would (which runs the options' `type` checks one by one to find
 * it: about half of a chat message's parse); a type that more than one option has keeps the whole variant.
 */
function typesOf(variant: Variant): ReadonlyMap<string, Schema<unknown>> {
  const byType = new Map<string, Schema<unknown>>();
  for (const option of variant.options) {
    const type = String(option.entries.type.literal);
    byType.set(type, byType.has(type) ? variant : option);
  }
  return byType;
}

function parseWith<T>(
  raw: string,
  schema: Schema<T>,
  allowed: ReadonlyMap<string, Schema<unknown>>,
  maxBytes: number,
  chatMessage?: (data: Record<string, unknown>) => T | undefined,
): ParseResult<T> {
  const envelope = readEnvelope(raw, allowed, maxBytes);
  if ('ok' in envelope) return envelope;
  const { data, type, ref } = envelope;
  if (type === 'chat.message' && chatMessage !== undefined) {
    // The frequent frame, read by hand when it fits (`chat-message-read.ts`); else the schema says what is wrong.
    const message = chatMessage(data);
    if (message !== undefined) return { ok: true, message };
  }
  const result = v.safeParse((allowed.get(type) ?? schema) as Schema<T>, data);
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  const code = issue.type === 'max_length' || issue.type === 'min_length' ? ErrorCode.TooLong : ErrorCode.Malformed;
  return fail(code, `${type}: ${path ? `${path}: ` : ''}${issue.type}`, ref);
}

// Computed on first use, so that a browser bundle keeps only the schemas it parses (the visitor's bundle has
// no use for the advisor's messages, and a top-level call would keep them all).
let visitorTypes: ReadonlyMap<string, Schema<unknown>> | undefined;
let advisorTypes: ReadonlyMap<string, Schema<unknown>> | undefined;
let toVisitorTypes: ReadonlyMap<string, Schema<unknown>> | undefined;
let toAdvisorTypes: ReadonlyMap<string, Schema<unknown>> | undefined;
let toCobrowseVisitorTypes: ReadonlyMap<string, Schema<unknown>> | undefined;
let toChatVisitorTypes: ReadonlyMap<string, Schema<unknown>> | undefined;

/** Server side: a frame from a visitor connection. Advisor-only types are unknown here. */
export function parseVisitorMessage(raw: string): ParseResult<VisitorToServer> {
  return parseWith(
    raw,
    VisitorToServerSchema,
    (visitorTypes ??= typesOf(VisitorToServerSchema)),
    MAX_FRAME_BYTES,
    readVisitorChatMessage,
  );
}

/** Server side: a frame from an authenticated advisor connection. */
export function parseAdvisorMessage(raw: string): ParseResult<AdvisorToServer> {
  return parseWith(
    raw,
    AdvisorToServerSchema,
    (advisorTypes ??= typesOf(AdvisorToServerSchema)),
    MAX_FRAME_BYTES,
    readAdvisorChatMessage,
  );
}

/**
 * A frame from the server to a visitor's socket, any of them, as the schema reads it. Server frames may be larger
 * (a resumed chat carries its history).
 */
export function parseServerToVisitor(raw: string): ParseResult<ServerToVisitor> {
  return parseWith(
    raw,
    ServerToVisitorSchema,
    (toVisitorTypes ??= typesOf(ServerToVisitorSchema)),
    Number.POSITIVE_INFINITY,
  );
}

/**
 * A frame from the server to a visitor's chat socket (chat messages, errors, pongs: the chat never joins a co-browse
 * session on its socket), as the schema reads it. The pop-up uses `visitor-parse.ts`'s, which answers the same.
 */
export function parseServerToChatVisitor(raw: string): ParseResult<ServerToChatVisitor> {
  return parseWith(
    raw,
    ServerToChatVisitorSchema,
    (toChatVisitorTypes ??= typesOf(ServerToChatVisitorSchema)),
    Number.POSITIVE_INFINITY,
  );
}

/**
 * A frame from the server to a visitor's co-browse socket (co-browse messages, errors, pongs only), as the schema
 * reads it. The visitor's browser uses `cobrowse-visitor-parse.ts`'s, which answers the same.
 */
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
  return parseWith(
    raw,
    ServerToAdvisorSchema,
    (toAdvisorTypes ??= typesOf(ServerToAdvisorSchema)),
    Number.POSITIVE_INFINITY,
  );
}
