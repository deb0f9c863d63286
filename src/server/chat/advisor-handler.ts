/**
 * What an authenticated advisor socket may do: hello, presence, accept from the queue, write, type, end; and
 * co-browse (`cobrowse/`).
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { AdvisorToServer } from '../../protocol/messages.js';
import { assignedMessage } from './chat.js';
import type { AdvisorPeer, Chat } from './chat.js';
import type { ChatHub } from './chat-hub.js';
import { createCode, handleCobrowseAdvisor } from '../cobrowse/advisor.js';

/** A chat this advisor holds, or an `UNKNOWN_CHAT` error sent back and `undefined`. */
function heldChat(hub: ChatHub, peer: AdvisorPeer, chatId: string, ref: string): Chat | undefined {
  const chat = hub.chats.get(chatId);
  if (chat?.state === 'active' && chat.advisorId === peer.advisor.id) return chat;
  hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', ref);
  return undefined;
}

function hello(hub: ChatHub, peer: AdvisorPeer, named: readonly { chatId: string; lastSeq: number }[]): void {
  const entry = hub.advisors.markReady(peer);
  const { id, name } = peer.advisor;
  hub.hours.check();
  const { status, closed } = hub.advisors.presenceMessage(entry);
  const { burst, perSecond } = hub.config.limits.advisorRate;
  peer.send({
    type: 'advisor.welcome', advisor: { id, name }, presence: status, ...(closed ? { closed } : {}), now: hub.now(),
    rate: { burst, perSecond },
  });
  peer.send({ type: 'queue.snapshot', items: hub.queue.items(), now: hub.now() });
  const lastSeqOf = new Map(named.map((item) => [item.chatId, item.lastSeq]));
  const held = hub.chats.heldBy(id);
  for (const chat of held) {
    peer.send(assignedMessage(chat, lastSeqOf.get(chat.id) ?? 0));
  }
  const heldIds = new Set(held.map((chat) => chat.id));
  for (const chatId of lastSeqOf.keys()) {
    if (!heldIds.has(chatId)) hub.sendError(peer, ErrorCode.UnknownChat, 'chat is gone', chatId);
  }
  hub.cobrowse.advisorHello(peer);
}

export function handleAdvisorMessage(hub: ChatHub, peer: AdvisorPeer, message: AdvisorToServer): void {
  if (message.type === 'session.ping') {
    peer.send({ type: 'session.pong' });
    return;
  }
  if (message.type === 'advisor.hello') {
    hello(hub, peer, message.chats);
    return;
  }
  if (!hub.advisors.isReady(peer)) {
    hub.sendError(peer, ErrorCode.InvalidState, 'send advisor.hello first', message.type);
    return;
  }
  switch (message.type) {
    case 'advisor.presence': {
      const entry = hub.advisors.get(peer.advisor.id);
      if (entry !== undefined) entry.presence = message.status;
      hub.advisors.sendTo(peer.advisor.id, { type: 'advisor.presence', ...hub.advisors.presenceMessage(entry) });
      return;
    }

    case 'queue.accept': {
      const chat = hub.chats.get(message.chatId);
      if (chat === undefined) {
        hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.chatId);
      } else if (chat.state === 'active' && chat.advisorId === peer.advisor.id) {
        peer.send(assignedMessage(chat, 0));
      } else if (chat.state !== 'waiting') {
        hub.sendError(peer, ErrorCode.AlreadyTaken, 'another advisor accepted this chat', message.chatId);
      } else {
        hub.assign(chat, peer.advisor);
        hub.advisors.sendTo(peer.advisor.id, assignedMessage(chat, 0));
        hub.queue.push();
      }
      return;
    }

    case 'chat.message': {
      const chat = heldChat(hub, peer, message.chatId, message.id);
      if (chat !== undefined && hub.addMessage(chat, 'advisor', message.id, message.text) === 'full') {
        hub.sendError(peer, ErrorCode.ChatFull, 'the chat reached its size limit and was ended', message.id);
      }
      return;
    }

    case 'chat.typing': {
      const chat = heldChat(hub, peer, message.chatId, message.chatId);
      chat?.visitorPeer?.send({ type: 'chat.typing', typing: message.typing });
      return;
    }

    case 'chat.read': {
      // Silent when the chat is not (or no longer) held: a read racing the chat's end is no error.
      const chat = hub.chats.get(message.chatId);
      if (chat?.state === 'active' && chat.advisorId === peer.advisor.id) {
        chat.visitorPeer?.send({ type: 'chat.read', seq: Math.min(message.seq, chat.events.length) });
      }
      return;
    }

    case 'chat.end': {
      const chat = heldChat(hub, peer, message.chatId, message.chatId);
      if (chat !== undefined) hub.end(chat, 'advisor');
      return;
    }

    case 'cobrowse.code.create': {
      if (message.chatId !== undefined && heldChat(hub, peer, message.chatId, message.chatId) === undefined) return;
      createCode(hub.cobrowse, peer, message.chatId);
      return;
    }

    case 'cobrowse.start':
    case 'cobrowse.signal':
    case 'cobrowse.end':
      handleCobrowseAdvisor(hub.cobrowse, peer, message);
      return;

    default: {
      // A message type added to the protocol must be handled here, or this stops compiling.
      const unhandled: never = message;
      throw new Error(`unhandled advisor message ${(unhandled as { type: string }).type}`);
    }
  }
}
