/**
 * The visitor's side of callback requests, over HTTP: there is no socket while the chat is closed, and one request
 * needs none.
 *
 * - `GET /callback?lang=de`: what the form shows: the windows on offer, the consent text (version and text in that
 *   language), the hours' time zone and the configured topics (`chat.topics`, id and label in that language). Anonymous and cacheable, like `/availability`; 404 while not offered.
 * - `POST /callback`: one request, sent only after the visitor agreed to the consent text. Its `Origin` must be one
 *   of `allowedOrigins` (as for the WebSocket); the body is JSON (`protocol/callback.ts`), at most
 *   `callbacks.maxBodyBytes`, sent as `text/plain` so that the browser needs no preflight. Each client (keyed
 *   address) may send `callbacks.perClientPerHour` an hour, counted in the limit store (Redis with several
 *   nodes), bad requests included. A topic must be one of the configured ones (else 400
 *   `LOTSE_ERR_INVALID_TOPIC`). Answers `201 {id, from, to}` or `{error: LOTSE_ERR_*}`; nothing of the body is
 *   logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { CallbackRequestSchema } from '../../protocol/callback.js';
import { ErrorCode } from '../../protocol/errors.js';
import { normalisePhone } from '../../protocol/phone.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CallbacksConfig } from '../config/callbacks.js';
import { knownTopic } from '../config/topics.js';
import type { Topic } from '../../protocol/messages.js';
import type { Logger } from '../log.js';
import type { LimitStore } from '../state/limit-store.js';
import { readBody } from '../transport/body.js';
import { clientAddress } from '../transport/client-key.js';
import type { ClientKeyer } from '../transport/client-key.js';
import { sendJson } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import type { CallbackDesk } from './callback-desk.js';

const HOUR_MS = 3600_000;

export interface CallbackRoutesOptions {
  config: CallbacksConfig;
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  timeZone: string;
  /** The configured topics (`chat.topics`): a request may name one of them. */
  topics: readonly Topic[];
  desk: CallbackDesk;
  keyer: ClientKeyer;
  limitStore: LimitStore;
  audit?: AuditLog | undefined;
  log: Logger;
}

export function callbackRoutes(options: CallbackRoutesOptions): Route[] {
  const { config, desk, log } = options;
  const origins = new Set(options.allowedOrigins);

  const answer = (
    response: ServerResponse,
    origin: string,
    status: number,
    body: unknown,
    extra: Record<string, string> = {},
  ): void => sendJson(response, status, body, { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...extra });

  const refuse = (response: ServerResponse, origin: string, status: number, code: ErrorCode, reason?: string) => {
    if (reason !== undefined) log.info('callback.refused', { status, errorCode: code, reason: reason as 'phone' });
    answer(response, origin, status, { error: code });
  };

  /** The client's count for the hour; `false` when over (or the store cannot count: fail closed). */
  const admit = async (request: IncomingMessage): Promise<boolean> => {
    const key = options.keyer.keyOf(clientAddress(request, options.trustProxy));
    try {
      return (await options.limitStore.increment(`callback:${key}`, 1, HOUR_MS)) <= config.perClientPerHour;
    } catch {
      return false;
    }
  };

  const post = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins.has(origin)) {
      sendJson(response, 403, { error: 'origin' });
      return;
    }
    if (!desk.offered) return refuse(response, origin, 404, ErrorCode.CallbacksOff);
    if (!(await admit(request)))
      return answer(response, origin, 429, { error: ErrorCode.RateLimited }, { 'Retry-After': '3600' });
    const body = await readBody(request, config.maxBodyBytes);
    if (body === undefined) {
      answer(response, origin, 413, { error: ErrorCode.TooLong }, { Connection: 'close' });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(response, origin, 400, ErrorCode.Malformed, 'malformed');
    }
    const parsed = v.safeParse(CallbackRequestSchema, raw);
    if (!parsed.success) return refuse(response, origin, 400, ErrorCode.Malformed, 'malformed');
    const { phone: typed, window, topic, lang, consent } = parsed.output;
    const phone = normalisePhone(typed);
    if (phone === undefined) return refuse(response, origin, 422, ErrorCode.InvalidPhone, 'phone');
    if (topic !== undefined && knownTopic(options.topics, topic) === undefined)
      return refuse(response, origin, 400, ErrorCode.InvalidTopic, 'topic');
    const outcome = await desk.request({
      phone,
      window: Date.parse(window),
      topic,
      lang,
      consent,
      ipHash: options.audit?.ipHashOf(request) ?? null,
    });
    if (!outcome.ok) {
      const reason = { [ErrorCode.InvalidWindow]: 'window', [ErrorCode.TermsOutdated]: 'consent' }[
        outcome.code as string
      ];
      return refuse(response, origin, outcome.status, outcome.code, reason ?? 'full');
    }
    const { id, slot } = outcome;
    answer(response, origin, 201, {
      id,
      from: new Date(slot.from).toISOString(),
      to: new Date(slot.to).toISOString(),
    });
  };

  return [
    {
      method: 'GET',
      path: '/callback',
      handle: ({ response, url }) => {
        if (!desk.offered) {
          sendJson(response, 404, { error: ErrorCode.CallbacksOff }, { 'Access-Control-Allow-Origin': '*' });
          return;
        }
        const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'de';
        const slots = desk.slots().map((slot) => ({
          from: new Date(slot.from).toISOString(),
          to: new Date(slot.to).toISOString(),
        }));
        sendJson(
          response,
          200,
          {
            slots,
            timeZone: options.timeZone,
            topics: options.topics.map((topic) => ({ id: topic.id, label: topic.label[lang] })),
            consent: { version: config.consent.version, text: config.consent.text[lang] },
          },
          { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' },
        );
      },
    },
    { method: 'POST', path: '/callback', handle: ({ request, response }) => post(request, response) },
  ];
}
