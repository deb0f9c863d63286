/**
 * The English texts of the visitor's co-browse view: a module of their own, loaded by `import()` only on an
 * English page (`loadCobrowseText('en')` in `cobrowse.ts`), so that the German pages, nearly all of them, do not
 * carry them. The two labels of the consent step are quoted by the co-browse terms: keep them word for word.
 */
import { START_CODE_TTL_MS } from '../protocol/limits.js';
import type { CobrowseText } from './cobrowse.js';

const minutes = Math.round(START_CODE_TTL_MS / 60_000);

export const en: CobrowseText = {
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
};
