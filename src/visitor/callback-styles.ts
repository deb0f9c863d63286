/**
 * Styles of `<lotse-callback>`: a panel above the closed launcher, like its closed notice (which it takes in as
 * its first line). Lengths in px; inputs at 16px so that phones do not zoom.
 */
import { css } from 'lit';
import { buttonStyles } from './button-styles.js';

export const callbackStyles = [
  buttonStyles,
  css`
    :host {
      all: initial;
      display: block;
      position: absolute;
      inset-block-end: 68px;
      inset-inline-end: 0;
      box-sizing: border-box;
      inline-size: min(340px, calc(100vw - 32px));
      max-block-size: calc(100vh - 100px);
      overflow: auto;
      padding: 12px 14px;
      border: 1px solid #767676;
      border-radius: var(--lotse-radius, 12px);
      background: #fff;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.3);
      font-family: var(--lotse-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      font-size: 16px;
      line-height: 1.4;
      color: #1a1a1a;
    }
    :host([hidden]) {
      display: none;
    }
    /* In the pop-up's end view, or under its queue text: a part of its flow, not a panel of its own. */
    :host([busy]),
    :host([queued]) {
      position: static;
      inline-size: auto;
      max-block-size: none;
      padding: 0;
      margin-block-end: 12px;
      border: 0;
      box-shadow: none;
      background: none;
    }
    *,
    *::before,
    *::after {
      box-sizing: border-box;
    }
    /* Under the queue text: a small button (the form keeps its full size). */
    :host([queued]) {
      margin-block: 4px;
    }
    :host([queued]) #open {
      min-block-size: 36px;
      padding: 4px 12px;
      font-size: 14px;
    }
    .visually-hidden {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    h2 {
      margin: 12px 0 8px;
      font-size: 18px;
    }
    p {
      margin: 0 0 8px;
    }
    form {
      display: grid;
      gap: 10px;
    }
    label {
      font-weight: 600;
    }
    .field {
      display: grid;
      gap: 4px;
    }
    input[type='tel'],
    select {
      font: inherit;
      min-block-size: 44px;
      padding: 8px;
      border: 1px solid #4d4d4d;
      border-radius: 6px;
      background: #fff;
      color: inherit;
    }
    [aria-invalid='true'] {
      border-color: #b00020;
      border-width: 2px;
    }
    .hint {
      font-size: 14px;
      color: #4d4d4d;
    }
    .error {
      color: #b00020;
      font-size: 14px;
      font-weight: 600;
    }
    .consent-text {
      font-size: 14px;
      white-space: pre-line;
    }
    .check {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      font-weight: 400;
    }
    .check input {
      inline-size: 20px;
      block-size: 20px;
      margin: 2px 0 0;
      flex: none;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    button:focus-visible,
    input:focus-visible,
    select:focus-visible,
    [tabindex='-1']:focus-visible {
      outline: 3px solid var(--lotse-focus-ring, #1a1a1a);
      outline-offset: 2px;
    }
  `,
];
