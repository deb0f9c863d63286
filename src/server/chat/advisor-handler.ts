/**
 * What an authenticated advisor socket may do: hello, presence, accept from the queue, write, type, end; and
 * co-browse (`cobrowse/`). A chat's operations wait for the chat state stores (`ChatHub.serial`), so the socket's
 * later messages wait for them in order (`in-order.ts`). Everything it uses is handed to it
 * (`AdvisorHandlerDeps`, built in `app/chat-part.ts`).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { SIGNAL_RATE_BURST } from '../../protocol/limits.js';
import type { AdvisorToServer, Topic } from '../../protocol/messages.js';
import type { AdvisorPeer, Chat } from './chat.js';
import type { AdvisorRegistry } from './advisors.js';
import type { AddResult, ChatHub } from './chat-hub.js';
import type { ChatQueue } from './queue.js';
import { handleInOrder } from './in-order.js';
import type { HeldOptions } from './in-order.js';
import type { ChatRegistry } from './registry.js';
import type { Logger } from '../log.js';
import { createCode, handleCobrowseAdvisor } from '../cobrowse/advisor.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import type { CallbackDesk } from '../callback/callback-desk.js';
import { handleSnippetsAdvisor } from '../snippets/snippets-advisor.js';
import type { SnippetDeps } from '../snippets/snippets-advisor.js';

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
  readonly log: Logger;
  /** Callback requests (`callback/`): the list at hello, claim and done. */
  readonly callbacks?: CallbackDesk | undefined;
  /** Canned responses (`snippets/`); absent: the list says they are unavailable. */
  readonly snippets?: SnippetDeps | undefined;
  /** The configured topics (`chat.topics`): told at hello, offered for a transfer. */
  readonly topics: readonly Topic[];
}

const NO_SNIPPETS: SnippetDeps = {
  db: () => null,
  limits: { maxTextLength: 1, maxPerAdvisor: 0, maxTeam: 0 },
};

/** Most colleagues a transfer's choice lists. */
const MAX_COLLEAGUES = 200;

/** A chat this advisor holds, or an `UNKNOWN_CHAT` error sent back and `undefined`. */
function heldChat(d: AdvisorHandlerDeps, peer: AdvisorPeer, chatId: string, ref: string): Chat | undefined {
  const chat = d.chats.get(chatId);
  if (chat?.state === 'active' && chat.advisorId === peer.advisor.id) return chat;
  d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', ref);
  return undefined;
}

async function hello(
  d: AdvisorHandlerDeps,
  peer: AdvisorPeer,
  named: readonly { chatId: string; lastSeq: number }[],
  sessions: readonly { sessionId: string; link?: number | undefined }[] = [],
): Promise<void> {
  await d.advisors.markReady(peer);
  const { id, name } = peer.advisor;
  d.hours.check();
  const { status, closed } = await d.advisors.presenceMessage(id);
  const { burst, perSecond } = d.rate;
  const topics = (peer.advisor.topics ?? []).filter((topic) => d.topics.some((known) => known.id === topic));
  peer.send({
    type: 'advisor.welcome',
    advisor: { id, name, ...(topics.length > 0 ? { topics } : {}) },
    ...(d.topics.length > 0 ? { topics: d.topics.map((topic) => ({ id: topic.id, label: { ...topic.label } })) } : {}),
    presence: status,
    ...(closed ? { closed } : {}),
    now: d.hub.now(),
    rate: { burst, perSecond },
  });
  const items = await d.queue.items();
  peer.send({ type: 'queue.snapshot', items, now: d.hub.now() });
  // Somebody takes chats now: waiting visitors hear it at once (`unstaffed` goes), on every node.
  if (status === 'available' && items.length > 0) d.queue.push();
  const lastSeqOf = new Map(named.map((item) => [item.chatId, item.lastSeq]));
  const held = d.chats.heldBy(id);
  const heldIds = new Set(held.map((chat) => chat.id));
  for (const chatId of lastSeqOf.keys()) {
    if (!heldIds.has(chatId)) d.hub.sendError(peer, ErrorCode.UnknownChat, 'chat is gone', chatId);
  }
  d.cobrowse.advisorHello(peer, new Map(sessions.map((item) => [item.sessionId, item.link])));
  await Promise.all(held.map((chat) => d.hub.sendAssigned(chat, peer, lastSeqOf.get(chat.id) ?? 0)));
}

/** An accept: the chat is assigned (`chat.assigned` to the advisor's sockets), or the advisor hears why not. */
async function accept(d: AdvisorHandlerDeps, peer: AdvisorPeer, chatId: string): Promise<void> {
  const chat = d.chats.get(chatId);
  if (chat === undefined) {
    d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', chatId);
  } else if (chat.state === 'active' && chat.advisorId === peer.advisor.id) {
    await d.hub.sendAssigned(chat, peer, 0);
  } else if (await d.hub.assign(chat, peer.advisor)) {
    d.queue.push();
  } else {
    d.hub.sendError(peer, ErrorCode.AlreadyTaken, 'another advisor accepted this chat', chatId);
  }
}

/**
 * A transfer of a chat this advisor holds: to an available colleague, or to a configured topic's queue. A colleague
 * who is not available (away, gone, closed hours) or a topic not configured is refused (`UNAVAILABLE`), and the chat
 * stays; the answer otherwise is `chat.transferred` (`ChatHub.transferTo`, `transferToTopic`).
 */
async function transfer(
  d: AdvisorHandlerDeps,
  peer: AdvisorPeer,
  message: Extract<AdvisorToServer, { type: 'chat.transfer' }>,
): Promise<void> {
  const chat = heldChat(d, peer, message.chatId, message.chatId);
  if (chat === undefined) return;
  const from = { id: peer.advisor.id, name: peer.advisor.name };
  const note = message.note === undefined || message.note === '' ? undefined : message.note;
  let done: boolean;
  if ('advisor' in message.to) {
    const wanted = message.to.advisor;
    const colleague = (await d.advisors.available(from.id, MAX_COLLEAGUES)).find((one) => one.id === wanted);
    if (colleague === undefined) {
      d.hub.sendError(peer, ErrorCode.Unavailable, 'that colleague is not available now', message.chatId);
      return;
    }
    done = await d.hub.transferTo(chat, from, colleague, note);
  } else {
    const topic = d.topics.find((known) => known.id === (message.to as { topic: string }).topic);
    if (topic === undefined) {
      d.hub.sendError(peer, ErrorCode.Unavailable, 'no such topic', message.chatId);
      return;
    }
    done = await d.hub.transferToTopic(chat, from, topic.id, topic.label[chat.lang], note);
  }
  if (!done) d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', message.chatId);
}

/** What a chat message's append came to, told to the advisor when it was not appended as asked. */
function tellAdded(d: AdvisorHandlerDeps, peer: AdvisorPeer, id: string, result: AddResult): void {
  if (result === 'full') {
    d.hub.sendError(peer, ErrorCode.ChatFull, 'the chat reached its size limit and was ended', id);
  } else if (result === 'ended') {
    d.hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', id);
  }
}

/** A chat message: appended at once where it can be (`ChatHub.addMessageNow`), else in the chat's turn. */
function write(
  d: AdvisorHandlerDeps,
  peer: AdvisorPeer,
  chat: Chat,
  id: string,
  text: string,
): Promise<void> | undefined {
  const now = d.hub.addMessageNow(chat, 'advisor', id, text, peer.advisor.id);
  if (now !== undefined) {
    tellAdded(d, peer, id, now);
    return undefined;
  }
  return d.hub.addMessage(chat, 'advisor', id, text, peer.advisor.id).then((result) => tellAdded(d, peer, id, result));
}

/** One message; a promise when it waits for the chat state stores. */
function dispatch(d: AdvisorHandlerDeps, peer: AdvisorPeer, message: AdvisorToServer): Promise<void> | undefined {
  if (message.type === 'session.ping') {
    peer.send({ type: 'session.pong' });
    return undefined;
  }
  if (message.type === 'advisor.hello')
    return hello(d, peer, message.chats, message.cobrowse).then(() => d.callbacks?.hello(peer));
  if (!d.advisors.isReady(peer)) {
    d.hub.sendError(peer, ErrorCode.InvalidState, 'send advisor.hello first', message.type);
    return undefined;
  }
  switch (message.type) {
    case 'advisor.presence': {
      const { id } = peer.advisor;
      return d.advisors
        .setPresence(id, message.status)
        .then(() => d.advisors.presenceMessage(id))
        .then((presence) => {
          d.advisors.sendTo(id, { type: 'advisor.presence', ...presence });
          // Waiting visitors hear at once whether anybody takes chats now (`unstaffed`), on every node.
          d.queue.push();
        });
    }

    case 'queue.accept':
      return accept(d, peer, message.chatId);

    case 'chat.message': {
      const chat = heldChat(d, peer, message.chatId, message.id);
      return chat === undefined ? undefined : write(d, peer, chat, message.id, message.text);
    }

    case 'chat.typing': {
      const chat = heldChat(d, peer, message.chatId, message.chatId);
      chat?.visitorPeer?.send({ type: 'chat.typing', typing: message.typing });
      return undefined;
    }

    case 'chat.read': {
      // Silent when the chat is not (or no longer) held: a read racing the chat's end is no error.
      const chat = d.chats.get(message.chatId);
      if (chat?.state === 'active' && chat.advisorId === peer.advisor.id) {
        chat.visitorPeer?.send({ type: 'chat.read', seq: Math.min(message.seq, chat.lastSeq) });
      }
      return undefined;
    }

    case 'chat.end': {
      const chat = heldChat(d, peer, message.chatId, message.chatId);
      return chat === undefined ? undefined : d.hub.end(chat, 'advisor', { heldBy: peer.advisor.id });
    }

    case 'advisor.colleagues': {
      const { id } = peer.advisor;
      return d.advisors.available(id, MAX_COLLEAGUES).then((advisors) => {
        const topics = d.topics.map((topic) => ({ id: topic.id, label: { ...topic.label } }));
        peer.send({ type: 'advisor.colleagues', advisors, topics });
      });
    }

    case 'chat.transfer':
      return transfer(d, peer, message);

    case 'cobrowse.code.create': {
      if (message.chatId !== undefined && heldChat(d, peer, message.chatId, message.chatId) === undefined)
        return undefined;
      return createCode(d.cobrowse, peer, message.chatId);
    }

    case 'cobrowse.start':
    case 'cobrowse.signal':
    case 'cobrowse.end':
      handleCobrowseAdvisor(d.cobrowse, peer, message);
      return undefined;

    case 'callback.claim':
      return d.callbacks?.claim(peer, message.id);

    case 'callback.done':
      return d.callbacks?.done(peer, message.id);
    case 'snippets.get':
    case 'snippets.save':
    case 'snippets.delete':
      return handleSnippetsAdvisor(d.snippets ?? NO_SNIPPETS, peer, message);

    default: {
      // A message type added to the protocol must be handled here, or this stops compiling.
      const unhandled: never = message;
      throw new Error(`unhandled advisor message ${(unhandled as { type: string }).type}`);
    }
  }
}

/**
 * The advisor sockets' message handler: each message in arrival order, also while an earlier one waits for the chat
 * state stores (`in-order.ts`, with options made once here rather than for each message).
 */
export function advisorMessageHandler(d: AdvisorHandlerDeps): (peer: AdvisorPeer, message: AdvisorToServer) => void {
  const options: HeldOptions<AdvisorPeer, AdvisorToServer> = {
    max: d.rate.burst + SIGNAL_RATE_BURST,
    handle: (peer, next) => dispatch(d, peer, next),
    isOpen: (peer) => d.advisors.has(peer),
    onOverflow: (peer) =>
      d.hub.sendError(peer, ErrorCode.RateLimited, 'too many messages while an earlier one is handled; dropped'),
    onFailure: (peer) => {
      d.log.error('connection.handler_failed', { role: 'advisor', closeCode: 1011 });
      peer.close(1011, 'internal error');
    },
  };
  return (peer, message) => handleInOrder(peer, message, options);
}
