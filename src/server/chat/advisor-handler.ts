/**
 * What an authenticated advisor socket may do: hello, presence, accept from the queue, write, type, end; and
 * co-browse (`cobrowse/`). Everything it uses is handed to it (`AdvisorHandlerDeps`, built in `app/chat-part.ts`).
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { AdvisorToServer } from '../../protocol/messages.js';
import { assignedMessage } from './chat.js';
import type { AdvisorPeer, Chat } from './chat.js';
import type { AdvisorRegistry } from './advisors.js';
import type { ChatHub } from './chat-hub.js';
import type { ChatQueue } from './queue.js';
import type { ChatRegistry } from './registry.js';
import { createCode, handleCobrowseAdvisor } from '../cobrowse/advisor.js';
import type { CobrowseHub } from '../cobrowse/hub.js';

export interface AdvisorHandlerDeps {
  readonly hub: ChatHub;
  /** The chats in memory, the queue and this node's advisors: the hub's own, handed in rather than reached through it. */
  readonly chats: ChatRegistry;
  readonly queue: ChatQueue;
  readonly advisors: AdvisorRegistry;
  /** The budget each advisor socket is told at hello (`limits.advisorRate`); the gateway enforces it. */
  readonly rate: { readonly burst: number; readonly perSecond: number };
  /** Opening hours: checked at hello, so that a console hears the current state at once. */
  readonly hours: { check(): void };
  readonly cobrowse: CobrowseHub;
}

/** A chat this advisor holds, or an `UNKNOWN_CHAT` error sent back and `undefined`. */
function heldChat(d: AdvisorHandlerDeps, peer: AdvisorPeer, chatId: string, ref: string): Chat | undefined {
  const chat = d.chats.get(chatId);
  if (chat?.state === 'active' && chat.advisorId === peer.advisor.id) return chat;
  d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', ref);
  return undefined;
}

function hello(d: AdvisorHandlerDeps, peer: AdvisorPeer, named: readonly { chatId: string; lastSeq: number }[]): void {
  d.advisors.markReady(peer);
  const { id, name } = peer.advisor;
  d.hours.check();
  const { status, closed } = d.advisors.presenceMessage(id);
  const { burst, perSecond } = d.rate;
  peer.send({
    type: 'advisor.welcome',
    advisor: { id, name },
    presence: status,
    ...(closed ? { closed } : {}),
    now: d.hub.now(),
    rate: { burst, perSecond },
  });
  peer.send({ type: 'queue.snapshot', items: d.queue.items(), now: d.hub.now() });
  const lastSeqOf = new Map(named.map((item) => [item.chatId, item.lastSeq]));
  const held = d.chats.heldBy(id);
  for (const chat of held) {
    peer.send(assignedMessage(chat, lastSeqOf.get(chat.id) ?? 0));
  }
  const heldIds = new Set(held.map((chat) => chat.id));
  for (const chatId of lastSeqOf.keys()) {
    if (!heldIds.has(chatId)) d.hub.sendError(peer, ErrorCode.UnknownChat, 'chat is gone', chatId);
  }
  d.cobrowse.advisorHello(peer);
}

export function handleAdvisorMessage(d: AdvisorHandlerDeps, peer: AdvisorPeer, message: AdvisorToServer): void {
  if (message.type === 'session.ping') {
    peer.send({ type: 'session.pong' });
    return;
  }
  if (message.type === 'advisor.hello') {
    hello(d, peer, message.chats);
    return;
  }
  if (!d.advisors.isReady(peer)) {
    d.hub.sendError(peer, ErrorCode.InvalidState, 'send advisor.hello first', message.type);
    return;
  }
  switch (message.type) {
    case 'advisor.presence': {
      const { id } = peer.advisor;
      d.advisors.setPresence(id, message.status);
      d.advisors.sendTo(id, { type: 'advisor.presence', ...d.advisors.presenceMessage(id) });
      return;
    }

    case 'queue.accept': {
      const chat = d.chats.get(message.chatId);
      if (chat === undefined) {
        d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.chatId);
      } else if (chat.state === 'active' && chat.advisorId === peer.advisor.id) {
        peer.send(assignedMessage(chat, 0));
      } else if (!d.hub.assign(chat, peer.advisor)) {
        d.hub.sendError(peer, ErrorCode.AlreadyTaken, 'another advisor accepted this chat', message.chatId);
      } else {
        d.advisors.sendTo(peer.advisor.id, assignedMessage(chat, 0));
        d.queue.push();
      }
      return;
    }

    case 'chat.message': {
      const chat = heldChat(d, peer, message.chatId, message.id);
      if (chat !== undefined && d.hub.addMessage(chat, 'advisor', message.id, message.text) === 'full') {
        d.hub.sendError(peer, ErrorCode.ChatFull, 'the chat reached its size limit and was ended', message.id);
      }
      return;
    }

    case 'chat.typing': {
      const chat = heldChat(d, peer, message.chatId, message.chatId);
      chat?.visitorPeer?.send({ type: 'chat.typing', typing: message.typing });
      return;
    }

    case 'chat.read': {
      // Silent when the chat is not (or no longer) held: a read racing the chat's end is no error.
      const chat = d.chats.get(message.chatId);
      if (chat?.state === 'active' && chat.advisorId === peer.advisor.id) {
        chat.visitorPeer?.send({ type: 'chat.read', seq: Math.min(message.seq, chat.events.length) });
      }
      return;
    }

    case 'chat.end': {
      const chat = heldChat(d, peer, message.chatId, message.chatId);
      if (chat !== undefined) d.hub.end(chat, 'advisor');
      return;
    }

    case 'cobrowse.code.create': {
      if (message.chatId !== undefined && heldChat(d, peer, message.chatId, message.chatId) === undefined) return;
      createCode(d.cobrowse, peer, message.chatId);
      return;
    }

    case 'cobrowse.start':
    case 'cobrowse.signal':
    case 'cobrowse.end':
      handleCobrowseAdvisor(d.cobrowse, peer, message);
      return;

    default: {
      // A message type added to the protocol must be handled here, or this stops compiling.
      const unhandled: never = message;
      throw new Error(`unhandled advisor message ${(unhandled as { type: string }).type}`);
    }
  }
}
