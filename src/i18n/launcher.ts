/**
 * Texts of the launcher button and its closed notice. Loaded on every page view, so it stays tiny; the pop-up has
 * its own catalogue.
 */
import { catalogue } from './locale.js';

const de = {
  /** Accessible name of the launcher button; its state is told by `aria-expanded`. */
  launcher: 'Chat mit der Beratung',
  /** Added to the name while the chat is closed. */
  closedLabel: 'Chat mit der Beratung, gerade geschlossen',
  closed: 'Der Chat ist gerade geschlossen.',
  /** `when` is weekday and time in the visitor's language, e.g. `Montag, 08:00`. */
  back: (when: string) => `Wieder da: ${when} Uhr`,
  /** `Intl` locale of `back`. */
  locale: 'de-DE',
  /** Added to the launcher's name while advisor messages are unread. */
  unread: (count: number) => (count === 1 ? '1 neue Nachricht' : `${count} neue Nachrichten`),
};

export type LauncherText = typeof de;

export const launcherText = catalogue(de, {
  launcher: 'Chat with an advisor',
  closedLabel: 'Chat with an advisor, closed right now',
  closed: 'The chat is closed right now.',
  back: (when) => `Back: ${when}`,
  locale: 'en-GB',
  unread: (count) => (count === 1 ? '1 new message' : `${count} new messages`),
});
