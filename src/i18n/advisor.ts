/**
 * Texts of the advisor console, German first and English second. Everything a user of the console can see or
 * hear (labels, accessible names, status lines) comes from here; the element templates hold no literal.
 */
import { catalogue } from './locale.js';
import type { Lang } from './locale.js';
import type { ErrorCode } from '../protocol/errors.js';
import type { ChatEndedBy } from '../protocol/messages.js';
import { layoutDe, layoutEn } from './advisor-layout.js';
import type { LayoutTexts } from './advisor-layout.js';

export interface AdvisorTexts {
  consoleLabel: string;
  signedOut: string;
  badServer: string;
  connection: Record<'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed', string>;
  presenceLabel: string;
  /** The header's button of a console that signed the advisor in itself (`sign-in`). */
  signOut: string;
  queueHeading: string;
  /** How many people wait in the queue; announced as a status whenever it changes. */
  queueCount: (count: number) => string;
  /** Waiting time of a queue item; `minutes` is whole minutes, at least 0. */
  waiting: (minutes: number, lang: Lang) => string;
  /** The same, short, as the queue shows it (its full text, `waiting`, is the accessible text and the tooltip). */
  waitingShort: (minutes: number, lang: Lang) => string;
  noFirstMessage: string;
  /** A queue item's place in the order the server gives (1 = next), as the visitor is told it. */
  queuePosition: (position: number) => string;
  /** The marker on a queue item or chat tab while the visitor's page is away (a link, a reload, a closed tab). */
  visitorAway: string;
  accept: (nickname: string) => string;
  acceptShort: string;
  chatsHeading: string;
  noChats: string;
  unread: (count: number) => string;
  anonymous: string;
  /** The badge of a member whose name and insurance number come from a verified token. */
  member: string;
  /** Accept button of a queued member chat: says that the name is verified. */
  acceptMember: (name: string) => string;
  visitorCardLabel: string;
  nicknameLabel: string;
  memberNameLabel: string;
  insuranceNumberLabel: string;
  copyNumber: string;
  copyNumberLabel: string;
  numberCopied: string;
  /** The clipboard was refused: the number is selected for copying by hand. */
  numberSelected: string;
  logLabel: (nickname: string) => string;
  you: string;
  pendingMark: string;
  joined: (advisor: string) => string;
  left: (nickname: string) => string;
  /** The chat was handed on (`to`: a colleague's name or a topic's label), as the visitor is told it. */
  transferred: (to: string) => string;
  /** The transfer action and its dialog (`lotse-transfer-dialog`), the handover note, the topic in the queue. */
  transfer: {
    action: string;
    title: (nickname: string) => string;
    colleagues: string;
    noColleagues: string;
    topics: string;
    noTopics: string;
    note: string;
    noteHint: string;
    submit: string;
    cancel: string;
    loading: string;
    /** In the conversation of the advisor who received the chat. */
    handover: (from: string) => string;
    noteLabel: string;
    /** Status for the advisor who handed it on (the chat leaves the console). */
    done: (to: string) => string;
    topicLabel: string;
    general: string;
  };
  ended: Record<ChatEndedBy, (nickname: string) => string>;
  lost: string;
  typing: (nickname: string) => string;
  /** The presence line in the conversation: the visitor's page has gone (the chat waits for it to come back) … */
  visitorLeft: (nickname: string) => string;
  /** … and has come back. */
  visitorBack: (nickname: string) => string;
  /** Under the advisor's last message the visitor has read. */
  read: string;
  /** The same for screen readers, outside the live log: `time` is that message's time as hh:mm. */
  readBy: (nickname: string, time: string) => string;
  composerLabel: (nickname: string) => string;
  send: string;
  end: string;
  dismiss: string;
  dismissProblem: string;
  outboxFull: string;
  /** One text per stable error code: the type system makes sure none is missing. */
  errors: Record<ErrorCode, string>;
  errorFallback: string;
  cobrowse: CobrowseTexts;
  snippets: SnippetTexts;
  /** The console's regions, notes, shortcuts and announcements (`advisor-layout.ts`). */
  layout: LayoutTexts;
  notify: NotifyTexts;
}

/** Notifications: the settings control, the desktop notifications and the count in the document title. */
export interface NotifyTexts {
  settingsLabel: string;
  sound: string;
  /** The button that asks the browser for permission (only ever from this click). */
  allowDesktop: string;
  desktop: string;
  desktopDenied: string;
  preview: string;
  newChatTitle: string;
  /** Without visitor text: the default. */
  newChatBody: string;
  /** With the visitor's nickname and first message, only when the advisor turned the preview on. */
  newChatPreview: (nickname: string, text: string | undefined) => string;
  newMessageTitle: string;
  newMessageBody: string;
  newMessagePreview: (nickname: string, text: string) => string;
  /** The document title with the count of new chats and messages not seen yet. */
  titleCount: (count: number, title: string) => string;
}

/** Canned responses ("Textbausteine"): the `/` suggestions in the composer and the list of all (Alt+S). */
export interface SnippetTexts {
  /** The composer's button that opens the list of all. */
  open: string;
  /** Its keyboard shortcut, as shown beside the button. */
  openHint: string;
  listLabel: string;
  /** Announced while suggestions are open: how many, and how to pick one. */
  suggestions: (count: number) => string;
  dialogTitle: string;
  search: string;
  noMatch: string;
  team: string;
  personal: string;
  langName: Record<'de' | 'en', string>;
  close: string;
  add: string;
  edit: (shortcut: string) => string;
  remove: (shortcut: string) => string;
  shortcutLabel: string;
  shortcutHint: string;
  langLabel: string;
  textLabel: string;
  /** Under the text field: the placeholders and the length. */
  textHint: (max: number) => string;
  save: string;
  cancel: string;
  saved: string;
  removed: string;
  /** Personal ones: how many of how many. */
  count: (count: number, max: number) => string;
  unavailable: string;
  loading: string;
  refused: string;
}

/** The co-browse part of the console: offer, webcode, start code, live view. */
export interface CobrowseTexts {
  offer: string;
  offerPhone: string;
  phoneHeading: string;
  panelLabel: (webcode: string) => string;
  webcodeLabel: string;
  /** `time` is the expiry as hh:mm. */
  webcodeExpires: (time: string) => string;
  webcodeExpired: string;
  post: string;
  /** The chat message with the webcode, `grouped` as "123 456". */
  chatMessage: (grouped: string) => string;
  posted: string;
  postRefused: string;
  status: Record<'offered' | 'joined' | 'consented' | 'checking' | 'connecting' | 'reconnecting' | 'live', string>;
  ended: Record<'visitor' | 'advisor' | 'timeout' | 'server' | 'void', string>;
  startCodeLabel: string;
  startCodeHint: string;
  /** Time left for the start code, `left` as m:ss. */
  startCodeLeft: (left: string) => string;
  startCodeExpired: string;
  submit: string;
  wrongCode: (attemptsLeft: number) => string;
  formatError: string;
  offline: string;
  end: string;
  withdraw: string;
  dismiss: string;
  viewerLabel: string;
  frameTitle: string;
  viewerWaiting: string;
  viewerLive: string;
}

function minutesText(minutes: number, lang: Lang, unitDisplay: 'long' | 'short' = 'long'): string {
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay }).format(minutes);
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
  signOut: 'Abmelden',
  queueHeading: 'Warteschlange',
  queueCount: (count) =>
    count === 0 ? 'Niemand wartet.' : count === 1 ? '1 Person wartet.' : `${count} Personen warten.`,
  waiting: (minutes, lang) =>
    minutes < 1 ? 'Wartet seit weniger als einer Minute' : `Wartet seit ${minutesText(minutes, lang)}`,
  waitingShort: (minutes, lang) => `Wartet ${minutes < 1 ? '< 1 Min.' : minutesText(minutes, lang, 'short')}`,
  noFirstMessage: 'Noch keine Nachricht',
  queuePosition: (position) => `Platz ${position}`,
  visitorAway: 'Seite verlassen',
  accept: (nickname) => `Chat mit ${nickname} annehmen`,
  acceptShort: 'Annehmen',
  chatsHeading: 'Ihre Chats',
  noChats: 'Keine offenen Chats.',
  unread: (count) => (count === 1 ? '1 ungelesene Nachricht' : `${count} ungelesene Nachrichten`),
  anonymous: 'Anonym',
  member: 'Verifiziertes Mitglied',
  acceptMember: (name) => `Chat mit ${name} (verifiziertes Mitglied) annehmen`,
  visitorCardLabel: 'Gesprächspartner',
  nicknameLabel: 'Spitzname',
  memberNameLabel: 'Name',
  insuranceNumberLabel: 'Versichertennummer',
  copyNumber: 'Kopieren',
  copyNumberLabel: 'Versichertennummer kopieren',
  numberCopied: 'Versichertennummer kopiert.',
  numberSelected: 'Die Versichertennummer ist markiert. Kopieren Sie sie mit Strg+C (am Mac ⌘+C).',
  logLabel: (nickname) => `Verlauf des Chats mit ${nickname}`,
  you: 'Sie',
  pendingMark: 'wird gesendet …',
  joined: (advisor) => `${advisor} ist dem Chat beigetreten.`,
  left: (nickname) => `${nickname} hat den Chat verlassen.`,
  transferred: (to) => `Weitergeleitet: Sie werden mit ${to} verbunden.`,
  transfer: {
    action: 'Weiterleiten',
    title: (nickname) => `Chat mit ${nickname} weiterleiten`,
    colleagues: 'An eine Kollegin oder einen Kollegen',
    noColleagues: 'Gerade ist niemand sonst verfügbar.',
    topics: 'An ein Thema (zurück in die Warteschlange, ganz vorn)',
    noTopics: 'Es sind keine Themen eingerichtet.',
    note: 'Interne Notiz',
    noteHint: 'Nur für die Kollegin oder den Kollegen; der Besucher sieht sie nie.',
    submit: 'Weiterleiten',
    cancel: 'Abbrechen',
    loading: 'Verfügbare Kolleginnen und Kollegen werden geladen …',
    handover: (from) => `Von ${from} an Sie weitergeleitet.`,
    noteLabel: 'Interne Notiz',
    done: (to) => `Der Chat wurde an ${to} weitergeleitet.`,
    topicLabel: 'Thema',
    general: 'Allgemein',
  },
  ended: {
    visitor: (nickname) => `${nickname} hat den Chat beendet.`,
    advisor: () => 'Der Chat wurde von der Beratung beendet.',
    timeout: () => 'Der Chat wurde wegen Inaktivität beendet.',
    gone: (nickname) => `${nickname} ist nicht auf die Seite zurückgekehrt. Der Chat wurde beendet.`,
    server: () => 'Der Chat wurde vom Server beendet.',
  },
  lost: 'Dieser Chat ist auf dem Server nicht mehr vorhanden.',
  typing: (nickname) => `${nickname} schreibt …`,
  visitorLeft: (nickname) => `${nickname} hat die Seite verlassen`,
  visitorBack: (nickname) => `${nickname} ist wieder da`,
  read: 'Gelesen',
  readBy: (nickname, time) => `${nickname} hat Ihre Nachricht von ${time} Uhr gelesen.`,
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
    LOTSE_ERR_INVALID_CODE: 'Der Startcode ist nicht richtig oder abgelaufen.',
    LOTSE_ERR_BUSY: 'Die Warteschlange ist voll; neue Chats werden gerade abgewiesen.',
    LOTSE_ERR_CLOSED: 'Der Chat ist außerhalb der Öffnungszeiten geschlossen.',
    LOTSE_ERR_TOKEN_EXPIRED: 'Die Anmeldung des Mitglieds ist abgelaufen; der Chat wartet auf eine erneute Anmeldung.',
    LOTSE_ERR_TOKEN_INVALID: 'Die Anmeldung des Mitglieds konnte nicht bestätigt werden.',
    LOTSE_ERR_TOO_MANY_WAITING: 'Von diesem Anschluss warten schon zu viele Chats.',
    LOTSE_ERR_TOKEN_USED: 'Mit dieser Anmeldung des Mitglieds wurde schon ein Chat begonnen.',
    LOTSE_ERR_INVALID_PHONE: 'Die Telefonnummer ist ungültig.',
    LOTSE_ERR_INVALID_WINDOW: 'Dieses Zeitfenster wird nicht mehr angeboten.',
    LOTSE_ERR_INVALID_TOPIC: 'Dieses Thema ist nicht eingerichtet.',
    LOTSE_ERR_UNKNOWN_CALLBACK: 'Diesen Rückrufwunsch gibt es nicht mehr, oder er ist nicht von Ihnen übernommen.',
    LOTSE_ERR_CALLBACKS_OFF: 'Rückrufwünsche sind auf diesem Server ausgeschaltet.',
    LOTSE_ERR_SNIPPET_REFUSED: 'Der Textbaustein wurde nicht gespeichert.',
    LOTSE_ERR_UNAVAILABLE:
      'Die Weiterleitung ging nicht: niemand dort ist gerade verfügbar. Der Chat bleibt bei Ihnen.',
  },
  errorFallback: 'Es ist ein Fehler aufgetreten.',
  cobrowse: {
    offer: 'Co-Browsing anbieten',
    offerPhone: 'Co-Browsing für ein Telefonat anbieten',
    phoneHeading: 'Co-Browsing am Telefon',
    panelLabel: (webcode) => (webcode === '' ? 'Co-Browsing' : `Co-Browsing mit Webcode ${webcode}`),
    webcodeLabel: 'Webcode',
    webcodeExpires: (time) => `Gültig bis ${time} Uhr`,
    webcodeExpired: 'Der Webcode ist abgelaufen. Bieten Sie bei Bedarf ein neues Co-Browsing an.',
    post: 'In den Chat posten',
    chatMessage: (grouped) => `Ihr Webcode für das Co-Browsing: ${grouped} – bitte geben Sie ihn in das Suchfeld ein.`,
    posted: 'Der Webcode wurde in den Chat gesendet.',
    postRefused: 'Der Webcode konnte nicht in den Chat gesendet werden.',
    status: {
      offered: 'Warten, bis Ihr Gegenüber den Webcode eingibt …',
      joined: 'Ihr Gegenüber liest die Nutzungsbedingungen …',
      consented: 'Ihr Gegenüber hat zugestimmt. Bitte geben Sie den Startcode ein, den es Ihnen nennt.',
      checking: 'Der Startcode wird geprüft …',
      connecting: 'Die Verbindung zur Seite Ihres Gegenübers wird aufgebaut …',
      reconnecting: 'Die Seite Ihres Gegenübers lädt neu, die Verbindung wird wiederhergestellt …',
      live: 'Co-Browsing läuft: Sie sehen die Seite Ihres Gegenübers, Ihr Zeiger wird dort angezeigt.',
    },
    ended: {
      visitor: 'Ihr Gegenüber hat das Co-Browsing beendet.',
      advisor: 'Sie haben das Co-Browsing beendet.',
      timeout: 'Das Co-Browsing wurde wegen Zeitablaufs beendet.',
      server: 'Das Co-Browsing wurde vom Server beendet.',
      void: 'Zu viele falsche Startcodes: Dieses Co-Browsing ist ungültig. Bieten Sie bei Bedarf ein neues an.',
    },
    startCodeLabel: 'Startcode',
    startCodeHint: '8 Zeichen; Groß- und Kleinschreibung, Leerzeichen und Bindestriche sind egal.',
    startCodeLeft: (left) => `Startcode gültig noch ${left} Min.`,
    startCodeExpired: 'Der Startcode ist abgelaufen.',
    submit: 'Co-Browsing starten',
    wrongCode: (left) => `Der Startcode ist nicht richtig. Noch ${left === 1 ? 'ein Versuch' : `${left} Versuche`}.`,
    formatError: 'Ein Startcode hat 8 Zeichen aus Buchstaben und Ziffern.',
    offline: 'Keine Verbindung zum Server. Bitte versuchen Sie es gleich noch einmal.',
    end: 'Co-Browsing beenden',
    withdraw: 'Angebot zurückziehen',
    dismiss: 'Hinweis schließen',
    viewerLabel: 'Seite Ihres Gegenübers (nur ansehen)',
    frameTitle: 'Live-Ansicht der Seite Ihres Gegenübers',
    viewerWaiting: 'Warten auf die Seite Ihres Gegenübers …',
    viewerLive: 'Live-Ansicht, nur ansehen.',
  },
  snippets: {
    open: 'Textbausteine',
    openHint: 'Alt+S',
    listLabel: 'Passende Textbausteine',
    suggestions: (count) =>
      count === 1
        ? '1 Textbaustein passt. Enter oder Tab fügt ihn ein, Escape schließt.'
        : `${count} Textbausteine passen. Pfeiltasten wählen, Enter oder Tab fügt ein, Escape schließt.`,
    dialogTitle: 'Textbausteine',
    search: 'Textbausteine durchsuchen',
    noMatch: 'Kein Textbaustein passt.',
    team: 'Team',
    personal: 'Eigene',
    langName: { de: 'Deutsch', en: 'Englisch' },
    close: 'Schließen',
    add: 'Neuer eigener Textbaustein',
    edit: (shortcut) => `/${shortcut} bearbeiten`,
    remove: (shortcut) => `/${shortcut} löschen`,
    shortcutLabel: 'Kürzel',
    shortcutHint: 'Kleinbuchstaben, Ziffern, - und _; im Textfeld mit / aufrufen.',
    langLabel: 'Sprache',
    textLabel: 'Text',
    textHint: (max) =>
      `Höchstens ${max} Zeichen. {{visitor}} wird durch den Namen des Gegenübers ersetzt, {{advisor}} durch Ihren.`,
    save: 'Speichern',
    cancel: 'Abbrechen',
    saved: 'Textbaustein gespeichert.',
    removed: 'Textbaustein gelöscht.',
    count: (count, max) => `${count} von ${max} eigenen Textbausteinen`,
    unavailable: 'Textbausteine sind nicht verfügbar: Dieser Server ist ohne Speicher eingerichtet.',
    loading: 'Textbausteine werden geladen …',
    refused:
      'Der Textbaustein wurde nicht gespeichert: Das Kürzel ist in dieser Sprache vergeben, der Text zu lang oder die Höchstzahl erreicht.',
  },
  layout: layoutDe,
  notify: {
    settingsLabel: 'Benachrichtigungen',
    sound: 'Ton bei neuem Chat und neuer Nachricht',
    allowDesktop: 'Desktop-Benachrichtigungen erlauben',
    desktop: 'Desktop-Benachrichtigungen',
    desktopDenied: 'Desktop-Benachrichtigungen sind im Browser blockiert.',
    preview: 'Name und Text der Besucher in Desktop-Benachrichtigungen zeigen',
    newChatTitle: 'Lotse: neuer Chat',
    newChatBody: 'Jemand wartet in der Warteschlange.',
    newChatPreview: (nickname, text) => (text === undefined ? `${nickname} wartet.` : `${nickname}: ${text}`),
    newMessageTitle: 'Lotse: neue Nachricht',
    newMessageBody: 'Neue Nachricht in einem Ihrer Chats.',
    newMessagePreview: (nickname, text) => `${nickname}: ${text}`,
    titleCount: (count, title) => `(${count}) ${title}`,
  },
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
  signOut: 'Sign out',
  queueHeading: 'Queue',
  queueCount: (count) =>
    count === 0 ? 'Nobody is waiting.' : count === 1 ? '1 person is waiting.' : `${count} people are waiting.`,
  waiting: (minutes, lang) =>
    minutes < 1 ? 'Waiting for less than a minute' : `Waiting for ${minutesText(minutes, lang)}`,
  waitingShort: (minutes, lang) => `Waiting ${minutes < 1 ? '< 1 min' : minutesText(minutes, lang, 'short')}`,
  noFirstMessage: 'No message yet',
  queuePosition: (position) => `Position ${position}`,
  visitorAway: 'Left the page',
  accept: (nickname) => `Accept chat with ${nickname}`,
  acceptShort: 'Accept',
  chatsHeading: 'Your chats',
  noChats: 'No open chats.',
  unread: (count) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  anonymous: 'Anonymous',
  member: 'Verified member',
  acceptMember: (name) => `Accept chat with ${name} (verified member)`,
  visitorCardLabel: 'Visitor',
  nicknameLabel: 'Nickname',
  memberNameLabel: 'Name',
  insuranceNumberLabel: 'Insurance number',
  copyNumber: 'Copy',
  copyNumberLabel: 'Copy insurance number',
  numberCopied: 'Insurance number copied.',
  numberSelected: 'The insurance number is selected. Copy it with Ctrl+C (⌘+C on a Mac).',
  logLabel: (nickname) => `Conversation with ${nickname}`,
  you: 'You',
  pendingMark: 'sending …',
  joined: (advisor) => `${advisor} joined the chat.`,
  left: (nickname) => `${nickname} left the chat.`,
  transferred: (to) => `Transferred: the visitor is being connected to ${to}.`,
  transfer: {
    action: 'Transfer',
    title: (nickname) => `Transfer the chat with ${nickname}`,
    colleagues: 'To a colleague',
    noColleagues: 'Nobody else is available right now.',
    topics: 'To a topic (back to the queue, at its front)',
    noTopics: 'No topics are configured.',
    note: 'Internal note',
    noteHint: 'For your colleague only; the visitor never sees it.',
    submit: 'Transfer',
    cancel: 'Cancel',
    loading: 'Loading available colleagues …',
    handover: (from) => `Transferred to you by ${from}.`,
    noteLabel: 'Internal note',
    done: (to) => `The chat was transferred to ${to}.`,
    topicLabel: 'Topic',
    general: 'General',
  },
  ended: {
    visitor: (nickname) => `${nickname} ended the chat.`,
    advisor: () => 'The chat was ended by the advisor.',
    timeout: () => 'The chat was ended for inactivity.',
    gone: (nickname) => `${nickname} did not come back to the page. The chat was ended.`,
    server: () => 'The chat was ended by the server.',
  },
  lost: 'This chat no longer exists on the server.',
  typing: (nickname) => `${nickname} is typing …`,
  visitorLeft: (nickname) => `${nickname} left the page`,
  visitorBack: (nickname) => `${nickname} is back`,
  read: 'Read',
  readBy: (nickname, time) => `${nickname} has read your message from ${time}.`,
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
    LOTSE_ERR_INVALID_CODE: 'The start code is wrong or has expired.',
    LOTSE_ERR_BUSY: 'The queue is full; new chats are being turned away.',
    LOTSE_ERR_CLOSED: 'The chat is closed outside the opening hours.',
    LOTSE_ERR_TOKEN_EXPIRED: "The member's sign-in has expired; the chat waits for them to sign in again.",
    LOTSE_ERR_TOKEN_INVALID: "The member's sign-in could not be confirmed.",
    LOTSE_ERR_TOO_MANY_WAITING: 'Too many chats from this connection are waiting already.',
    LOTSE_ERR_TOKEN_USED: "The member's sign-in has started a chat already.",
    LOTSE_ERR_INVALID_PHONE: 'The phone number is not valid.',
    LOTSE_ERR_INVALID_WINDOW: 'This time window is no longer offered.',
    LOTSE_ERR_INVALID_TOPIC: 'This topic is not configured.',
    LOTSE_ERR_UNKNOWN_CALLBACK: 'This callback request no longer exists, or you have not taken it.',
    LOTSE_ERR_CALLBACKS_OFF: 'Callback requests are switched off on this server.',
    LOTSE_ERR_SNIPPET_REFUSED: 'The canned response was not saved.',
    LOTSE_ERR_UNAVAILABLE: 'The transfer did not go through: nobody there is available now. The chat stays with you.',
  },
  errorFallback: 'Something went wrong.',
  cobrowse: {
    offer: 'Offer co-browsing',
    offerPhone: 'Offer co-browsing for a phone call',
    phoneHeading: 'Co-browsing on the phone',
    panelLabel: (webcode) => (webcode === '' ? 'Co-browsing' : `Co-browsing with web code ${webcode}`),
    webcodeLabel: 'Web code',
    webcodeExpires: (time) => `Valid until ${time}`,
    webcodeExpired: 'The web code has expired. Offer co-browsing again if needed.',
    post: 'Post to the chat',
    chatMessage: (grouped) => `Your web code for co-browsing: ${grouped} – please enter it in the search field.`,
    posted: 'The web code was sent to the chat.',
    postRefused: 'The web code could not be sent to the chat.',
    status: {
      offered: 'Waiting for the visitor to enter the web code …',
      joined: 'The visitor is reading the terms of use …',
      consented: 'The visitor agreed. Please enter the start code they tell you.',
      checking: 'Checking the start code …',
      connecting: "Connecting to the visitor's page …",
      reconnecting: "The visitor's page is reloading, reconnecting …",
      live: "Co-browsing is live: you see the visitor's page, and they see your pointer.",
    },
    ended: {
      visitor: 'The visitor ended co-browsing.',
      advisor: 'You ended co-browsing.',
      timeout: 'Co-browsing ended because time ran out.',
      server: 'Co-browsing was ended by the server.',
      void: 'Too many wrong start codes: this co-browsing session is void. Offer a new one if needed.',
    },
    startCodeLabel: 'Start code',
    startCodeHint: '8 characters; case, spaces and dashes do not matter.',
    startCodeLeft: (left) => `Start code valid for ${left} min`,
    startCodeExpired: 'The start code has expired.',
    submit: 'Start co-browsing',
    wrongCode: (left) => `The start code is wrong. ${left === 1 ? 'One attempt' : `${left} attempts`} left.`,
    formatError: 'A start code has 8 characters, letters and digits.',
    offline: 'No connection to the server. Please try again in a moment.',
    end: 'End co-browsing',
    withdraw: 'Withdraw the offer',
    dismiss: 'Dismiss notice',
    viewerLabel: "The visitor's page (view only)",
    frameTitle: "Live view of the visitor's page",
    viewerWaiting: "Waiting for the visitor's page …",
    viewerLive: 'Live view, view only.',
  },
  snippets: {
    open: 'Canned responses',
    openHint: 'Alt+S',
    listLabel: 'Matching canned responses',
    suggestions: (count) =>
      count === 1
        ? '1 canned response matches. Enter or Tab inserts it, Escape closes.'
        : `${count} canned responses match. Arrow keys choose, Enter or Tab inserts, Escape closes.`,
    dialogTitle: 'Canned responses',
    search: 'Search canned responses',
    noMatch: 'No canned response matches.',
    team: 'Team',
    personal: 'Mine',
    langName: { de: 'German', en: 'English' },
    close: 'Close',
    add: 'New canned response of mine',
    edit: (shortcut) => `Edit /${shortcut}`,
    remove: (shortcut) => `Delete /${shortcut}`,
    shortcutLabel: 'Shortcut',
    shortcutHint: 'Lower-case letters, digits, - and _; type / and it in the composer.',
    langLabel: 'Language',
    textLabel: 'Text',
    textHint: (max) => `At most ${max} characters. {{visitor}} becomes the visitor's name, {{advisor}} yours.`,
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Canned response saved.',
    removed: 'Canned response deleted.',
    count: (count, max) => `${count} of ${max} canned responses of yours`,
    unavailable: 'Canned responses are not available: this server runs without storage.',
    loading: 'Loading canned responses …',
    refused:
      'The canned response was not saved: its shortcut is taken in this language, the text is too long, or the limit is reached.',
  },
  layout: layoutEn,
  notify: {
    settingsLabel: 'Notifications',
    sound: 'Sound for a new chat and a new message',
    allowDesktop: 'Allow desktop notifications',
    desktop: 'Desktop notifications',
    desktopDenied: 'Desktop notifications are blocked in the browser.',
    preview: "Show visitors' names and text in desktop notifications",
    newChatTitle: 'Lotse: new chat',
    newChatBody: 'Someone is waiting in the queue.',
    newChatPreview: (nickname, text) => (text === undefined ? `${nickname} is waiting.` : `${nickname}: ${text}`),
    newMessageTitle: 'Lotse: new message',
    newMessageBody: 'New message in one of your chats.',
    newMessagePreview: (nickname, text) => `${nickname}: ${text}`,
    titleCount: (count, title) => `(${count}) ${title}`,
  },
};

export const advisorTexts = catalogue<AdvisorTexts>(de, en);

/** The text for a `LOTSE_ERR_*` code, or a generic one for a code this console does not know. */
export function errorText(texts: AdvisorTexts, code: string): string {
  return Object.hasOwn(texts.errors, code) ? texts.errors[code as ErrorCode] : texts.errorFallback;
}

/** A webcode as read out: "123456" → "123 456". */
export function groupWebcode(webcode: string): string {
  return webcode.replace(/^(\d{3})(\d{3})$/, '$1 $2');
}
