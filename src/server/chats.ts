/**
 * The in-memory ChatHub: chats, the queue of waiting chats, connected advisors, and the timers that end or
 * re-queue chats. Anonymous chats live only here; when a chat ends, everything of it is dropped (a chat whose
 * visitor was away leaves a short-lived tombstone for that visitor, see `tombstones.ts`). A member chat is the
 * same in memory, and is also recorded as it goes (`member/member-chats.ts`).
 * Role-specific message handling lives in `visitor-handler.ts` and `advisor-handler.ts`.
 */
import { MAX_EVENTS_PER_CHAT, QUEUE_PUSH_DELAY_MS, QUEUE_SNAPSHOT_MAX } from '../protocol/limits.js';
import type { ErrorCode } from '../protocol/errors.js';
import type { ChatEvent, QueueItem, SequencedEvent } from '../protocol/messages.js';
import { AdvisorRegistry } from './advisors.js';
import { createChat, tokenMatches, wipe } from './chat.js';
import type { AuditLog } from './audit/audit-log.js';
import { CobrowseHub } from './cobrowse/hub.js';
import type { CobrowseTiming } from './cobrowse/hub.js';
import type { AdvisorPeer, Chat, VisitorPeer } from './chat.js';
import type { LotseConfig } from './config.js';
import { OpeningHours } from './hours/watch.js';
import type { Logger } from './log.js';
import { MemberChats } from './member/member-chats.js';
import type { MemberVerifier, VerifiedMember } from './member/token.js';
import { startTimer } from './timers.js';
import { Tombstones } from './tombstones.js';

export type EndedBy = 'visitor' | 'advisor' | 'timeout' | 'server';

/** What the hub remembers about a visitor socket: which chat it is attached to, if any. */
interface VisitorBinding {
  chatId: string | undefined;
  /** The socket's chat ended; further chat messages get `LOTSE_ERR_CHAT_ENDED`. */
  ended: boolean;
}

export interface HubOptions {
  log: Logger;
  now?: () => number;
  /** Shorter co-browse windows than the protocol's (tests only). */
  cobrowseTiming?: Partial<CobrowseTiming>;
  /** The clock of the opening hours (tests). */
  hoursClock?: () => number;
  /** Co-browse and member chat start and end go here. Anonymous chats never do: nothing of them is stored. */
  auditLog?: AuditLog;
  /** Verifies member tokens; absent, member chat is off (`LOTSE_ERR_TOKEN_INVALID`). */
  memberVerifier?: MemberVerifier;
  /** Called after a member chat's end was committed to the store with its `webhook_deliveries` row. */
  onMemberChatFiled?: (chatId: string) => void;
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
  private readonly chats = new Map<string, Chat>();
  /** `chat.start` idempotency keys of the chats in memory. */
  private readonly startIds = new Map<string, Chat>();
  private readonly visitors = new Map<VisitorPeer, VisitorBinding>();
  private readonly tombstones: Tombstones;
  private queueTimer: NodeJS.Timeout | undefined;
  private isClosed = false;

  constructor(config: LotseConfig, options: HubOptions) {
    this.config = config;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.cobrowse = new CobrowseHub({
      config,
      log: this.log,
      now: this.now,
      advisors: this.advisors,
      ...(options.cobrowseTiming === undefined ? {} : { timing: options.cobrowseTiming }),
      ...(options.auditLog === undefined ? {} : { auditLog: options.auditLog }),
    });
    this.hours = new OpeningHours(config.hours, {
      ...(options.hoursClock === undefined ? {} : { now: options.hoursClock }),
      onChange: (open) => this.advisors.setClosed(!open),
    });
    this.advisors.setClosed(!this.hours.open);
    this.members = new MemberChats({
      config,
      log: this.log,
      verifier: options.memberVerifier,
      auditLog: options.auditLog,
      onFiled: options.onMemberChatFiled,
      now: this.now,
    });
    this.tombstones = new Tombstones(() => this.log.debug('chat.tombstone_expired', { count: this.tombstones.size }));
  }

  /** Number of chats in memory (waiting or active). */
  get chatCount(): number {
    return this.chats.size;
  }

  /** Chats waiting in the queue. */
  get waitingCount(): number {
    return [...this.chats.values()].filter((chat) => chat.state === 'waiting').length;
  }

  getChat(chatId: string): Chat | undefined {
    return this.chats.get(chatId);
  }

  /** Chats held by one advisor, oldest first. */
  chatsOf(advisorId: string): Chat[] {
    return [...this.chats.values()].filter((chat) => chat.state === 'active' && chat.advisorId === advisorId);
  }

  // --- visitor sockets ------------------------------------------------------------------------------------------

  /**
   * `address` is the client's IP address: handed to co-browsing and member chat, which keep only keyed hashes of it.
   */
  visitorConnected(peer: VisitorPeer, address = ''): void {
    this.visitors.set(peer, { chatId: undefined, ended: false });
    this.cobrowse.visitorConnected(peer, address);
    this.members.visitorConnected(peer, address);
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

  /** The chat a `chat.start` with this idempotency key started, while it lasts. */
  chatByStartId(startId: string): Chat | undefined {
    return this.startIds.get(startId);
  }

  /** An anonymous chat: the nickname is all the advisor sees. */
  startChat(peer: VisitorPeer, nickname: string, startId?: string): Chat {
    return this.#start(createChat({ kind: 'anonymous', nickname }, peer, this.now(), startId), peer, startId);
  }

  /** A member chat, for a member whose token was verified: the card comes from the token's claims only. */
  startMemberChat(peer: VisitorPeer, verified: VerifiedMember, startId?: string): Chat {
    const { card, member } = this.members.identity(verified);
    const chat = this.#start(createChat(card, peer, this.now(), startId, member), peer, startId);
    this.members.started(chat, peer);
    return chat;
  }

  #start(chat: Chat, peer: VisitorPeer, startId: string | undefined): Chat {
    this.chats.set(chat.id, chat);
    if (startId !== undefined) this.startIds.set(startId, chat);
    this.visitors.set(peer, { chatId: chat.id, ended: false });
    chat.idleTimer = startTimer(this.config.chat.idleMinutes * 60_000, () => this.end(chat, 'timeout'));
    this.log.info('chat.started', { count: this.chats.size });
    return chat;
  }

  /**
   * The member (`sub`) of the member chat, live or ended while its visitor was away, that this resume token opens;
   * `undefined` for an anonymous chat, an unknown one, or a wrong token.
   */
  memberSubOf(chatId: string, resumeToken: string): string | undefined {
    const chat = this.chats.get(chatId);
    if (chat !== undefined) return tokenMatches(chat, resumeToken) ? chat.member?.sub : undefined;
    return this.tombstones.memberSubOf(chatId, resumeToken);
  }

  /** Attaches a socket to a chat, closing an older visitor socket of the same chat (4002). */
  attachVisitor(chat: Chat, peer: VisitorPeer): void {
    const older = chat.visitorPeer;
    if (older !== undefined && older !== peer) {
      this.visitors.delete(older);
      older.close(4002, 'replaced');
    }
    chat.visitorPeer = peer;
    chat.visitorGoneSince = undefined;
    clearTimeout(chat.abandonTimer);
    chat.abandonTimer = undefined;
    this.visitors.set(peer, { chatId: chat.id, ended: false });
  }

  visitorDisconnected(peer: VisitorPeer): void {
    this.cobrowse.visitorDisconnected(peer);
    const binding = this.visitors.get(peer);
    this.visitors.delete(peer);
    const chat = binding?.chatId === undefined ? undefined : this.chats.get(binding.chatId);
    if (chat === undefined || chat.visitorPeer !== peer || this.isClosed) return;
    chat.visitorPeer = undefined;
    chat.visitorGoneSince = this.now();
    // The visitor's window is over: nothing to keep for it.
    chat.abandonTimer = startTimer(this.#abandonMs, () => this.end(chat, 'timeout', { keepForVisitor: false }));
  }

  /**
   * The events after `lastSeq` of a chat that ended while its visitor was away, for the visitor's `chat.resume`
   * with the right token; the socket's chat counts as ended from then on. `undefined` when there is none.
   */
  resumeEnded(peer: VisitorPeer, chatId: string, resumeToken: string, lastSeq: number): SequencedEvent[] | undefined {
    const events = this.tombstones.take(chatId, resumeToken, lastSeq);
    if (events !== undefined) this.visitors.set(peer, { chatId: undefined, ended: true });
    return events;
  }

  // --- advisor sockets ------------------------------------------------------------------------------------------

  advisorConnected(peer: AdvisorPeer): void {
    this.advisors.add(peer);
    for (const chat of this.chatsOf(peer.advisor.id)) {
      clearTimeout(chat.graceTimer);
      chat.graceTimer = undefined;
    }
  }

  advisorDisconnected(peer: AdvisorPeer): void {
    const wasLast = this.advisors.remove(peer);
    this.cobrowse.advisorDisconnected(peer);
    if (!wasLast || this.isClosed) return;
    for (const chat of this.chatsOf(peer.advisor.id)) {
      chat.graceTimer = startTimer(this.config.chat.advisorGraceSeconds * 1000, () => this.requeue(chat));
    }
  }

  /** Assigns a waiting chat to an advisor; the caller sends `chat.assigned` and the new queue. */
  assign(chat: Chat, advisor: AdvisorPeer['advisor']): void {
    chat.state = 'active';
    // The joined event goes to the visitor now; the advisor gets it inside `chat.assigned`.
    this.append(chat, { kind: 'joined', advisor: advisor.name, at: this.now() });
    chat.advisorId = advisor.id;
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
    this.log.info('chat.requeued');
    this.pushQueue();
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
      this.pushQueue();
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
    this.chats.delete(chat.id);
    if (chat.startId !== undefined) this.startIds.delete(chat.startId);
    if (chat.visitorPeer !== undefined) {
      this.visitors.set(chat.visitorPeer, { chatId: undefined, ended: true });
    } else if (options.keepForVisitor !== false && !this.isClosed && chat.visitorGoneSince !== undefined) {
      const left = chat.visitorGoneSince + this.#abandonMs - this.now();
      if (left > 0) this.tombstones.keep(chat, left);
    }
    wipe(chat);
    this.log.info('chat.ended', { by, events, durationMs });
    if (wasWaiting) this.pushQueue();
  }

  // --- queue ----------------------------------------------------------------------------------------------------

  /** The `QUEUE_SNAPSHOT_MAX` longest-waiting chats, longest first. */
  queueItems(): QueueItem[] {
    const waiting = [...this.chats.values()].filter((chat) => chat.state === 'waiting');
    waiting.sort((a, b) => a.waitingSince - b.waitingSince);
    return waiting.slice(0, QUEUE_SNAPSHOT_MAX).map((chat) => {
      const item: QueueItem = { chatId: chat.id, visitor: chat.visitor, since: chat.waitingSince };
      if (chat.firstMessage !== undefined) item.firstMessage = chat.firstMessage;
      return item;
    });
  }

  /**
   * Sends the queue to every advisor socket that said hello, once for all changes within `QUEUE_PUSH_DELAY_MS`:
   * a burst of starts costs one snapshot per advisor, not one per start.
   */
  pushQueue(): void {
    if (this.isClosed || this.queueTimer !== undefined) return;
    this.queueTimer = startTimer(QUEUE_PUSH_DELAY_MS, () => {
      this.queueTimer = undefined;
      this.advisors.broadcast({ type: 'queue.snapshot', items: this.queueItems(), now: this.now() });
    });
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
    // `end` deletes each chat (and its timers); nothing is kept for an absent visitor once the hub is closed.
    for (const chat of [...this.chats.values()]) this.end(chat, 'server');
    clearTimeout(this.queueTimer);
    this.queueTimer = undefined;
    this.tombstones.clear();
    this.visitors.clear();
    this.advisors.clear();
  }
}
