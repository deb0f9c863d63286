/**
 * Texts of the visitor's chat pop-up, German first. English (`chat-en.ts`) has the same keys, checked by the type
 * system, and is loaded only on an English page.
 */
import { MAX_NICKNAME_LENGTH, MIN_NICKNAME_LENGTH } from '../protocol/limits.js';
import type { LaterText } from './chat-later.js';
import type { Lang } from './locale.js';
import { minutes } from './minutes.js';

const de = {
  title: 'Beratungs-Chat',
  collapse: 'Chat minimieren',
  termsHeading: 'Nutzungs- und Teilnahmebedingungen',
  termsLoading: 'Die Nutzungsbedingungen werden geladen …',
  termsFailed: 'Die Nutzungsbedingungen konnten nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung.',
  termsRetry: 'Erneut versuchen',
  termsConfirm: 'Ich habe die Nutzungs- und Teilnahmebedingungen gelesen und akzeptiere sie.',
  termsAccept: 'Zustimmen und weiter',
  nicknameLabel: 'Ihr Spitzname',
  nicknameHint: `Ein frei gewählter Name mit ${MIN_NICKNAME_LENGTH} bis ${MAX_NICKNAME_LENGTH} Zeichen. Bitte geben Sie nicht Ihren echten Namen an.`,
  nicknameErrors: {
    short: `Bitte geben Sie mindestens ${MIN_NICKNAME_LENGTH} Zeichen ein.`,
    long: `Bitte geben Sie höchstens ${MAX_NICKNAME_LENGTH} Zeichen ein.`,
    characters:
      'Der Spitzname darf keine Steuerzeichen und keine unsichtbaren Zeichen (etwa Zeilenumbrüche, Leerzeichen ohne Breite oder Schreibrichtungszeichen) enthalten.',
  },
  nicknameSubmit: 'Chat beginnen',
  waiting: 'Wir verbinden Sie mit einer Beraterin oder einem Berater. Bitte haben Sie einen Moment Geduld.',
  advisor: (name: string) => `Sie chatten mit ${name}`,
  queue: {
    place: (position: number) =>
      position === 1
        ? 'Ihre Anfrage ist als nächste an der Reihe.'
        : `Ihre Anfrage ist an Position ${position} der Warteschlange.`,
    /** `seconds`: the server's estimate, already rounded. */
    wait: (seconds: number) =>
      seconds < 60
        ? 'Geschätzte Wartezeit: weniger als eine Minute.'
        : `Geschätzte Wartezeit: etwa ${minutes(seconds, 'Minute', 'Minuten')}.`,
  },
  elsewhere: 'Der Chat läuft in einem anderen Tab.',
  takeOver: 'Hier weiterführen',
  sound: 'Ton bei neuen Nachrichten',
  read: 'Gelesen',
  connection: {
    idle: '',
    connecting: 'Verbindung wird hergestellt …',
    connected: 'Verbunden',
    reconnecting: 'Verbindung unterbrochen. Sie wird wiederhergestellt …',
    closed: 'Verbindung getrennt',
  },
  messages: 'Nachrichten',
  you: 'Sie',
  pending: 'wird gesendet …',
  joined: (name: string) => `${name} ist dem Chat beigetreten.`,
  left: 'Die Beraterin oder der Berater hat den Chat verlassen.',
  transferred: (name: string) => `Sie werden mit ${name} verbunden.`,
  endedBy: {
    visitor: 'Sie haben den Chat beendet.',
    advisor: 'Die Beratung hat den Chat beendet.',
    timeout: 'Der Chat wurde wegen Inaktivität beendet.',
    gone: 'Der Chat wurde beendet, weil Sie zu lange nicht auf der Seite waren.',
    server: 'Der Chat wurde vom System beendet.',
  },
  typing: (name: string) => `${name} schreibt …`,
  someone: 'Die Beratung',
  composerLabel: 'Ihre Nachricht',
  send: 'Senden',
  end: 'Chat beenden',
  /** A member chat: the visitor is signed in, and the advisor will see who they are. */
  member: {
    signedIn: 'Angemeldet im Mitgliederbereich. Die Beratung sieht Ihren Namen und Ihre Versichertennummer.',
  },
};

export type ChatText = typeof de;

/** English, once `loadChatText('en')` has brought it; with it the English of the later part (`chat-later.ts`). */
let en: ChatText | undefined;
let enLater: LaterText | undefined;

/**
 * Makes sure the texts of `lang` are there: German always is; English is a chunk of its own. Resolves at once
 * when nothing needs loading.
 */
export function loadChatText(lang: Lang): Promise<void> {
  if (lang === 'de' || en !== undefined) return Promise.resolve();
  return import('./chat-en.js').then((module) => {
    en = module.en;
    enLater = module.later;
  });
}

/** The texts of `lang`; German until English is loaded (`loadChatText`). */
export function chatText(lang: Lang): ChatText {
  return lang === 'en' && en !== undefined ? en : de;
}

/** The English texts of the pop-up's later part, once `loadChatText('en')` has brought them (`chat-later.ts`). */
export function laterEnglish(): LaterText | undefined {
  return enLater;
}
