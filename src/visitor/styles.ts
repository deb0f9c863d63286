/**
 * Styles of the chat pop-up. Lit adopts them as a constructable stylesheet (CSP-safe). Lengths in px (never
 * rem: pages set odd root font sizes); text inputs at least 16px so that mobile browsers do not zoom.
 */
import { css, unsafeCSS } from 'lit';
import { buttonStyles } from './button-styles.js';
import { SHEET_MEDIA } from './sheet.js';

export const popupStyles = css`
  :host {
    all: initial;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    position: absolute;
    inset-block-end: calc(100% + 12px);
    inset-inline-end: 0;
    inline-size: min(380px, calc(100vw - 32px));
    /* Shorter by the co-browse live bar below it, when the bar reaches into the chat's column (live-bar.ts). */
    block-size: min(600px, calc(100vh - 112px - var(--lotse-live-offset, 0px)));
    font-family: var(--lotse-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 16px;
    line-height: 1.45;
    color: #1a1a1a;
    background: #fff;
    border: 1px solid #c4c9cc;
    border-radius: var(--lotse-radius, 12px);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.25);
    overflow: hidden;
  }
  :host(:not([open])) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .dialog {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-block-size: 0;
  }
  .dialog:focus {
    outline: none;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 8px 8px 8px 16px;
    background: var(--lotse-accent, #00594f);
    color: var(--lotse-accent-contrast, #fff);
  }
  h2 {
    margin: 0;
    font-size: 18px;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 16px;
  }
  p {
    margin: 0;
  }
  .body,
  .step {
    display: flex;
    flex-direction: column;
    gap: 12px;
    flex: 1;
    min-block-size: 0;
  }
  .body {
    padding: 12px 16px 16px;
    overflow-y: auto;
  }
  .terms,
  [part~='log'] {
    flex: 1;
    min-block-size: 96px;
    overflow-y: auto;
    margin: 0;
    padding: 8px;
    border: 1px solid #c4c9cc;
    border-radius: 8px;
  }
  .terms p + p {
    margin-block-start: 8px;
  }
  .terms p,
  .text {
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .who,
  .text {
    unicode-bidi: isolate;
  }
  ${buttonStyles}
  .icon {
    display: grid;
    place-items: center;
    inline-size: 44px;
    padding: 0;
    border: 0;
    background: transparent;
    color: inherit;
  }
  .icon svg {
    inline-size: 24px;
    block-size: 24px;
    fill: currentColor;
  }
  :focus-visible {
    outline: 3px solid var(--lotse-focus-ring, #1a1a1a);
    outline-offset: 2px;
  }
  header :focus-visible {
    outline-color: var(--lotse-accent-contrast, #fff);
    outline-offset: -4px;
  }
  input[type='text'],
  textarea {
    font: inherit;
    font-size: max(16px, 1em);
    inline-size: 100%;
    padding: 8px;
    border: 1px solid #6b6b6b;
    border-radius: 6px;
    color: #1a1a1a;
    background: #fff;
  }
  textarea {
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: #b00020;
  }
  .check {
    display: flex;
    gap: 8px;
    align-items: flex-start;
    cursor: pointer;
  }
  .check input {
    flex: none;
    inline-size: 20px;
    block-size: 20px;
    margin: 2px 0 0;
    accent-color: var(--lotse-accent, #00594f);
  }
  .field-label {
    font-weight: 600;
  }
  .hint,
  .meta,
  .notice,
  .typing,
  .read,
  .sound,
  [part~='status'],
  [part~='waiting'],
  [part~='queue'] {
    color: #4d4d4d;
    font-size: 14px;
  }
  .error,
  .problem {
    color: #b00020;
  }
  .problem:empty {
    display: none;
  }
  .info {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  [part~='log'] ol {
    display: flex;
    flex-direction: column;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part~='log'] li {
    display: flex;
    flex-direction: column;
    max-inline-size: 85%;
  }
  .visitor,
  .pending {
    align-self: flex-end;
    align-items: flex-end;
  }
  .meta {
    display: flex;
    gap: 6px;
  }
  .text {
    padding: 6px 12px;
    border: 1px solid transparent;
    border-radius: 12px;
    background: #eef1f3;
  }
  .visitor .text {
    background: var(--lotse-accent, #00594f);
    color: var(--lotse-accent-contrast, #fff);
  }
  .pending .text {
    border: 1px dashed #4d4d4d;
    background: #fff;
  }
  .notice {
    align-self: center;
    text-align: center;
  }
  .read {
    font-size: 13px;
  }
  .sound {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  .sound input {
    inline-size: 18px;
    block-size: 18px;
    margin: 0;
    accent-color: var(--lotse-accent, #00594f);
  }
  .elsewhere {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /*
   * Phones: a full-screen sheet. It ends above the co-browse live bar (at the bottom) and where the visual viewport
   * ends, above the on-screen keyboard (viewport.ts sets --lotse-vv-top and --lotse-vv-height while it is open). The
   * minimise button says what it does in words; the launcher hides behind the sheet (launcher-styles.ts).
   */
  @media ${unsafeCSS(SHEET_MEDIA)} {
    :host {
      position: fixed;
      inset: var(--lotse-vv-top, 0px) 0 auto;
      inline-size: auto;
      block-size: min(var(--lotse-vv-height, 100%), calc(100% - var(--lotse-vv-top, 0px) - var(--lotse-live-offset, 0px)));
      border: 0;
      border-radius: 0;
    }
    .body,
    [part~='log'] {
      overscroll-behavior: contain;
    }
    /* With the keyboard open a short screen cannot show every part: the composer stays in view. */
    .composer {
      position: sticky;
      inset-block-end: 0;
      background: #fff;
    }
    [part~='collapse'] {
      grid-auto-flow: column;
      gap: 4px;
      inline-size: auto;
      padding-inline: 8px 12px;
      border: 2px solid;
    }
    [part~='collapse'] span {
      all: unset; /* no longer .visually-hidden */
    }
  }
  .composer .row {
    display: flex;
    gap: 8px;
    align-items: flex-end;
    margin-block-start: 4px;
  }
  .ended {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .spinner {
    display: inline-block;
    inline-size: 16px;
    block-size: 16px;
    margin-inline-end: 8px;
    vertical-align: -2px;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
  }
  @media (prefers-reduced-motion: no-preference) {
    .spinner {
      animation: spin 0.9s linear infinite;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
`;
