import { css } from 'lit';

/**
 * rrweb's replay styles (`@rrweb/replay/dist/style.css`), the rules the live view needs: they have to live in the
 * viewer's shadow root, where the replayer builds its wrapper, or the visitor's cursor has no shape.
 */
export const replayStyles = css`
  .replayer-wrapper {
    position: relative;
  }
  .replayer-wrapper > iframe {
    display: block;
    border: 0;
    background: #ffffff;
    pointer-events: none;
  }
  .replayer-mouse {
    position: absolute;
    width: 20px;
    height: 20px;
    transition: left 0.05s linear, top 0.05s linear;
    background-size: contain;
    background-position: center center;
    background-repeat: no-repeat;
    background-image: url('data:image/svg+xml;base64,PHN2ZyBoZWlnaHQ9JzMwMHB4JyB3aWR0aD0nMzAwcHgnICBmaWxsPSIjMDAwMDAwIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIGRhdGEtbmFtZT0iTGF5ZXIgMSIgdmlld0JveD0iMCAwIDUwIDUwIiB4PSIwcHgiIHk9IjBweCI+PHRpdGxlPkRlc2lnbl90bnA8L3RpdGxlPjxwYXRoIGQ9Ik00OC43MSw0Mi45MUwzNC4wOCwyOC4yOSw0NC4zMywxOEExLDEsMCwwLDAsNDQsMTYuMzlMMi4zNSwxLjA2QTEsMSwwLDAsMCwxLjA2LDIuMzVMMTYuMzksNDRhMSwxLDAsMCwwLDEuNjUuMzZMMjguMjksMzQuMDgsNDIuOTEsNDguNzFhMSwxLDAsMCwwLDEuNDEsMGw0LjM4LTQuMzhBMSwxLDAsMCwwLDQ4LjcxLDQyLjkxWm0tNS4wOSwzLjY3TDI5LDMyYTEsMSwwLDAsMC0xLjQxLDBsLTkuODUsOS44NUwzLjY5LDMuNjlsMzguMTIsMTRMMzIsMjcuNThBMSwxLDAsMCwwLDMyLDI5TDQ2LjU5LDQzLjYyWiI+PC9wYXRoPjwvc3ZnPg==');
    border-color: transparent;
    z-index: 1;
  }
  .replayer-mouse::after {
    content: '';
    display: inline-block;
    width: 20px;
    height: 20px;
    background: rgb(73, 80, 246);
    border-radius: 100%;
    transform: translate(-50%, -50%);
    opacity: 0.3;
  }
  .replayer-mouse.active::after {
    animation: click 0.2s ease-in-out 1;
  }
  .replayer-mouse.touch-device {
    background-image: none;
    width: 70px;
    height: 70px;
    border-width: 4px;
    border-style: solid;
    border-radius: 100%;
    margin-left: -37px;
    margin-top: -37px;
    border-color: rgba(73, 80, 246, 0);
    transition: left 0s linear, top 0s linear, border-color 0.2s ease-in-out;
  }
  .replayer-mouse.touch-device.touch-active {
    border-color: rgba(73, 80, 246, 1);
  }
  .replayer-mouse.touch-device::after {
    opacity: 0;
  }
  @keyframes click {
    0% {
      opacity: 0.3;
      width: 20px;
      height: 20px;
    }
    50% {
      opacity: 0.5;
      width: 10px;
      height: 10px;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .replayer-mouse {
      transition: none;
    }
    .replayer-mouse.active::after {
      animation: none;
    }
  }
`;

export const viewerStyles = css`
  :host {
    display: block;
  }
  [part='viewer'] {
    position: relative;
    width: 100%;
    max-height: var(--lotse-viewer-max-height, 70vh);
    min-height: 6rem;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }
  .lotse-replay-overlay {
    cursor: crosshair;
  }
  [part='viewer-status'] {
    margin: 0.25rem 0 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
`;

export const panelStyles = css`
  :host {
    display: block;
  }
  section {
    display: flex;
    flex-direction: column;
    gap: 0.6rem;
    padding: 0.75rem;
    border: 1px solid var(--_subtle);
    border-radius: var(--_radius);
  }
  p {
    margin: 0;
  }
  .webcode {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    align-items: baseline;
  }
  [part='webcode'] {
    font-size: 2rem;
    font-weight: 700;
    letter-spacing: 0.08em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
    border-radius: var(--_radius);
  }
  [part='webcode']:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .muted,
  [part='webcode-expiry'],
  [part='start-code-time'] {
    color: var(--_muted);
    font-size: 0.9em;
  }
  form {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 0.75rem;
    align-items: end;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  [part='start-code-input'] {
    font: inherit;
    font-size: max(16px, 1.1em);
    min-height: 2.5rem;
    width: 14ch;
    padding: 0.3rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    text-transform: uppercase;
    letter-spacing: 0.1em;
    font-variant-numeric: tabular-nums;
  }
  [part='cobrowse-error']:empty {
    display: none;
  }
  [part='cobrowse-error'] {
    color: var(--_danger);
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
`;
