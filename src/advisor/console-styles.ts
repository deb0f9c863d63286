import { css } from 'lit';

export const consoleStyles = css`
  :host {
    display: block;
    padding: var(--lotse-console-padding, 1rem);
    background: var(--_surface);
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1.5rem;
    align-items: center;
    padding-bottom: 0.75rem;
    border-bottom: 1px solid var(--_subtle);
  }
  [part='advisor-name'] {
    margin: 0;
    font-size: 1.15rem;
    font-weight: 600;
  }
  [part='presence'] {
    display: inline-flex;
    gap: 0.5rem;
    align-items: center;
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_border);
  }
  .track {
    position: relative;
    width: 2.4rem;
    height: 1.3rem;
    border-radius: 1rem;
    background: var(--_muted);
  }
  .track::after {
    content: '';
    position: absolute;
    top: 0.15rem;
    left: 0.15rem;
    width: 1rem;
    height: 1rem;
    border-radius: 50%;
    background: var(--_surface);
    transition: transform 0.15s;
  }
  [aria-checked='true'] .track {
    background: var(--_accent);
  }
  [aria-checked='true'] .track::after {
    transform: translateX(1.1rem);
  }
  [part='status'] {
    margin: 0 0 0 auto;
    color: var(--_muted);
  }
  [part='problem'] {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    justify-content: space-between;
    margin-top: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--_danger);
    background: var(--_subtle);
  }
  [part='problem']:empty {
    display: none;
  }
  .body {
    display: grid;
    grid-template-columns: minmax(14rem, 1fr) minmax(0, 2.5fr);
    gap: 1.5rem;
    margin-top: 1rem;
  }
  @media (max-width: 48rem) {
    .body {
      grid-template-columns: 1fr;
    }
  }
  [role='tablist'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-bottom: 0.75rem;
    border-bottom: 1px solid var(--_subtle);
  }
  [part='chat-tab'] {
    display: inline-flex;
    gap: 0.4rem;
    align-items: center;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: var(--_surface);
    color: var(--_accent);
  }
  [part='chat-tab'][aria-selected='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part='chat-tab'][aria-selected='true'] .away {
    color: inherit;
  }
  [part='unread'] {
    min-width: 1.4rem;
    padding: 0 0.35rem;
    border-radius: 1rem;
    background: var(--_danger);
    color: #ffffff;
    font-size: 0.85em;
    text-align: center;
  }
  .muted {
    color: var(--_muted);
  }
  .phone {
    grid-column: 1 / -1;
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
  }
`;
