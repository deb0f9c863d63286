/**
 * The advisor's chats in the console's first region: a vertical tab list, one tab per chat (name, member badge,
 * away marker, unread count), each controlling the chat's conversation and context. The usual tablist keyboard
 * (arrow keys, Home, End) moves between the chats and shows each at once.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { AdvisorChat } from '../client/advisor-session.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { awayMarker } from './away-marker.js';
import { memberBadge, visitorName } from './visitor-name.js';

export function visitorMessages(chat: AdvisorChat): number {
  return chat.log.events.filter(({ event }) => event.kind === 'message' && event.from === 'visitor').length;
}

export interface ChatListOptions {
  chats: AdvisorChat[];
  active: string | undefined;
  /** Visitor messages of each chat the advisor has seen (the unread count is the rest). */
  seen: Map<string, number>;
  texts: AdvisorTexts;
  /** A tab was clicked (or Enter/Space on it). */
  choose: (chatId: string) => void;
  /** An arrow key moved to another chat: select it, the focus goes to its tab. */
  move: (chatId: string) => void;
}

export function chatList({ chats, active, seen, texts, choose, move }: ChatListOptions): TemplateResult {
  const key = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey || chats.length === 0) return;
    const index = chats.findIndex((chat) => chat.chatId === active);
    const target: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowRight: index + 1,
      ArrowUp: index - 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: chats.length - 1,
    };
    const next = target[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const chat = chats[(next + chats.length) % chats.length];
    if (chat !== undefined) move(chat.chatId);
  };
  return html`<div role="tablist" aria-orientation="vertical" aria-labelledby="chats-heading" part="chat-tabs"
    @keydown=${key}>
    ${repeat(
      chats,
      (chat) => chat.chatId,
      (chat) => {
        const selected = chat.chatId === active;
        const unread = selected ? 0 : visitorMessages(chat) - (seen.get(chat.chatId) ?? 0);
        return html`<button type="button" role="tab" part="chat-tab" id=${`tab-${chat.chatId}`}
          aria-selected=${selected ? 'true' : 'false'} aria-controls=${`panel-${chat.chatId} context-${chat.chatId}`}
          tabindex=${selected ? '0' : '-1'} data-chat=${chat.chatId} @click=${() => choose(chat.chatId)}>
          <bdi>${visitorName(chat.visitor)}</bdi> ${memberBadge(chat.visitor, texts)}${
            chat.away && !chat.lost && !chat.log.ended ? awayMarker(texts) : nothing
          }${
            unread > 0
              ? html`<span part="unread" aria-hidden="true">${unread}</span
                ><span class="visually-hidden">${texts.unread(unread)}</span>`
              : nothing
          }
        </button>`;
      },
    )}
  </div>`;
}
