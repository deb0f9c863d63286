/**
 * What a visitor socket may do: start or resume one chat (`visitor-start.ts`), write, type, end it; and co-browse
 * (`cobrowse/`).
 *
 * A member token is verified on every `chat.start` and `chat.resume` that needs one, and a chat's operations wait
 * for the chat state stores (`ChatHub.serial`). Both are asynchronous, so the socket's later messages wait for
 * them in order (`in-order.ts`).
 *
 * Everything it uses is handed to it (`VisitorHandlerDeps`, built in `app/chat-part.ts`).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { RATE_BURST, SIGNAL_RATE_BURST } from '../../protocol/limits.js';
import type { VisitorToServer } from '../../protocol/messages.js';
import type { Chat, VisitorPeer } from './chat.js';
import type { AddResult } from './chat-hub.js';
import { handleCobrowseVisitor } from '../cobrowse/visitor.js';
import { handleInOrder } from './in-order.js';
import type { HeldOptions } from './in-order.js';
import { resume, resumeMember, startAnonymous, startMember } from './visitor-start.js';
import type { VisitorHandlerDeps } from './visitor-start.js';

export type { VisitorChatSettings, VisitorHandlerDeps } from './visitor-start.js';

/** The socket's chat, or an error sent back and `undefined`. */
function requireChat(d: VisitorHandlerDeps, peer: VisitorPeer, ref: string): Chat | undefined {
  const chat = d.sockets.chatOfVisitor(peer);
  if (chat === 'ended') d.hub.sendError(peer, ErrorCode.ChatEnded, 'the chat has ended', ref);
  else if (chat === 'none') d.hub.sendError(peer, ErrorCode.InvalidState, 'no chat: send chat.start first', ref);
  else return chat;
  return undefined;
}

/** What a chat message's append came to, told to the visitor when it was not appended as asked. */
function tellAdded(d: VisitorHandlerDeps, peer: VisitorPeer, id: string, result: AddResult): void {
  if (result === 'full') {
    d.hub.sendError(peer, ErrorCode.ChatFull, 'the chat reached its size limit and was ended', id);
  } else if (result === 'ended') {
    d.hub.sendError(peer, ErrorCode.ChatEnded, 'the chat has ended', id);
  }
}

/** One message; a promise when it waits for a member token's verification or the chat state stores. */
function dispatch(d: VisitorHandlerDeps, peer: VisitorPeer, message: VisitorToServer): Promise<void> | undefined {
  switch (message.type) {
    case 'session.ping':
      peer.send({ type: 'session.pong' });
      return undefined;

    case 'chat.start':
      if (message.memberToken !== undefined) return startMember(d, peer, message, message.memberToken);
      return startAnonymous(d, peer, message);

    case 'chat.resume':
      if (d.chats.memberSubOf(message.chatId, message.resumeToken) === undefined) {
        return resume(d, peer, message, undefined);
      }
      if (message.memberToken === undefined) {
        d.hub.sendError(peer, ErrorCode.TokenInvalid, 'a member chat resumes only with a member token', message.type);
        return undefined;
      }
      return resumeMember(d, peer, message, message.memberToken);

    case 'chat.message': {
      const chat = requireChat(d, peer, message.id);
      if (chat === undefined) return undefined;
      const now = d.hub.addMessageNow(chat, 'visitor', message.id, message.text);
      if (now !== undefined) {
        tellAdded(d, peer, message.id, now);
        return undefined;
      }
      return d.hub
        .addMessage(chat, 'visitor', message.id, message.text)
        .then((result) => tellAdded(d, peer, message.id, result));
    }

    case 'chat.typing': {
      const chat = requireChat(d, peer, message.type);
      if (chat?.advisorId === undefined) return undefined;
      d.advisors.sendTo(chat.advisorId, { type: 'chat.typing', chatId: chat.id, typing: message.typing });
      return undefined;
    }

    case 'chat.read': {
      // Silent without a chat: a read racing the chat's end is no error.
      const chat = d.sockets.chatOfVisitor(peer);
      if (typeof chat === 'object' && chat.advisorId !== undefined) {
        d.advisors.sendTo(chat.advisorId, {
          type: 'chat.read',
          chatId: chat.id,
          seq: Math.min(message.seq, chat.lastSeq),
        });
      }
      return undefined;
    }

    case 'chat.end': {
      const chat = requireChat(d, peer, message.type);
      return chat === undefined ? undefined : d.hub.end(chat, 'visitor');
    }

    case 'cobrowse.join':
    case 'cobrowse.consent':
    case 'cobrowse.resume':
    case 'cobrowse.signal':
    case 'cobrowse.end':
      return handleCobrowseVisitor(d.cobrowse, peer, message);

    default: {
      // A message type added to the protocol must be handled here, or this stops compiling.
      const unhandled: never = message;
      throw new Error(`unhandled visitor message ${(unhandled as { type: string }).type}`);
    }
  }
}

/**
 * The visitor sockets' message handler: each message in arrival order, also across a member token's verification
 * (`in-order.ts`, with options made once here rather than for each message).
 */
export function visitorMessageHandler(d: VisitorHandlerDeps): (peer: VisitorPeer, message: VisitorToServer) => void {
  const options: HeldOptions<VisitorPeer, VisitorToServer> = {
    max: RATE_BURST + SIGNAL_RATE_BURST,
    handle: (peer, next) => dispatch(d, peer, next),
    isOpen: (peer) => d.sockets.isVisitorConnected(peer),
    onOverflow: (peer) =>
      d.hub.sendError(peer, ErrorCode.RateLimited, 'too many messages while an earlier one is handled; dropped'),
    onFailure: (peer) => {
      d.log.error('connection.handler_failed', { role: 'visitor', closeCode: 1011 });
      peer.close(1011, 'internal error');
    },
  };
  return (peer, message) => handleInOrder(peer, message, options);
}
