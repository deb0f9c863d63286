/**
 * Public events of the advisor console. All bubble and are composed, so the host app can listen on the console
 * or anywhere above it.
 */
import type { ConnectionState } from '../client/connection.js';
import type { ChatEndedBy, VisitorCard } from '../protocol/messages.js';

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
  by?: ChatEndedBy;
}

/**
 * \`lotse-cobrowse-change\`: a co-browse session of this advisor changed state (offered, joined, consented,
 * connecting, live, ended). Fired by the console once per change.
 */
export interface CobrowseChangeDetail {
  sessionId: string;
  chatId?: string;
  state: 'offered' | 'joined' | 'consented' | 'connecting' | 'live' | 'ended';
  by?: 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';
}

/**
 * \`lotse-cobrowse-frame\`: the co-browse viewer applied changes of the visitor's page (for measurements: from a
 * change on the visitor's page to the moment it is in the advisor's view).
 */
export interface CobrowseFrameDetail {
  sessionId: string;
  /** \`performance.now()\` when the changes were applied. */
  at: number;
  /** How many recorded events were applied together. */
  events: number;
  /** The newest applied event's timestamp, by the visitor's clock (Date.now() there). */
  timestamp: number;
}

export type ConnectionChangeEvent = CustomEvent<ConnectionChangeDetail>;
export type ChatAcceptEvent = CustomEvent<ChatAcceptDetail>;
export type ChatEndEvent = CustomEvent<ChatEndDetail>;
export type CobrowseChangeEvent = CustomEvent<CobrowseChangeDetail>;
export type CobrowseFrameEvent = CustomEvent<CobrowseFrameDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-connection-change': ConnectionChangeEvent;
    'lotse-chat-accept': ChatAcceptEvent;
    'lotse-chat-end': ChatEndEvent;
    'lotse-cobrowse-change': CobrowseChangeEvent;
    'lotse-cobrowse-frame': CobrowseFrameEvent;
  }
}
