/**
 * The callback area of the server configuration (`callbacks`): whether the closed launcher offers "Rückruf
 * anfordern", which windows it offers, the consent text a visitor agrees to, how long a request is kept, and the
 * limits against a flood of requests. Every setting with its environment variable, default and description
 * (`fields.ts`); the type is inferred from them. Requests live in the store: without one the offer is never shown.
 */
import * as v from 'valibot';
import { setting } from './fields.js';
import { termsSchema } from './values.js';

const int = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be an integer'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

/** A whole-number setting from `min` to `max` with its environment variable and default. */
const count = (spec: { min: number; max: number; default: number; env: string }, description: string) =>
  v.optional(setting(int(spec.min, spec.max), description, { env: spec.env }), spec.default);

export const DEFAULT_CALLBACK_CONSENT_VERSION = 'callback-2026-12';

/** The built-in consent text: what is stored, what for, how long (the defaults), and the way out. */
export const DEFAULT_CALLBACK_CONSENT_TEXT = {
  de:
    'Ich bitte um einen Rückruf unter der angegebenen Telefonnummer im gewählten Zeitfenster. Gespeichert werden ' +
    'nur die Telefonnummer, das Zeitfenster und das gewählte Thema, ausschließlich für diesen Rückruf. Sie werden ' +
    '14 Tage nach dem Rückruf gelöscht, spätestens 30 Tage nach dem Zeitfenster. Einen Namen brauchen wir nicht.',
  en:
    'I ask for a call back on the phone number given, in the window chosen. Only the phone number, the window and ' +
    'the topic chosen are stored, for this call only. They are deleted 14 days after the call, at the latest 30 ' +
    'days after the window. We do not need your name.',
};

export const CallbacksConfigSchema = v.strictObject(
  {
    enabled: v.optional(
      setting(
        v.boolean('must be true or false'),
        'offer "Rückruf anfordern" in the closed launcher; needs the store (without one it is never offered)',
        { env: 'LOTSE_CALLBACKS_ENABLED' },
      ),
      true,
    ),
    consent: termsSchema({
      path: 'callbacks.consent',
      versionEnv: 'LOTSE_CALLBACKS_CONSENT_VERSION',
      versionDescription: 'version of the callback consent text; a request must name exactly this one',
      textDescription: 'the consent text shown above the callback form (plain text)',
      defaults: { version: DEFAULT_CALLBACK_CONSENT_VERSION, text: DEFAULT_CALLBACK_CONSENT_TEXT },
    }),
    slotMinutes: count(
      { min: 15, max: 240, default: 60, env: 'LOTSE_CALLBACKS_SLOT_MINUTES' },
      'length of one offered time window, minutes',
    ),
    slots: count(
      { min: 1, max: 48, default: 12, env: 'LOTSE_CALLBACKS_SLOTS' },
      'how many windows are offered: the next ones within the opening hours',
    ),
    leadMinutes: count(
      { min: 0, max: 1440, default: 30, env: 'LOTSE_CALLBACKS_LEAD_MINUTES' },
      'a window is offered only if it starts at least this long from now',
    ),
    retentionDays: count(
      { min: 1, max: 3650, default: 14, env: 'LOTSE_CALLBACKS_RETENTION_DAYS' },
      'a request is deleted this long after it was marked done (hourly, and by `lotse purge`), filed or not',
    ),
    undoneDays: count(
      { min: 1, max: 3650, default: 30, env: 'LOTSE_CALLBACKS_UNDONE_DAYS' },
      'a request never marked done is deleted this long after the end of its window',
    ),
    perClientPerHour: count(
      { min: 1, max: 100, default: 3, env: 'LOTSE_CALLBACKS_PER_CLIENT_PER_HOUR' },
      'requests one client (its keyed address, an IPv6 one by its /64) may send an hour',
    ),
    maxOpen: count(
      { min: 1, max: 100_000, default: 1000, env: 'LOTSE_CALLBACKS_MAX_OPEN' },
      'open (not done) requests the service holds at most; beyond it new ones are refused',
    ),
    maxBodyBytes: count(
      { min: 256, max: 16_384, default: 1024, env: 'LOTSE_CALLBACKS_MAX_BODY_BYTES' },
      'largest body of `POST /callback`, bytes; a larger one is refused with 413',
    ),
  },
  'must be an object',
);

export type CallbacksConfig = v.InferOutput<typeof CallbacksConfigSchema>;
