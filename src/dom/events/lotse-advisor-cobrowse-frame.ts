export interface LotseAdvisorCobrowseFrameDetail {
  sessionId: string;
  /** `performance.now()` when the changes were applied. */
  at: number;
  /** How many recorded events were applied together. */
  events: number;
  /** The newest applied event's timestamp, by the visitor's clock (`Date.now()` there). */
  timestamp: number;
}
/**
 * `lotse-advisor-cobrowse-frame` (`<lotse-cobrowse-viewer>`, inside `<lotse-advisor-console>`): the co-browse viewer
 * applied changes of the visitor's page. For measurements: from a change on the visitor's page to the moment it is
 * in the advisor's view.
 */
export type LotseAdvisorCobrowseFrameEvent = CustomEvent<LotseAdvisorCobrowseFrameDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-advisor-cobrowse-frame': LotseAdvisorCobrowseFrameEvent;
  }
}
