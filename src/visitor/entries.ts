/**
 * The chat log as the visitor reads it: who wrote what and when, and the notices in between (joined, left,
 * ended). One source for the message list and for the copied transcript (`transcript` in `copy-controller.ts`).
 */
import type { ChatLog } from '../client/chat-log.js';
import type { ChatText } from '../i18n/chat.js';

export interface Entry {
  /**
   * Stable key. A message is keyed by its client id, pending and confirmed alike, so that its list item stays
   * the same node when the echo arrives (a `role="log"` region announces a new node as a new message); a notice
   * by its sequence number.
   */
  key: string;
  kind: 'visitor' | 'advisor' | 'pending' | 'notice';
  /** Who wrote it (empty for notices). */
  who: string;
  text: string;
  /** A notice that names someone: `text` is `say(name)`, and the view isolates the name. */
  named?: { say: (name: string) => string; name: string };
  /** Epoch ms (server clock); undefined while pending. */
  at?: number;
  /** The visitor's last message the advisor has read. */
  read?: boolean;
}

/** The key of a message, the same before and after the server confirmed it. */
export function messageKey(id: string): string {
  return `message-${id}`;
}

/**
 * Entries of a log, oldest first, pending messages last. `visitor` is how the visitor is named: "Sie" on screen,
 * the nickname in the transcript. The visitor's last message at or before `advisorRead` is marked `read`.
 */
export function entries(log: ChatLog, text: ChatText, visitor: string, advisorRead = 0): Entry[] {
  const out: Entry[] = [];
  let advisor = text.someone;
  let read: Entry | undefined;
  for (const { seq, event } of log.events) {
    const key = `event-${seq}`;
    switch (event.kind) {
      case 'message': {
        const entry: Entry = {
          key: messageKey(event.id),
          kind: event.from,
          who: event.from === 'visitor' ? visitor : advisor,
          text: event.text,
          at: event.at,
        };
        if (event.from === 'visitor' && seq <= advisorRead) read = entry;
        out.push(entry);
        break;
      }
      case 'joined':
        advisor = event.advisor;
        out.push({
          key,
          kind: 'notice',
          who: '',
          text: text.joined(event.advisor),
          named: { say: text.joined, name: event.advisor },
          at: event.at,
        });
        break;
      case 'left':
        out.push({ key, kind: 'notice', who: '', text: text.left, at: event.at });
        advisor = text.someone;
        break;
      case 'transferred':
        out.push({
          key,
          kind: 'notice',
          who: '',
          text: text.transferred(event.to),
          named: { say: text.transferred, name: event.to },
          at: event.at,
        });
        advisor = text.someone;
        break;
      case 'ended':
        out.push({ key, kind: 'notice', who: '', text: text.endedBy[event.by], at: event.at });
        break;
    }
  }
  if (read !== undefined) read.read = true;
  for (const { id, text: body } of log.pending)
    out.push({ key: messageKey(id), kind: 'pending', who: visitor, text: body });
  return out;
}
