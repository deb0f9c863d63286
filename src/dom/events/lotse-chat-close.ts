/** `lotse-chat-close` carries nothing. */
export type LotseChatCloseDetail = Record<string, never>;
/** `lotse-chat-close` (`<lotse-chat>`): the pop-up was collapsed; a running chat goes on in the background. */
export type LotseChatCloseEvent = CustomEvent<LotseChatCloseDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-chat-close': LotseChatCloseEvent;
  }
}
