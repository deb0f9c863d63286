/** Texts of the console's callback list (`<lotse-callback-list>`). German first. */
import { catalogue } from './locale.js';

const de = {
  heading: 'Rückrufwünsche',
  count: (n: number) =>
    n === 0 ? 'Keine offenen Rückrufwünsche' : n === 1 ? '1 offener Rückrufwunsch' : `${n} offene Rückrufwünsche`,
  more: 'Weitere Rückrufwünsche folgen, sobald diese erledigt sind.',
  window: 'Wunschzeit',
  topic: 'Thema',
  requested: 'Angefragt',
  claimedByMe: 'Von Ihnen übernommen',
  claimedBy: (name: string) => `Übernommen von ${name}`,
  claim: 'Übernehmen',
  claimLabel: (phone: string) => `Rückruf an ${phone} übernehmen`,
  done: 'Erledigt',
  doneLabel: (phone: string) => `Rückruf an ${phone} als erledigt markieren`,
  call: (phone: string) => `${phone} anrufen`,
  problems: {
    LOTSE_ERR_ALREADY_TAKEN: 'Eine Kollegin oder ein Kollege hat diesen Rückruf schon übernommen.',
    LOTSE_ERR_UNKNOWN_CALLBACK: 'Diesen Rückrufwunsch gibt es nicht mehr, oder Sie haben ihn nicht übernommen.',
  } as Record<string, string>,
  problem: 'Das hat nicht geklappt.',
  locale: 'de-DE',
};

export type CallbackListText = typeof de;

export const callbackListText = catalogue(de, {
  heading: 'Callback requests',
  count: (n) =>
    n === 0 ? 'No open callback requests' : n === 1 ? '1 open callback request' : `${n} open callback requests`,
  more: 'More requests follow once these are done.',
  window: 'Preferred time',
  topic: 'Topic',
  requested: 'Requested',
  claimedByMe: 'Taken by you',
  claimedBy: (name) => `Taken by ${name}`,
  claim: 'Take',
  claimLabel: (phone) => `Take the callback to ${phone}`,
  done: 'Done',
  doneLabel: (phone) => `Mark the callback to ${phone} as done`,
  call: (phone) => `Call ${phone}`,
  problems: {
    LOTSE_ERR_ALREADY_TAKEN: 'A colleague has taken this callback already.',
    LOTSE_ERR_UNKNOWN_CALLBACK: 'This callback request no longer exists, or you have not taken it.',
  },
  problem: 'That did not work.',
  locale: 'en-GB',
});
