export interface LotseAdvisorSignOutDetail {
  /**
   * `true`: the console goes on to the provider's logout page (RP-initiated logout), which sends the advisor back to
   * this page; `false`: the provider has none, and the console offers "Anmelden" again.
   */
  provider: boolean;
}
/**
 * `lotse-advisor-sign-out` (`<lotse-advisor-console sign-in>`): the advisor clicked "Abmelden". The socket is
 * closed and the tab's tokens are forgotten by then.
 */
export type LotseAdvisorSignOutEvent = CustomEvent<LotseAdvisorSignOutDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-advisor-sign-out': LotseAdvisorSignOutEvent;
  }
}
