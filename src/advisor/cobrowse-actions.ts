/**
 * The console's co-browse wiring: which sessions go with which chat, and the actions the panels and viewers call,
 * all through the session controller (the only way to the network).
 */
import type { AdvisorChat } from '../client/advisor-session.js';
import type { CobrowseSession } from '../client/cobrowse-advisor.js';
import { advisorTexts, groupWebcode } from '../i18n/advisor.js';
import type { Lang } from '../i18n/locale.js';
import type { CobrowseActions } from './lotse-cobrowse-panel.js';
import type { SessionController } from './session-controller.js';

/** Co-browse sessions shown with a chat of the console; the others (phone, or a chat since closed) go apart. */
export function byChat(
  sessions: Iterable<CobrowseSession>,
  chats: Map<string, AdvisorChat>,
): {
  chat: Map<string, CobrowseSession[]>;
  phone: CobrowseSession[];
} {
  const chat = new Map<string, CobrowseSession[]>();
  const phone: CobrowseSession[] = [];
  for (const session of sessions) {
    if (session.chatId === undefined || !chats.has(session.chatId)) phone.push(session);
    else chat.set(session.chatId, [...(chat.get(session.chatId) ?? []), session]);
  }
  return { chat, phone };
}

export const busy = (session: CobrowseSession) => session.state === 'connecting' || session.state === 'live';

/** The actions of every co-browse panel and viewer of a console. */
export function cobrowseActions(controller: SessionController, lang: () => Lang): CobrowseActions {
  return {
    offer: (chatId?: string) => controller.offerCobrowse(chatId),
    start: (sessionId, startCode) => controller.startCobrowse(sessionId, startCode),
    end: (sessionId) => controller.endCobrowse(sessionId),
    dismiss: (sessionId) => controller.dismissCobrowse(sessionId),
    post: (sessionId) => {
      const item = controller.session?.cobrowse.sessions.get(sessionId);
      if (item?.chatId === undefined || item.webcode === '') return 'refused';
      return controller.send(item.chatId, advisorTexts(lang()).cobrowse.chatMessage(groupWebcode(item.webcode)));
    },
    attach: (sessionId, sink) => controller.attachViewer(sessionId, sink),
    pointer: (sessionId, x, y, visible) => controller.pointer(sessionId, x, y, visible),
    requestSnapshot: (sessionId) => controller.requestSnapshot(sessionId),
  };
}
