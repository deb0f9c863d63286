/**
 * The `lotse` package entry for bundlers: defines `<lotse-chat>`, `<lotse-chat-popup>` and `<lotse-cobrowse>`
 * and exports their classes, `handleWebcode` for a framework's search handler, and the event types. Set the
 * `server` attribute: a bundle cannot derive it from its own URL.
 */
export { LotseChat } from './lotse-chat.js';
export { LotseChatPopup } from './chat-popup.js';
export { LotseCobrowse, handleWebcode } from './lotse-cobrowse.js';
export type {
  ChatCloseEvent,
  ChatOpenEvent,
  ChatStartDetail,
  ChatStartEvent,
  ConnectionChangeDetail,
  ConnectionChangeEvent,
  MemberTokenExpiredEvent,
  VisitorChatEndDetail,
  VisitorChatEndEvent,
} from './events.js';
export type {
  CobrowseEndDetail,
  CobrowseEndEvent,
  CobrowseRequestEvent,
  VisitorCobrowseChangeDetail,
  VisitorCobrowseChangeEvent,
} from './cobrowse-events.js';
