/**
 * The WebSocket side of the server: takes HTTP upgrades itself (no `verifyClient`), refuses them with 503 over
 * capacity, wires each socket to the right parser and handler for its role, cuts off sockets that do not read,
 * runs the heartbeat, and closes everything on shutdown.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode } from '../../protocol/errors.js';
import { MAX_BUFFERED_BYTES, MAX_FRAME_BYTES, SUBPROTOCOL } from '../../protocol/limits.js';
import { parseAdvisorMessage, parseVisitorMessage } from '../../protocol/parse.js';
import type { AdvisorToServer, VisitorToServer } from '../../protocol/messages.js';
import { AdvisorRateGuard } from './advisor-rate.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { VerifiedAdvisor } from './advisor-auth.js';
import { Capacity } from './capacity.js';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { ChatEndpoints } from '../chat/endpoints.js';
import type { TransportConfig } from '../config/transport.js';
import { ClientKeyer, clientAddress } from './client-key.js';
import type { ClientKey } from './client-key.js';
import { FrameEncoder } from './frames.js';
import { SendBatch } from './send-batch.js';
import { attachPipeline } from './socket-pipeline.js';
import type { ConnectionState } from './socket-pipeline.js';
import type { Logger } from '../log.js';
import { startTimer } from '../timers.js';
import { checkUpgrade, refuse, roleOf } from './upgrade.js';
import type { Role } from './upgrade.js';

/** How long `close()` waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * The listener that gives a socket's slot and its key's hold back when it closes. Made here, outside the upgrade
 * handler, so that what it keeps for the socket's whole life is these two and not the handler's scope (the request
 * with its headers, the handshake's buffer): 1.4 KB of heap for each idle socket (bench-idle).
 */
function releaseOnClose(release: () => void, client: { release(): void } | undefined): () => void {
  return () => {
    release();
    client?.release();
  };
}

function closeOn(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
}

export class Gateway {
  readonly #chat: ChatEndpoints;
  readonly #config: TransportConfig;
  readonly #log: Logger;
  readonly #origins: Set<string>;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Map<WebSocket, ConnectionState>();
  readonly #pending = new Set<Duplex>();
  readonly #capacity: Capacity;
  /**
   * A visitor's client is its keyed address (IPv6 by /64), taken once at upgrade (the only place the address is
   * known) and handed down: capacity, the hub's waiting chats and co-browsing count under the same key.
   */
  readonly #keyer: ClientKeyer;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #audit: AuditLog | undefined;
  /** What each socket gets within one turn of the event loop leaves in one write (`send-batch.ts`). */
  readonly #batch = new SendBatch();
  /** Each appended event is turned into JSON once for all the frames that carry it (`frames.ts`). */
  readonly #frames = new FrameEncoder();
  #closing: Promise<void> | undefined;

  /**
   * `audit` records advisor logins and refused advisor tokens (with a pseudonymised address, never the raw one).
   * `keyer`: the server's one client keyer (the composition root sets its period and how long a replaced key is kept).
   */
  constructor(
    chat: ChatEndpoints,
    config: TransportConfig,
    log: Logger,
    audit?: AuditLog,
    keyer: ClientKeyer = new ClientKeyer(),
  ) {
    this.#chat = chat;
    this.#config = config;
    this.#log = log;
    this.#audit = audit;
    this.#origins = new Set(config.allowedOrigins);
    this.#capacity = new Capacity({
      maxConnections: config.limits.maxConnections,
      advisorReserved: config.limits.advisorReservedConnections,
      maxPerClient: config.limits.maxVisitorSocketsPerClient,
    });
    this.#keyer = keyer;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.#heartbeat = setInterval(() => this.#beat(), config.heartbeatSeconds * 1000);
    this.#heartbeat.unref();
  }

  /** Adds an origin after start (for a page served by this server, whose port is known only when listening). */
  allowOrigin(origin: string): void {
    this.#origins.add(origin);
  }

  /** Open WebSockets by role (`/metrics`), counted when asked. */
  connectionCounts(): Record<Role, number> {
    const counts: Record<Role, number> = { visitor: 0, advisor: 0 };
    for (const state of this.#sockets.values()) counts[state.role] += 1;
    return counts;
  }

  /** The `upgrade` listener of the HTTP server. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.#closing) {
      refuse(socket, 503);
      return;
    }
    // Only visitors count per client: advisors are authenticated, and a contact centre shares one address. Only
    // advisors may take the share reserved for them: idle visitor sockets can never lock them out.
    const isAdvisor = roleOf(request) === 'advisor';
    const address = clientAddress(request, this.#config.trustProxy);
    // Keyed once, here; the key's day is held while the socket is open, so that a rotation resets no count.
    const client = isAdvisor ? undefined : this.#keyer.hold(address);
    const release = this.#capacity.admit(client === undefined ? 'advisor' : { client });
    if (release === undefined) {
      client?.release();
      this.#log.info('upgrade.refused', { status: 503, reason: 'capacity', count: this.#capacity.total });
      refuse(socket, 503);
      return;
    }
    // However the socket ends (refused, failed handshake, closed WebSocket), its slot and its key's hold come back.
    socket.once('close', releaseOnClose(release, client));
    this.#pending.add(socket);
    this.#check(request, socket, head, address, client);
  }

  /** The upgrade's checks, then the WebSocket handshake and the role's wiring. */
  #check(request: IncomingMessage, socket: Duplex, head: Buffer, address: string, client: ClientKey | undefined): void {
    checkUpgrade(request, this.#config, this.#origins)
      .then((decision) => {
        this.#pending.delete(socket);
        if (this.#closing || socket.destroyed) {
          socket.destroy();
          return;
        }
        if (!decision.ok) {
          this.#log.info('upgrade.refused', { status: decision.status, reason: decision.reason });
          if (decision.status === 401) this.#audit?.loginFailed(this.#audit.ipHashOfAddress(address), 'ws');
          refuse(socket, decision.status);
          return;
        }
        this.#wss.handleUpgrade(request, socket, head, (ws) => {
          if (decision.role === 'visitor') {
            // The address goes to the hub, which keeps only keyed hashes of it, in memory. It is recorded only when
            // this socket starts a member chat (member chat on, with storage): the audit's hash of it, taken at
            // connect (HMAC-SHA256, IPv6 by its /64, under a key held in memory only and replaced every 24 hours;
            // never the address), goes into that chat's `member_chat.start` audit record and the member's last
            // transaction (`audit/chat-audit.ts`). Nothing of an anonymous chat's visitor connection is recorded.
            this.#attachVisitor(ws, address, client ?? { key: '', keys: [''] });
          } else {
            this.#audit?.advisorLogin(decision.advisor.id, this.#audit.ipHashOfAddress(address));
            this.#attachAdvisor(ws, decision.advisor);
          }
        });
      })
      .catch(() => {
        this.#pending.delete(socket);
        socket.destroy();
      });
  }

  #track(ws: WebSocket, state: ConnectionState, onClose: () => void): void {
    if (this.#closing) {
      ws.terminate();
      return;
    }
    this.#sockets.set(ws, state);
    this.#log.debug('connection.open', { role: state.role, count: this.#sockets.size });
    ws.once('close', (code: number) => {
      this.#sockets.delete(ws);
      this.#log.debug('connection.closed', { role: state.role, closeCode: code });
      onClose();
    });
  }

  /**
   * Sends unless the socket is closing, with the socket's other frames of this turn; a socket that stopped reading
   * (too much buffered, counting what waits for the turn's end) is terminated.
   */
  #sendOn(ws: WebSocket, role: Role, frame: string): void {
    if (ws.readyState !== ws.OPEN) return;
    this.#batch.send(ws, frame);
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#log.info('connection.terminated', { role, reason: 'slow' });
      ws.terminate();
    }
  }

  /**
   * `address` goes to the hub only, which keeps keyed hashes of it, never the address (see `handleUpgrade`);
   * `client` is the keyed address the hub counts the client's waiting chats and webcode attempts under.
   */
  #attachVisitor(ws: WebSocket, address: string, client: ClientKey): void {
    const chat = this.#chat;
    const peer: VisitorPeer = {
      send: (message) => this.#sendOn(ws, 'visitor', this.#frames.encode(message)),
      close: (code, reason) => closeOn(ws, code, reason),
    };
    const state = attachPipeline<VisitorToServer>(ws, {
      role: 'visitor',
      log: this.#log,
      parse: parseVisitorMessage,
      handle: (message) => chat.visitorMessage(peer, message),
      sendError: (code, message, ref) => chat.sendError(peer, code, message, ref),
    });
    chat.visitorConnected(peer, address, client);
    this.#track(ws, state, () => chat.visitorDisconnected(peer));
  }

  #attachAdvisor(ws: WebSocket, advisor: VerifiedAdvisor): void {
    const chat = this.#chat;
    const peer: AdvisorPeer = {
      advisor: { id: advisor.id, name: advisor.name, topics: advisor.topics },
      send: (message) => this.#sendOn(ws, 'advisor', this.#frames.encode(message)),
      close: (code, reason) => closeOn(ws, code, reason),
    };
    const state = attachPipeline<AdvisorToServer>(ws, {
      role: 'advisor',
      log: this.#log,
      parse: parseAdvisorMessage,
      handle: (message) => chat.advisorMessage(peer, message),
      sendError: (code, message, ref) => chat.sendError(peer, code, message, ref),
      // Its own, bigger budget; a burst over it hears how long to wait before anything is closed.
      rate: new AdvisorRateGuard(this.#config.limits.advisorRate, (retryAfterMs, ref) => {
        this.#log.debug('message.refused', { errorCode: ErrorCode.RateLimited });
        peer.send({
          type: 'error',
          code: ErrorCode.RateLimited,
          message: 'too many messages; slow down',
          retryAfterMs,
          ...(ref === undefined ? {} : { ref }),
        });
      }),
    });
    const expiry = startTimer(advisor.expiresAt - Date.now(), () => {
      this.#log.info('connection.closed', { role: 'advisor', closeCode: CloseCode.Unauthorized, reason: 'expired' });
      closeOn(ws, CloseCode.Unauthorized, 'token expired');
    });
    chat.advisorConnected(peer);
    this.#track(ws, state, () => {
      clearTimeout(expiry);
      chat.advisorDisconnected(peer);
    });
  }

  #beat(): void {
    for (const [ws, state] of this.#sockets) {
      if (!state.alive) {
        this.#log.info('connection.terminated', { role: state.role, reason: 'heartbeat' });
        ws.terminate();
        continue;
      }
      state.alive = false;
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }

  /** Closes every socket with 4003 and stops the heartbeat. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#batch.flush();
    for (const socket of this.#pending) socket.destroy();
    this.#pending.clear();
    const sockets = [...this.#sockets.keys()];
    const closed = sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) resolve();
          else ws.once('close', () => resolve());
        }),
    );
    for (const ws of sockets) closeOn(ws, CloseCode.ServerShutdown, 'server shutdown');
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const ws of sockets) ws.terminate();
        resolve();
      }, CLOSE_GRACE_MS);
    });
    await Promise.race([Promise.all(closed), cutOff]);
    clearTimeout(timer);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
