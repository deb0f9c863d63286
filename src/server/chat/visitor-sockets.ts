/**
 * The visitor sockets the chat knows: each one's client key, the keyed hash of its address (when it was taken),
 * the chat it is attached to, and its idle time. A socket with neither a chat nor a co-browse session, nor a webcode
 * check under way, is closed (4004) after `idleMs` (`idle-visitors.ts`). What a socket does with its chat
 * is the hub's (`chat-hub.ts`); this only remembers and times.
 */
import { CloseCode } from '../../protocol/errors.js';
import type { VisitorPeer } from './chat.js';
import type { Logger } from '../log.js';
import type { ClientKey } from '../transport/client-key.js';
import { IdleVisitors } from './idle-visitors.js';

/** What is remembered of one visitor socket. */
export interface VisitorBinding {
  /** The client's pseudonymous key, taken once at upgrade (`transport/client-key.ts`): its waiting chats count under it. */
  readonly client: ClientKey;
  /** The keyed hash of its address (the audit's day key), for a member chat's start record; never the address. */
  readonly addressHash: string | undefined;
  /** The chat it is attached to, if any. */
  chatId: string | undefined;
  /** The socket's chat ended; further chat messages get `LOTSE_ERR_CHAT_ENDED`. */
  ended: boolean;
}

export interface VisitorSocketsOptions {
  idleMs: number;
  log: Logger;
  /** Whether a chat with this id is in memory (waiting or active). */
  hasChat: (chatId: string) => boolean;
  /** Whether the socket co-browses (a session, or a webcode check under way). */
  cobrowsing: (peer: VisitorPeer) => boolean;
}

export class VisitorSockets {
  /** Visitor sockets without a chat or a co-browse session, closed (4004) when their idle time runs out. */
  readonly idle: IdleVisitors<VisitorPeer>;
  // A plain (not `#`) field on purpose: tests walk the hub to prove nothing of an ended chat is left.
  private readonly bindings = new Map<VisitorPeer, VisitorBinding>();
  /** Sockets whose chat another node owns (`cluster/chat-routing.ts`): never idle here. */
  readonly #held = new Set<VisitorPeer>();
  readonly #hasChat: (chatId: string) => boolean;
  readonly #cobrowsing: (peer: VisitorPeer) => boolean;
  #closed = false;

  constructor(options: VisitorSocketsOptions) {
    this.#hasChat = options.hasChat;
    this.#cobrowsing = options.cobrowsing;
    this.idle = new IdleVisitors(options.idleMs, (peer) => {
      options.log.info('connection.closed', { role: 'visitor', closeCode: CloseCode.Idle, reason: 'idle' });
      peer.close(CloseCode.Idle, 'idle');
    });
  }

  /** A socket opened: no chat yet, and its idle time starts. */
  connect(peer: VisitorPeer, client: ClientKey, addressHash: string | undefined): void {
    this.bindings.set(peer, { client, addressHash, chatId: undefined, ended: false });
    this.recheck(peer);
  }

  get(peer: VisitorPeer): VisitorBinding | undefined {
    return this.bindings.get(peer);
  }

  has(peer: VisitorPeer): boolean {
    return this.bindings.has(peer);
  }

  /** Points a connected socket at a chat (or at none); a socket that is gone is left gone. */
  bind(peer: VisitorPeer, chatId: string | undefined, ended: boolean): void {
    const binding = this.bindings.get(peer);
    if (binding === undefined) return;
    this.bindings.set(peer, { ...binding, chatId, ended });
    this.recheck(peer);
  }

  /** Forgets a socket (it closed, or a newer one of its chat replaced it); what was remembered of it, if anything. */
  forget(peer: VisitorPeer): VisitorBinding | undefined {
    this.idle.busy(peer);
    this.#held.delete(peer);
    const binding = this.bindings.get(peer);
    this.bindings.delete(peer);
    return binding;
  }

  /** The socket's chat is another node's (or no longer): that node times it; here it is never idle meanwhile. */
  hold(peer: VisitorPeer, held: boolean): void {
    if (!this.bindings.has(peer)) return;
    if (held) this.#held.add(peer);
    else this.#held.delete(peer);
    this.recheck(peer);
  }

  /** Starts or stops the socket's idle time: idle is a socket with neither a chat nor a co-browse session. */
  recheck(peer: VisitorPeer): void {
    const binding = this.bindings.get(peer);
    const chatting = (binding?.chatId !== undefined && this.#hasChat(binding.chatId)) || this.#held.has(peer);
    if (binding === undefined || this.#closed || chatting || this.#cobrowsing(peer)) {
      this.idle.busy(peer);
    } else {
      this.idle.idle(peer);
    }
  }

  /** Stops every idle time and forgets every socket. Idempotent. */
  close(): void {
    this.#closed = true;
    this.idle.close();
    this.bindings.clear();
    this.#held.clear();
  }
}
