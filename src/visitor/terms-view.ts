/**
 * Step 1: the terms of use, as text paragraphs (never HTML), a confirmation checkbox and a button that stays
 * disabled until it is ticked.
 */
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { ChatText } from '../i18n/chat.js';
import type { Lang } from '../i18n/locale.js';
import { paragraphs } from './terms-controller.js';
import type { TermsState } from './terms-controller.js';

export interface TermsViewProps {
  text: ChatText;
  lang: Lang;
  state: TermsState;
  accepted: boolean;
  onToggle: (event: Event) => void;
  onAccept: () => void;
  onRetry: () => void;
}

export function termsView(props: TermsViewProps): TemplateResult {
  const { text, state } = props;
  if (state.status === 'failed') {
    return html`<div class="step">
      <p class="error" role="alert">${text.termsFailed}</p>
      <button class="primary" part="terms-retry" type="button" data-autofocus @click=${props.onRetry}>
        ${text.termsRetry}
      </button>
    </div>`;
  }
  if (state.status !== 'ready') {
    return html`<div class="step">
      <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${text.termsLoading}</p>
    </div>`;
  }
  return html`<div class="step">
    <section class="terms" part="terms" tabindex="0" aria-labelledby="terms-heading">
      <h3 id="terms-heading">${text.termsHeading}</h3>
      ${paragraphs(state.terms.text).map((paragraph) => html`<p>${paragraph}</p>`)}
    </section>
    <label class="check">
      <input type="checkbox" part="terms-checkbox" .checked=${props.accepted} @change=${props.onToggle} />
      <span>${text.termsConfirm}</span>
    </label>
    <button class="primary" part="terms-accept" type="button" ?disabled=${!props.accepted} @click=${props.onAccept}>
      ${text.termsAccept}
    </button>
  </div>`;
}
