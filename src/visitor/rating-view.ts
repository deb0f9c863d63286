/**
 * Step 4 (upper half), after a chat an advisor held: "How satisfied were you?", five buttons 1–5 (one click
 * rates), and "skip". A group with its legend, each button named "n of 5", the scale's ends said in the hint;
 * the thanks (or a failure) in a status. Only counts per day and topic are kept on the server (`client/rating.ts`).
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ChatText } from '../i18n/chat.js';

export type RatingState = 'offered' | 'sending' | 'thanks' | 'failed' | 'skipped';

export interface RatingViewProps {
  text: ChatText;
  state: RatingState;
  onRate: (score: number) => void;
  onSkip: () => void;
}

export function ratingView({ text, state, onRate, onSkip }: RatingViewProps): TemplateResult {
  const t = text.rating;
  const said = state === 'thanks' ? t.thanks : state === 'failed' ? t.failed : '';
  return html`<div class="rating">
    ${
      state === 'offered' || state === 'sending'
        ? html`<fieldset part="rating" aria-describedby="rating-scale">
            <legend>${t.legend}</legend>
            <div class="scores">
              ${[1, 2, 3, 4, 5].map(
                (score) =>
                  html`<button type="button" class="secondary" part="rating-score" aria-label=${t.score(score)}
                    ?disabled=${state === 'sending'} @click=${() => onRate(score)}>${score}</button>`,
              )}
            </div>
            <p id="rating-scale" class="hint">${t.low} · ${t.high}</p>
            <button type="button" class="secondary" part="rating-skip" ?disabled=${state === 'sending'} @click=${onSkip}>
              ${t.skip}</button>
          </fieldset>`
        : nothing
    }
    <p class="hint" role="status">${said}</p>
  </div>`;
}
