/**
 * Texts of the chat pop-up's later part (`visitor/chat-later.ts`: the ended view with its transcript copy, and the
 * problems a running chat can meet), German. Apart from the pop-up's own texts (`chat.ts`): they load with that
 * part once there is a chat, so they cost the pop-up's opening nothing. English (`later` in `chat-en.ts`, the same
 * keys, checked by the type system) comes with the pop-up's English texts, only on an English page.
 */
import { laterEnglish } from './chat.js';
import type { Lang } from './locale.js';

const de = {
  ended: 'Der Chat ist beendet. Alle Daten dieses Chats wurden auf dem Server gelöscht.',
  lost: 'Dieser Chat ist nicht mehr verfügbar: Die Seite war zu lange geschlossen oder die Verbindung zu lange unterbrochen. Der Chat ist beendet; auf dem Server ist nichts davon gespeichert.',
  ending:
    'Der Chat ist beendet. Sobald die Verbindung wieder steht, wird er auf dem Server gelöscht, spätestens nach wenigen Minuten von selbst.',
  member: {
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

export type LaterText = typeof de;
type ProblemKey = keyof LaterText['problems'];

/** The texts of `lang`; German until English is loaded (`loadChatText` in `chat.ts`). */
export function laterText(lang: Lang): LaterText {
  return (lang === 'en' && laterEnglish()) || de;
}

/** The text in `lang` for a problem code of `VisitorChat.problem` (`LOTSE_ERR_*`, or `close <code>`). */
export function problemText(lang: Lang, code: string): string {
  const text = laterText(lang);
  if (code.startsWith('close ')) return text.problems.closed;
  return Object.hasOwn(text.problems, code) ? text.problems[code as ProblemKey] : text.problems.other;
}
