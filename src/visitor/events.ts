/**
 * Public events of the visitor chat. All bubble and are composed: listen on `<lotse-chat>` or anywhere above.
 *
 * | event | when | detail |
 * | --- | --- | --- |
 * | `lotse-chat-open` | the pop-up was opened (expanded) | `{}` |
 * | `lotse-chat-close` | the pop-up was collapsed (a running chat goes on in the background) | `{}` |
 * | `lotse-chat-start` | the visitor confirmed the terms and started a chat (with a nickname, or as a member) | `{ termsVersion }` |
 * | `lotse-chat-end` | the visitor's chat is over: ended by someone, or lost | `{ reason, by? }` |
 * | `lotse-connection-change` | the chat's connection changed state | `{ state }` |
 * | `lotse-member-token-expired` | member chat: the server found the token expired and no fresher one came; the chat waits for a new `memberToken` | `{}` |
 *
 * `lotse-chat-end` is not in `GlobalEventHandlersEventMap` here: the advisor console declares the same event
 * name with a detail that carries a chat id, which the visitor never learns. Use `VisitorChatEndEvent`.
 */
import type { ConnectionState } from '../client/connection.js';
import type { ChatEndedBy } from '../protocol/messages.js';

export type ChatOpenEvent = CustomEvent<Record<string, never>>;
export type ChatCloseEvent = CustomEvent<Record<string, never>>;
/** Member chat: hand over a fresh token (`memberToken` on `<lotse-chat>`); the chat and unsent messages wait. */
export type MemberTokenExpiredEvent = CustomEvent<Record<string, never>>;

export interface ChatStartDetail {
  /** Version of the terms the visitor confirmed. */
  termsVersion: string;
}
export type ChatStartEvent = CustomEvent<ChatStartDetail>;

export interface VisitorChatEndDetail {
  /**
   * `ended`: an `ended` event came (see `by`); `lost`: the server no longer knows the chat, or (member chat) refused
   * the member token, so there is no chat to speak of.
   */
  reason: 'ended' | 'lost';
  by?: ChatEndedBy;
}
export type VisitorChatEndEvent = CustomEvent<VisitorChatEndDetail>;

/** Same shape as the advisor console's, so both can share the event name. */
export interface ConnectionChangeDetail {
  state: ConnectionState;
}
export type ConnectionChangeEvent = CustomEvent<ConnectionChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-chat-open': ChatOpenEvent;
    'lotse-chat-close': ChatCloseEvent;
    'lotse-chat-start': ChatStartEvent;
    'lotse-connection-change': ConnectionChangeEvent;
    'lotse-member-token-expired': MemberTokenExpiredEvent;
  }
}
