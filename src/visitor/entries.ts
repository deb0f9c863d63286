/**
 * The chat log as the visitor reads it: who wrote what and when, and the notices in between (joined, left,
 * ended). One source for the message list and for the copied transcript.
 */
import type { ChatLog } from '../client/chat-log.js';
import type { ChatText } from '../i18n/chat.js';
import type { Lang } from '../i18n/locale.js';

export interface Entry {
  /** Stable key: the event's sequence number, or the client id of a pending message. */
  key: string;
  kind: 'visitor' | 'advisor' | 'pending' | 'notice';
  /** Who wrote it (empty for notices). */
  who: string;
  text: string;
  /** Epoch ms (server clock); undefined while pending. */
  at?: number;
}

/**
 * Entries of a log, oldest first, pending messages last. `visitor` is how the visitor is named: "Sie" on screen,
 * the nickname in the transcript.
 */
export function entries(log: ChatLog, text: ChatText, visitor: string): Entry[] {
  const out: Entry[] = [];
  let advisor = text.someone;
  for (const { seq, event } of log.events) {
    const key = String(seq);
    switch (event.kind) {
      case 'message':
        out.push({ key, kind: event.from, who: event.from === 'visitor' ? visitor : advisor, text: event.text, at: event.at });
        break;
      case 'joined':
        advisor = event.advisor;
        out.push({ key, kind: 'notice', who: '', text: text.joined(event.advisor), at: event.at });
        break;
      case 'left':
        out.push({ key, kind: 'notice', who: '', text: text.left, at: event.at });
        advisor = text.someone;
        break;
      case 'ended':
        out.push({ key, kind: 'notice', who: '', text: text.endedBy[event.by], at: event.at });
        break;
    }
  }
  for (const { id, text: body } of log.pending) out.push({ key: `pending-${id}`, kind: 'pending', who: visitor, text: body });
  return out;
}

const formats = new Map<Lang, Intl.DateTimeFormat>();

/** Hours and minutes in the visitor's language, e.g. `12:03`. */
export function timeOf(at: number, lang: Lang): string {
  let format = formats.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', { hour: '2-digit', minute: '2-digit' });
    formats.set(lang, format);
  }
  return format.format(at);
}

/** The conversation as plain text, one line per entry: `[12:03] Anna: text`. Pending messages are left out. */
export function transcript(log: ChatLog, text: ChatText, lang: Lang, nickname: string): string {
  return entries(log, text, nickname)
    .filter((entry) => entry.at !== undefined)
    .map((entry) => `[${timeOf(entry.at ?? 0, lang)}] ${entry.who === '' ? '' : `${entry.who}: `}${entry.text}`)
    .join('\n');
}
