/** `lotse-chat-open` carries nothing. */
export type LotseChatOpenDetail = Record<string, never>;
/** `lotse-chat-open` (`<lotse-chat>`): the pop-up was opened (expanded). */
export type LotseChatOpenEvent = CustomEvent<LotseChatOpenDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-chat-open': LotseChatOpenEvent;
  }
}
