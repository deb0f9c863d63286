/**
 * Texts of the satisfaction rating after a chat (`visitor/rating-part.ts`), German and English. Apart from the
 * pop-up's own texts (`chat.ts`, `chat-en.ts`): the rating loads with its view only once a chat has ended with a
 * rating ticket, so it costs the pop-up's opening nothing.
 */
import { catalogue } from './locale.js';

export interface RatingText {
  legend: string;
  /** A button's name: "4 von 5". */
  score: (score: number) => string;
  /** The scale's ends, as the group's description. */
  low: string;
  high: string;
  skip: string;
  thanks: string;
  failed: string;
}

export const ratingText = catalogue<RatingText>(
  {
    legend: 'Wie zufrieden waren Sie mit der Beratung?',
    score: (score) => `${score} von 5`,
    low: '1 = gar nicht',
    high: '5 = sehr',
    skip: 'Überspringen',
    thanks: 'Vielen Dank für Ihre Bewertung.',
    failed: 'Die Bewertung konnte nicht gesendet werden.',
  },
  {
    legend: 'How satisfied were you with the advice?',
    score: (score) => `${score} of 5`,
    low: '1 = not at all',
    high: '5 = very',
    skip: 'Skip',
    thanks: 'Thank you for your rating.',
    failed: 'The rating could not be sent.',
  },
);
