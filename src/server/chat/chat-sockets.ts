/**
 * The sockets of the chat's two sides: which visitor socket speaks for a chat, what happens when it goes away (the
 * visitor's window to come back, `abandonAfterSeconds`) or comes back, and the same for an advisor's last socket
 * (the grace before the chat is re-queued, `advisorGraceSeconds`). The advisor who holds a chat hears at once when
 * its visitor's page leaves or comes back (`chat.presence`; never part of the chat's log, never stored). What
 * happens to the chat itself (start, events, assignment, end) is the hub's (`chat-hub.ts`).
 */
import type { SequencedEvent } from '../../protocol/messages.js';
import type { AdvisorRegistry } from './advisors.js';
import type { AdvisorPeer, Chat, VisitorPeer } from './chat.js';
import type { ChatTimings, CobrowseSockets } from './hub-deps.js';
import type { EndedBy, LifecycleEmitter } from './lifecycle.js';
import type { ChatQueue } from './queue.js';
import type { ChatRegistry } from './registry.js';
import { VisitorSockets } from './visitor-sockets.js';
import type { Logger } from '../log.js';
import type { ClientKey } from '../transport/client-key.js';
import { startTimer } from '../timers.js';

export interface ChatSocketsDeps {
  timings: ChatTimings;
  log: Logger;
  now: () => number;
  chats: ChatRegistry;
  queue: ChatQueue;
  advisors: AdvisorRegistry;
  lifecycle: LifecycleEmitter;
  cobrowse: CobrowseSockets;
  addressHash: ((address: string) => string) | undefined;
  /** The hub's end of a chat (the visitor's window is over). */
  end: (chat: Chat, by: EndedBy, options: { keepForVisitor: false }) => void;
  /** The hub's re-queueing of a chat (its advisor's grace is over). */
  requeue: (chat: Chat) => void;
  /** A store that did not answer (a queue item not updated). */
  onError: (error: unknown) => void;
}

export class ChatSockets {
  /** Visitor sockets: their chat, and their idle time (closed with 4004 after `visitorIdleSeconds` of nothing). */
  readonly visitors: VisitorSockets;
  readonly #deps: ChatSocketsDeps;
  #closed = false;

  constructor(deps: ChatSocketsDeps) {
    this.#deps = deps;
    this.visitors = new VisitorSockets({
      idleMs: deps.timings.visitorIdleSeconds * 1000,
      log: deps.log,
      hasChat: (chatId) => deps.chats.get(chatId) !== undefined,
      cobrowsing: (peer) => deps.cobrowse.holds(peer),
    });
  }

  // --- visitor sockets ------------------------------------------------------------------------------------------

  /**
   * `address` is the client's IP address: reduced to a keyed hash for member chat when
   * the hub was given one; it is not kept. `client` is the client's pseudonymous key, taken once at upgrade
   * (`transport/client-key.ts`): its waiting chats and webcode attempts are counted under it. The socket's idle time
   * starts now.
   */
  visitorConnected(peer: VisitorPeer, address = '', client: ClientKey = { key: '', keys: [''] }): void {
    this.visitors.connect(peer, client, this.#deps.addressHash?.(address));
    this.#deps.cobrowse.visitorConnected(peer, client);
    this.visitors.recheck(peer);
  }

  /** A visitor socket's co-browsing changed: its idle time starts or stops. */
  visitorChanged(peer: VisitorPeer): void {
    this.visitors.recheck(peer);
  }

  /** How many chats of this socket's client wait in the queue. */
  async waitingChatsOf(peer: VisitorPeer): Promise<number> {
    const binding = this.visitors.get(peer);
    // Under all the client's keys: chats from before a key rotation still wait, and still count.
    return binding === undefined ? 0 : await this.#deps.queue.waitingOf(binding.client.keys);
  }

  /** Whether a visitor socket is still open (an answer that took a while may find it gone). */
  isVisitorConnected(peer: VisitorPeer): boolean {
    return this.visitors.has(peer);
  }

  /** The chat a visitor socket is attached to, or why there is none. */
  chatOfVisitor(peer: VisitorPeer): Chat | 'none' | 'ended' {
    const binding = this.visitors.get(peer);
    const chat = binding?.chatId === undefined ? undefined : this.#deps.chats.get(binding.chatId);
    if (chat !== undefined) return chat;
    return binding?.ended ? 'ended' : 'none';
  }

  /** Attaches a socket to a chat, closing an older visitor socket of the same chat (4002). */
  attachVisitor(chat: Chat, peer: VisitorPeer): void {
    const older = chat.visitorPeer;
    if (older !== undefined && older !== peer) {
      this.visitors.forget(older);
      older.close(4002, 'replaced');
    }
    const wasAway = chat.visitorPeer === undefined;
    chat.visitorPeer = peer;
    chat.visitorGoneSince = undefined;
    chat.queueSent = undefined; // the new socket hears its place in the queue afresh
    clearTimeout(chat.abandonTimer);
    chat.abandonTimer = undefined;
    this.visitors.bind(peer, chat.id, false);
    if (wasAway) this.#presence(chat, true);
    else if (chat.state === 'waiting') this.#deps.queue.push();
  }

  visitorDisconnected(peer: VisitorPeer): void {
    const binding = this.visitors.forget(peer);
    this.#deps.cobrowse.visitorDisconnected(peer);
    const chat = binding?.chatId === undefined ? undefined : this.#deps.chats.get(binding.chatId);
    if (chat === undefined || chat.visitorPeer !== peer || this.#closed) return;
    chat.visitorPeer = undefined;
    chat.visitorGoneSince = this.#deps.now();
    // The visitor's window is over: nothing to keep for it.
    chat.abandonTimer = startTimer(this.#deps.timings.abandonAfterSeconds * 1000, () =>
      this.#deps.end(chat, 'gone', { keepForVisitor: false }),
    );
    this.#presence(chat, false);
  }

  /** The visitor's page left or came back: the advisor who holds the chat hears it; a waiting chat's queue shows it. */
  #presence(chat: Chat, present: boolean): void {
    this.#deps.lifecycle.emit('chat.presence', { chatId: chat.id, member: chat.member, present });
    if (chat.state === 'waiting') this.#deps.queue.changed(chat).catch(this.#deps.onError);
    else if (chat.advisorId !== undefined)
      this.#deps.advisors.sendTo(chat.advisorId, { type: 'chat.presence', chatId: chat.id, present });
  }

  /**
   * The events after `lastSeq` of a chat that ended while its visitor was away, for the visitor's `chat.resume`
   * with the right token; the socket's chat counts as ended from then on. `undefined` when there is none.
   */
  async resumeEnded(
    peer: VisitorPeer,
    chatId: string,
    resumeToken: string,
    lastSeq: number,
  ): Promise<SequencedEvent[] | undefined> {
    const events = await this.#deps.chats.takeEnded(chatId, resumeToken, lastSeq);
    if (events !== undefined) this.visitors.bind(peer, undefined, true);
    return events;
  }

  // --- advisor sockets ------------------------------------------------------------------------------------------

  advisorConnected(peer: AdvisorPeer): void {
    this.#deps.advisors.add(peer);
    for (const chat of this.#deps.chats.heldBy(peer.advisor.id)) {
      clearTimeout(chat.graceTimer);
      chat.graceTimer = undefined;
    }
  }

  advisorDisconnected(peer: AdvisorPeer): void {
    const wasLast = this.#deps.advisors.remove(peer);
    this.#deps.cobrowse.advisorDisconnected(peer);
    if (!wasLast || this.#closed) return;
    for (const chat of this.#deps.chats.heldBy(peer.advisor.id)) {
      chat.graceTimer = startTimer(this.#deps.timings.advisorGraceSeconds * 1000, () => this.#deps.requeue(chat));
    }
  }

  /** Stops every idle time and forgets every visitor socket; sockets that close from now on change no chat. */
  close(): void {
    this.#closed = true;
    this.visitors.close();
  }
}
