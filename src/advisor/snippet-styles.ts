/** The `/` suggestions under the composer (`snippet-controller.ts`): a list over the actions, the active one marked. */
import { css } from 'lit';

export const snippetStyles = css`
  [part='snippet-suggestions'] {
    max-height: 12rem;
    overflow: auto;
    margin: 0.25rem 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part='snippet-option'] {
    display: grid;
    grid-template-columns: auto auto 1fr;
    gap: 0.5rem;
    padding: 0.3rem 0.5rem;
    cursor: pointer;
  }
  [part='snippet-option'][aria-selected='true'] {
    background: var(--_subtle);
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  [part='snippet-option'] .preview {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--_muted);
  }
  [part='snippets-open'] kbd {
    font: inherit;
    font-size: 0.8em;
    opacity: 0.8;
  }
`;
