/**
 * Callback requests (Rückrufservice) on the wire. A visitor asks for a call while the chat is closed: not over a
 * socket (there is none while closed) but by one HTTP `POST <server>/callback` after consent, whose body is
 * `CallbackRequestSchema`. Advisors see the open requests on their socket:
 *
 *   server → advisor  callback.list {items}   at hello, and whenever a request arrives, is claimed or done
 *   advisor → server  callback.claim {id}     one advisor takes it (atomic: the first wins, the others hear
 *                                             LOTSE_ERR_ALREADY_TAKEN)
 *   advisor → server  callback.done {id}      the claimer called back; the request leaves the list
 */
import * as v from 'valibot';
import { PROTOCOL_VERSION } from './limits.js';
import { MAX_PHONE_INPUT_LENGTH } from './phone.js';

const version = v.literal(PROTOCOL_VERSION);
const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0));
const shortText = v.pipe(v.string(), v.maxLength(200));

/** A callback request's id (nanoid's alphabet). */
export const callbackId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
/** A topic as a short slug (`leistungen`, `beitraege`); what topics exist is the operator's configuration. */
export const topicSlug = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/));

/** The most requests one `callback.list` carries (the oldest windows first). */
export const MAX_CALLBACK_LIST = 200;

/** The body of `POST /callback`. `window` is the start (ISO instant) of one of the offered slots. */
export const CallbackRequestSchema = v.strictObject({
  v: version,
  phone: v.pipe(v.string(), v.maxLength(MAX_PHONE_INPUT_LENGTH)),
  window: v.pipe(v.string(), v.maxLength(40), v.isoTimestamp()),
  /** One of the topics `GET /callback` offered (the configured `chat.topics`); the server refuses another. */
  topic: v.optional(topicSlug),
  /** The version of the callback consent text the visitor agreed to; a request without agreement is never sent. */
  consent: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  lang: v.picklist(['de', 'en']),
});
export type CallbackRequest = v.InferOutput<typeof CallbackRequestSchema>;

export const CallbackItemSchema = v.object({
  id: callbackId,
  /** E.164, normalised by the server. */
  phone: v.pipe(v.string(), v.regex(/^\+[1-9]\d{7,14}$/)),
  /** The preferred window (epoch ms). */
  from: epochMs,
  to: epochMs,
  topic: v.optional(topicSlug),
  lang: v.picklist(['de', 'en']),
  requestedAt: epochMs,
  /** Who took it, while someone did (an advisor id and name from the token). */
  claimedBy: v.optional(v.object({ id: shortText, name: shortText })),
});
export type CallbackItem = v.InferOutput<typeof CallbackItemSchema>;

export const callbackFromAdvisor = [
  v.object({ v: version, type: v.literal('callback.claim'), id: callbackId }),
  v.object({ v: version, type: v.literal('callback.done'), id: callbackId }),
] as const;

export const callbackToAdvisor = [
  v.object({
    v: version,
    type: v.literal('callback.list'),
    items: v.pipe(v.array(CallbackItemSchema), v.maxLength(MAX_CALLBACK_LIST)),
    /** More open requests than `items` holds. */
    more: v.optional(v.literal(true)),
  }),
] as const;
