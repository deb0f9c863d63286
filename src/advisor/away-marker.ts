/**
 * The marker of a visitor whose page is away (a link, a reload, a closed tab; the chat waits for it), on a chat
 * tab and on a queue item: an icon, with its text for screen readers (and as a tooltip). Not a live region: the
 * conversation's presence line is the one that speaks.
 */
import { css, html } from 'lit';
import type { TemplateResult } from 'lit';
import type { AdvisorTexts } from '../i18n/advisor.js';

const icon = html`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M2 2h7v3H7.5V3.5h-4v9h4V11H9v3H2z M10.5 4.5 14 8l-3.5 3.5-1-1 1.8-1.8H5.5V7.3h5.8L9.5 5.5z" fill="currentColor" />
</svg>`;

export function awayMarker(texts: AdvisorTexts): TemplateResult {
  return html`<span part="visitor-away" class="away" title=${texts.visitorAway}>${icon}<span class="visually-hidden"
    >${texts.visitorAway}</span></span>`;
}

export const awayMarkerStyles = css`
  .away {
    display: inline-flex;
    align-items: center;
    margin-inline-start: 0.2rem;
    color: var(--lotse-away, #8a4b00);
  }
  .away svg {
    width: 1.1em;
    height: 1.1em;
  }
`;
