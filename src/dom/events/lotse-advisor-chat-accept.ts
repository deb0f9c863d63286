import type { VisitorCard } from '../../protocol/messages.js';

export interface LotseAdvisorChatAcceptDetail {
  chatId: string;
  visitor: VisitorCard;
}
/** `lotse-advisor-chat-accept` (`<lotse-advisor-console>`): a chat the advisor accepted from the queue is theirs. */
export type LotseAdvisorChatAcceptEvent = CustomEvent<LotseAdvisorChatAcceptDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-advisor-chat-accept': LotseAdvisorChatAcceptEvent;
  }
}
