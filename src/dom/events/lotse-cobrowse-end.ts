import type { EndedBy } from '../../client/cobrowse-visitor.js';

export interface LotseCobrowseEndDetail {
  /** Who or what ended it; `void` when the session was lost (a resume too late, a server restart). */
  by: EndedBy;
}
/** `lotse-cobrowse-end` (`<lotse-cobrowse>`): the visitor's co-browse session is over. */
export type LotseCobrowseEndEvent = CustomEvent<LotseCobrowseEndDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-cobrowse-end': LotseCobrowseEndEvent;
  }
}
