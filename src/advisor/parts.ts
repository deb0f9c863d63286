/**
 * The parts of the advisor elements that are nested in others, exported through every element they sit in, so that
 * the host page can style them on `<lotse-advisor-console>` with `::part()`.
 */

/** The parts of the visitor card. */
export const CARD_PARTS = 'kind, nickname, member-badge, member-name, insurance-number, copy-number';

/** The parts of a co-browse panel. */
export const COBROWSE_PARTS =
  'webcode, webcode-expiry, webcode-post, cobrowse-status, start-code-input, start-code-time, start-code-submit, ' +
  'cobrowse-error, viewer, viewer-status, cobrowse-end, cobrowse-withdraw, cobrowse-dismiss';

/** The parts of the canned responses in the composer (`snippet-controller.ts`, `lotse-snippet-dialog`). */
export const SNIPPET_PARTS = 'snippet-suggestions, snippet-option, snippets-open';

/** The parts of the context region of a chat (`lotse-advisor-context`), its nested elements' included. */
export const CONTEXT_PARTS = `visitor-card, ${CARD_PARTS}, cobrowse-offer, cobrowse, ${COBROWSE_PARTS}, notes`;

/** The parts of a conversation (`lotse-advisor-conversation`). */
export const CONVERSATION_PARTS =
  'conversation-header, conversation-actions, visitor-presence, log, message, message-visitor, message-advisor, ' +
  'message-pending, read-receipt, system, typing, chat-problem, composer, send, end, notice, dismiss, member-badge, ' +
  'handover, transfer, transfer-dialog, transfer-note, transfer-submit, ' +
  SNIPPET_PARTS;
