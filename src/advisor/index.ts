/**
 * `lotse/advisor`: the advisor's side of Lotse. Importing this module defines the elements
 * (`lotse-advisor-console` and the parts it is made of); defining twice is harmless.
 */
export { LotseAdvisorConsole } from './lotse-advisor-console.js';
export { LotseAdvisorContext } from './lotse-advisor-context.js';
export { LotseAdvisorConversation } from './lotse-advisor-conversation.js';
export type { ConversationActions } from './lotse-advisor-conversation.js';
export { LotseCobrowsePanel } from './lotse-cobrowse-panel.js';
export type { CobrowseActions } from './lotse-cobrowse-panel.js';
export { LotseCobrowseViewer } from './lotse-cobrowse-viewer.js';
export type { ViewerSource } from './viewer-controller.js';
export { LotseAdvisorQueue } from './lotse-advisor-queue.js';
export { LotseVisitorCard } from './lotse-visitor-card.js';
export { LotseSnippetDialog } from './lotse-snippet-dialog.js';
export type { LotseSnippetInsertDetail, LotseSnippetInsertEvent } from '../dom/events/lotse-snippet-insert.js';
export { LotseAdvisorNotify } from './lotse-advisor-notify.js';
export type {
  LotseAdvisorChatAcceptDetail,
  LotseAdvisorChatAcceptEvent,
} from '../dom/events/lotse-advisor-chat-accept.js';
export type { LotseAdvisorChatEndDetail, LotseAdvisorChatEndEvent } from '../dom/events/lotse-advisor-chat-end.js';
export type { LotseAdvisorSignOutDetail, LotseAdvisorSignOutEvent } from '../dom/events/lotse-advisor-sign-out.js';
export type {
  LotseAdvisorCobrowseChangeDetail,
  LotseAdvisorCobrowseChangeEvent,
} from '../dom/events/lotse-advisor-cobrowse-change.js';
export type {
  LotseAdvisorCobrowseFrameDetail,
  LotseAdvisorCobrowseFrameEvent,
} from '../dom/events/lotse-advisor-cobrowse-frame.js';
export type { LotseConnectionChangeDetail, LotseConnectionChangeEvent } from '../dom/events/lotse-connection-change.js';
