/**
 * The per-socket pipeline shared by both roles: parse (never cast; a frame is at most `MAX_FRAME_BYTES`), rate
 * limit, typed errors, strikes, then the role's handler. Nothing a client sends can throw past this function: a
 * failing handler closes only its socket.
 *
 * Rate (`rate-limit.ts`): `cobrowse.signal` draws on its own, larger bucket (ICE candidates come in bursts),
 * everything else on the chat bucket. Refusals are counted in a sliding window; more than
 * `RATE_STRIKES_BEFORE_CLOSE` of them within `RATE_STRIKE_WINDOW_MS` close the socket with 1008. At most one
 * `LOTSE_ERR_RATE_LIMITED` goes out per `RATE_ERROR_INTERVAL_MS`, so that a flood is not answered by a flood.
 * That is a visitor's; an advisor's socket has its own budget and tells a burst to slow down first (`advisor-rate.ts`).
 */
import type { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { CloseCode, ErrorCode } from '../../protocol/errors.js';
import { MALFORMED_BEFORE_CLOSE } from '../../protocol/limits.js';
import type { ParseResult } from '../../protocol/parse.js';
import type { Logger } from '../log.js';
import { RateGuard } from './rate-limit.js';
import type { RateAdmitter } from './rate-limit.js';
import type { Role } from './upgrade.js';

export interface ConnectionState {
  readonly role: Role;
  /** Cleared at each heartbeat ping, set by the pong. */
  alive: boolean;
}

export interface PipelineOptions<M extends { type: string }> {
  role: Role;
  log: Logger;
  parse(raw: string): ParseResult<M>;
  handle(message: M): void;
  sendError(code: ErrorCode, message: string, ref?: string): void;
  /** The connection's rate limit; a visitor's `RateGuard` by default (an advisor's: `advisor-rate.ts`). */
  rate?: RateAdmitter;
  /** Closes the socket after what is still held for it (`held-echoes.ts`); `ws.close` by default. */
  close?(code: number, reason: string): void;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export function attachPipeline<M extends { type: string }>(
  ws: WebSocket,
  options: PipelineOptions<M>,
): ConnectionState {
  const { role, log } = options;
  const state: ConnectionState = { role, alive: true };
  const rate =
    options.rate ?? new RateGuard(() => options.sendError(ErrorCode.RateLimited, 'too many messages; dropped'));
  let malformed = 0;
  const close = (code: number, reason: string): void => {
    if (options.close === undefined) ws.close(code, reason);
    else options.close(code, reason);
  };

  const closeWith = (code: number, reason: string, logReason: 'rate' | 'malformed'): void => {
    log.info('connection.closed', { role, closeCode: code, reason: logReason });
    close(code, reason);
  };

  ws.once('close', () => rate.close());
  ws.on('pong', () => {
    state.alive = true;
  });
  ws.on('error', () => {
    // ws reports protocol violations (oversized frame, bad UTF-8) here and closes the socket itself.
    log.debug('connection.error', { role });
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      const result: ParseResult<M> = isBinary
        ? { ok: false, code: ErrorCode.Malformed, message: 'binary frames are not accepted' }
        : options.parse(textOf(data));
      const type = result.ok ? result.message.type : undefined;
      const verdict = rate.admit(type === 'cobrowse.signal' ? 'signal' : 'chat', type);
      if (verdict !== 'pass') {
        if (verdict === 'close') closeWith(CloseCode.Policy, 'rate limit', 'rate');
        return;
      }
      if (!result.ok) {
        malformed += 1;
        options.sendError(result.code, result.message, result.ref);
        if (malformed >= MALFORMED_BEFORE_CLOSE)
          closeWith(CloseCode.Protocol, 'too many malformed messages', 'malformed');
        return;
      }
      malformed = 0;
      options.handle(result.message);
    } catch {
      log.error('connection.handler_failed', { role, closeCode: 1011 });
      close(1011, 'internal error');
    }
  });
  return state;
}
