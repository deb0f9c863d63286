/**
 * A client's socket on one node (its edge) whose chat or co-browse session another node owns. The edge forwards the
 * socket's messages for it to the owner, where the socket is a remote peer (`RemotePeer`), handled exactly as a
 * socket of the owner's own; the owner's sends to the peer go back to the edge, which writes them to the socket.
 *
 * Over the node bus (`node-messages.ts`), by kind:
 * - `socket.in`    edge → owner: a message of the socket for a service (`chat`, `cobrowse`); the first one opens the
 *                  peer on the owner, with what the edge knows of the client (`meta`: its pseudonymous key);
 * - `socket.gone`  edge → owner: the socket closed;
 * - `socket.out`   owner → edge: a message for the socket;
 * - `socket.close` owner → edge: close the socket with a code and reason;
 * - `socket.peer`  owner → edge: the owner holds a peer of the socket it opened itself (`peerAt`: an answer to a
 *                  topic); the edge tells it when the socket closes, as it tells the owners it forwarded to.
 * One node's messages to another travel in the order sent (one Redis connection each way), so a socket's messages
 * reach the owner in the order the client sent them, and the owner's reach the client in the order it sent them.
 *
 * A send that nobody hears means the other node is gone: an owner then takes its peer as closed, and the edge's
 * `forward` answers false (the caller decides: the chat's owner died).
 */
import { randomUUID } from 'node:crypto';
import type { BusMessage } from '../state/node-bus.js';
import type { NodeMessages } from './node-messages.js';
import { startTimer } from '../timers.js';

/** How long the sockets of dropped peers are refused (`#refuse`): longer than their edges take to close them. */
const REFUSED_MS = 60_000;

/** The socket on its edge node: where the owner's messages are written. */
export interface EdgeSocket {
  send(message: object): void;
  close(code: number, reason: string): void;
}

/** A socket of another node as its owner sees it. */
export class RemotePeer {
  /** The edge node that holds the socket. */
  readonly node: string;
  /** The socket's id on its edge. */
  readonly conn: string;
  readonly service: string;
  readonly #sockets: RemoteSockets;

  constructor(sockets: RemoteSockets, node: string, conn: string, service: string) {
    this.#sockets = sockets;
    this.node = node;
    this.conn = conn;
    this.service = service;
  }

  /** `<node> <conn> <service>`: how its owner knows it. */
  get key(): string {
    return `${this.node} ${this.conn} ${this.service}`;
  }

  send(message: object): void {
    this.#sockets.toEdge(this, { kind: 'socket.out', conn: this.conn, service: this.service, message });
  }

  close(code: number, reason: string): void {
    this.#sockets.toEdge(this, { kind: 'socket.close', conn: this.conn, service: this.service, code, reason });
  }
}

/** What an owner does with the remote peers of one service. */
export interface RemoteService {
  /** A socket on another node sent its first message here (`message` follows at once). */
  opened(peer: RemotePeer, meta: Record<string, unknown>): void;
  message(peer: RemotePeer, message: Record<string, unknown>): void;
  /** The socket closed, or its node is gone. Once per peer. */
  gone(peer: RemotePeer): void;
}

interface Edge {
  readonly conn: string;
  /** `<owner> <service>` pairs this socket forwarded to: each hears when it closes. */
  readonly owners: Set<string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class RemoteSockets {
  readonly #nodes: NodeMessages;
  readonly #services = new Map<string, RemoteService>();
  /** Owner side: the remote peers by `<node> <conn> <service>`. */
  readonly #peers = new Map<string, RemotePeer>();
  /** Edge side: this node's sockets that forward, and by their id. */
  readonly #edges = new Map<EdgeSocket, Edge>();
  readonly #byConn = new Map<string, EdgeSocket>();
  readonly #onError: (error: unknown) => void;
  /** Owner side: the sockets whose peers were dropped unheard or by `reset`, by `<node> <conn> <service>` (`#refuse`). */
  readonly #refused = new Set<string>();

  constructor(nodes: NodeMessages, onError: (error: unknown) => void) {
    this.#nodes = nodes;
    this.#onError = onError;
    nodes.on('socket.in', (message, from) => this.#in(message, from));
    nodes.on('socket.gone', (message, from) => this.#gone(message, from));
    nodes.on('socket.out', (message, from) => {
      const socket = this.#socketFor(message, from);
      if (socket !== undefined && isRecord(message.message)) socket.send(message.message);
    });
    nodes.on('socket.peer', (message, from) => {
      const socket = this.#socketFor(message, from);
      if (socket !== undefined && typeof message.service === 'string') {
        this.#edges.get(socket)?.owners.add(`${from} ${message.service}`);
      }
    });
    nodes.on('socket.close', (message, from) => {
      const socket = this.#socketFor(message, from);
      if (socket !== undefined && typeof message.code === 'number' && typeof message.reason === 'string') {
        socket.close(message.code, message.reason);
      }
    });
  }

  /**
   * The socket a message from an owner is for; for a socket that is gone, the owner hears it (`socket.gone`), so
   * that its peer does not outlive the socket.
   */
  #socketFor(message: BusMessage, from: string): EdgeSocket | undefined {
    if (typeof message.conn !== 'string') return undefined;
    const socket = this.#byConn.get(message.conn);
    if (socket === undefined && typeof message.service === 'string') {
      this.#nodes
        .send(from, { kind: 'socket.gone', conn: message.conn, service: message.service })
        .catch(this.#onError);
    }
    return socket;
  }

  /** The nodes whose sockets this node holds peers of (owner side). */
  peerNodes(): string[] {
    return [...new Set([...this.#peers.values()].map((peer) => peer.node))];
  }

  /** A node died: its sockets' peers here are gone. */
  dropNode(node: string): void {
    for (const peer of [...this.#peers.values()]) if (peer.node === node) this.#drop(peer);
  }

  get nodeId(): string {
    return this.#nodes.nodeId;
  }

  /** Remote peers this node holds now (owner side). */
  get peerCount(): number {
    return this.#peers.size;
  }

  // --- owner side -----------------------------------------------------------------------------------------------

  /** Handles the remote peers of `service` on this node. */
  serve(service: string, handlers: RemoteService): void {
    if (this.#services.has(service)) throw new Error(`remote service ${service} is served already`);
    this.#services.set(service, handlers);
  }

  /**
   * A message from an owner's peer to its edge; a node that does not hear it is gone, or its pub/sub connection is
   * (a restarted Redis): the peer is dropped, and what its socket still sends is refused for a while (`#refuse`).
   */
  toEdge(peer: RemotePeer, message: BusMessage): void {
    this.#nodes.send(peer.node, message).then(
      (heard) => {
        if (heard || this.#peers.get(peer.key) !== peer) return;
        this.#drop(peer);
        this.#refuse([peer.key]);
      },
      (error: unknown) => this.#onError(error),
    );
  }

  #in(message: BusMessage, from: string): void {
    const { conn, service, meta } = message;
    if (typeof conn !== 'string' || typeof service !== 'string' || !isRecord(message.message)) return;
    const peer = this.#open(from, conn, service, isRecord(meta) ? meta : {});
    if (peer !== undefined) this.#services.get(service)?.message(peer, message.message);
  }

  #open(node: string, conn: string, service: string, meta: Record<string, unknown>): RemotePeer | undefined {
    const handlers = this.#services.get(service);
    if (handlers === undefined) return undefined;
    const key = `${node} ${conn} ${service}`;
    if (this.#refused.has(key)) return undefined;
    let peer = this.#peers.get(key);
    if (peer === undefined) {
      peer = new RemotePeer(this, node, conn, service);
      this.#peers.set(key, peer);
      handlers.opened(peer, meta);
    }
    return peer;
  }

  /**
   * The peer of a socket another node named (`address`), opened here if it was not: for answering a topic message
   * that socket's node published. Its edge hears of it, and tells this node when the socket closes.
   */
  peerAt(node: string, conn: string, service: string, meta: Record<string, unknown>): RemotePeer | undefined {
    const known = this.#peers.has(`${node} ${conn} ${service}`);
    const peer = this.#open(node, conn, service, meta);
    if (peer !== undefined && !known) this.toEdge(peer, { kind: 'socket.peer', conn, service });
    return peer;
  }

  #gone(message: BusMessage, from: string): void {
    const peer = this.#peers.get(`${from} ${String(message.conn)} ${String(message.service)}`);
    if (peer !== undefined) this.#drop(peer);
  }

  #drop(peer: RemotePeer): void {
    if (this.#peers.get(peer.key) !== peer) return;
    this.#peers.delete(peer.key);
    this.#services.get(peer.service)?.gone(peer);
  }

  // --- edge side ------------------------------------------------------------------------------------------------

  /**
   * Sends a message of this node's socket to the node that owns what it is about; `meta` goes with each message
   * (the owner reads it with the first). False when the owner is not there.
   */
  async forward(
    socket: EdgeSocket,
    owner: string,
    service: string,
    message: object,
    meta: Record<string, unknown> = {},
  ): Promise<boolean> {
    const edge = this.#edge(socket);
    edge.owners.add(`${owner} ${service}`);
    return await this.#nodes.send(owner, { kind: 'socket.in', conn: edge.conn, service, meta, message });
  }

  #edge(socket: EdgeSocket): Edge {
    let edge = this.#edges.get(socket);
    if (edge === undefined) {
      edge = { conn: randomUUID(), owners: new Set() };
      this.#edges.set(socket, edge);
      this.#byConn.set(edge.conn, socket);
    }
    return edge;
  }

  /** Where other nodes reach this node's socket (for a topic message that other nodes answer: `peerAt`). */
  address(socket: EdgeSocket): { node: string; conn: string } {
    return { node: this.#nodes.nodeId, conn: this.#edge(socket).conn };
  }

  /** This node's socket closed: every owner it forwarded to hears it. */
  closed(socket: EdgeSocket): void {
    const edge = this.#edges.get(socket);
    if (edge === undefined) return;
    this.#edges.delete(socket);
    this.#byConn.delete(edge.conn);
    for (const pair of edge.owners) {
      const [owner, service] = pair.split(' ') as [string, string];
      this.#nodes.send(owner, { kind: 'socket.gone', conn: edge.conn, service }).catch(this.#onError);
    }
  }

  /**
   * Every socket whose messages cross nodes comes back (this node's pub/sub connection came back and may have
   * missed some): each peer here is closed (its edge hears it, if it can) and gone, and each socket of this node
   * that forwarded is closed (its owners hear it as it closes).
   */
  reset(code: number, reason: string): void {
    const refused = [...this.#peers.keys()];
    for (const peer of [...this.#peers.values()]) {
      peer.close(code, reason);
      this.#drop(peer);
    }
    this.#refuse(refused);
    for (const socket of [...this.#edges.keys()]) socket.close(code, reason);
  }

  /**
   * What the sockets of dropped peers still send (their edge may not have heard the close yet, or may not hear at
   * all until its pub/sub connection is back and it resets) is not handled for `REFUSED_MS`: a new peer for the same
   * socket would handle it at once, overtaking what the dropped peer still held (a chat message waiting for the one
   * before it). Their clients send it again, in order, from their next socket.
   */
  #refuse(keys: readonly string[]): void {
    for (const key of keys) this.#refused.add(key);
    startTimer(REFUSED_MS, () => {
      for (const key of keys) this.#refused.delete(key);
    });
  }

  /** Forgets every socket and peer (the server closes); the peers' services are not told. */
  close(): void {
    this.#peers.clear();
    this.#edges.clear();
    this.#byConn.clear();
  }
}
