import type { Snippet } from '../../protocol/snippets.js';

export interface LotseSnippetInsertDetail {
  snippet: Snippet;
}
/**
 * `lotse-snippet-insert` (`<lotse-snippet-dialog>`): the advisor chose a canned response to insert; the
 * conversation fills its placeholders and puts it at the composer's caret.
 */
export type LotseSnippetInsertEvent = CustomEvent<LotseSnippetInsertDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-snippet-insert': LotseSnippetInsertEvent;
  }
}
