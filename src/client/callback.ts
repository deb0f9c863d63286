/**
 * The two requests of a callback request, both to the visitor's Lotse server and without a cookie:
 * `GET <server>/callback?lang=…` (the windows and the consent text: nothing of the visitor goes out), and, only
 * after the visitor agreed to that text, `POST <server>/callback` with the number, the window and the topic. The
 * body goes as `text/plain`, so that the browser sends it without a preflight; the server checks the Origin.
 */
import { serverBase } from '../dom/server-base.js';
import type { Lang } from '../i18n/locale.js';

export interface CallbackOffer {
  slots: { from: number; to: number }[];
  consent: { version: string; text: string };
  timeZone: string;
  /** The configured topics a request may name, labelled in the language asked for (none: no choice). */
  topics: { id: string; label: string }[];
}

export type CallbackAnswer =
  | { ok: true; from: number; to: number }
  | { ok: false; error: 'phone' | 'window' | 'topic' | 'consent' | 'rate' | 'failed' };

function urlOf(server: string, lang?: Lang): URL {
  const base = serverBase(server);
  if (base === undefined) throw new TypeError('no server');
  const url = new URL('callback', base);
  if (lang !== undefined) url.searchParams.set('lang', lang);
  return url;
}

/** The windows on offer and the consent text; `undefined` when callbacks are not offered or the answer is odd. */
export async function fetchCallbackOffer(server: string, lang: Lang): Promise<CallbackOffer | undefined> {
  try {
    const response = await fetch(urlOf(server, lang), { credentials: 'omit' });
    if (!response.ok) return undefined;
    const data = (await response.json()) as {
      slots?: { from?: unknown; to?: unknown }[];
      consent?: { version?: unknown; text?: unknown };
      timeZone?: unknown;
      topics?: { id?: unknown; label?: unknown }[];
    };
    const slots = (Array.isArray(data.slots) ? data.slots : [])
      .map((slot) => ({ from: Date.parse(String(slot.from)), to: Date.parse(String(slot.to)) }))
      .filter((slot) => slot.from > 0 && slot.to > slot.from);
    const { version, text } = data.consent ?? {};
    if (typeof version !== 'string' || typeof text !== 'string') return undefined;
    const topics = (Array.isArray(data.topics) ? data.topics : []).flatMap(({ id, label }) =>
      typeof id === 'string' && typeof label === 'string' ? [{ id, label }] : [],
    );
    const timeZone = typeof data.timeZone === 'string' ? data.timeZone : 'UTC';
    return { slots, consent: { version, text }, timeZone, topics };
  } catch {
    return undefined;
  }
}

const ERRORS: Readonly<Record<string, CallbackAnswer & { ok: false }>> = {
  LOTSE_ERR_INVALID_PHONE: { ok: false, error: 'phone' },
  LOTSE_ERR_INVALID_WINDOW: { ok: false, error: 'window' },
  LOTSE_ERR_INVALID_TOPIC: { ok: false, error: 'topic' },
  LOTSE_ERR_TERMS_OUTDATED: { ok: false, error: 'consent' },
  LOTSE_ERR_RATE_LIMITED: { ok: false, error: 'rate' },
};

/** Sends one request. Call it only after the visitor agreed to `consentVersion`'s text. */
export async function sendCallbackRequest(
  server: string,
  request: { phone: string; window: number; topic?: string | undefined; consent: string; lang: Lang },
): Promise<CallbackAnswer> {
  try {
    const body = JSON.stringify({
      v: 1,
      phone: request.phone,
      window: new Date(request.window).toISOString(),
      ...(request.topic === undefined ? {} : { topic: request.topic }),
      consent: request.consent,
      lang: request.lang,
    });
    const response = await fetch(urlOf(server), {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body,
    });
    const data = (await response.json()) as { error?: unknown; from?: unknown; to?: unknown };
    if (response.status === 201)
      return { ok: true, from: Date.parse(String(data.from)), to: Date.parse(String(data.to)) };
    return ERRORS[String(data.error)] ?? { ok: false, error: 'failed' };
  } catch {
    return { ok: false, error: 'failed' };
  }
}
