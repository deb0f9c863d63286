/**
 * Texts of the visitor's co-browse view (start view, start code, live bar, pointer), German first. English
 * (`cobrowse-en.ts`) has the same keys, checked by the type system, and is loaded only on an English page. The two
 * labels of the consent step are quoted by the co-browse terms themselves: keep them word for word.
 */
import { START_CODE_TTL_MS } from '../protocol/limits.js';
import type { Lang } from './locale.js';

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

/** English, once `loadCobrowseText('en')` has brought it. */
let en: CobrowseText | undefined;

/**
 * Makes sure the texts of `lang` are there: German always is; English is a chunk of its own. Resolves at once
 * when nothing needs loading.
 */
export function loadCobrowseText(lang: Lang): Promise<void> {
  if (lang === 'de' || en !== undefined) return Promise.resolve();
  return import('./cobrowse-en.js').then((module) => {
    en = module.en;
  });
}

/** The texts of `lang`; German until English is loaded (`loadCobrowseText`). */
export function cobrowseText(lang: Lang): CobrowseText {
  return lang === 'en' && en !== undefined ? en : de;
}
