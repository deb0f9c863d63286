export interface LotseAdvisorCobrowseChangeDetail {
  sessionId: string;
  /** The chat the session was offered in, when there is one. */
  chatId?: string;
  state: 'offered' | 'joined' | 'consented' | 'connecting' | 'live' | 'ended';
  /** Who or what ended it, once `state` is `ended`. */
  by?: 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';
}
/**
 * `lotse-advisor-cobrowse-change` (`<lotse-advisor-console>`): a co-browse session of this advisor changed state.
 * Fired once per change.
 */
export type LotseAdvisorCobrowseChangeEvent = CustomEvent<LotseAdvisorCobrowseChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-advisor-cobrowse-change': LotseAdvisorCobrowseChangeEvent;
  }
}
