/**
 * The steps of the co-browse start view, as Lit templates: checking, terms and consent, start code, error with a
 * new try, the live bar, the ended notice. One template a step, so that Lit keeps the step's elements while it
 * lasts (focus, the checkbox, the live regions stay the same elements) and builds new ones when the step changes.
 * All text from `i18n/cobrowse.ts`, set as text, never as HTML; the terms as text paragraphs.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CobrowseText } from '../i18n/cobrowse.js';
import { paragraphs } from './terms-controller.js';
import type { TermsState } from './terms-controller.js';
import type { Corner } from './live-bar.js';

const spinner = html`<span class="spinner" aria-hidden="true"></span>`;

const cancelButton = (text: CobrowseText, onCancel: () => void, autofocus = false): TemplateResult =>
  html`<button class="secondary" part="cobrowse-cancel" type="button" ?data-autofocus=${autofocus} @click=${onCancel}>${text.cancel}</button>`;

export function statusStep(message: string, onCancel: () => void, text: CobrowseText): TemplateResult {
  return html`<p part="cobrowse-status" role="status">${spinner}${message}</p>
    <div class="actions">${cancelButton(text, onCancel, true)}</div>`;
}

export interface TermsStepProps {
  text: CobrowseText;
  advisor: string;
  terms: TermsState;
  accepted: boolean;
  onToggle: (event: Event) => void;
  onStart: () => void;
  onRetryTerms: () => void;
  onCancel: () => void;
}

/** The terms themselves, a message while they load, or an error with a new try. */
function termsBody({ text, terms, onRetryTerms }: TermsStepProps): TemplateResult {
  if (terms.status === 'failed') {
    return html`<p class="error" part="cobrowse-error" role="alert">${text.termsFailed}</p>
      <button class="secondary" type="button" @click=${onRetryTerms}>${text.retry}</button>`;
  }
  if (terms.status !== 'ready') return html`<p part="cobrowse-status" role="status">${spinner}${text.termsLoading}</p>`;
  return html`<section part="terms" tabindex="0" aria-labelledby="terms-heading">
    <h3 id="terms-heading">${text.termsHeading}</h3>
    ${paragraphs(terms.terms.text).map((paragraph) => html`<p>${paragraph}</p>`)}
  </section>`;
}

export function termsStep(props: TermsStepProps): TemplateResult {
  const { text, accepted } = props;
  return html`<p>${text.intro(props.advisor)}</p>
    ${termsBody(props)}
    <label class="check">
      <input type="checkbox" part="cobrowse-consent" data-autofocus .checked=${accepted} @change=${props.onToggle} />
      <span>${text.consent}</span>
    </label>
    <div class="actions">
      <button class="primary" part="cobrowse-start" type="button" ?disabled=${!accepted || props.terms.status !== 'ready'} @click=${props.onStart}>${text.start}</button>
      ${cancelButton(text, props.onCancel)}
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

/** One polite live region, present before the code arrives, so that its arrival is announced. */
export function startCodeStep({ text, code, until, onCancel }: StartCodeProps): TemplateResult {
  return html`<div aria-live="polite" class="code-region">
      ${
        code === undefined
          ? html`<p part="cobrowse-status">${spinner}${text.startCodeWaiting}</p>`
          : html`<h3>${text.startCodeHeading}</h3>
            <p part="start-code" aria-hidden="true">${groups(code).map((group) => html`<span>${group}</span>`)}</p>
            <p class="visually-hidden">${text.startCodeSpoken(code.split('').join(' '))}</p>
            <p part="start-code-hint">${text.startCodeHint}${until === undefined ? '' : ` ${text.startCodeValid(until)}`}</p>`
      }
    </div>
    <div class="actions">${cancelButton(text, onCancel, true)}</div>`;
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
        <input type="text" name="webcode" part="cobrowse-webcode" inputmode="numeric" autocomplete="off" maxlength="9" data-autofocus
          aria-invalid=${String(invalid)} aria-describedby=${invalid ? 'webcode-hint' : nothing} />
      </label>
      ${invalid ? html`<p class="error" id="webcode-hint">${text.webcodeInvalid}</p>` : nothing}
      <div class="actions">
        <button class="primary" part="cobrowse-retry" type="submit">${text.retry}</button>
        ${cancelButton(text, onCancel)}
      </div>
    </form>`;
}

export interface LiveProps {
  text: CobrowseText;
  live: boolean;
  advisor: string;
  /** The name beside the pointer. */
  pointerName: string;
  /** The bottom corner the bar sits in. */
  corner: Corner;
  onEnd: () => void;
  onMove: () => void;
}

/**
 * Border, live bar and the advisor's pointer (moved by the view without a render). The bar: what is going on, a
 * button that moves it to the other bottom corner (named by where it goes), and "Beenden".
 */
export function liveView({ text, live, advisor, pointerName, corner, onEnd, onMove }: LiveProps): TemplateResult {
  const label = corner === 'end' ? text.moveStart : text.moveEnd;
  return html`<div part="live-border" aria-hidden="true"></div>
    <div part="live-bar" role="region" aria-label=${text.liveRegion} data-corner=${corner}>
      <p aria-live="polite">${live ? text.live(advisor) : html`${spinner}${text.connecting}`}</p>
      <button part="live-move" type="button" aria-label=${label} title=${label} @click=${onMove}>${corner === 'end' ? '\u2190' : '\u2192'}</button>
      <button part="cobrowse-end" type="button" @click=${onEnd}>${text.end}</button>
    </div>
    <lotse-cobrowse-pointer part="pointer">${pointerName}</lotse-cobrowse-pointer>`;
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
