/**
 * Texts of the callback request (`<lotse-callback>`, loaded on demand from the closed launcher, and from the
 * pop-up when the server refused a chat for want of room or while the chat waits long). German first.
 * The consent text itself is the operator's (`callbacks.consent`), served with the windows.
 */
import { catalogue } from './locale.js';

const de = {
  open: 'Rückruf anfordern',
  heading: 'Rückruf anfordern',
  intro: 'Wir rufen Sie in einem Zeitfenster Ihrer Wahl zurück. Einen Namen brauchen wir nicht.',
  busy: 'Alle Beraterinnen und Berater sind gerade im Gespräch. Gern rufen wir Sie zurück.',
  /** While the chat waits long: the small button under the queue text, and what the status region says once. */
  instead: 'Rückruf statt warten',
  insteadSaid: 'Das Warten kann länger dauern. Statt zu warten, können Sie einen Rückruf anfordern.',
  phoneLabel: 'Telefonnummer',
  phoneHint: 'Zum Beispiel 030 1234567 oder +49 30 1234567',
  windowLabel: 'Wunschzeit',
  windowPlaceholder: 'Bitte wählen',
  topicLabel: 'Thema (freiwillig)',
  topicNone: 'Kein bestimmtes Thema',
  consentHeading: 'Einwilligung',
  consentLabel: 'Ich willige in die Speicherung meiner Telefonnummer für diesen Rückruf ein.',
  submit: 'Rückruf anfordern',
  sending: 'Wird gesendet …',
  cancel: 'Abbrechen',
  loading: 'Zeitfenster werden geladen …',
  errors: {
    phone: 'Bitte geben Sie eine gültige Telefonnummer ein, zum Beispiel 030 1234567.',
    window: 'Bitte wählen Sie ein Zeitfenster.',
    staleWindow: 'Dieses Zeitfenster ist nicht mehr frei. Bitte wählen Sie ein anderes.',
    topic: 'Dieses Thema wird nicht mehr angeboten. Bitte wählen Sie ein anderes oder keines.',
    consent: 'Bitte willigen Sie ein, damit wir Sie zurückrufen können.',
    rate: 'Von diesem Anschluss kamen zu viele Anfragen. Bitte versuchen Sie es später noch einmal.',
    failed: 'Das hat nicht geklappt. Bitte versuchen Sie es später noch einmal.',
    none: 'Gerade sind keine Rückrufe möglich.',
  },
  /** `when`: day and window in the visitor's language; `phone`: the number as stored. */
  done: (when: string, phone: string) => `Vielen Dank. Wir rufen Sie ${when} unter ${phone} an.`,
  /** `day`, `from`, `to` formatted by `Intl`. */
  window: (day: string, from: string, to: string) => `${day}, ${from}–${to} Uhr`,
  locale: 'de-DE',
};

export type CallbackText = typeof de;

export const callbackText = catalogue(de, {
  open: 'Request a callback',
  heading: 'Request a callback',
  intro: 'We will call you back in a window of your choice. We do not need your name.',
  busy: 'All our advisors are busy right now. We will gladly call you back.',
  instead: 'Request a callback instead',
  insteadSaid: 'The wait may be long. Instead of waiting, you can request a callback.',
  phoneLabel: 'Phone number',
  phoneHint: 'For example 030 1234567 or +49 30 1234567',
  windowLabel: 'Preferred time',
  windowPlaceholder: 'Please choose',
  topicLabel: 'Topic (optional)',
  topicNone: 'No particular topic',
  consentHeading: 'Consent',
  consentLabel: 'I agree that my phone number is stored for this callback.',
  submit: 'Request a callback',
  sending: 'Sending …',
  cancel: 'Cancel',
  loading: 'Loading time windows …',
  errors: {
    phone: 'Please enter a valid phone number, for example 030 1234567.',
    window: 'Please choose a time window.',
    staleWindow: 'This time window is no longer free. Please choose another one.',
    topic: 'This topic is no longer offered. Please choose another one or none.',
    consent: 'Please agree, so that we can call you back.',
    rate: 'Too many requests came from this connection. Please try again later.',
    failed: 'That did not work. Please try again later.',
    none: 'No callbacks are possible right now.',
  },
  done: (when, phone) => `Thank you. We will call you ${when} on ${phone}.`,
  window: (day, from, to) => `${day}, ${from}–${to}`,
  locale: 'en-GB',
});
