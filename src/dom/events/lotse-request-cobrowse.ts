/** `lotse-request-cobrowse` carries nothing. */
export type LotseRequestCobrowseDetail = Record<string, never>;
/**
 * `lotse-request-cobrowse` (`<lotse-cobrowse>`): a webcode is about to open the start view. Cancelable: cancel it
 * (`preventDefault()`) to keep the view closed.
 */
export type LotseRequestCobrowseEvent = CustomEvent<LotseRequestCobrowseDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-request-cobrowse': LotseRequestCobrowseEvent;
  }
}
