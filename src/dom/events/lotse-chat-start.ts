export interface LotseChatStartDetail {
  /** Version of the terms the visitor confirmed. */
  termsVersion: string;
}
/**
 * `lotse-chat-start` (`<lotse-chat>`, from its pop-up): the visitor confirmed the terms and started a chat (with a
 * nickname, or as a member).
 */
export type LotseChatStartEvent = CustomEvent<LotseChatStartDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-chat-start': LotseChatStartEvent;
  }
}
