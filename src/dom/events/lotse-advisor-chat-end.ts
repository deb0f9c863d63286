import type { ChatEndedBy } from '../../protocol/messages.js';

export interface LotseAdvisorChatEndDetail {
  chatId: string;
  /** `ended`: an `ended` event came (see `by`); `lost`: the server no longer knows the chat. */
  reason: 'ended' | 'lost';
  /** Who ended it, when `reason` is `ended`; `gone`: the visitor's page was away longer than the grace period. */
  by?: ChatEndedBy;
}
/**
 * `lotse-advisor-chat-end` (`<lotse-advisor-console>`): a chat of this advisor is over, ended or lost. Fired once
 * per chat.
 */
export type LotseAdvisorChatEndEvent = CustomEvent<LotseAdvisorChatEndDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-advisor-chat-end': LotseAdvisorChatEndEvent;
  }
}
