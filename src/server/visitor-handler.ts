/** What a visitor socket may do: start or resume one chat, write, type, end it. */
import { ErrorCode } from '../protocol/errors.js';
import type { VisitorToServer } from '../protocol/messages.js';
import { eventsAfter, tokenMatches } from './chat.js';
import type { Chat, VisitorPeer } from './chat.js';
import type { ChatHub } from './chats.js';

/** The socket's chat, or an error sent back and `undefined`. */
function requireChat(hub: ChatHub, peer: VisitorPeer, ref: string): Chat | undefined {
  const chat = hub.chatOfVisitor(peer);
  if (chat === 'ended') hub.sendError(peer, ErrorCode.ChatEnded, 'the chat has ended', ref);
  else if (chat === 'none') hub.sendError(peer, ErrorCode.InvalidState, 'no chat: send chat.start first', ref);
  else return chat;
  return undefined;
}

export function handleVisitorMessage(hub: ChatHub, peer: VisitorPeer, message: VisitorToServer): void {
  switch (message.type) {
    case 'session.ping':
      peer.send({ type: 'session.pong' });
      return;

    case 'chat.start': {
      if (typeof hub.chatOfVisitor(peer) === 'object') {
        hub.sendError(peer, ErrorCode.InvalidState, 'a chat is already running on this connection', message.type);
        return;
      }
      if (message.termsVersion !== hub.config.terms.version) {
        hub.sendError(peer, ErrorCode.TermsOutdated, 'the terms of use have changed; please confirm them again', message.type);
        return;
      }
      const chat = hub.startChat(peer, message.nickname);
      peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
      hub.pushQueue();
      return;
    }

    case 'chat.resume': {
      const current = hub.chatOfVisitor(peer);
      const chat = hub.getChat(message.chatId);
      if (chat === undefined || !tokenMatches(chat, message.resumeToken)) {
        hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.type);
        return;
      }
      if (typeof current === 'object' && current !== chat) {
        hub.sendError(peer, ErrorCode.InvalidState, 'another chat is running on this connection', message.type);
        return;
      }
      hub.attachVisitor(chat, peer);
      hub.log.debug('chat.resumed');
      peer.send({ type: 'chat.resumed', chatId: chat.id, events: eventsAfter(chat, message.lastSeq) });
      return;
    }

    case 'chat.message': {
      const chat = requireChat(hub, peer, message.id);
      if (chat === undefined) return;
      if (hub.addMessage(chat, 'visitor', message.id, message.text) === 'full') {
        hub.sendError(peer, ErrorCode.ChatFull, 'the chat reached its size limit and was ended', message.id);
      }
      return;
    }

    case 'chat.typing': {
      const chat = requireChat(hub, peer, message.type);
      if (chat?.advisorId === undefined) return;
      hub.advisors.sendTo(chat.advisorId, { type: 'chat.typing', chatId: chat.id, typing: message.typing });
      return;
    }

    case 'chat.end': {
      const chat = requireChat(hub, peer, message.type);
      if (chat !== undefined) hub.end(chat, 'visitor');
      return;
    }
  }
}
