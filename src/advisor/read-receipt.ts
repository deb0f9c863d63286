/**
 * Read receipts in the conversation: "Gelesen" under the advisor's last message the visitor has read (by
 * `chat.read`), under that one alone. The mark sits inside the live log, so it is hidden from screen readers there
 * (a new node in a live log is announced, and the mark moves with every read); a plain sentence after the log,
 * never live, says the same to them.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { AdvisorChat } from '../client/advisor-session.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import type { Lang } from '../i18n/locale.js';
import { timeOf } from '../i18n/time.js';
import type { ChatEvent, SequencedEvent } from '../protocol/messages.js';
import { withName } from '../dom/bidi.js';

export interface ReadMessage {
  seq: number;
  event: Extract<ChatEvent, { kind: 'message' }>;
}

/** The advisor's last message the visitor has read, if any. */
export function lastRead(chat: AdvisorChat): ReadMessage | undefined {
  for (let index = chat.log.events.length - 1; index >= 0; index -= 1) {
    const { seq, event } = chat.log.events[index] as SequencedEvent;
    if (seq <= chat.visitorRead && event.kind === 'message' && event.from === 'advisor') return { seq, event };
  }
  return undefined;
}

/** The mark under the message (hidden from the live log: `readStatus` says it). */
export function readMark(texts: AdvisorTexts): TemplateResult {
  return html`<span part="read-receipt" aria-hidden="true">${texts.read}</span>`;
}

/** The sentence after the log for screen readers: not live, read when the advisor gets there. */
export function readStatus(
  read: ReadMessage | undefined,
  nickname: string,
  texts: AdvisorTexts,
  lang: Lang,
): TemplateResult {
  const say =
    read === undefined ? nothing : withName((name) => texts.readBy(name, timeOf(read.event.at, lang)), nickname);
  return html`<p class="visually-hidden" id="read-status">${say}</p>`;
}
