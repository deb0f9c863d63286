/**
 * Texts of the visitor's chat pop-up, German first. English (`chat-en.ts`) has the same keys, checked by the type
 * system, and is loaded only on an English page.
 */
import { MAX_NICKNAME_LENGTH, MIN_NICKNAME_LENGTH } from '../protocol/limits.js';
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
  ended: 'Der Chat ist beendet. Alle Daten dieses Chats wurden auf dem Server gelöscht.',
  lost: 'Dieser Chat ist nicht mehr verfügbar: Die Seite war zu lange geschlossen oder die Verbindung zu lange unterbrochen. Der Chat ist beendet; auf dem Server ist nichts davon gespeichert.',
  ending:
    'Der Chat ist beendet. Sobald die Verbindung wieder steht, wird er auf dem Server gelöscht, spätestens nach wenigen Minuten von selbst.',
  /** A member chat: the visitor is signed in, and the advisor will see who they are. */
  member: {
    signedIn: 'Angemeldet im Mitgliederbereich. Die Beratung sieht Ihren Namen und Ihre Versichertennummer.',
    ended: 'Der Chat ist beendet. Der Verlauf wird aufbewahrt, wie es die Nutzungsbedingungen beschreiben.',
    ending: 'Der Chat ist beendet. Das wird dem Server mitgeteilt, sobald die Verbindung wieder steht.',
    lost: 'Dieser Chat ist nicht mehr verfügbar: Die Seite war zu lange geschlossen oder die Verbindung zu lange unterbrochen. Der Chat ist beendet.',
    refused: 'Der Chat konnte nicht geführt werden.',
  },
  copy: 'Verlauf kopieren',
  copied: 'Der Verlauf wurde in die Zwischenablage kopiert.',
  transcriptLabel: 'Verlauf',
  transcriptHint: 'Der Text ist markiert. Drücken Sie Strg+C (am Mac ⌘+C), um ihn zu kopieren.',
  close: 'Schließen',
  problems: {
    LOTSE_ERR_TOO_LONG: 'Die Nachricht ist zu lang und wurde nicht gesendet.',
    LOTSE_ERR_RATE_LIMITED: 'Sie schreiben sehr schnell. Die Nachricht wird gleich erneut gesendet.',
    LOTSE_ERR_UNKNOWN_CHAT: 'Dieser Chat ist auf dem Server nicht mehr vorhanden.',
    LOTSE_ERR_CHAT_ENDED: 'Der Chat ist bereits beendet.',
    LOTSE_ERR_TERMS_OUTDATED:
      'Die Nutzungsbedingungen haben sich geändert. Bitte schließen Sie den Chat und starten Sie ihn neu.',
    LOTSE_ERR_CHAT_FULL: 'Der Chat hat die Höchstlänge erreicht und wurde beendet.',
    LOTSE_ERR_INVALID_CODE: 'Dieser Code ist nicht gültig.',
    LOTSE_ERR_BUSY: 'Im Moment warten sehr viele Anfragen. Bitte versuchen Sie es in einigen Minuten noch einmal.',
    LOTSE_ERR_CLOSED: 'Der Chat ist gerade geschlossen. Bitte versuchen Sie es zu unseren Öffnungszeiten noch einmal.',
    LOTSE_ERR_OUTBOX_FULL: 'Zu viele Nachrichten warten auf die Verbindung. Bitte warten Sie einen Moment.',
    LOTSE_ERR_TOKEN_EXPIRED:
      'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an. Ihr Chat und Ihre noch nicht gesendeten Nachrichten bleiben erhalten.',
    LOTSE_ERR_TOKEN_INVALID:
      'Ihre Anmeldung im Mitgliederbereich konnte nicht bestätigt werden. Bitte laden Sie die Seite neu oder melden Sie sich erneut an.',
    LOTSE_ERR_TOO_MANY_WAITING:
      'Von Ihrem Anschluss warten schon mehrere Chats auf die Beratung. Bitte nutzen Sie einen davon oder versuchen Sie es später noch einmal.',
    LOTSE_ERR_TOKEN_USED:
      'Mit dieser Anmeldung wurde schon ein Chat begonnen. Bitte laden Sie die Seite neu, um einen neuen zu beginnen.',
    closed: 'Der Server hat die Verbindung beendet.',
    other: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es noch einmal.',
  },
};

export type ChatText = typeof de;
export type ProblemKey = keyof ChatText['problems'];

/** English, once `loadChatText('en')` has brought it. */
let en: ChatText | undefined;

/**
 * Makes sure the texts of `lang` are there: German always is; English is a chunk of its own. Resolves at once
 * when nothing needs loading.
 */
export function loadChatText(lang: Lang): Promise<void> {
  if (lang === 'de' || en !== undefined) return Promise.resolve();
  return import('./chat-en.js').then((module) => {
    en = module.en;
  });
}

/** The texts of `lang`; German until English is loaded (`loadChatText`). */
export function chatText(lang: Lang): ChatText {
  return lang === 'en' && en !== undefined ? en : de;
}

/** The text for a problem code of `VisitorChat.problem` (`LOTSE_ERR_*`, or `close <code>`). */
export function problemText(text: ChatText, code: string): string {
  if (code.startsWith('close ')) return text.problems.closed;
  return Object.hasOwn(text.problems, code) ? text.problems[code as ProblemKey] : text.problems.other;
}
