/**
 * Lists of canned responses: the `/` suggestions under the composer (`snippet-controller.ts`) and the list of the
 * snippet dialog (`lotse-snippet-dialog.ts`) look alike: a bordered list of rows (shortcut, language, preview), the
 * active one marked. `snippetListStyles` holds what they share (on `class="snippet-list"`); each place adds its size.
 */
import { css } from 'lit';

export const snippetListStyles = css`
  .snippet-list {
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .snippet-list > [role='option'] {
    display: grid;
    grid-template-columns: auto auto 1fr;
    gap: 0.5rem;
    padding: 0.3rem 0.5rem;
    cursor: pointer;
  }
  .snippet-list > [aria-selected='true'] {
    background: var(--_subtle);
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .snippet-list .preview {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--_muted);
  }
`;

/** The `/` suggestions under the composer, and the key hint on the button that opens the dialog. */
export const snippetStyles = [
  snippetListStyles,
  css`
    [part='snippet-suggestions'] {
      max-height: 12rem;
      margin: 0.25rem 0;
      background: var(--_surface);
    }
    [part='snippets-open'] kbd {
      font: inherit;
      font-size: 0.8em;
      opacity: 0.8;
    }
  `,
];
