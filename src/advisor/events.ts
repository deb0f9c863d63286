/**
 * Public events of the advisor console. All bubble and are composed, so the host app can listen on the console
 * or anywhere above it.
 */
import type { ConnectionState } from '../client/connection.js';
import type { VisitorCard } from '../protocol/messages.js';

/** `lotse-connection-change`: the connection to the Lotse server changed state. */
export interface ConnectionChangeDetail {
  state: ConnectionState;
}

/** `lotse-chat-accept`: a chat the advisor accepted from the queue is now assigned to them. */
export interface ChatAcceptDetail {
  chatId: string;
  visitor: VisitorCard;
}

/**
 * `lotse-chat-end`: a chat of this advisor is over: ended (by whom is in `by`) or lost (the server no longer
 * knows it). Fired once per chat.
 */
export interface ChatEndDetail {
  chatId: string;
  reason: 'ended' | 'lost';
  by?: 'visitor' | 'advisor' | 'timeout' | 'server';
}

export type ConnectionChangeEvent = CustomEvent<ConnectionChangeDetail>;
export type ChatAcceptEvent = CustomEvent<ChatAcceptDetail>;
export type ChatEndEvent = CustomEvent<ChatEndDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-connection-change': ConnectionChangeEvent;
    'lotse-chat-accept': ChatAcceptEvent;
    'lotse-chat-end': ChatEndEvent;
  }
}
