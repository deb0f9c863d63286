/**
 * Small line icons for the console's header, drawn in the text colour (`currentColor`). Decorative only: each sits
 * beside a text that names its control, and that text stays in the accessibility tree when a narrow header shows
 * the icon alone (`console-styles.ts`).
 */
import { html, svg } from 'lit';
import type { SVGTemplateResult, TemplateResult } from 'lit';

function icon(paths: SVGTemplateResult): TemplateResult {
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths}</svg>`;
}

export const keyboardIcon = icon(
  svg`<rect x="2.5" y="6" width="19" height="12" rx="2"></rect><path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10"></path>`,
);

export const bellIcon = icon(
  svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z"></path><path d="M10 20.5a2 2 0 0 0 4 0"></path>`,
);

export const phoneIcon = icon(
  svg`<path d="M5 3.5h3.5l1.5 4.5-2.2 1.4a11 11 0 0 0 6.8 6.8l1.4-2.2 4.5 1.5V19a1.5 1.5 0 0 1-1.5 1.5A16.5 16.5 0 0 1 3.5 5 1.5 1.5 0 0 1 5 3.5z"></path>`,
);

export const signOutIcon = icon(
  svg`<path d="M14 4H6.5A1.5 1.5 0 0 0 5 5.5v13A1.5 1.5 0 0 0 6.5 20H14"></path><path d="M10 12h10M16.5 8.5 20 12l-3.5 3.5"></path>`,
);
