/**
 * The member chat transcript as a subscriber of the chat lifecycle (`chat/lifecycle.ts`): a member chat's start,
 * each event appended to it, and its end go to the transcript store (`transcripts.ts`), which writes them in order
 * and files the end with its `webhook_deliveries` row in one transaction; a chat taken over from a node that died
 * (`chat.adopted`) is written again from its events, in case that node had not written them all. Anonymous chats
 * are ignored: nothing of one is recorded. `drain` waits until what is queued is written and leaves the store taking
 * more (a drain mid-run loses no later event); the server closes the store itself at shutdown (`app/server.ts`).
 */
import type { ChatLifecycleEvents, LifecycleSubscriber } from '../chat/lifecycle.js';
import type { TranscriptStore } from './transcripts.js';

export function transcriptWriter(transcripts: TranscriptStore): LifecycleSubscriber {
  /** A member chat's row (written once: idempotent); false for an anonymous chat, of which nothing is written. */
  const started = ({ chatId, member, visitor, startedAt }: ChatLifecycleEvents['chat.started' | 'chat.adopted']) => {
    if (member === undefined || visitor.kind !== 'member') return false;
    transcripts.started({
      chatId,
      sub: member.sub,
      name: visitor.name,
      insuranceNumber: visitor.insuranceNumber,
      startedAt,
    });
    return true;
  };
  return {
    on: {
      'chat.started': (chat) => {
        started(chat);
      },
      // Taken over from a node that died: its transcript may lack what that node had not written yet. Every write
      // is idempotent (the chat's row by id, its events by chat and sequence number), so what it did write stays once.
      'chat.adopted': (chat) => {
        if (started(chat)) for (const { seq, event } of chat.events) transcripts.appended(chat.chatId, seq, event);
      },
      'chat.appended': ({ chatId, member, seq, event }) => {
        if (member !== undefined) transcripts.appended(chatId, seq, event);
      },
      'chat.ended': ({ chatId, member, by, endedAt, advisor }) => {
        if (member !== undefined) transcripts.ended({ chatId, endedAt, endedBy: by, advisor });
      },
    },
    drain: () => transcripts.flush(),
  };
}
