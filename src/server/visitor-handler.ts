/** What a visitor socket may do: start or resume one chat, write, type, end it; and co-browse (`cobrowse/`). */
import { ErrorCode } from '../protocol/errors.js';
import { MAX_WAITING_CHATS } from '../protocol/limits.js';
import type { VisitorToServer } from '../protocol/messages.js';
import { eventsAfter, tokenMatches } from './chat.js';
import type { Chat, VisitorPeer } from './chat.js';
import type { ChatHub } from './chats.js';
import { handleCobrowseVisitor } from './cobrowse/visitor.js';

/** The socket's chat, or an error sent back and `undefined`. */
function requireChat(hub: ChatHub, peer: VisitorPeer, ref: string): Chat | undefined {
  const chat = hub.chatOfVisitor(peer);
  if (chat === 'ended') hub.sendError(peer, ErrorCode.ChatEnded, 'the chat has ended', ref);
  else if (chat === 'none') hub.sendError(peer, ErrorCode.InvalidState, 'no chat: send chat.start first', ref);
  else return chat;
  return undefined;
}

/**
 * A `chat.start` repeated with the same start id (the socket dropped before `chat.started` arrived): the new
 * socket takes over the chat and gets `chat.started` again, then every event so far (it has none of them).
 */
function restart(hub: ChatHub, peer: VisitorPeer, chat: Chat): void {
  hub.attachVisitor(chat, peer);
  hub.log.debug('chat.resumed');
  peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
  for (const { seq, event } of chat.events) peer.send({ type: 'chat.event', seq, event });
}

export function handleVisitorMessage(hub: ChatHub, peer: VisitorPeer, message: VisitorToServer): void {
  switch (message.type) {
    case 'session.ping':
      peer.send({ type: 'session.pong' });
      return;

    case 'chat.start': {
      const current = hub.chatOfVisitor(peer);
      const repeated = message.startId === undefined ? undefined : hub.chatByStartId(message.startId);
      if (typeof current === 'object' && current !== repeated) {
        hub.sendError(peer, ErrorCode.InvalidState, 'a chat is already running on this connection', message.type);
        return;
      }
      if (repeated !== undefined) {
        restart(hub, peer, repeated);
        return;
      }
      if (!hub.hours.open) {
        hub.sendError(peer, ErrorCode.Closed, 'the chat is closed now; GET /availability says when it opens', message.type);
        return;
      }
      if (message.termsVersion !== hub.config.terms.version) {
        hub.sendError(peer, ErrorCode.TermsOutdated, 'the terms of use have changed; please confirm them again', message.type);
        return;
      }
      if (hub.waitingCount >= MAX_WAITING_CHATS) {
        hub.log.info('chat.busy', { count: MAX_WAITING_CHATS });
        hub.sendError(peer, ErrorCode.Busy, 'the queue is full; please try again in a few minutes', message.type);
        return;
      }
      const chat = hub.startChat(peer, message.nickname, message.startId);
      peer.send({ type: 'chat.started', chatId: chat.id, resumeToken: chat.resumeToken });
      hub.pushQueue();
      return;
    }

    case 'chat.resume': {
      const current = hub.chatOfVisitor(peer);
      const chat = hub.getChat(message.chatId);
      if (chat === undefined || !tokenMatches(chat, message.resumeToken)) {
        // A chat that ended while the visitor was away: its last events (with `ended`), once, with the token only.
        const ended = chat === undefined && typeof current !== 'object'
          ? hub.resumeEnded(peer, message.chatId, message.resumeToken, message.lastSeq)
          : undefined;
        if (ended === undefined) hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.type);
        else peer.send({ type: 'chat.resumed', chatId: message.chatId, events: ended });
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

    case 'cobrowse.join':
    case 'cobrowse.consent':
    case 'cobrowse.resume':
    case 'cobrowse.signal':
    case 'cobrowse.end':
      handleCobrowseVisitor(hub.cobrowse, peer, message);
      return;

    default: {
      // A message type added to the protocol must be handled here, or this stops compiling.
      const unhandled: never = message;
      throw new Error(`unhandled visitor message ${(unhandled as { type: string }).type}`);
    }
  }
}
