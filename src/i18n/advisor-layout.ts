/**
 * Texts of the console's layout (its three regions, their tabs on a narrow console, the notes, the keyboard
 * shortcuts and what the console announces), German first and English second. Apart from `advisor.ts` so that the
 * layout's words stay together; `advisorTexts(lang).layout` is how the elements reach them.
 */
export interface LayoutTexts {
  /** The three regions: the queue and the advisor's chats, the conversation, the context of the chat. */
  regions: Record<'lists' | 'conversation' | 'context', string>;
  /** The tab list that switches between the regions on a narrow console. */
  regionTabs: string;
  /** On the lists tab of a narrow console: how many are waiting (screen readers hear it with the tab's name). */
  waitingBadge: (count: number) => string;
  noChatOpen: string;
  noContext: string;
  cobrowseHeading: string;
  notesLabel: string;
  notesHint: string;
  /** Announced (politely) when chats arrive in the queue. */
  arrivals: (names: readonly string[]) => string;
  /** Alt+N with nobody waiting. */
  nobodyToAccept: string;
  shortcutsHeading: string;
  shortcuts: readonly (readonly [keys: string, what: string])[];
}

export const layoutDe: LayoutTexts = {
  regions: { lists: 'Warteschlange und Chats', conversation: 'Gespräch', context: 'Kontext' },
  regionTabs: 'Bereiche der Konsole',
  waitingBadge: (count) => (count === 1 ? '1 wartet' : `${count} warten`),
  noChatOpen: 'Kein Chat geöffnet. Nehmen Sie einen Chat aus der Warteschlange an.',
  noContext: 'Hier stehen das Gegenüber, Co-Browsing und Notizen des geöffneten Chats.',
  cobrowseHeading: 'Co-Browsing',
  notesLabel: 'Notizen zu diesem Chat',
  notesHint:
    'Nur für Sie: nicht an Ihr Gegenüber gesendet und nirgends gespeichert. ' +
    'Die Notizen sind weg, wenn Sie den Chat schließen oder die Seite neu laden.',
  arrivals: (names) =>
    names.length === 1
      ? `Neuer Chat in der Warteschlange: ${names[0]}.`
      : `${names.length} neue Chats in der Warteschlange.`,
  nobodyToAccept: 'Niemand wartet.',
  shortcutsHeading: 'Tastenkürzel',
  shortcuts: [
    ['Alt+Pfeil nach unten', 'Nächster Chat'],
    ['Alt+Pfeil nach oben', 'Vorheriger Chat'],
    ['Alt+C', 'Ins Nachrichtenfeld'],
    ['Alt+N', 'Nächsten wartenden Chat annehmen'],
    ['/ und Buchstaben', 'Textbausteine vorschlagen (im Nachrichtenfeld)'],
    ['Alt+S', 'Alle Textbausteine'],
  ],
};

export const layoutEn: LayoutTexts = {
  regions: { lists: 'Queue and chats', conversation: 'Conversation', context: 'Context' },
  regionTabs: 'Console areas',
  waitingBadge: (count) => `${count} waiting`,
  noChatOpen: 'No chat open. Accept a chat from the queue.',
  noContext: 'The visitor, co-browsing and notes of the open chat appear here.',
  cobrowseHeading: 'Co-browsing',
  notesLabel: 'Notes on this chat',
  notesHint:
    'Only for you: never sent to the visitor and not stored anywhere. ' +
    'The notes are gone when you close the chat or reload the page.',
  arrivals: (names) =>
    names.length === 1 ? `New chat in the queue: ${names[0]}.` : `${names.length} new chats in the queue.`,
  nobodyToAccept: 'Nobody is waiting.',
  shortcutsHeading: 'Keyboard shortcuts',
  shortcuts: [
    ['Alt+Down arrow', 'Next chat'],
    ['Alt+Up arrow', 'Previous chat'],
    ['Alt+C', 'To the message field'],
    ['Alt+N', 'Accept the next waiting chat'],
    ['/ and letters', 'Suggest canned responses (in the message field)'],
    ['Alt+S', 'All canned responses'],
  ],
};
