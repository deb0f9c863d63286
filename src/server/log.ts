/**
 * A tiny structured logger: one JSON line per event on stderr. It accepts only an event name from a fixed list
 * and a whitelisted set of non-personal fields (counts, durations, codes), plus three identifiers, never a name:
 * advisor id and session id (the audit of a co-browse session) and a member chat's id (its transcript webhook).
 * There is deliberately no way to log free text: no message text, no nickname, no member name or insurance number,
 * no IP address, no token, no code can reach a log line through this module.
 */
import type { ErrorCode } from '../protocol/errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Events a plugin declares for itself, by declaration merging (`declare module '../log.js' { interface
 * PluginLogEvents { 'x.y': true } }`), so that this list names no plugin.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface PluginLogEvents {}

export type LogEvent =
  | keyof PluginLogEvents
  | 'server.listening'
  | 'server.closed'
  | 'upgrade.refused'
  | 'connection.open'
  | 'connection.closed'
  | 'connection.error'
  | 'connection.terminated'
  | 'connection.handler_failed'
  | 'message.refused'
  | 'chat.started'
  | 'chat.resumed'
  | 'chat.accepted'
  | 'chat.requeued'
  | 'chat.transferred'
  | 'chat.presence'
  | 'chat.ended'
  | 'chat.busy'
  | 'chat.tombstone_expired'
  | 'chat.subscriber_failed'
  | 'state.failed'
  | 'redis.connected'
  | 'redis.reconnecting'
  | 'redis.error'
  | 'redis.refused'
  // Redis came back as a new, empty instance (it restarted), and this node wrote back what it holds.
  | 'redis.restarted'
  | 'redis.restored'
  // Another node of the service did not hear a message meant for it (`cluster/`): it died or left.
  | 'node.gone'
  // This node took over a chat whose owner died.
  | 'chat.taken_over'
  // This node found a chat it held taken over by another (it was cut off or paused past its lease): forgotten here.
  | 'chat.lost'
  // This node found a co-browse session it held taken over by another (as `chat.lost`): forgotten here, not ended.
  | 'cobrowse.lost'
  // This node took over chats of a dead node that no client of theirs had come back for (`cluster/takeover.ts`).
  | 'chat.swept'
  | 'cobrowse.code.created'
  | 'cobrowse.started'
  | 'cobrowse.session'
  | 'cobrowse.taken_over'
  | 'cobrowse.webcode_lockout'
  | 'cobrowse.webcode_flood'
  | 'http.error'
  | 'store.opened'
  | 'audit.write_failed'
  | 'audit.purged'
  | 'audit.purge_failed'
  | 'member.token_refused'
  | 'oidc.unavailable'
  | 'member.transcript_write_failed'
  | 'member.transcript_lost'
  | 'member.transcript_refused'
  | 'member.transcripts_purged'
  | 'member.purge_failed'
  | 'callback.requested'
  | 'callback.refused'
  | 'callbacks.purged'
  | 'callbacks.purge_failed'
  | 'callbacks.failed'
  | 'snippets.push_failed'
  | 'webhook.delivered'
  | 'webhook.failed'
  | 'webhook.run_failed'
  | 'limits.store_full'
  | 'limits.release_failed';

/** The only fields a log line may carry. Strings are closed unions; nothing a client typed fits in. */
export interface LogFields {
  role?: 'visitor' | 'advisor';
  status?: number;
  closeCode?: number;
  errorCode?: ErrorCode;
  reason?:
    | 'origin'
    | 'path'
    | 'subprotocol'
    | 'token'
    | 'expired'
    | 'heartbeat'
    | 'rate'
    | 'malformed'
    | 'shutdown'
    | 'capacity'
    | 'slow'
    | 'http'
    | 'timeout'
    | 'network'
    // A visitor socket that held nothing too long; a client over its count of waiting chats.
    | 'idle'
    | 'per_client'
    // Which Redis connection (`state/redis/connection.ts`), and why a Redis was refused.
    | 'command'
    | 'subscriber'
    | 'persistence'
    // A message from another node (`cluster/`) whose handling failed.
    | 'node_message'
    // The sweep for the chats of dead nodes failed (`cluster/takeover.ts`); the next renewal tries again.
    | 'sweep'
    // A satisfaction rating that could not be counted (`rating/`); nothing about the ticket or a chat.
    | 'rating'
    // Why a member token was refused (`member/token.ts`), or that it names another member than the chat's.
    | 'signature'
    | 'algorithm'
    | 'keys'
    | 'claims'
    | 'lifetime'
    | 'off'
    | 'other_member'
    // A member token that has started a chat already (`LOTSE_ERR_TOKEN_USED`).
    | 'used'
    // Why a callback request was refused (`callback/`).
    | 'phone'
    | 'window'
    | 'consent'
    | 'topic'
    | 'full'
    | 'body';
  by?: 'visitor' | 'advisor' | 'timeout' | 'gone' | 'server';
  /** Where a chat was handed on (`chat.transferred`): to a colleague or to a topic's queue. */
  to?: 'advisor' | 'topic';
  events?: number;
  count?: number;
  durationMs?: number;
  port?: number;
  /** Audit only: the advisor who ran a co-browse session (an identifier from the token, never a name). */
  advisorId?: string;
  /** Audit only: the co-browse session. */
  sessionId?: string;
  /** Audit only: epoch milliseconds. */
  startedAt?: number;
  endedAt?: number;
  endedBy?: 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';
  /** The storage driver. */
  driver?: 'embedded' | 'postgres';
  /** Transcript webhook: the member chat a delivery is about (a random id, never a name). */
  chatId?: string;
  /** Callback requests: the request a line is about (a random id, never a phone number). */
  callbackId?: string;
  /** Transcript webhook: attempts made so far. */
  attempts?: number;
  /** The furthest state a co-browse session reached. */
  reached?: 'offered' | 'joined' | 'consented' | 'live';
  /** A chat lifecycle subscriber failed: the event it was handling (`chat.ended`), or `drain`. */
  lifecycleEvent?: `chat.${string}` | 'drain';
  /** What was thrown: the error's `name` (`TypeError`), never its message; a word, checked at run time. */
  errorName?: string;
}

export interface Logger {
  debug(event: LogEvent, fields?: LogFields): void;
  info(event: LogEvent, fields?: LogFields): void;
  warn(event: LogEvent, fields?: LogFields): void;
  error(event: LogEvent, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const ALLOWED_KEYS: ReadonlySet<string> = new Set([
  'role',
  'status',
  'closeCode',
  'errorCode',
  'reason',
  'by',
  'to',
  'events',
  'count',
  'durationMs',
  'port',
  'advisorId',
  'sessionId',
  'startedAt',
  'endedAt',
  'endedBy',
  'reached',
  'driver',
  'chatId',
  'callbackId',
  'attempts',
  'lifecycleEvent',
  'errorName',
]);
/** Identifier fields: letters, digits and `_ - . : @`, no spaces, nothing longer than an id. */
const ID_KEYS: ReadonlySet<string> = new Set(['advisorId', 'sessionId', 'chatId', 'callbackId']);
const WORD = /^[A-Za-z_]{1,40}$/;
/** Dotted names (a lifecycle event, `chat.ended`): words joined by dots. */
const DOTTED_KEYS: ReadonlySet<string> = new Set(['lifecycleEvent']);
const DOTTED = /^[A-Za-z_]{1,40}(\.[A-Za-z_]{1,40}){0,2}$/;
const IDENTIFIER = /^[A-Za-z0-9_.:@-]{1,128}$/;

function patternOf(key: string): RegExp {
  return ID_KEYS.has(key) ? IDENTIFIER : DOTTED_KEYS.has(key) ? DOTTED : WORD;
}

export interface LoggerOptions {
  level?: LogLevel | 'silent';
  /** Where lines go; stderr by default. Tests pass a collector. */
  write?: (line: string) => void;
  now?: () => number;
}

function isLevel(value: string | undefined): value is LogLevel | 'silent' {
  return value === 'silent' || (value !== undefined && value in ORDER);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const envLevel = process.env['LOTSE_LOG_LEVEL'];
  const level = options.level ?? (isLevel(envLevel) ? envLevel : 'info');
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : ORDER[level];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;

  const emit = (lvl: LogLevel, event: LogEvent, fields?: LogFields): void => {
    if (ORDER[lvl] < threshold) return;
    const line: Record<string, string | number> = { t: new Date(now()).toISOString(), level: lvl, event };
    if (fields) {
      // Re-check at run time: a caller outside TypeScript's reach still cannot smuggle in other keys.
      for (const [key, value] of Object.entries(fields)) {
        if (!ALLOWED_KEYS.has(key)) continue;
        if (typeof value === 'number' && Number.isFinite(value)) line[key] = value;
        else if (typeof value === 'string' && patternOf(key).test(value)) line[key] = value;
      }
    }
    write(JSON.stringify(line));
  };

  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
