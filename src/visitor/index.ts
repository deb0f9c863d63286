/**
 * The `lotse` package entry for bundlers: defines `<lotse-chat>` and `<lotse-chat-popup>` and exports their
 * classes and event types. Set the `server` attribute: a bundle cannot derive it from its own URL.
 */
export { LotseChat } from './lotse-chat.js';
export { LotseChatPopup } from './chat-popup.js';
export type {
  ChatCloseEvent,
  ChatOpenEvent,
  ChatStartDetail,
  ChatStartEvent,
  ConnectionChangeDetail,
  ConnectionChangeEvent,
  VisitorChatEndDetail,
  VisitorChatEndEvent,
} from './events.js';
