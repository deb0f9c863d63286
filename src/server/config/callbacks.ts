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
    slotMinutes: v.optional(
      setting(int(15, 240), 'length of one offered time window, minutes', { env: 'LOTSE_CALLBACKS_SLOT_MINUTES' }),
      60,
    ),
    slots: v.optional(
      setting(int(1, 48), 'how many windows are offered: the next ones within the opening hours', {
        env: 'LOTSE_CALLBACKS_SLOTS',
      }),
      12,
    ),
    leadMinutes: v.optional(
      setting(int(0, 1440), 'a window is offered only if it starts at least this long from now', {
        env: 'LOTSE_CALLBACKS_LEAD_MINUTES',
      }),
      30,
    ),
    retentionDays: v.optional(
      setting(
        int(1, 3650),
        'a request is deleted this long after it was marked done (hourly, and by `lotse purge`), filed or not',
        { env: 'LOTSE_CALLBACKS_RETENTION_DAYS' },
      ),
      14,
    ),
    undoneDays: v.optional(
      setting(int(1, 3650), 'a request never marked done is deleted this long after the end of its window', {
        env: 'LOTSE_CALLBACKS_UNDONE_DAYS',
      }),
      30,
    ),
    perClientPerHour: v.optional(
      setting(int(1, 100), 'requests one client (its keyed address, an IPv6 one by its /64) may send an hour', {
        env: 'LOTSE_CALLBACKS_PER_CLIENT_PER_HOUR',
      }),
      3,
    ),
    maxOpen: v.optional(
      setting(int(1, 100_000), 'open (not done) requests the service holds at most; beyond it new ones are refused', {
        env: 'LOTSE_CALLBACKS_MAX_OPEN',
      }),
      1000,
    ),
    maxBodyBytes: v.optional(
      setting(int(256, 16_384), 'largest body of `POST /callback`, bytes; a larger one is refused with 413', {
        env: 'LOTSE_CALLBACKS_MAX_BODY_BYTES',
      }),
      1024,
    ),
  },
  'must be an object',
);

export type CallbacksConfig = v.InferOutput<typeof CallbacksConfigSchema>;
