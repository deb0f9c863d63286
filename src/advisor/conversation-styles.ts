import { css } from 'lit';

export const conversationStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    min-height: 0;
  }
  [part='conversation-header'] {
    /* Its width decides whether the actions' buttons draw closer (below). */
    container: conversation-header / inline-size;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    justify-content: space-between;
    padding-bottom: 0.5rem;
    border-bottom: 1px solid var(--_subtle);
  }
  /* The name takes the room the actions leave and wraps between its words; the actions move under it only when
     its longest word would not fit beside them. */
  [part='conversation-header'] h2 {
    display: flex;
    flex: 1 1 0;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    align-items: center;
    margin: 0;
    overflow-wrap: break-word;
  }
  [part='conversation-actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  @container conversation-header (max-width: 30rem) {
    [part='conversation-header'] {
      column-gap: 0.75rem;
    }
    [part='end'],
    lotse-advisor-transfer::part(transfer) {
      padding-inline: 0.5rem;
    }
  }
  [part='log'] {
    flex: 1 1 auto;
    min-height: 5rem;
    max-height: var(--lotse-log-height, 24rem);
    overflow-y: auto;
    padding: 0.5rem;
    border: 1px solid var(--_subtle);
    border-radius: var(--_radius);
  }
  [part='log'] > ol {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  [part~='message'] {
    max-width: 85%;
    padding: 0.4rem 0.7rem;
    border-radius: var(--_radius);
    background: var(--_subtle);
  }
  [part~='message-advisor'],
  [part~='message-pending'] {
    align-self: flex-end;
    background: var(--lotse-advisor-bubble, #dcebf5);
  }
  [part~='message-pending'] {
    outline: 1px dashed var(--_muted);
    outline-offset: -1px;
  }
  .meta {
    display: flex;
    gap: 0.5rem;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .from {
    font-weight: 600;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }
  .text {
    unicode-bidi: isolate;
    margin: 0.15rem 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part='system'] {
    align-self: center;
    color: var(--_muted);
    font-size: 0.9em;
    text-align: center;
  }
  [part='visitor-presence'] {
    margin: 0;
    padding: 0.4rem 0.75rem;
    border-left: 4px solid var(--_muted);
    background: var(--_subtle);
  }
  [part='visitor-presence'].left {
    border-left-color: var(--lotse-away, #8a4b00);
  }
  [part='read-receipt'] {
    display: block;
    margin-top: 0.15rem;
    color: var(--_muted);
    font-size: 0.85em;
    text-align: end;
  }
  [part='typing'] {
    min-height: 1.4em;
    margin: 0;
    color: var(--_muted);
    font-style: italic;
  }
  [part='chat-problem']:empty {
    display: none;
  }
  [part='chat-problem'] {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    justify-content: space-between;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--_danger);
    background: var(--_subtle);
  }
  form,
  .closed {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  [part='composer'] {
    width: 100%;
    min-height: 4.5rem;
    padding: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    color: inherit;
    background: var(--_surface);
    resize: vertical;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
  }
  [part='notice'] {
    margin: 0;
    font-weight: 600;
  }
`;
