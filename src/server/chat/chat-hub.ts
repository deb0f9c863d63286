/**
 * The in-memory ChatHub: what happens to a chat from its start to its end: the visitor socket attached to it, its
 * events to both sides, its advisor, and the timers that end or re-queue it. Its parts: the chats themselves
 * (`chat/registry.ts`), the queue advisors see (`queue.ts`), connected advisors (`advisors.ts`), co-browsing
 * (`cobrowse/hub.ts`), opening hours, and what a member chat adds (`member/member-chats.ts`). An anonymous chat
 * lives in memory only: when it ends, everything of it is dropped (one whose visitor was away leaves a short-lived
 * tombstone for that visitor, `tombstones.ts`). A member chat is the same in memory, and is also recorded as it
 * goes: transcript rows and audit start/end. Message handling per role: `visitor-handler.ts`, `advisor-handler.ts`.
 */
import { MAX_EVENTS_PER_CHAT } from '../../protocol/limits.js';
import { CloseCode } from '../../protocol/errors.js';
import type { ErrorCode } from '../../protocol/errors.js';
import type { ChatEvent, SequencedEvent } from '../../protocol/messages.js';
import { AdvisorRegistry } from './advisors.js';
import { createChat, wipe } from './chat.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ChatRegistry } from './registry.js';
import { CobrowseHub } from '../cobrowse/hub.js';
import type { CobrowseTiming } from '../cobrowse/hub.js';
import type { AdvisorPeer, Chat, VisitorPeer } from './chat.js';
import type { LotseConfig } from '../config/lotse-config.js';
import { OpeningHours } from '../hours/watch.js';
import { MemoryLimitStore } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import type { Logger } from '../log.js';
import { MemberChats } from '../member/member-chats.js';
import type { MemberHubOptions } from '../member/member-chats.js';
import type { VerifiedMember } from '../member/token.js';
import { ChatQueue } from './queue.js';
import type { ClientKey } from '../transport/client-key.js';
import { IdleVisitors } from '../transport/idle-visitors.js';
import { startTimer } from '../timers.js';
import { MemoryWaitingClients } from './waiting-clients.js';
import type { WaitingClients } from './waiting-clients.js';

export type EndedBy = 'visitor' | 'advisor' | 'timeout' | 'gone' | 'server';

/** What the hub remembers about a visitor socket: its client's pseudonymous key, which chat it is attached to, if any. */
interface VisitorBinding {
  readonly client: ClientKey;
  chatId: string | undefined;
  /** The socket's chat ended; further chat messages get `LOTSE_ERR_CHAT_ENDED`. */
  ended: boolean;
}

/** With the member chat options (`memberVerifier`, `onMemberChatFiled`) of `member/member-chats.ts`. */
export interface HubOptions extends MemberHubOptions {
  log: Logger;
  now?: () => number;
  /** Shorter co-browse windows than the protocol's (tests only). */
  cobrowseTiming?: Partial<CobrowseTiming>;
  /** The clock of the opening hours (tests). */
  hoursClock?: () => number;
  /** Co-browse and member chat start and end go here (a member chat's start with the visitor's address hash). */
  auditLog?: AuditLog;
  /** Where each client's waiting chats are counted; in memory by default (a shared store for several nodes later). */
  waitingClients?: WaitingClients;
  /** Limit state shared by every node one day (webcode counts, used member tokens); in memory by default. */
  limitStore?: LimitStore;
}

export class ChatHub {
  readonly config: LotseConfig;
  readonly log: Logger;
  readonly now: () => number;
  readonly advisors = new AdvisorRegistry();
  /** Co-browse sessions: their own hub, sharing this one's advisors and socket events. */
  readonly cobrowse: CobrowseHub;
  /** Opening hours: `chat.start` only while open; advisors show as away while closed. */
  readonly hours: OpeningHours;
  /** Member chats: token verification, transcripts, audit (`member/`). */
  readonly members: MemberChats;
  /** The chats in memory, live and ended while their visitor was away, and how to find them (`chat/registry.ts`). */
  readonly chats = new ChatRegistry((left) => this.log.debug('chat.tombstone_expired', { count: left }));
  /** The queue advisors see, pushed to them in batches (`queue.ts`). */
  readonly queue: ChatQueue;
  /** Each client's waiting chats: at most `limits.maxWaitingChatsPerClient` (checked at `chat.start`). */
  readonly waitingClients: WaitingClients;
  /** Visitor sockets without a chat or a co-browse session, closed (4004) after `limits.visitorIdleSeconds`. */
  readonly idleVisitors: IdleVisitors<VisitorPeer>;
  /** Webcode counts and used member tokens (`state/limit-store.ts`). */
  readonly limitStore: LimitStore;
  private readonly visitors = new Map<VisitorPeer, VisitorBinding>();
  private isClosed = false;

  constructor(config: LotseConfig, options: HubOptions) {
    this.config = config;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.limitStore = options.limitStore ?? new MemoryLimitStore({ now: this.now, maxEntries: config.limits.stateEntries });
    this.cobrowse = new CobrowseHub({
      limitStore: this.limitStore,
      config,
      log: this.log,
      now: this.now,
      advisors: this.advisors,
      ...(options.cobrowseTiming === undefined ? {} : { timing: options.cobrowseTiming }),
      ...(options.auditLog === undefined ? {} : { auditLog: options.auditLog }),
      onVisitorChange: (peer) => this.#recheck(peer),
    });
    this.hours = new OpeningHours(config.hours, {
      ...(options.hoursClock === undefined ? {} : { now: options.hoursClock }),
      onChange: (open) => this.advisors.setClosed(!open),
    });
    this.advisors.setClosed(!this.hours.open);
    this.members = new MemberChats({ ...options, config, log: this.log, now: this.now });
    this.queue = new ChatQueue(this.chats, this.advisors, this.now);
    this.waitingClients = options.waitingClients ?? new MemoryWaitingClients();
    this.idleVisitors = new IdleVisitors(config.limits.visitorIdleSeconds * 1000, (peer) => {
      this.log.info('connection.closed', { role: 'visitor', closeCode: CloseCode.Idle, reason: 'idle' });
      peer.close(CloseCode.Idle, 'idle');
    });
  }

  // --- visitor sockets ------------------------------------------------------------------------------------------

  /**
   * `address` is the client's IP address: handed to co-browsing and member chat, which keep only keyed hashes of it.
   * `client` is the client's pseudonymous key, taken once at upgrade (`transport/client-key.ts`): its waiting chats
   * and webcode attempts are counted under it. The socket's idle time starts now.
   */
  visitorConnected(peer: VisitorPeer, address = '', client: ClientKey = { key: '', keys: [''] }): void {
    this.visitors.set(peer, { client, chatId: undefined, ended: false });
    this.cobrowse.visitorConnected(peer, client);
    this.members.visitorConnected(peer, address);
    this.#recheck(peer);
  }

  /** How many chats of this socket's client wait in the queue. */
  waitingChatsOf(peer: VisitorPeer): number {
    const binding = this.visitors.get(peer);
    // Under all the client's keys: chats from before a key rotation still wait, and still count.
    return binding === undefined ? 0 : binding.client.keys.reduce((sum, key) => sum + this.waitingClients.count(key), 0);
  }

  /** Points a connected visitor socket at a chat (or at none); a socket that is gone is left gone. */
  #bind(peer: VisitorPeer, chatId: string | undefined, ended: boolean): void {
    const binding = this.visitors.get(peer);
    if (binding === undefined) return;
    this.visitors.set(peer, { client: binding.client, chatId, ended });
    this.#recheck(peer);
  }

  /**
   * Starts or stops the socket's idle time: idle is a socket with neither a chat nor a co-browse session, nor a
   * webcode check under way.
   */
  #recheck(peer: VisitorPeer): void {
    const binding = this.visitors.get(peer);
    const chat = binding?.chatId === undefined ? undefined : this.chats.get(binding.chatId);
    const cobrowsing = this.cobrowse.sessionOfVisitor(peer) !== undefined || this.cobrowse.isJoining(peer);
    if (binding === undefined || this.isClosed || chat !== undefined || cobrowsing) {
      this.idleVisitors.busy(peer);
    } else {
      this.idleVisitors.idle(peer);
    }
  }

  /** Whether a visitor socket is still open (an answer that took a while may find it gone). */
  isVisitorConnected(peer: VisitorPeer): boolean {
    return this.visitors.has(peer);
  }

  /** The chat a visitor socket is attached to, or why there is none. */
  chatOfVisitor(peer: VisitorPeer): Chat | 'none' | 'ended' {
    const binding = this.visitors.get(peer);
    const chat = binding?.chatId === undefined ? undefined : this.chats.get(binding.chatId);
    if (chat !== undefined) return chat;
    return binding?.ended ? 'ended' : 'none';
  }

  /** An anonymous chat: the nickname is all the advisor sees. */
  startChat(peer: VisitorPeer, nickname: string, startId?: string): Chat {
    return this.#start(createChat({ kind: 'anonymous', nickname }, peer, this.now(), startId), peer);
  }

  /** A member chat, for a member whose token was verified: the card comes from the token's claims only. */
  startMemberChat(peer: VisitorPeer, verified: VerifiedMember, startId?: string): Chat {
    return this.#start(this.members.newChat(verified, peer, this.now(), startId), peer);
  }

  #start(chat: Chat, peer: VisitorPeer): Chat {
    chat.clientKey = this.visitors.get(peer)?.client.key ?? '';
    this.chats.add(chat);
    this.waitingClients.add(chat.clientKey, chat.id);
    this.#bind(peer, chat.id, false);
    chat.idleTimer = startTimer(this.config.chat.idleMinutes * 60_000, () => this.end(chat, 'timeout'));
    this.log.info('chat.started', { count: this.chats.size });
    this.members.started(chat, peer);
    return chat;
  }

  /** Attaches a socket to a chat, closing an older visitor socket of the same chat (4002). */
  attachVisitor(chat: Chat, peer: VisitorPeer): void {
    const older = chat.visitorPeer;
    if (older !== undefined && older !== peer) {
      this.visitors.delete(older);
      older.close(4002, 'replaced');
    }
    const wasAway = chat.visitorPeer === undefined;
    chat.visitorPeer = peer;
    chat.visitorGoneSince = undefined;
    chat.queueSent = undefined; // the new socket hears its place in the queue afresh
    clearTimeout(chat.abandonTimer);
    chat.abandonTimer = undefined;
    this.#bind(peer, chat.id, false);
    if (wasAway) this.#presence(chat, true);
    else if (chat.state === 'waiting') this.queue.push();
  }

  visitorDisconnected(peer: VisitorPeer): void {
    this.idleVisitors.busy(peer);
    this.cobrowse.visitorDisconnected(peer);
    const binding = this.visitors.get(peer);
    this.visitors.delete(peer);
    const chat = binding?.chatId === undefined ? undefined : this.chats.get(binding.chatId);
    if (chat === undefined || chat.visitorPeer !== peer || this.isClosed) return;
    chat.visitorPeer = undefined;
    chat.visitorGoneSince = this.now();
    // The visitor's window is over: nothing to keep for it.
    chat.abandonTimer = startTimer(this.#abandonMs, () => this.end(chat, 'gone', { keepForVisitor: false }));
    this.#presence(chat, false);
  }

  /**
   * The visitor's page left or came back: the advisor who holds the chat hears it at once; for a waiting chat, the
   * queue shows it. Never part of the chat's log, never stored.
   */
  #presence(chat: Chat, present: boolean): void {
    this.log.debug('chat.presence', { count: present ? 1 : 0 }); // 1: back, 0: away
    if (chat.state === 'waiting') this.queue.push();
    else if (chat.advisorId !== undefined) this.advisors.sendTo(chat.advisorId, { type: 'chat.presence', chatId: chat.id, present });
  }

  /**
   * The events after `lastSeq` of a chat that ended while its visitor was away, for the visitor's `chat.resume`
   * with the right token; the socket's chat counts as ended from then on. `undefined` when there is none.
   */
  resumeEnded(peer: VisitorPeer, chatId: string, resumeToken: string, lastSeq: number): SequencedEvent[] | undefined {
    const events = this.chats.takeEnded(chatId, resumeToken, lastSeq);
    if (events !== undefined) this.#bind(peer, undefined, true);
    return events;
  }

  // --- advisor sockets ------------------------------------------------------------------------------------------

  advisorConnected(peer: AdvisorPeer): void {
    this.advisors.add(peer);
    for (const chat of this.chats.heldBy(peer.advisor.id)) {
      clearTimeout(chat.graceTimer);
      chat.graceTimer = undefined;
    }
  }

  advisorDisconnected(peer: AdvisorPeer): void {
    const wasLast = this.advisors.remove(peer);
    this.cobrowse.advisorDisconnected(peer);
    if (!wasLast || this.isClosed) return;
    for (const chat of this.chats.heldBy(peer.advisor.id)) {
      chat.graceTimer = startTimer(this.config.chat.advisorGraceSeconds * 1000, () => this.requeue(chat));
    }
  }

  /** Assigns a waiting chat to an advisor; the caller sends `chat.assigned` and the new queue. */
  assign(chat: Chat, advisor: AdvisorPeer['advisor']): void {
    chat.state = 'active';
    chat.queueSent = undefined; // back in the queue later (`requeue`), the visitor hears its place afresh
    // The joined event goes to the visitor now; the advisor gets it inside `chat.assigned`.
    this.append(chat, { kind: 'joined', advisor: advisor.name, at: this.now() });
    chat.advisorId = advisor.id;
    this.waitingClients.remove(chat.clientKey, chat.id);
    this.queue.accepted();
    this.members.assigned(chat, advisor);
    this.log.info('chat.accepted', { durationMs: this.now() - chat.waitingSince });
  }

  /** The advisor stayed away too long: the chat goes back to the queue. */
  requeue(chat: Chat): void {
    if (chat.state !== 'active') return;
    chat.graceTimer = undefined;
    this.append(chat, { kind: 'left', at: this.now() });
    chat.state = 'waiting';
    chat.advisorId = undefined;
    chat.waitingSince = this.now();
    // Back in the queue through no doing of its client: it counts again, even beyond that client's limit.
    this.waitingClients.add(chat.clientKey, chat.id);
    this.log.info('chat.requeued');
    this.queue.push();
  }

  // --- events ---------------------------------------------------------------------------------------------------

  /** Appends an event and sends it to the visitor and the assigned advisor's sockets. */
  append(chat: Chat, event: ChatEvent): void {
    const seq = chat.events.length + 1;
    chat.events.push({ seq, event });
    this.members.appended(chat, seq, event);
    chat.visitorPeer?.send({ type: 'chat.event', seq, event });
    if (chat.advisorId !== undefined) this.advisors.sendTo(chat.advisorId, { type: 'chat.event', chatId: chat.id, seq, event });
  }

  /**
   * Appends a chat message unless its client id was seen before (a retried send). Returns `'full'` when the
   * chat reached its event limit and was ended.
   */
  addMessage(chat: Chat, from: 'visitor' | 'advisor', id: string, text: string): 'added' | 'duplicate' | 'full' {
    const key = `${from}:${id}`;
    if (chat.seen.has(key)) return 'duplicate';
    chat.seen.add(key);
    this.append(chat, { kind: 'message', id, from, text, at: this.now() });
    chat.idleTimer?.refresh();
    if (from === 'visitor' && chat.state === 'waiting' && chat.firstMessage === undefined) {
      chat.firstMessage = text;
      this.queue.push();
    }
    // One slot stays free for the `ended` event.
    if (chat.events.length >= MAX_EVENTS_PER_CHAT - 1) {
      this.end(chat, 'server');
      return 'full';
    }
    return 'added';
  }

  /**
   * Ends a chat: appends `ended`, sends it to both sides, then deletes the chat entirely. When the visitor is away
   * (and `keepForVisitor` is not false), its events stay in a tombstone until the visitor's window is over.
   */
  end(chat: Chat, by: EndedBy, options: { keepForVisitor?: boolean } = {}): void {
    if (chat.state === 'ended' || this.chats.get(chat.id) !== chat) return;
    const wasWaiting = chat.state === 'waiting';
    const at = this.now();
    this.append(chat, { kind: 'ended', by, at });
    this.members.ended(chat, by, at);
    const events = chat.events.length;
    const durationMs = this.now() - chat.startedAt;
    this.chats.delete(chat);
    this.waitingClients.remove(chat.clientKey, chat.id);
    if (chat.visitorPeer !== undefined) {
      this.#bind(chat.visitorPeer, undefined, true);
    } else if (options.keepForVisitor !== false && !this.isClosed && chat.visitorGoneSince !== undefined) {
      const left = chat.visitorGoneSince + this.#abandonMs - this.now();
      if (left > 0) this.chats.keepForVisitor(chat, left);
    }
    wipe(chat);
    this.log.info('chat.ended', { by, events, durationMs });
    if (wasWaiting) this.queue.push();
  }

  sendError(peer: VisitorPeer | AdvisorPeer, code: ErrorCode, message: string, ref?: string): void {
    this.log.debug('message.refused', { errorCode: code });
    peer.send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  // --- lifecycle ------------------------------------------------------------------------------------------------

  get #abandonMs(): number {
    return this.config.chat.abandonAfterSeconds * 1000;
  }

  /**
   * Ends every chat (`by: 'server'`; nothing survives a restart, so the sides learn it now) and drops every
   * chat, tombstone and timer. Idempotent. Sockets are closed by the gateway.
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.hours.close();
    this.cobrowse.close();
    this.queue.close();
    // `end` deletes each chat (and its timers); nothing is kept for an absent visitor once the hub is closed.
    for (const chat of this.chats.all()) this.end(chat, 'server');
    this.chats.clearEnded();
    this.waitingClients.clear();
    this.idleVisitors.close();
    this.visitors.clear();
    this.advisors.clear();
  }
}
