import type { ChatEndedBy } from '../../protocol/messages.js';

export interface LotseChatEndDetail {
  /**
   * `ended`: an `ended` event came (see `by`); `lost`: the server no longer knows the chat, or (member chat) refused
   * the member token, so there is no chat to speak of.
   */
  reason: 'ended' | 'lost';
  /** Who ended it, when `reason` is `ended`; `gone`: the visitor's page was away longer than the grace period. */
  by?: ChatEndedBy;
}
/**
 * `lotse-chat-end` (`<lotse-chat>`, from its pop-up): the visitor's chat is over, ended by someone or lost. The
 * advisor console's counterpart, with a chat id, is `lotse-advisor-chat-end`.
 */
export type LotseChatEndEvent = CustomEvent<LotseChatEndDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-chat-end': LotseChatEndEvent;
  }
}
