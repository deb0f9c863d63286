/**
 * The steps of the co-browse start view, as templates: checking, terms and consent, start code, error with a new
 * try, the live bar, the ended notice. All text from `i18n/cobrowse.ts`; the terms as text paragraphs, never HTML.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CobrowseText } from '../i18n/cobrowse.js';
import type { Lang } from '../i18n/locale.js';
import { paragraphs } from './terms-controller.js';
import type { TermsState } from './terms-controller.js';

const spinner = html`<span class="spinner" aria-hidden="true"></span>`;

export function statusStep(message: string, onCancel: () => void, text: CobrowseText): TemplateResult {
  return html`<p part="cobrowse-status" role="status">${spinner}${message}</p>
    <div class="actions">
      <button class="secondary" part="cobrowse-cancel" type="button" data-autofocus @click=${onCancel}>${text.cancel}</button>
    </div>`;
}

export interface TermsStepProps {
  text: CobrowseText;
  lang: Lang;
  advisor: string;
  terms: TermsState;
  accepted: boolean;
  onToggle: (event: Event) => void;
  onStart: () => void;
  onRetryTerms: () => void;
  onCancel: () => void;
}

export function termsStep(props: TermsStepProps): TemplateResult {
  const { text, terms } = props;
  let body: TemplateResult;
  if (terms.status === 'failed') {
    body = html`<p class="error" part="cobrowse-error" role="alert">${text.termsFailed}</p>
      <button class="secondary" type="button" @click=${props.onRetryTerms}>${text.retry}</button>`;
  } else if (terms.status !== 'ready') {
    body = html`<p part="cobrowse-status" role="status">${spinner}${text.termsLoading}</p>`;
  } else {
    body = html`<section part="terms" tabindex="0" aria-labelledby="terms-heading">
      <h3 id="terms-heading">${text.termsHeading}</h3>
      ${paragraphs(terms.terms.text[props.lang]).map((paragraph) => html`<p>${paragraph}</p>`)}
    </section>`;
  }
  return html`<p>${text.intro(props.advisor)}</p>
    ${body}
    <label class="check">
      <input type="checkbox" part="cobrowse-consent" data-autofocus .checked=${props.accepted} @change=${props.onToggle} />
      <span>${text.consent}</span>
    </label>
    <div class="actions">
      <button class="primary" part="cobrowse-start" type="button" ?disabled=${!props.accepted || terms.status !== 'ready'} @click=${props.onStart}>
        ${text.start}
      </button>
      <button class="secondary" part="cobrowse-cancel" type="button" @click=${props.onCancel}>${text.cancel}</button>
    </div>`;
}

/** `ACDEFHJK` → `ACDE`, `FHJK`. */
export function groups(code: string): string[] {
  return code.match(/.{1,4}/g) ?? [];
}

export interface StartCodeProps {
  text: CobrowseText;
  code: string | undefined;
  until: string | undefined;
  onCancel: () => void;
}

export function startCodeStep({ text, code, until, onCancel }: StartCodeProps): TemplateResult {
  // One polite live region, present before the code arrives, so that its arrival is announced.
  return html`<div aria-live="polite" class="code-region">
      ${code === undefined
        ? html`<p part="cobrowse-status">${spinner}${text.startCodeWaiting}</p>`
        : html`<h3>${text.startCodeHeading}</h3>
            <p part="start-code" aria-hidden="true">${groups(code).map((group) => html`<span>${group}</span>`)}</p>
            <p class="visually-hidden">${text.startCodeSpoken(code.split('').join(' '))}</p>
            <p part="start-code-hint">${text.startCodeHint}${until === undefined ? nothing : html` ${text.startCodeValid(until)}`}</p>`}
    </div>
    <div class="actions">
      <button class="secondary" part="cobrowse-cancel" type="button" data-autofocus @click=${onCancel}>${text.cancel}</button>
    </div>`;
}

export interface ErrorStepProps {
  text: CobrowseText;
  message: string;
  invalid: boolean;
  onSubmit: (event: SubmitEvent) => void;
  onCancel: () => void;
}

export function errorStep({ text, message, invalid, onSubmit, onCancel }: ErrorStepProps): TemplateResult {
  return html`<p class="error" part="cobrowse-error" role="alert">${message}</p>
    <form novalidate @submit=${onSubmit}>
      <label class="field">
        <span>${text.webcodeLabel}</span>
        <input
          type="text"
          name="webcode"
          part="cobrowse-webcode"
          inputmode="numeric"
          autocomplete="off"
          maxlength="9"
          data-autofocus
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${invalid ? 'webcode-hint' : nothing}
        />
      </label>
      ${invalid ? html`<p class="error" id="webcode-hint">${text.webcodeInvalid}</p>` : nothing}
      <div class="actions">
        <button class="primary" part="cobrowse-retry" type="submit">${text.retry}</button>
        <button class="secondary" part="cobrowse-cancel" type="button" @click=${onCancel}>${text.cancel}</button>
      </div>
    </form>`;
}

export function liveView(text: CobrowseText, live: boolean, advisor: string, onEnd: () => void): TemplateResult {
  return html`<div part="live-border" aria-hidden="true"></div>
    <div part="live-bar" role="region" aria-label=${text.liveRegion}>
      <p aria-live="polite">${live ? text.live(advisor) : html`${spinner}${text.connecting}`}</p>
      <button part="cobrowse-end" type="button" @click=${onEnd}>${text.end}</button>
    </div>`;
}

export function endedView(text: CobrowseText, message: string, onClose: () => void): TemplateResult {
  return html`<div part="ended" role="status">
    <p><strong>${message}</strong></p>
    <p class="hint">${text.endedHint}</p>
    <div class="actions">
      <button class="secondary" part="cobrowse-close" type="button" data-autofocus @click=${onClose}>${text.close}</button>
    </div>
  </div>`;
}
