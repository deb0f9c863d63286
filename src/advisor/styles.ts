/**
 * Styles shared by the advisor elements. Theming goes through custom properties with defaults (inherited through
 * the shadow roots) and parts; nothing here reaches outside the elements.
 */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    --_accent: var(--lotse-accent, #0a5a8a);
    --_on-accent: var(--lotse-on-accent, #ffffff);
    --_text: var(--lotse-text, #1a1a1a);
    --_muted: var(--lotse-muted, #4f5660);
    --_surface: var(--lotse-surface, #ffffff);
    --_subtle: var(--lotse-subtle, #eef2f6);
    --_border: var(--lotse-border, #8a949e);
    --_danger: var(--lotse-danger, #a4161a);
    --_radius: var(--lotse-radius, 6px);
    --_focus: var(--lotse-focus, #0a5a8a);
    font-family: var(--lotse-font, system-ui, sans-serif);
    font-size: var(--lotse-font-size, 1rem);
    color: var(--_text);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none;
  }
  button,
  textarea {
    font: inherit;
    font-size: max(16px, 1em);
  }
  button {
    min-height: 2.5rem;
    padding: 0.4rem 0.9rem;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button.secondary {
    background: var(--_surface);
    color: var(--_accent);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  h2,
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1.05rem;
  }
  ul,
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
`;
