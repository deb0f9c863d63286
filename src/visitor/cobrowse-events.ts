/**
 * Public events of co-browsing. All bubble and are composed: listen on `<lotse-cobrowse>` or anywhere above.
 *
 * | event | when | detail |
 * | --- | --- | --- |
 * | `lotse-request-cobrowse` | a webcode is about to open the start view; cancelable | `{}` |
 * | `lotse-cobrowse-change` | the session's phase changed | `{ state }` |
 * | `lotse-cobrowse-end` | the session is over | `{ by }` |
 *
 * `lotse-cobrowse-change` is not in `GlobalEventHandlersEventMap` here: the advisor console declares the same
 * event name with a detail of its own (a session id, the advisor's states). Use `VisitorCobrowseChangeEvent`.
 */
import type { CobrowsePhase, EndedBy } from '../client/cobrowse-visitor.js';

export type CobrowseRequestEvent = CustomEvent<Record<string, never>>;

export interface VisitorCobrowseChangeDetail {
  state: CobrowsePhase;
}
export type VisitorCobrowseChangeEvent = CustomEvent<VisitorCobrowseChangeDetail>;

export interface CobrowseEndDetail {
  /** Who or what ended it; `void` when the session was lost (a resume too late, a server restart). */
  by: EndedBy;
}
export type CobrowseEndEvent = CustomEvent<CobrowseEndDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-request-cobrowse': CobrowseRequestEvent;
    'lotse-cobrowse-end': CobrowseEndEvent;
  }
}
