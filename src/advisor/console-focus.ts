/**
 * Where the console puts the keyboard focus after a render: the active chat's tab (or the chats heading when none is
 * left), the active chat's composer, a region's tab on a narrow console, or the webcode of a co-browse offer the
 * advisor has just asked for, so that its result is where they are (and a screen reader says it).
 */
import type { LotseAdvisorContext } from './lotse-advisor-context.js';
import type { LotseAdvisorConversation } from './lotse-advisor-conversation.js';
import type { LotseCobrowsePanel } from './lotse-cobrowse-panel.js';
import type { Region } from './console-regions.js';

export type ConsoleFocus = 'tabs' | 'composer' | { region: Region } | { cobrowse: string; chatId?: string | undefined };

async function panelOf(
  root: ParentNode,
  sessionId: string,
  chatId: string | undefined,
): Promise<LotseCobrowsePanel | undefined> {
  if (chatId === undefined) {
    return [...root.querySelectorAll('lotse-cobrowse-panel')].find((panel) => panel.session?.sessionId === sessionId);
  }
  const context = root.querySelector<LotseAdvisorContext>(`#context-${CSS.escape(chatId)}`);
  if (context === null) return undefined;
  await context.updateComplete;
  return context.cobrowsePanel(sessionId);
}

export async function focusTarget(root: ParentNode, focus: ConsoleFocus, active: string | undefined): Promise<void> {
  if (focus === 'tabs') {
    (
      root.querySelector<HTMLElement>('[part="chat-tab"][aria-selected="true"]') ??
      root.querySelector<HTMLElement>('#chats-heading')
    )?.focus();
  } else if (focus === 'composer') {
    const conversation = root.querySelector<LotseAdvisorConversation>(
      `#panel-${CSS.escape(active ?? '')} lotse-advisor-conversation`,
    );
    await conversation?.updateComplete;
    conversation?.focusComposer();
  } else if ('region' in focus) {
    root.querySelector<HTMLElement>(`#region-tab-${focus.region}`)?.focus();
  } else {
    const panel = await panelOf(root, focus.cobrowse, focus.chatId);
    await panel?.updateComplete;
    panel?.focusWebcode();
  }
}
