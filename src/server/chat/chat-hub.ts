/**
 * The in-memory ChatHub: what happens to a chat from its start to its end: its events to both sides, its advisor,
 * and the timers that end it. Its parts: the chats themselves (`registry.ts`), the queue advisors see (`queue.ts`),
 * connected advisors (`advisors.ts`), the two sides' sockets (`chat-sockets.ts`), and the chat state a shared store
 * will hold (`state/`: the queue's order, waiting chats per client, who holds each chat, each chat's events with
 * their sequence numbers; with Redis, in Redis's memory). An anonymous chat lives in memory only: when it ends,
 * everything of it is dropped (one whose visitor was away leaves a short-lived tombstone for that visitor,
 * `tombstones.ts`).
 *
 * The state stores may answer asynchronously (a shared store does), so a chat's operations (an event, an
 * assignment, a resume's read, its end) run one at a time, in the order they were asked for (`serial`): an event
 * is sent to both sides once the event log gave it its number, and a read and the attachment of a socket happen
 * with no event in between. The handlers return these promises, so a socket's later messages wait for them
 * (`in-order.ts`).
 *
 * What others do with a chat (a member chat's transcript and audit records, the log lines) they do as subscribers
 * of the lifecycle the hub emits (`lifecycle.ts`); the hub calls none of them. Everything it needs is handed to it
 * (`hub-deps.ts`) by the composition root (`app/chat-part.ts`). Message handling per role: `visitor-handler.ts`,
 * `advisor-handler.ts`.
 */
import { MAX_EVENTS_PER_CHAT } from '../../protocol/limits.js';
import { CloseCode } from '../../protocol/errors.js';
import type { ErrorCode } from '../../protocol/errors.js';
import type { ChatEvent, SequencedEvent, VisitorCard } from '../../protocol/messages.js';
import type { AdvisorRegistry } from './advisors.js';
import { assignedMessage, createChat, wipe } from './chat.js';
import type { AdvisorPeer, Chat, ChatMember, VisitorPeer } from './chat.js';
import { ChatSockets } from './chat-sockets.js';
import type { ChatHubDeps, ChatTimings, RatingTicketIssuer } from './hub-deps.js';
import type { AdvisorRef, ChatRef, EndedBy, LifecycleEmitter } from './lifecycle.js';
import { ChatRegistry } from './registry.js';
import { ChatQueue } from './queue.js';
import type { Logger } from '../log.js';
import { MemoryChatClaims } from '../state/chat-claims.js';
import type { ChatClaims } from '../state/chat-claims.js';
import { MemoryChatDirectory } from '../state/chat-directory.js';
import type { ChatDirectory, ChatRecord } from '../state/chat-directory.js';
import { MemoryChatEventLog, NotOwnerError } from '../state/chat-event-log.js';
import type { ChatEventLog } from '../state/chat-event-log.js';
import type { Admission, AdmissionLimits } from '../state/queue-store.js';
import { startTimer } from '../timers.js';

/** What `addMessage` did: appended it, ignored a retried send, appended it and ended the full chat, or nothing (ended). */
export type AddResult = 'added' | 'duplicate' | 'full' | 'ended';

/** A start that no limit refuses (tests, and the hub's own callers that check nothing). */
const NO_LIMITS = { maxWaitingChats: Infinity, maxWaitingChatsPerClient: Infinity };

export type { EndedBy } from './lifecycle.js';
export type { ChatHubDeps, ChatStateStores, ChatTimings, CobrowseSockets } from './hub-deps.js';

export class ChatHub {
  readonly log: Logger;
  readonly now: () => number;
  readonly advisors: AdvisorRegistry;
  /** The chats in memory, live and ended while their visitor was away, and how to find them (`chat/registry.ts`). */
  readonly chats: ChatRegistry;
  /** The queue advisors see, pushed to them in batches (`queue.ts`). */
  readonly queue: ChatQueue;
  /** The two sides' sockets: attach, leave, come back, presence (`chat-sockets.ts`). */
  readonly sockets: ChatSockets;
  readonly #timings: ChatTimings;
  readonly #lifecycle: LifecycleEmitter;
  readonly #claims: ChatClaims;
  // A plain (not `#`) field on purpose: tests walk the hub to prove nothing of an ended chat is left.
  private readonly events: ChatEventLog;
  /** Which node owns each chat: this one owns the chats it starts (`cluster/`). */
  readonly directory: ChatDirectory;
  /** This node's id among the nodes of the service. */
  readonly nodeId: string;
  readonly #advisorConnected: ((advisorId: string) => Promise<boolean>) | undefined;
  readonly #ratingTickets: RatingTicketIssuer | undefined;
  private isClosed = false;

  /** Whether the hub closed (the server shuts down): no chat starts any more. */
  get closed(): boolean {
    return this.isClosed;
  }

  constructor(deps: ChatHubDeps) {
    this.log = deps.log;
    this.now = deps.now ?? Date.now;
    this.advisors = deps.advisors;
    this.#timings = deps.timings;
    this.#lifecycle = deps.lifecycle;
    this.#claims = deps.state?.claims ?? new MemoryChatClaims();
    this.events = deps.state?.events ?? new MemoryChatEventLog();
    this.directory = deps.state?.directory ?? new MemoryChatDirectory();
    this.nodeId = deps.nodeId ?? 'local';
    this.#advisorConnected = deps.advisorConnected;
    this.#ratingTickets = deps.ratingTickets;
    this.chats = new ChatRegistry({
      events: this.events,
      directory: this.directory,
      onExpire: () => this.log.debug('chat.tombstone_expired', { count: this.chats.endedSize }),
      onError: (error) => this.#failed(error),
    });
    this.queue = new ChatQueue({
      chats: this.chats,
      advisors: this.advisors,
      store: deps.state?.queue,
      news: deps.queueNews,
      now: this.now,
      onError: (error) => this.#failed(error),
    });
    this.sockets = new ChatSockets({
      timings: deps.timings,
      log: this.log,
      now: this.now,
      chats: this.chats,
      queue: this.queue,
      advisors: this.advisors,
      lifecycle: this.#lifecycle,
      cobrowse: deps.cobrowse,
      addressHash: deps.addressHash,
      end: (chat, by, options) => this.#background(this.end(chat, by, options)),
      requeue: (chat) => this.#background(this.requeue(chat)),
      onError: (error) => this.#failed(error),
    });
  }

  /**
   * Runs `task` once every operation asked for earlier on the same chat has settled, and never two at once: what
   * a task reads of the chat (its state, its events) stays true until it is done, however long the store takes.
   * A task must not wait for another task of the same chat (it would wait for itself).
   */
  serial<T>(chat: Chat, task: () => Promise<T> | T): Promise<T> {
    chat.pending += 1;
    const run = chat.work.then(task);
    const done = (): void => {
      chat.pending -= 1;
    };
    chat.work = run.then(done, done);
    return run;
  }

  // --- chats ----------------------------------------------------------------------------------------------------

  /**
   * Starts a chat: anonymous with a nickname's card, or a member chat with the card and `member` record from a
   * verified token (`member/admission.ts`). It waits in the queue, if the queue admits it within `limits` (both
   * checked and the chat added in one step, `queue.ts`), and the directory names this node its owner (a resume on
   * another node finds it); the caller sends `chat.started` and the queue. Instead of a chat: which limit refused
   * it, or `gone` (the socket went, or the hub closed, while the stores were asked).
   */
  async startChat(
    peer: VisitorPeer,
    visitor: VisitorCard,
    startId?: string,
    member?: ChatMember,
    limits: { maxWaitingChats: number; maxWaitingChatsPerClient: number } = NO_LIMITS,
    about: { topic?: string | undefined; lang?: 'de' | 'en' | undefined } = {},
  ): Promise<Chat | Exclude<Admission, 'admitted'> | 'gone'> {
    const chat = createChat(visitor, peer, this.now(), startId, member);
    chat.topic = about.topic;
    chat.lang = about.lang ?? 'de';
    const binding = this.sockets.visitors.get(peer);
    chat.clientKey = binding?.client.key ?? '';
    const admission: AdmissionLimits = {
      maxWaiting: limits.maxWaitingChats,
      maxPerClient: limits.maxWaitingChatsPerClient,
      clientKeys: binding?.client.keys ?? [chat.clientKey],
    };
    const connected = this.sockets.isVisitorConnected(peer);
    const admitted = await this.queue.admit(chat, admission);
    if (admitted !== 'admitted') return admitted;
    try {
      await this.directory.add(chat.id, this.nodeId, recordOf(chat));
    } catch (error) {
      await this.queue.leave(chat).catch(() => undefined);
      throw error;
    }
    if (this.isClosed || (connected && !this.sockets.isVisitorConnected(peer))) {
      await Promise.all([this.queue.leave(chat), this.directory.remove(chat.id, chat.startId)]);
      return 'gone';
    }
    this.chats.add(chat);
    this.sockets.visitors.bind(peer, chat.id, false);
    this.#armIdle(chat);
    this.#lifecycle.emit('chat.started', {
      ...refOf(chat),
      startedAt: chat.startedAt,
      visitor: chat.visitor,
      addressHash: binding?.addressHash,
      live: this.chats.size,
    });
    return chat;
  }

  /**
   * Assigns a waiting chat to an advisor, if nobody claimed it first (`state/chat-claims.ts`), and sends the
   * advisor's sockets `chat.assigned` with every event so far: false when the chat is taken (or gone). The caller
   * pushes the new queue.
   */
  assign(chat: Chat, advisor: AdvisorRef): Promise<boolean> {
    return this.serial(chat, async () => {
      if (chat.state !== 'waiting' || !this.#claims.claim(chat.id, advisor.id)) return false;
      chat.state = 'active';
      chat.front = false;
      chat.queueSent = undefined; // back in the queue later (`requeue`), the visitor hears its place afresh
      chat.advisorId = advisor.id;
      chat.lastAdvisor = { id: advisor.id, name: advisor.name };
      // Before anyone hears of it: a node that takes the chat over knows who holds it.
      await this.#saveRecord(chat);
      await this.queue.leave(chat, true);
      // The joined event goes to the visitor now; the advisor gets it inside `chat.assigned`.
      await this.#append(chat, { kind: 'joined', advisor: advisor.name, at: this.now() }, { advisor: false });
      this.#lifecycle.emit('chat.assigned', {
        ...refOf(chat),
        advisor: chat.lastAdvisor,
        waitedMs: this.now() - chat.waitingSince,
      });
      const events = await this.events.after(chat.id, 0);
      this.advisors.sendTo(advisor.id, assignedMessage(chat, events));
      return true;
    });
  }

  /**
   * Sends one advisor socket `chat.assigned` for a chat its advisor holds, with the events after `lastSeq` (the
   * console's hello after a reconnect, or a repeated accept). Nothing when the chat is no longer held.
   */
  sendAssigned(chat: Chat, peer: AdvisorPeer, lastSeq: number): Promise<void> {
    return this.serial(chat, async () => {
      if (chat.state !== 'active' || chat.advisorId !== peer.advisor.id) return;
      const events = await this.events.after(chat.id, lastSeq);
      peer.send(assignedMessage(chat, events));
    });
  }

  /**
   * Attaches a visitor socket to its chat (a resume, or a repeated `chat.start`) and calls `reply` with the events
   * after `lastSeq`: no event falls between the two, so the socket gets each one once. False when the chat ended or
   * the socket went away meanwhile (nothing was attached or sent).
   */
  attachVisitor(
    chat: Chat,
    peer: VisitorPeer,
    lastSeq: number,
    reply: (events: SequencedEvent[]) => void,
  ): Promise<boolean> {
    return this.serial(chat, async () => {
      const live = (): boolean => this.chats.get(chat.id) === chat;
      if (!live()) return false;
      const events = await this.events.after(chat.id, lastSeq);
      if (!live() || !this.sockets.isVisitorConnected(peer)) return false;
      this.sockets.attachVisitor(chat, peer);
      reply(events);
      return true;
    });
  }

  /**
   * The advisor stayed away too long: the chat goes back to the queue. Not while the advisor has a socket on
   * another node (with other nodes): its console moved there.
   */
  requeue(chat: Chat): Promise<void> {
    return this.serial(chat, async () => {
      if (chat.state !== 'active') return;
      chat.graceTimer = undefined;
      const advisorId = chat.advisorId;
      if (advisorId !== undefined && this.#advisorConnected !== undefined && (await this.#advisorConnected(advisorId)))
        return;
      if (chat.state !== 'active' || chat.advisorId !== advisorId) return;
      await this.#append(chat, { kind: 'left', at: this.now() });
      chat.state = 'waiting';
      chat.advisorId = undefined;
      chat.waitingSince = this.now();
      await this.#saveRecord(chat);
      this.#claims.release(chat.id);
      // Back in the queue through no doing of its client: it counts again, even beyond that client's limit.
      await this.queue.enter(chat);
      this.#lifecycle.emit('chat.requeued', { ...refOf(chat), advisor: chat.lastAdvisor });
      this.queue.push();
    });
  }

  /**
   * Hands a chat `from` holds to `to`, an available colleague (the caller looked them up): a `transferred` event
   * ("Sie werden mit … verbunden") to the visitor, then the colleague's `joined`; the colleague's sockets get
   * `chat.assigned` with every event and the handover (who, the internal note), `from`'s get `chat.transferred`.
   * Direct, with no offer to accept: the colleague is available (they said so), the chat is never without an
   * advisor, and nothing waits for an answer that may never come. False when `from` holds the chat no longer.
   */
  transferTo(chat: Chat, from: AdvisorRef, to: AdvisorRef, note: string | undefined): Promise<boolean> {
    return this.serial(chat, async () => {
      if (!this.#heldBy(chat, from.id) || to.id === from.id) return false;
      await this.#append(chat, { kind: 'transferred', to: to.name, at: this.now() });
      this.#claims.release(chat.id);
      this.#claims.claim(chat.id, to.id);
      clearTimeout(chat.graceTimer);
      chat.graceTimer = undefined;
      chat.advisorId = to.id;
      chat.lastAdvisor = { id: to.id, name: to.name };
      chat.handover = { from: from.name, ...(note ? { note } : {}) };
      await this.#saveRecord(chat);
      this.advisors.sendTo(from.id, { type: 'chat.transferred', chatId: chat.id, to: to.name });
      await this.#append(chat, { kind: 'joined', advisor: to.name, at: this.now() }, { advisor: false });
      this.#lifecycle.emit('chat.transferred', { ...refOf(chat), from, to: chat.lastAdvisor, topic: undefined });
      const events = await this.events.after(chat.id, 0);
      this.advisors.sendTo(to.id, assignedMessage(chat, events));
      return true;
    });
  }

  /**
   * Hands a chat `from` holds back to the queue under `topic`, at its front (`label`: the topic's name in the
   * visitor's language, for the `transferred` event); whoever accepts it next gets the handover with it. False
   * when `from` holds the chat no longer.
   */
  transferToTopic(
    chat: Chat,
    from: AdvisorRef,
    topic: string,
    label: string,
    note: string | undefined,
  ): Promise<boolean> {
    return this.serial(chat, async () => {
      if (!this.#heldBy(chat, from.id)) return false;
      await this.#append(chat, { kind: 'transferred', to: label, at: this.now() });
      chat.state = 'waiting';
      chat.advisorId = undefined;
      chat.topic = topic;
      chat.front = true;
      chat.waitingSince = this.now();
      chat.queueSent = undefined;
      chat.handover = { from: from.name, ...(note ? { note } : {}) };
      clearTimeout(chat.graceTimer);
      chat.graceTimer = undefined;
      await this.#saveRecord(chat);
      this.#claims.release(chat.id);
      this.advisors.sendTo(from.id, { type: 'chat.transferred', chatId: chat.id, to: label, topic });
      await this.queue.enter(chat);
      this.#lifecycle.emit('chat.transferred', { ...refOf(chat), from, to: undefined, topic });
      this.queue.push();
      return true;
    });
  }

  /**
   * Writes a chat of this node back to the shared state, which lost it (a restarted Redis,
   * `cluster/shared-state-restore.ts`): its owner entry, record and start id, its events (from this node's copy,
   * `state/chat-event-log.ts`), and, while it waits, its queue entry at its time. In the chat's turn: no event of it
   * falls in between. Nothing for a chat that is no longer here.
   */
  restoreShared(chat: Chat): Promise<void> {
    return this.serial(chat, async () => {
      if (this.chats.get(chat.id) !== chat) return;
      await this.directory.restore(chat.id, this.nodeId, recordOf(chat), chat.startId);
      await this.events.restore(chat.id);
      if (chat.state === 'waiting') await this.queue.restore(chat);
    });
  }

  /**
   * Writes the chat's record (who holds it); a store that fails is logged, the chat goes on (on this node). Fenced
   * as an append is: refused (the owner entry names another node), the chat is forgotten here (`#lose`) and the
   * caller's turn stops with `NotOwnerError`, before it touches the queue or tells anyone.
   */
  async #saveRecord(chat: Chat): Promise<void> {
    const saved = await this.directory.save(chat.id, recordOf(chat), this.nodeId).catch((error: unknown) => {
      this.#failed(error);
      return true;
    });
    if (saved) return;
    this.#lose(chat);
    throw new NotOwnerError();
  }

  /**
   * The advisor has no socket on some node any more: its chats held here get its grace, unless it has a socket
   * here (then none ran out).
   */
  advisorLeft(advisorId: string): void {
    if (this.advisors.get(advisorId) !== undefined || this.isClosed) return;
    for (const chat of this.chats.heldBy(advisorId)) {
      if (chat.graceTimer !== undefined) continue;
      chat.graceTimer = startTimer(this.#timings.advisorGraceSeconds * 1000, () =>
        this.#background(this.requeue(chat)),
      );
    }
  }

  /** Every event of a chat this node does not hold (yet): for `adopt`. */
  eventsOf(chatId: string): Promise<SequencedEvent[]> {
    return this.events.after(chatId, 0);
  }

  /**
   * Takes over a chat whose owner died (`cluster/takeover.ts`, once the directory made this node its owner): the
   * chat as its record and events say, its visitor away until its socket comes back, its timers started afresh
   * (the idle time, the visitor's window to come back, the advisor's grace when no socket of the advisor is here).
   * Both sides resume as after any reconnect: they ask for what they lack.
   */
  adopt(chatId: string, record: ChatRecord, events: readonly SequencedEvent[]): Chat {
    const known = this.chats.get(chatId);
    if (known !== undefined) return known;
    const now = this.now();
    const chat: Chat = {
      ...createChat(record.visitor, undefined, record.startedAt, record.startId, record.member),
      id: chatId,
      resumeToken: record.resumeToken,
      state: record.state,
      advisorId: record.state === 'active' ? record.advisor?.id : undefined,
      lastAdvisor: record.lastAdvisor,
      waitingSince: record.waitingSince,
      clientKey: record.clientKey,
      topic: record.topic,
      lang: record.lang ?? 'de',
      front: record.front === true && record.state === 'waiting',
      lastSeq: events.at(-1)?.seq ?? 0,
      visitorGoneSince: now,
    };
    // This node keeps a copy of the chat's events from now on (the shared store may lose them).
    this.events.own(chatId, events);
    for (const { event } of events) {
      if (event.kind !== 'message') continue;
      chat.seen[event.from].add(event.id);
      if (event.from === 'visitor' && chat.firstMessage === undefined) chat.firstMessage = event.text;
    }
    this.chats.add(chat);
    this.#lifecycle.emit('chat.adopted', {
      ...refOf(chat),
      startedAt: record.startedAt,
      visitor: record.visitor,
      events,
    });
    if (chat.state === 'waiting') {
      // Back in the shared queue under this node (its entry lapsed with the node that died).
      this.#background(this.queue.enter(chat));
    } else if (chat.advisorId !== undefined) {
      this.#claims.claim(chat.id, chat.advisorId);
    }
    this.#armIdle(chat);
    chat.abandonTimer = startTimer(this.#abandonMs, () =>
      this.#background(this.end(chat, 'gone', { keepForVisitor: false })),
    );
    if (chat.advisorId !== undefined && this.advisors.get(chat.advisorId) === undefined) {
      chat.graceTimer = startTimer(this.#timings.advisorGraceSeconds * 1000, () =>
        this.#background(this.requeue(chat)),
      );
    }
    this.queue.push();
    return chat;
  }

  // --- events ---------------------------------------------------------------------------------------------------

  /**
   * Appends an event (inside a `serial` task) and sends it to the visitor and, unless told not to, the assigned
   * advisor's sockets. Resolves with its sequence number.
   */
  async #append(chat: Chat, event: ChatEvent, to: { advisor: boolean } = { advisor: true }): Promise<number> {
    let seq: number;
    try {
      seq = await this.events.append(chat.id, event);
    } catch (error) {
      if (error instanceof NotOwnerError) this.#lose(chat);
      throw error;
    }
    this.#appended(chat, seq, event, to.advisor);
    return seq;
  }

  /**
   * Forgets (`#lose`) every chat held here whose owner entry names another node, or is gone: this node was paused or
   * cut off past its lease, and another took them over (`cluster/takeover.ts`).
   */
  async dropLost(): Promise<void> {
    for (const chat of this.chats.all()) {
      if (chat.state === 'ended') continue;
      const owner = await this.directory.ownerOf(chat.id);
      if (owner !== this.nodeId) this.#lose(chat);
    }
  }

  /**
   * Fencing: the shared log refused this node's write, since another node took the chat over (this node was cut
   * off or paused past its lease, `cluster/takeover.ts`) or ended it. Forgotten here without a word to the shared
   * state (no end, no event, no queue or directory change: they are the owner's); its timers stop, and both sides'
   * sockets on this node are closed to come back (4003): they reconnect and resume on the owner.
   */
  #lose(chat: Chat): void {
    if (this.chats.get(chat.id) !== chat) return;
    const { visitorPeer, advisorId } = chat;
    this.chats.delete(chat);
    this.events.release(chat.id);
    this.#claims.release(chat.id);
    if (visitorPeer !== undefined) this.sockets.visitors.bind(visitorPeer, undefined, true);
    wipe(chat);
    this.log.warn('chat.lost');
    visitorPeer?.close(CloseCode.ServerShutdown, 'the chat moved; come back');
    for (const peer of advisorId === undefined ? [] : [...(this.advisors.get(advisorId)?.peers ?? [])]) {
      peer.close(CloseCode.ServerShutdown, 'the chat moved; come back');
    }
  }

  /** An event the log numbered: told to the lifecycle, then sent to the visitor and (unless not) the advisor. */
  #appended(chat: Chat, seq: number, event: ChatEvent, toAdvisor: boolean): void {
    chat.lastSeq = seq;
    this.#lifecycle.emit('chat.appended', { chatId: chat.id, member: chat.member, seq, event });
    chat.visitorPeer?.send({ type: 'chat.event', seq, event });
    if (toAdvisor && chat.advisorId !== undefined)
      this.advisors.sendTo(chat.advisorId, { type: 'chat.event', chatId: chat.id, seq, event });
  }

  /**
   * Appends a chat message unless its client id was seen before (a retried send). `'full'` when the chat reached
   * its event limit and was ended; `'ended'` when the chat had ended before the message's turn came.
   */
  addMessage(
    chat: Chat,
    from: 'visitor' | 'advisor',
    id: string,
    text: string,
    advisorId?: string,
  ): Promise<AddResult> {
    return this.serial(chat, async (): Promise<AddResult> => {
      if (chat.state === 'ended' || (from === 'advisor' && !this.#heldBy(chat, advisorId))) return 'ended';
      const seen = chat.seen[from];
      if (seen.has(id)) return 'duplicate';
      // Counted as seen only once it is in the log: when the append fails, the client sends it again with the same
      // id, and it must not be taken for a repeat (the serial turn keeps a repeat from racing it meanwhile).
      const seq = await this.#append(chat, { kind: 'message', id, from, text, at: this.now() });
      seen.add(id);
      chat.activeAt = performance.now();
      if (from === 'visitor' && chat.state === 'waiting' && chat.firstMessage === undefined) {
        chat.firstMessage = text;
        await this.queue.changed(chat);
      }
      // One slot stays free for the `ended` event.
      if (seq >= MAX_EVENTS_PER_CHAT - 1) {
        await this.#end(chat, 'server');
        return 'full';
      }
      return 'added';
    });
  }

  /**
   * `addMessage` at once, where that comes to the same: the chat's turn is now (none of its operations is pending),
   * it is active and not about to be full, and the event log numbers an event at once (the memory one; a shared
   * store answers later). Most messages of a busy node take this way, with no promise and no wait for a later turn
   * of the event loop. Undefined when it cannot be done at once: then `addMessage`.
   */
  addMessageNow(
    chat: Chat,
    from: 'visitor' | 'advisor',
    id: string,
    text: string,
    advisorId?: string,
  ): AddResult | undefined {
    const events = this.events;
    // The message that fills the chat ends it (asynchronously): `addMessage`, which tells the sender after the end.
    const room = chat.lastSeq < MAX_EVENTS_PER_CHAT - 2;
    if (events.appendNow === undefined || chat.pending > 0 || chat.state !== 'active' || !room) return undefined;
    if (from === 'advisor' && !this.#heldBy(chat, advisorId)) return 'ended';
    const seen = chat.seen[from];
    if (seen.has(id)) return 'duplicate';
    const event: ChatEvent = { kind: 'message', id, from, text, at: this.now() };
    this.#appended(chat, events.appendNow(chat.id, event), event, true);
    seen.add(id);
    chat.activeAt = performance.now();
    return 'added';
  }

  /**
   * Starts the chat's idle timer: `idleMinutes` without a message end it. A message only stamps its time
   * (`activeAt`): no timer is moved for each message. When the timer fires before the chat was idle that long, it
   * waits for the rest, so the chat ends `idleMinutes` after its last message, as if each had restarted the timer.
   */
  #armIdle(chat: Chat): void {
    const idleMs = this.#timings.idleMinutes * 60_000;
    const check = (): void => {
      const rest = chat.activeAt + idleMs - performance.now();
      if (rest > 0) chat.idleTimer = startTimer(rest, check);
      else this.#background(this.end(chat, 'timeout'));
    };
    chat.activeAt = performance.now();
    chat.idleTimer = startTimer(idleMs, check);
  }

  /** Whether the chat is active and held by this advisor now (at the operation's turn, not when it was asked for). */
  #heldBy(chat: Chat, advisorId: string | undefined): boolean {
    return chat.state === 'active' && advisorId !== undefined && chat.advisorId === advisorId;
  }

  /**
   * Ends a chat: appends `ended`, sends it to both sides, then deletes the chat entirely. When the visitor is away
   * (and `keepForVisitor` is not false), its events stay in a tombstone until the visitor's window is over. With
   * `heldBy`, only while that advisor still holds the chat at its turn (it may have been re-queued meanwhile).
   */
  end(chat: Chat, by: EndedBy, options: { keepForVisitor?: boolean; heldBy?: string } = {}): Promise<void> {
    return this.serial(chat, () =>
      options.heldBy !== undefined && !this.#heldBy(chat, options.heldBy) ? undefined : this.#end(chat, by, options),
    );
  }

  /**
   * The end itself (inside a serial task). A chat ends even when the event log fails to take its `ended` event:
   * both sides are told all the same (numbered after the last event they had), and everything of it is dropped
   * here; what the log still holds lapses with its time to live.
   */
  async #end(chat: Chat, by: EndedBy, options: { keepForVisitor?: boolean } = {}): Promise<void> {
    if (chat.state === 'ended' || this.chats.get(chat.id) !== chat) return;
    const wasWaiting = chat.state === 'waiting';
    const endedAt = this.now();
    const ended: ChatEvent = { kind: 'ended', by, at: endedAt };
    await this.#offerRating(chat);
    let events: number;
    let logged = true;
    try {
      events = await this.#append(chat, ended);
    } catch (error) {
      if (error instanceof NotOwnerError) return; // another node's chat now: it ends it (`#lose`)
      this.#failed(error);
      logged = false;
      events = chat.lastSeq + 1;
      chat.visitorPeer?.send({ type: 'chat.event', seq: events, event: ended });
      if (chat.advisorId !== undefined)
        this.advisors.sendTo(chat.advisorId, { type: 'chat.event', chatId: chat.id, seq: events, event: ended });
    }
    this.#lifecycle.emit('chat.ended', {
      ...refOf(chat),
      by,
      startedAt: chat.startedAt,
      endedAt,
      events,
      advisor: chat.lastAdvisor,
    });
    this.chats.delete(chat);
    this.#claims.release(chat.id);
    let kept: Promise<void> | undefined;
    if (chat.visitorPeer !== undefined) {
      this.sockets.visitors.bind(chat.visitorPeer, undefined, true);
    } else if (logged && options.keepForVisitor !== false && !this.isClosed && chat.visitorGoneSince !== undefined) {
      const left = chat.visitorGoneSince + this.#abandonMs - this.now();
      if (left > 0) kept = this.chats.keepForVisitor(chat, left);
    }
    const { id: chatId, startId } = chat;
    const left = wasWaiting ? this.queue.leave(chat) : undefined;
    wipe(chat);
    const dropped = kept ?? this.events.drop(chatId);
    // A chat kept for its visitor keeps its owner entry until its tombstone goes (`tombstones.ts`).
    const unlisted = kept === undefined ? this.directory.remove(chatId, startId) : undefined;
    await Promise.all([
      left?.then(() => this.queue.push()).catch((error: unknown) => this.#failed(error)),
      dropped.catch((error: unknown) => this.#failed(error)),
      unlisted?.catch((error: unknown) => this.#failed(error)),
    ]);
  }

  /**
   * Before the `ended` event (on which the visitor's client closes its socket): a chat an advisor held, whose visitor
   * is here, gets a single-use rating ticket (`rating/tickets.ts`) that names only the day and the topic. Nothing
   * about it is logged; a ticket store that fails costs the rating, never the end.
   */
  async #offerRating(chat: Chat): Promise<void> {
    const peer = chat.visitorPeer;
    if (this.#ratingTickets === undefined || peer === undefined || chat.lastAdvisor === undefined || this.isClosed)
      return;
    try {
      const ticket = await this.#ratingTickets.issue(chat.topic);
      if (ticket !== undefined) peer.send({ type: 'chat.rating', ticket });
    } catch (error) {
      this.#failed(error);
    }
  }

  sendError(peer: VisitorPeer | AdvisorPeer, code: ErrorCode, message: string, ref?: string): void {
    this.log.debug('message.refused', { errorCode: code });
    peer.send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  // --- lifecycle ------------------------------------------------------------------------------------------------

  get #abandonMs(): number {
    return this.#timings.abandonAfterSeconds * 1000;
  }

  /** A chat operation a timer started failed (the state store did not answer): logged, the timer's chat stays. */
  #background(work: Promise<void>): void {
    work.catch((error: unknown) => this.#failed(error));
  }

  #failed(error: unknown): void {
    this.log.error('state.failed', { errorName: error instanceof Error ? error.name : typeof error });
  }

  /**
   * The node leaves a service of several, and another node takes its chats over (`cluster/takeover.ts`): every
   * chat is forgotten here once its pending operations settled, its timers stopped, and nothing of it is ended or
   * dropped in the shared state (its events, record and owner stay for the node its sockets come back to). A chat
   * that ended while its visitor was away is dropped (its visitor learns it ended at its resume). Idempotent.
   */
  async release(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.close();
    this.sockets.close();
    await Promise.allSettled(this.chats.all().map((chat) => chat.work));
    for (const chat of this.chats.all()) {
      this.chats.delete(chat);
      // The node that takes it over reads its events from the shared store; this node's copy goes.
      this.events.release(chat.id);
      wipe(chat);
    }
    // The queue's entries stay: this node no longer refreshes them, and the node that takes each chat over puts it
    // back under its own (`adopt`).
    this.chats.clearEnded();
    this.#claims.clear();
    await this.advisors.clear();
  }

  /**
   * Ends every chat (`by: 'server'`; nothing survives a restart, so the sides learn it now) and drops every
   * chat, tombstone and timer. Idempotent. Sockets are closed by the gateway; co-browsing and the opening hours
   * are closed by their owner (`app/chat-part.ts`).
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.close();
    this.sockets.close();
    // `end` deletes each chat (and its timers); nothing is kept for an absent visitor once the hub is closed. A start
    // that was under way (a member token's check) may still add one meanwhile: ended as well.
    while (this.chats.size > 0) {
      await Promise.allSettled(this.chats.all().map((chat) => this.end(chat, 'server')));
    }
    this.chats.clearEnded();
    this.#claims.clear();
    await this.advisors.clear();
  }
}

/** The chat's record for the directory: what a node needs to take it over. */
function recordOf(chat: Chat): ChatRecord {
  return {
    resumeToken: chat.resumeToken,
    startId: chat.startId,
    startedAt: chat.startedAt,
    visitor: chat.visitor,
    member: chat.member,
    state: chat.state === 'active' ? 'active' : 'waiting',
    advisor:
      chat.state === 'active' && chat.lastAdvisor !== undefined && chat.lastAdvisor.id === chat.advisorId
        ? chat.lastAdvisor
        : undefined,
    lastAdvisor: chat.lastAdvisor,
    waitingSince: chat.waitingSince,
    clientKey: chat.clientKey,
    topic: chat.topic,
    lang: chat.lang,
    ...(chat.front ? { front: true } : {}),
  };
}

/** What every lifecycle event says about its chat. */
function refOf(chat: Chat): ChatRef {
  return { chatId: chat.id, member: chat.member };
}
