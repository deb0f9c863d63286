/**
 * The audit of member chats as a subscriber of the chat lifecycle (`chat/lifecycle.ts`): `member_chat.start` under
 * the member's pseudonym with the keyed hash of the visitor's address taken at connect (`addressHash`, never the
 * address; a resume records none), `member_chat.transfer` by the advisor who handed it on, to whom (advisor id or
 * topic, never the note), and `member_chat.end` with its duration and who ended it. Anonymous chats are
 * ignored: nothing of one is audited. The audit log writes in the background; the server closes it at shutdown
 * before the store, after the hub ended the chats still running.
 */
import type { LifecycleSubscriber } from '../chat/lifecycle.js';
import type { AuditLog } from './audit-log.js';

export function chatAudit(
  audit: Pick<AuditLog, 'memberChatStarted' | 'memberChatEnded' | 'memberChatTransferred'>,
): LifecycleSubscriber {
  return {
    on: {
      'chat.started': ({ chatId, member, addressHash }) => {
        if (member !== undefined) audit.memberChatStarted(member.pseudonym, chatId, addressHash ?? null);
      },
      'chat.transferred': ({ chatId, member, from, to, topic }) => {
        if (member === undefined) return;
        if (to !== undefined) audit.memberChatTransferred(from.id, chatId, { advisor: to.id });
        else if (topic !== undefined) audit.memberChatTransferred(from.id, chatId, { topic });
      },
      'chat.ended': ({ chatId, member, by, startedAt, endedAt }) => {
        if (member !== undefined)
          audit.memberChatEnded(member.pseudonym, chatId, { durationMs: endedAt - startedAt, endedBy: by });
      },
    },
  };
}
