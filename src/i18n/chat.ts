/**
 * Texts of the visitor's chat pop-up, German first. Same keys in both languages, checked by the type system.
 */
import { MAX_NICKNAME_LENGTH, MIN_NICKNAME_LENGTH } from '../protocol/limits.js';
import { catalogue } from './locale.js';

/** Whole minutes of `seconds`, with the unit's singular or plural. */
const minutes = (seconds: number, one: string, many: string): string => {
  const count = Math.max(1, Math.round(seconds / 60));
  return `${count} ${count === 1 ? one : many}`;
};

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
      position === 1 ? 'Ihre Anfrage ist als nächste an der Reihe.' : `Ihre Anfrage ist an Position ${position} der Warteschlange.`,
    /** `seconds`: the server's estimate, already rounded. */
    wait: (seconds: number) =>
      seconds < 60 ? 'Geschätzte Wartezeit: weniger als eine Minute.' : `Geschätzte Wartezeit: etwa ${minutes(seconds, 'Minute', 'Minuten')}.`,
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
  ending: 'Der Chat ist beendet. Sobald die Verbindung wieder steht, wird er auf dem Server gelöscht, spätestens nach wenigen Minuten von selbst.',
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
    LOTSE_ERR_TERMS_OUTDATED: 'Die Nutzungsbedingungen haben sich geändert. Bitte schließen Sie den Chat und starten Sie ihn neu.',
    LOTSE_ERR_CHAT_FULL: 'Der Chat hat die Höchstlänge erreicht und wurde beendet.',
    LOTSE_ERR_INVALID_CODE: 'Dieser Code ist nicht gültig.',
    LOTSE_ERR_BUSY: 'Im Moment warten sehr viele Anfragen. Bitte versuchen Sie es in einigen Minuten noch einmal.',
    LOTSE_ERR_CLOSED: 'Der Chat ist gerade geschlossen. Bitte versuchen Sie es zu unseren Öffnungszeiten noch einmal.',
    LOTSE_ERR_OUTBOX_FULL: 'Zu viele Nachrichten warten auf die Verbindung. Bitte warten Sie einen Moment.',
    LOTSE_ERR_TOKEN_EXPIRED:
      'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an. Ihr Chat und Ihre noch nicht gesendeten Nachrichten bleiben erhalten.',
    LOTSE_ERR_TOKEN_INVALID:
      'Ihre Anmeldung im Mitgliederbereich konnte nicht bestätigt werden. Bitte laden Sie die Seite neu oder melden Sie sich erneut an.',
    closed: 'Der Server hat die Verbindung beendet.',
    other: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es noch einmal.',
  },
};

export type ChatText = typeof de;
export type ProblemKey = keyof ChatText['problems'];

export const chatText = catalogue(de, {
  title: 'Advice chat',
  collapse: 'Minimise chat',
  termsHeading: 'Terms of use and participation',
  termsLoading: 'Loading the terms of use …',
  termsFailed: 'The terms of use could not be loaded. Please check your internet connection.',
  termsRetry: 'Try again',
  termsConfirm: 'I have read and accept the terms of use and participation.',
  termsAccept: 'Accept and continue',
  nicknameLabel: 'Your nickname',
  nicknameHint: `A name of your choice, ${MIN_NICKNAME_LENGTH} to ${MAX_NICKNAME_LENGTH} characters. Please do not use your real name.`,
  nicknameErrors: {
    short: `Please enter at least ${MIN_NICKNAME_LENGTH} characters.`,
    long: `Please enter at most ${MAX_NICKNAME_LENGTH} characters.`,
    characters:
      'The nickname must not contain control characters or invisible characters (such as line breaks, zero-width spaces or text direction marks).',
  },
  nicknameSubmit: 'Begin chat',
  waiting: 'We are connecting you with an advisor. Please wait a moment.',
  advisor: (name: string) => `You are chatting with ${name}`,
  queue: {
    place: (position: number) => (position === 1 ? 'Your request is next in the queue.' : `Your request is number ${position} in the queue.`),
    wait: (seconds: number) =>
      seconds < 60 ? 'Estimated wait: less than a minute.' : `Estimated wait: about ${minutes(seconds, 'minute', 'minutes')}.`,
  },
  elsewhere: 'The chat is open in another tab.',
  takeOver: 'Continue here',
  sound: 'Sound for new messages',
  read: 'Read',
  connection: {
    idle: '',
    connecting: 'Connecting …',
    connected: 'Connected',
    reconnecting: 'Connection interrupted. Reconnecting …',
    closed: 'Disconnected',
  },
  messages: 'Messages',
  you: 'You',
  pending: 'sending …',
  joined: (name: string) => `${name} has joined the chat.`,
  left: 'The advisor has left the chat.',
  endedBy: {
    visitor: 'You ended the chat.',
    advisor: 'The advisor ended the chat.',
    timeout: 'The chat was ended after a period of inactivity.',
    gone: 'The chat was ended because you were away from the page for too long.',
    server: 'The chat was ended by the system.',
  },
  typing: (name: string) => `${name} is typing …`,
  someone: 'The advisor',
  composerLabel: 'Your message',
  send: 'Send',
  end: 'End chat',
  ended: 'The chat has ended. All data of this chat has been deleted on the server.',
  lost: 'This chat is no longer available: the page was closed or the connection interrupted for too long. The chat has ended; nothing of it is stored on the server.',
  ending: 'The chat has ended. It is deleted on the server as soon as the connection is back, and by itself within minutes at the latest.',
  member: {
    signedIn: 'Signed in to the member area. The advisor sees your name and insurance number.',
    ended: 'The chat has ended. The transcript is kept as described in the terms of use.',
    ending: 'The chat has ended. The server is told as soon as the connection is back.',
    lost: 'This chat is no longer available: the page was closed or the connection interrupted for too long. The chat has ended.',
    refused: 'The chat could not take place.',
  },
  copy: 'Copy transcript',
  copied: 'The transcript has been copied to the clipboard.',
  transcriptLabel: 'Transcript',
  transcriptHint: 'The text is selected. Press Ctrl+C (⌘+C on a Mac) to copy it.',
  close: 'Close',
  problems: {
    LOTSE_ERR_TOO_LONG: 'The message is too long and was not sent.',
    LOTSE_ERR_RATE_LIMITED: 'You are typing very fast. The message will be sent again in a moment.',
    LOTSE_ERR_UNKNOWN_CHAT: 'This chat no longer exists on the server.',
    LOTSE_ERR_CHAT_ENDED: 'The chat has already ended.',
    LOTSE_ERR_TERMS_OUTDATED: 'The terms of use have changed. Please close the chat and start it again.',
    LOTSE_ERR_CHAT_FULL: 'The chat has reached its maximum length and was ended.',
    LOTSE_ERR_INVALID_CODE: 'This code is not valid.',
    LOTSE_ERR_BUSY: 'Too many requests are waiting right now. Please try again in a few minutes.',
    LOTSE_ERR_CLOSED: 'The chat is closed right now. Please try again during our opening hours.',
    LOTSE_ERR_OUTBOX_FULL: 'Too many messages are waiting for the connection. Please wait a moment.',
    LOTSE_ERR_TOKEN_EXPIRED: 'Your sign-in has expired. Please sign in again. Your chat and any unsent messages are kept.',
    LOTSE_ERR_TOKEN_INVALID: 'Your sign-in to the member area could not be confirmed. Please reload the page or sign in again.',
    closed: 'The server closed the connection.',
    other: 'Something went wrong. Please try again.',
  },
});

/** The text for a problem code of `VisitorChat.problem` (`LOTSE_ERR_*`, or `close <code>`). */
export function problemText(text: ChatText, code: string): string {
  if (code.startsWith('close ')) return text.problems.closed;
  return Object.hasOwn(text.problems, code) ? text.problems[code as ProblemKey] : text.problems.other;
}
