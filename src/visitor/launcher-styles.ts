/**
 * Styles of the launcher, applied inside its shadow root. Everything the host page may change is a custom
 * property with a default. `all: initial` keeps the page's inherited text styles (font size, line height,
 * letter spacing …) out; lengths are in px, never rem, because pages set odd root font sizes.
 */
import { SHEET_MEDIA } from './sheet.js';

export const launcherCss = `
:host {
  all: initial;
  display: block;
  position: fixed;
  /* Above the co-browse live bar when it reaches into this corner (live-bar.ts sets the offset). */
  inset-block-end: max(var(--lotse-inset-block-end, 16px), var(--lotse-live-offset, 0px));
  inset-inline-end: var(--lotse-inset-inline-end, 16px);
  z-index: var(--lotse-z-index, 2147483000);
  font-family: var(--lotse-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: 16px;
  line-height: 1.4;
  color: #1a1a1a;
}
:host([hidden]) { display: none; }
[part~="launcher"] {
  display: grid;
  place-items: center;
  inline-size: 56px;
  block-size: 56px;
  margin: 0;
  padding: 0;
  border: 2px solid transparent;
  border-radius: 50%;
  background: var(--lotse-accent, #00594f);
  color: var(--lotse-accent-contrast, #fff);
  box-shadow: 0 2px 8px rgb(0 0 0 / 0.3);
  cursor: pointer;
  font: inherit;
}
[part~="launcher"]:hover { filter: brightness(1.15); }
[part~="launcher"] { position: relative; }
[part~="badge"] {
  position: absolute;
  inset-block-start: -4px;
  inset-inline-end: -4px;
  min-inline-size: 22px;
  padding: 0 6px;
  border: 2px solid #fff;
  border-radius: 11px;
  background: var(--lotse-badge, #b00020);
  color: #fff;
  font-size: 13px;
  font-weight: 700;
  line-height: 18px;
}
[part~="badge"][hidden] { display: none; }
:host([closed]) [part~="launcher"] { background: var(--lotse-closed, #5c5c5c); }
[part~="closed-notice"] {
  position: absolute;
  inset-block-end: 68px;
  inset-inline-end: 0;
  inline-size: max-content;
  max-inline-size: min(280px, calc(100vw - 32px));
  margin: 0;
  padding: 12px 14px;
  border: 1px solid #767676;
  border-radius: var(--lotse-radius, 12px);
  background: #fff;
  box-shadow: 0 2px 8px rgb(0 0 0 / 0.3);
}
[part~="launcher"]:focus-visible {
  outline: 3px solid var(--lotse-focus-ring, #1a1a1a);
  outline-offset: 3px;
  box-shadow: 0 0 0 3px #fff, 0 2px 8px rgb(0 0 0 / 0.3);
}
svg { inline-size: 28px; block-size: 28px; fill: currentColor; }
[aria-expanded="true"] .chat, [aria-expanded="false"] .collapse { display: none; }
/* On a phone the open pop-up is a full-screen sheet with its own minimise button: no launcher over its composer.
   Keyed to the button's own state, which is set before the button takes the focus back (the pop-up's open
   attribute follows only after the pop-up's next update). */
@media ${SHEET_MEDIA} { [aria-controls="lotse-popup"][aria-expanded="true"] { display: none; } }
@media (prefers-reduced-motion: no-preference) {
  [part~="launcher"] { transition: filter 0.15s ease-out; }
}
@media (forced-colors: active) {
  [part~="launcher"] { border-color: ButtonText; }
}
`;
