/**
 * Texts of the advisor console, German first and English second. Everything a user of the console can see or
 * hear (labels, accessible names, status lines) comes from here; the element templates hold no literal.
 */
import { catalogue } from './locale.js';
import type { Lang } from './locale.js';
import type { ErrorCode } from '../protocol/errors.js';

export interface AdvisorTexts {
  consoleLabel: string;
  signedOut: string;
  badServer: string;
  connection: Record<'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed', string>;
  presenceLabel: string;
  queueHeading: string;
  queueEmpty: string;
  /** Waiting time of a queue item; `minutes` is whole minutes, at least 0. */
  waiting: (minutes: number, lang: Lang) => string;
  noFirstMessage: string;
  accept: (nickname: string) => string;
  acceptShort: string;
  chatsHeading: string;
  noChats: string;
  unread: (count: number) => string;
  anonymous: string;
  visitorCardLabel: string;
  nicknameLabel: string;
  logLabel: (nickname: string) => string;
  you: string;
  pendingMark: string;
  joined: (advisor: string) => string;
  left: (nickname: string) => string;
  ended: Record<'visitor' | 'advisor' | 'timeout' | 'server', (nickname: string) => string>;
  lost: string;
  typing: (nickname: string) => string;
  composerLabel: (nickname: string) => string;
  send: string;
  end: string;
  dismiss: string;
  dismissProblem: string;
  outboxFull: string;
  /** One text per stable error code: the type system makes sure none is missing. */
  errors: Record<ErrorCode, string>;
  errorFallback: string;
}

function minutesText(minutes: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(minutes);
}

const de: AdvisorTexts = {
  consoleLabel: 'Lotse Beratungskonsole',
  signedOut: 'Nicht angemeldet. Bitte melden Sie sich in Ihrer Anwendung an, um Chats anzunehmen.',
  badServer: 'Die Serveradresse fehlt oder ist ungültig (erwartet wird eine http- oder https-Adresse).',
  connection: {
    idle: 'Verbindung wird aufgebaut …',
    connecting: 'Verbindung wird aufgebaut …',
    connected: 'Verbunden',
    reconnecting: 'Verbindung unterbrochen, neuer Versuch …',
    closed: 'Verbindung beendet',
  },
  presenceLabel: 'Verfügbar für neue Chats',
  queueHeading: 'Warteschlange',
  queueEmpty: 'Niemand wartet.',
  waiting: (minutes, lang) =>
    minutes < 1 ? 'Wartet seit weniger als einer Minute' : `Wartet seit ${minutesText(minutes, lang)}`,
  noFirstMessage: 'Noch keine Nachricht',
  accept: (nickname) => `Chat mit ${nickname} annehmen`,
  acceptShort: 'Annehmen',
  chatsHeading: 'Ihre Chats',
  noChats: 'Keine offenen Chats.',
  unread: (count) => (count === 1 ? '1 ungelesene Nachricht' : `${count} ungelesene Nachrichten`),
  anonymous: 'Anonym',
  visitorCardLabel: 'Gesprächspartner',
  nicknameLabel: 'Spitzname',
  logLabel: (nickname) => `Verlauf des Chats mit ${nickname}`,
  you: 'Sie',
  pendingMark: 'wird gesendet …',
  joined: (advisor) => `${advisor} ist dem Chat beigetreten.`,
  left: (nickname) => `${nickname} hat den Chat verlassen.`,
  ended: {
    visitor: (nickname) => `${nickname} hat den Chat beendet.`,
    advisor: () => 'Der Chat wurde von der Beratung beendet.',
    timeout: () => 'Der Chat wurde wegen Inaktivität beendet.',
    server: () => 'Der Chat wurde vom Server beendet.',
  },
  lost: 'Dieser Chat ist auf dem Server nicht mehr vorhanden.',
  typing: (nickname) => `${nickname} schreibt …`,
  composerLabel: (nickname) => `Nachricht an ${nickname}`,
  send: 'Senden',
  end: 'Chat beenden',
  dismiss: 'Chat schließen',
  dismissProblem: 'Hinweis schließen',
  outboxFull: 'Zu viele Nachrichten warten auf den Versand. Bitte warten Sie, bis die Verbindung wieder steht.',
  errors: {
    LOTSE_ERR_MALFORMED: 'Die Nachricht konnte nicht verarbeitet werden.',
    LOTSE_ERR_UNKNOWN_TYPE: 'Diese Aktion wird vom Server nicht unterstützt.',
    LOTSE_ERR_UNSUPPORTED_VERSION: 'Konsole und Server verwenden unterschiedliche Protokollversionen.',
    LOTSE_ERR_TOO_LONG: 'Die Nachricht ist zu lang.',
    LOTSE_ERR_RATE_LIMITED: 'Zu viele Nachrichten in kurzer Zeit. Bitte kurz warten.',
    LOTSE_ERR_UNKNOWN_CHAT: 'Diesen Chat gibt es nicht mehr.',
    LOTSE_ERR_CHAT_ENDED: 'Der Chat ist bereits beendet.',
    LOTSE_ERR_INVALID_STATE: 'Diese Aktion ist gerade nicht möglich.',
    LOTSE_ERR_TERMS_OUTDATED: 'Die Nutzungsbedingungen haben sich geändert.',
    LOTSE_ERR_ALREADY_TAKEN: 'Eine andere Beraterin oder ein anderer Berater hat diesen Chat bereits angenommen.',
    LOTSE_ERR_CHAT_FULL: 'Der Chat ist zu lang geworden und wurde beendet.',
  },
  errorFallback: 'Es ist ein Fehler aufgetreten.',
};

const en: AdvisorTexts = {
  consoleLabel: 'Lotse advisor console',
  signedOut: 'Not signed in. Please sign in to your application to accept chats.',
  badServer: 'The server address is missing or invalid (an http or https address is expected).',
  connection: {
    idle: 'Connecting …',
    connecting: 'Connecting …',
    connected: 'Connected',
    reconnecting: 'Connection lost, retrying …',
    closed: 'Disconnected',
  },
  presenceLabel: 'Available for new chats',
  queueHeading: 'Queue',
  queueEmpty: 'Nobody is waiting.',
  waiting: (minutes, lang) =>
    minutes < 1 ? 'Waiting for less than a minute' : `Waiting for ${minutesText(minutes, lang)}`,
  noFirstMessage: 'No message yet',
  accept: (nickname) => `Accept chat with ${nickname}`,
  acceptShort: 'Accept',
  chatsHeading: 'Your chats',
  noChats: 'No open chats.',
  unread: (count) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  anonymous: 'Anonymous',
  visitorCardLabel: 'Visitor',
  nicknameLabel: 'Nickname',
  logLabel: (nickname) => `Conversation with ${nickname}`,
  you: 'You',
  pendingMark: 'sending …',
  joined: (advisor) => `${advisor} joined the chat.`,
  left: (nickname) => `${nickname} left the chat.`,
  ended: {
    visitor: (nickname) => `${nickname} ended the chat.`,
    advisor: () => 'The chat was ended by the advisor.',
    timeout: () => 'The chat was ended for inactivity.',
    server: () => 'The chat was ended by the server.',
  },
  lost: 'This chat no longer exists on the server.',
  typing: (nickname) => `${nickname} is typing …`,
  composerLabel: (nickname) => `Message to ${nickname}`,
  send: 'Send',
  end: 'End chat',
  dismiss: 'Close chat',
  dismissProblem: 'Dismiss notice',
  outboxFull: 'Too many messages are waiting to be sent. Please wait until the connection is back.',
  errors: {
    LOTSE_ERR_MALFORMED: 'The message could not be processed.',
    LOTSE_ERR_UNKNOWN_TYPE: 'The server does not support this action.',
    LOTSE_ERR_UNSUPPORTED_VERSION: 'Console and server speak different protocol versions.',
    LOTSE_ERR_TOO_LONG: 'The message is too long.',
    LOTSE_ERR_RATE_LIMITED: 'Too many messages in a short time. Please wait a moment.',
    LOTSE_ERR_UNKNOWN_CHAT: 'This chat no longer exists.',
    LOTSE_ERR_CHAT_ENDED: 'The chat has already ended.',
    LOTSE_ERR_INVALID_STATE: 'This action is not possible right now.',
    LOTSE_ERR_TERMS_OUTDATED: 'The terms of use have changed.',
    LOTSE_ERR_ALREADY_TAKEN: 'Another advisor already took this chat.',
    LOTSE_ERR_CHAT_FULL: 'The chat grew too long and was ended.',
  },
  errorFallback: 'Something went wrong.',
};

export const advisorTexts = catalogue<AdvisorTexts>(de, en);

/** The text for a `LOTSE_ERR_*` code, or a generic one for a code this console does not know. */
export function errorText(texts: AdvisorTexts, code: string): string {
  return Object.hasOwn(texts.errors, code) ? texts.errors[code as ErrorCode] : texts.errorFallback;
}
