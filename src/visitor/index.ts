/**
 * The `lotse` package entry for bundlers: defines `<lotse-chat>`, `<lotse-chat-popup>` and `<lotse-cobrowse>`
 * and exports their classes, `handleWebcode` for a framework's search handler, and the event types (with this
 * module, `addEventListener('lotse-chat-end', …)` knows its detail). Set the `server` attribute: a bundle cannot
 * derive it from its own URL.
 */
export { LotseChat } from './lotse-chat.js';
export { LotseChatPopup } from './chat-popup.js';
export { LotseCobrowse, handleWebcode } from './lotse-cobrowse.js';
export type { LotseChatOpenDetail, LotseChatOpenEvent } from '../dom/events/lotse-chat-open.js';
export type { LotseChatCloseDetail, LotseChatCloseEvent } from '../dom/events/lotse-chat-close.js';
export type { LotseChatStartDetail, LotseChatStartEvent } from '../dom/events/lotse-chat-start.js';
export type { LotseChatEndDetail, LotseChatEndEvent } from '../dom/events/lotse-chat-end.js';
export type { LotseConnectionChangeDetail, LotseConnectionChangeEvent } from '../dom/events/lotse-connection-change.js';
export type {
  LotseMemberTokenExpiredDetail,
  LotseMemberTokenExpiredEvent,
} from '../dom/events/lotse-member-token-expired.js';
export type { LotseRequestCobrowseDetail, LotseRequestCobrowseEvent } from '../dom/events/lotse-request-cobrowse.js';
export type { LotseCobrowseChangeDetail, LotseCobrowseChangeEvent } from '../dom/events/lotse-cobrowse-change.js';
export type { LotseCobrowseEndDetail, LotseCobrowseEndEvent } from '../dom/events/lotse-cobrowse-end.js';
