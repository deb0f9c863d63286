/**
 * Texts of the visitor's co-browse view (start view, start code, live bar, pointer), German first. Same keys in
 * both languages, checked by the type system. The two labels of the consent step are quoted by the co-browse
 * terms themselves: keep them word for word.
 */
import { START_CODE_TTL_MS } from '../protocol/limits.js';
import { catalogue } from './locale.js';

const minutes = Math.round(START_CODE_TTL_MS / 60_000);

const de = {
  title: 'Co-Browsing',
  checking: 'Der Webcode wird geprüft …',
  invalidCode:
    'Dieser Code ist nicht gültig. Bitte prüfen Sie die Eingabe oder lassen Sie sich einen neuen Webcode geben.',
  refused: 'Die Co-Browsing Sitzung konnte nicht gestartet werden. Bitte lassen Sie sich einen neuen Webcode geben.',
  connectionLost: 'Die Verbindung wurde unterbrochen. Bitte lassen Sie sich einen neuen Webcode geben.',
  webcodeLabel: 'Webcode',
  webcodeInvalid: 'Bitte geben Sie den 6-stelligen Webcode ein.',
  retry: 'Erneut versuchen',
  cancel: 'Abbrechen',
  intro: (advisor: string) => `${advisor} möchte mit Ihnen gemeinsam diese Website ansehen.`,
  termsHeading: 'Nutzungsbedingungen zum Co-Browsing',
  termsLoading: 'Die Nutzungsbedingungen werden geladen …',
  termsFailed: 'Die Nutzungsbedingungen konnten nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung.',
  consent: 'Bestätigung Nutzungs- und Teilnahmebedingungen',
  start: 'Co-Browsing Sitzung starten',
  startCodeWaiting: 'Der Startcode wird erstellt …',
  startCodeHeading: 'Ihr Startcode',
  startCodeHint:
    'Bitte nennen Sie diesen Startcode Ihrer Beraterin oder Ihrem Berater am Telefon oder im Chat. Erst damit kann die Sitzung beginnen.',
  startCodeSpoken: (spelled: string) => `Startcode: ${spelled}`,
  startCodeValid: (until: string) => `Der Startcode ist ${minutes} Minuten gültig, bis ${until} Uhr.`,
  connecting: 'Co-Browsing wird verbunden …',
  live: (advisor: string) => `Co-Browsing aktiv – ${advisor} sieht diese Seite`,
  someone: 'die Beratung',
  liveRegion: 'Co-Browsing',
  moveEnd: 'Leiste nach rechts verschieben',
  moveStart: 'Leiste nach links verschieben',
  end: 'Beenden',
  endedBy: {
    visitor: 'Sie haben die Co-Browsing Sitzung beendet.',
    advisor: 'Die Beratung hat die Co-Browsing Sitzung beendet.',
    timeout: 'Die Co-Browsing Sitzung ist abgelaufen.',
    server: 'Die Co-Browsing Sitzung wurde vom System beendet.',
    void: 'Die Co-Browsing Sitzung ist beendet.',
  },
  endedHint: 'Die Beratung sieht diese Seite nicht mehr. Von der Sitzung wird nichts gespeichert.',
  close: 'Schließen',
  pointerSomeone: 'Beratung',
};

export type CobrowseText = typeof de;

export const cobrowseText = catalogue(de, {
  title: 'Co-browsing',
  checking: 'Checking the webcode …',
  invalidCode: 'This code is not valid. Please check what you entered or ask for a new webcode.',
  refused: 'The co-browsing session could not be started. Please ask for a new webcode.',
  connectionLost: 'The connection was interrupted. Please ask for a new webcode.',
  webcodeLabel: 'Webcode',
  webcodeInvalid: 'Please enter the 6-digit webcode.',
  retry: 'Try again',
  cancel: 'Cancel',
  intro: (advisor: string) => `${advisor} would like to look at this website together with you.`,
  termsHeading: 'Terms of use for co-browsing',
  termsLoading: 'Loading the terms of use …',
  termsFailed: 'The terms of use could not be loaded. Please check your internet connection.',
  consent: 'Confirmation of terms of use and participation',
  start: 'Start co-browsing session',
  startCodeWaiting: 'Creating the start code …',
  startCodeHeading: 'Your start code',
  startCodeHint:
    'Please tell this start code to your advisor on the phone or in the chat. Only then can the session begin.',
  startCodeSpoken: (spelled: string) => `Start code: ${spelled}`,
  startCodeValid: (until: string) => `The start code is valid for ${minutes} minutes, until ${until}.`,
  connecting: 'Connecting co-browsing …',
  live: (advisor: string) => `Co-browsing active – ${advisor} can see this page`,
  someone: 'the advisor',
  liveRegion: 'Co-browsing',
  moveEnd: 'Move the bar to the right',
  moveStart: 'Move the bar to the left',
  end: 'End',
  endedBy: {
    visitor: 'You ended the co-browsing session.',
    advisor: 'The advisor ended the co-browsing session.',
    timeout: 'The co-browsing session has expired.',
    server: 'The co-browsing session was ended by the system.',
    void: 'The co-browsing session has ended.',
  },
  endedHint: 'The advisor can no longer see this page. Nothing of the session is stored.',
  close: 'Close',
  pointerSomeone: 'Advisor',
});
