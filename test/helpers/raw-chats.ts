/**
 * Many conversations as raw WebSocket clients (`ws`), each side as a careful client behaves: a visitor socket and
 * an advisor socket per chat (an advisor holds several chats), messages both ways (each visitor message answered once
 * by its advisor), an outbox per side (what was sent and not yet seen appended), and after a lost socket a reconnect
 * that resumes with the last sequence number it had and sends the outbox again with the same ids.
 *
 * Where each socket connects is the caller's (`url`): a node's own port (`scripts/bench-failover.ts`, which picks
 * the surviving node itself) or a load balancer in front of every node (`test/e2e/failover.test.ts`). At the end,
 * `tally()` says what each side's screen shows: messages lost (sent, never appended), doubled (one id appended
 * twice), and chats whose sequence numbers have a gap or whose two screens differ.
 */
import { once } from 'node:events';
import WebSocket from 'ws';
import type { ClientOptions } from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../src/protocol/limits.js';
import { encode } from '../../src/protocol/parse.js';
import type { Outgoing } from '../../src/protocol/parse.js';
import type { AdvisorToServer, VisitorToServer } from '../../src/protocol/messages.js';

const advisorFrame = (message: Outgoing<AdvisorToServer>): string => encode<AdvisorToServer>(message);
const visitorFrame = (message: Outgoing<VisitorToServer>): string => encode<VisitorToServer>(message);

interface WireEvent {
  kind: string;
  id?: string;
  from?: string;
}

interface Frame {
  type: string;
  code?: string;
  ref?: string;
  chatId?: string;
  resumeToken?: string;
  seq?: number;
  event?: WireEvent;
  events?: { seq: number; event: WireEvent }[];
}

/** One side's screen of one chat: the events in order, as the client shows them. */
export interface Screen {
  events: Map<number, string>; // seq → `<kind>:<id>`
  last: number;
}

const screen = (): Screen => ({ events: new Map(), last: 0 });

/** Adds an event to a screen; a later seq than expected is a gap (kept, and counted by `tally`). */
function show(s: Screen, seq: number, event: WireEvent): boolean {
  if (s.events.has(seq)) return false;
  s.events.set(seq, `${event.kind}:${event.id ?? ''}`);
  if (seq === s.last + 1) {
    while (s.events.has(s.last + 1)) s.last++;
  }
  return true;
}

export interface RawChat {
  readonly index: number;
  chatId: string;
  resumeToken: string;
  /** The advisor (index) that holds it. */
  readonly advisor: number;
  /** Free for the caller: where its visitor socket goes next (the bench's node). */
  node: number;
  readonly visitor: Screen;
  readonly advisorScreen: Screen;
  readonly sent: Set<string>;
  /** Sent by the visitor and not yet seen appended: sent again after a reconnect. */
  readonly visitorOutbox: Map<string, string>;
  readonly advisorOutbox: Map<string, string>;
  counter: number;
  socket: WebSocket | undefined;
  /** Sockets it opened (the first one included), and resumes the server answered. */
  connects: number;
  resumes: number;
  /** The errors the server sent its visitor socket (`code ref`). */
  readonly errors: string[];
  /** After `markFault()`: the first message sent, and when its answer arrived (a full round trip). */
  firstAfterFault: string | undefined;
  recoveredAt: number | undefined;
}

export interface RawAdvisor {
  readonly index: number;
  /** Free for the caller: where its socket goes next. */
  node: number;
  socket: WebSocket | undefined;
  readonly token: string;
  connects: number;
  /** Hellos the server answered (`advisor.welcome`). */
  welcomes: number;
}

export interface RawChatsOptions {
  chats: number;
  advisors: number;
  /** The advisors' tokens, by index. */
  token(index: number): Promise<string>;
  /** Where a socket connects, asked again at every reconnect: `ws[s]://host:port` (no path). */
  base(side: { role: 'visitor'; chat: RawChat } | { role: 'advisor'; advisor: RawAdvisor }): string;
  /** For the `ws` client: `origin` always; `ca` for a `wss:` base. */
  socketOptions: ClientOptions;
  termsVersion: string;
  /** The initial `node` of a chat's visitor and of an advisor (the bench spreads them). */
  visitorNode?(index: number): number;
  advisorNode?(index: number): number;
  /** Before a reconnect: the caller may move the side elsewhere (its `node`). */
  beforeReconnect?(side: RawChat | RawAdvisor): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Tally {
  sent: number;
  lost: number;
  doubled: number;
  /** Chats whose sequence numbers, on either screen, have a gap. */
  gaps: number;
  /** Chats whose two screens differ. */
  differ: number;
}

export class RawChats {
  readonly chats: RawChat[] = [];
  readonly advisors: RawAdvisor[] = [];
  readonly #byId = new Map<string, RawChat>();
  readonly #options: RawChatsOptions;
  #stopping = false;
  #faultAt = 0;
  #traffic: NodeJS.Timeout | undefined;

  constructor(options: RawChatsOptions) {
    this.#options = options;
  }

  /** When `markFault()` was called (`performance.now()`), or 0. */
  get faultAt(): number {
    return this.#faultAt;
  }

  /** Connects the advisors, starts every chat and has its advisor accept it; resolves once each is accepted. */
  async start(): Promise<void> {
    const { advisors, chats } = this.#options;
    for (let a = 0; a < advisors; a++) {
      const advisor: RawAdvisor = {
        index: a,
        node: this.#options.advisorNode?.(a) ?? 0,
        socket: undefined,
        token: await this.#options.token(a),
        connects: 0,
        welcomes: 0,
      };
      this.advisors.push(advisor);
      await this.#connectAdvisor(advisor);
    }
    for (let i = 0; i < chats; i++) {
      const chat: RawChat = {
        index: i,
        chatId: '',
        resumeToken: '',
        advisor: i % advisors,
        node: this.#options.visitorNode?.(i) ?? 0,
        visitor: screen(),
        advisorScreen: screen(),
        sent: new Set(),
        visitorOutbox: new Map(),
        advisorOutbox: new Map(),
        counter: 0,
        socket: undefined,
        connects: 0,
        resumes: 0,
        errors: [],
        firstAfterFault: undefined,
        recoveredAt: undefined,
      };
      this.chats.push(chat);
      await this.#connectVisitor(chat);
      this.advisors[chat.advisor]!.socket?.send(advisorFrame({ type: 'queue.accept', chatId: chat.chatId }));
    }
    // Accepted: the `joined` event is on both screens.
    for (;;) {
      if (this.chats.every((c) => c.visitor.last >= 1 && c.advisorScreen.last >= 1)) return;
      await sleep(20);
    }
  }

  /** Every visitor whose socket is open sends a message now. */
  tick(): void {
    for (const chat of this.chats) if (chat.socket?.readyState === WebSocket.OPEN) this.#sendVisitor(chat);
  }

  /** A message from every visitor every `everyMs`, until `stopTraffic()`. */
  startTraffic(everyMs: number): void {
    this.#traffic = setInterval(() => this.tick(), everyMs);
  }

  stopTraffic(): void {
    clearInterval(this.#traffic);
    this.#traffic = undefined;
  }

  /** The fault happens now: each chat's next message is timed to its answer. */
  markFault(): void {
    this.#faultAt = performance.now();
  }

  /** Nothing is in flight: every outbox is empty and both screens of every chat are as long as each other. */
  settled(): boolean {
    return this.chats.every(
      (c) =>
        c.visitorOutbox.size === 0 &&
        c.advisorOutbox.size === 0 &&
        c.visitor.last === c.advisorScreen.last &&
        c.visitor.last === Math.max(0, ...c.visitor.events.keys()),
    );
  }

  /** What the screens show (call once settled, or at the end). */
  tally(): Tally {
    let lost = 0;
    let doubled = 0;
    let gaps = 0;
    let differ = 0;
    let sent = 0;
    for (const c of this.chats) {
      sent += c.sent.size;
      const ids = [...c.visitor.events.values()].filter((e) => e.startsWith('message:')).map((e) => e.slice(8));
      doubled += ids.length - new Set(ids).size;
      const seen = new Set(ids);
      for (const id of c.sent) if (!seen.has(id)) lost++;
      const max = Math.max(0, ...c.visitor.events.keys());
      if (c.visitor.last !== max || c.advisorScreen.last !== Math.max(0, ...c.advisorScreen.events.keys())) gaps++;
      const same =
        c.visitor.events.size === c.advisorScreen.events.size &&
        // (The advisor's `joined` names the advisor on the visitor's screen only.)
        [...c.visitor.events].every(([seq, e]) => c.advisorScreen.events.get(seq) === e || e.startsWith('joined:'));
      if (!same) differ++;
    }
    return { sent, lost, doubled, gaps, differ };
  }

  /** Stops reconnecting and closes every socket. */
  close(): void {
    this.stopTraffic();
    this.#stopping = true;
    // A socket still connecting has its error heard (terminate aborts its handshake).
    for (const socket of [...this.chats.map((c) => c.socket), ...this.advisors.map((a) => a.socket)]) {
      socket?.on('error', () => undefined);
      socket?.terminate();
    }
  }

  // --- advisors -------------------------------------------------------------------------------------------------

  #sendAdvisor(advisor: RawAdvisor, chat: RawChat, id: string, text: string): void {
    chat.advisorOutbox.set(id, text);
    chat.sent.add(id);
    if (advisor.socket?.readyState === WebSocket.OPEN) {
      advisor.socket.send(advisorFrame({ type: 'chat.message', chatId: chat.chatId, id, text }));
    }
  }

  #onAdvisorEvent(advisor: RawAdvisor, chat: RawChat, seq: number, event: WireEvent): void {
    if (!show(chat.advisorScreen, seq, event)) return;
    if (event.kind === 'message' && event.id !== undefined) chat.advisorOutbox.delete(event.id);
    // Each visitor message is answered (once: the answer's id derives from the message's).
    if (event.kind === 'message' && event.from === 'visitor' && !this.#stopping) {
      const id = event.id!.replace('visitor-', 'advisor-');
      if (!chat.sent.has(id)) this.#sendAdvisor(advisor, chat, id, `Antwort auf ${event.id}`);
    }
  }

  #reconnect(side: RawChat | RawAdvisor, connect: () => Promise<void>): void {
    if (this.#stopping) return;
    this.#options.beforeReconnect?.(side);
    setTimeout(
      () => {
        if (!this.#stopping) void connect().catch(() => undefined);
      },
      100 + Math.random() * 400,
    );
  }

  #open(url: string, protocols: string[], again: () => void): WebSocket {
    const socket = new WebSocket(url, protocols, this.#options.socketOptions);
    // A refused or dropped socket (the node or the proxy gone) is tried again, after a short, random pause.
    socket.on('error', () => undefined);
    socket.once('close', again);
    return socket;
  }

  async #connectAdvisor(advisor: RawAdvisor): Promise<void> {
    const base = this.#options.base({ role: 'advisor', advisor });
    const socket = this.#open(`${base}/ws/advisor`, [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${advisor.token}`], () => {
      if (advisor.socket === socket) this.#reconnect(advisor, () => this.#connectAdvisor(advisor));
    });
    advisor.socket = socket;
    advisor.connects++;
    socket.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Frame;
      if (m.type === 'advisor.welcome') advisor.welcomes++;
      const chat = m.chatId === undefined ? undefined : this.#byId.get(m.chatId);
      if (chat === undefined) return;
      if (m.type === 'chat.event' && m.seq !== undefined && m.event !== undefined) {
        this.#onAdvisorEvent(advisor, chat, m.seq, m.event);
      }
      if (m.type === 'chat.assigned' && m.events !== undefined) {
        for (const { seq, event } of m.events) this.#onAdvisorEvent(advisor, chat, seq, event);
        // What it had sent and not seen appended goes again, with the same ids.
        for (const [id, text] of chat.advisorOutbox) {
          socket.send(advisorFrame({ type: 'chat.message', chatId: chat.chatId, id, text }));
        }
      }
    });
    await once(socket, 'open');
    const named = this.chats
      .filter((c) => c.advisor === advisor.index && c.chatId !== '')
      .map((c) => ({ chatId: c.chatId, lastSeq: c.advisorScreen.last }));
    socket.send(advisorFrame({ type: 'advisor.hello', chats: named }));
  }

  // --- visitors -------------------------------------------------------------------------------------------------

  #sendVisitor(chat: RawChat): void {
    const id = `visitor-${chat.index}-${chat.counter++}`;
    const text = `Nachricht ${id}`;
    chat.visitorOutbox.set(id, text);
    chat.sent.add(id);
    if (this.#faultAt > 0 && chat.firstAfterFault === undefined) chat.firstAfterFault = id;
    chat.socket?.send(visitorFrame({ type: 'chat.message', id, text }));
  }

  #onVisitorEvent(chat: RawChat, seq: number, event: WireEvent): void {
    if (!show(chat.visitor, seq, event)) return;
    if (event.kind !== 'message' || event.id === undefined) return;
    chat.visitorOutbox.delete(event.id);
    if (
      chat.firstAfterFault !== undefined &&
      chat.recoveredAt === undefined &&
      event.id === chat.firstAfterFault.replace('visitor-', 'advisor-')
    ) {
      chat.recoveredAt = performance.now();
    }
  }

  async #connectVisitor(chat: RawChat): Promise<void> {
    const resume = chat.chatId !== '';
    const base = this.#options.base({ role: 'visitor', chat });
    const socket = this.#open(`${base}/ws/visitor`, [SUBPROTOCOL], () => {
      if (chat.socket === socket) this.#reconnect(chat, () => this.#connectVisitor(chat));
    });
    chat.socket = socket;
    chat.connects++;
    const started = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as Frame;
        if (m.type === 'chat.started') {
          chat.chatId = m.chatId!;
          chat.resumeToken = m.resumeToken!;
          this.#byId.set(chat.chatId, chat);
          resolve();
        } else if (m.type === 'chat.event' && m.seq !== undefined && m.event !== undefined) {
          this.#onVisitorEvent(chat, m.seq, m.event);
        } else if (m.type === 'error') {
          chat.errors.push(`${m.code} ${m.ref}`);
        } else if (m.type === 'chat.resumed' && m.events !== undefined) {
          chat.resumes++;
          for (const { seq, event } of m.events) this.#onVisitorEvent(chat, seq, event);
          for (const [id, text] of chat.visitorOutbox) socket.send(visitorFrame({ type: 'chat.message', id, text }));
          resolve();
        }
      });
    });
    await once(socket, 'open');
    socket.send(
      resume
        ? visitorFrame({
            type: 'chat.resume',
            chatId: chat.chatId,
            resumeToken: chat.resumeToken,
            lastSeq: chat.visitor.last,
          })
        : visitorFrame({
            type: 'chat.start',
            nickname: `Gast ${chat.index}`,
            termsVersion: this.#options.termsVersion,
            lang: 'de',
          }),
    );
    await started;
  }
}
