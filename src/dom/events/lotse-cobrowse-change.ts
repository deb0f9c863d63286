import type { CobrowsePhase } from '../../client/cobrowse-visitor.js';

export interface LotseCobrowseChangeDetail {
  /** `idle`, `checking`, `terms`, `startcode`, `connecting`, `live` or `ended`. */
  state: CobrowsePhase;
}
/**
 * `lotse-cobrowse-change` (`<lotse-cobrowse>`): the visitor's co-browse session changed phase. The advisor
 * console's counterpart, with a session id, is `lotse-advisor-cobrowse-change`.
 */
export type LotseCobrowseChangeEvent = CustomEvent<LotseCobrowseChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-cobrowse-change': LotseCobrowseChangeEvent;
  }
}
