/**
 * Co-browse sessions across the nodes of one service. A session lives on the node whose advisor socket created it
 * (its owner: its state, secrets and timers), and its id names that node (`cobrowse/session.ts`); the visitor who
 * types the webcode, and either side after a reconnect, may reach any node. This wraps the endpoints (around the
 * chat routing, `chat-routing.ts`) so that such a socket's co-browse messages reach the owner, where the socket is a
 * remote peer (`remote-sockets.ts`) handled exactly like a socket of its own:
 *
 * - a visitor socket's webcode is checked, counted and taken (once across nodes) where it was typed, as on one
 *   node; when it names a session another node owns, the socket joins it there (`cobrowse.taken`). Such a socket, or
 *   one whose `cobrowse.resume` names a session of another node, is routed there (service `cobrowse`): its co-browse messages are forwarded until the session ends, the owner's
 *   answers and the advisor's signals come back to it, and it is never idle here while it co-browses;
 * - an advisor socket's `cobrowse.start`, `cobrowse.signal` and `cobrowse.end` for a session another node owns are
 *   forwarded there (service `cobrowse.advisor`); the owner answers that socket (the viewer's `cobrowse.started` and
 *   signals), and what it tells the advisor reaches its sockets on every node (`clustered-advisors.ts`);
 * - an advisor's hello is told to every node (topic `cobrowse.advisors`): each node with sessions of that advisor
 *   answers as for a console of its own (its webcodes, where each session stands; a live one without viewer resumes).
 *
 * An owner that does not hear a forward is gone, and its sessions with it: the message is answered at once, as for a
 * session that is over (a webcode or resume: not valid; a session's message: it ended, by the server).
 */
import { CloseCode, ErrorCode } from '../../protocol/errors.js';
import type { Outgoing } from '../../protocol/parse.js';
import type { AdvisorToServer, ServerToAdvisor, ServerToVisitor, VisitorToServer } from '../../protocol/messages.js';
import type { AdvisorRegistry } from '../chat/advisors.js';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { ChatHub } from '../chat/chat-hub.js';
import type { ChatEndpoints } from '../chat/endpoints.js';
import { handleCobrowseAdvisor } from '../cobrowse/advisor.js';
import type { CobrowseFromAdvisor } from '../cobrowse/advisor.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import { ownerOfSession } from '../cobrowse/session.js';
import type { Logger } from '../log.js';
import type { AdvisorIdentity } from '../transport/advisor-auth.js';
import type { ClientKey } from '../transport/client-key.js';
import type { NodeMessages } from './node-messages.js';
import type { EdgeSocket, RemotePeer, RemoteSockets } from './remote-sockets.js';
import { NEVER_RESTORING } from './restore-window.js';
import type { RestoreWindow } from './restore-window.js';

const INVALID_CODE = 'the code is not valid';
const UNKNOWN_SESSION = 'unknown co-browse session';
const TOPIC = 'cobrowse.advisors';
/** Edge → owner: the socket's webcode, taken at the edge, named this session of the owner's. Never from a client. */
const TAKEN = 'cobrowse.taken';

interface Taken {
  readonly type: typeof TAKEN;
  readonly sessionId: string;
}

type AdvisorSessionMessage = Exclude<CobrowseFromAdvisor, { type: 'cobrowse.code.create' }>;
const ADVISOR_SESSION_MESSAGES = new Set(['cobrowse.start', 'cobrowse.signal', 'cobrowse.end']);

export interface CobrowseRoutingDeps {
  /** What handles every other message (the chat routing around this node's own endpoints). */
  readonly inner: ChatEndpoints;
  /** This node's own endpoints: where the owner hands a remote visitor socket. */
  readonly local: ChatEndpoints;
  readonly hub: ChatHub;
  readonly cobrowse: CobrowseHub;
  readonly advisors: AdvisorRegistry;
  readonly remote: RemoteSockets;
  readonly nodes: NodeMessages;
  readonly log: Logger;
  /** While a restarted Redis is written back, an owner that does not hear is not taken for gone: the client comes back. */
  readonly restore?: RestoreWindow;
}

interface Route {
  readonly owner: string;
  readonly edge: EdgeSocket;
  readonly meta: Record<string, unknown>;
  /** The session the owner said the socket is in (`cobrowse.pending`, `cobrowse.started`), until it ends. */
  session: string | undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string';

function clientOf(meta: Record<string, unknown>): ClientKey {
  const client = meta.client as { key?: unknown; keys?: unknown } | undefined;
  const key = isString(client?.key) ? client.key : '';
  const keys = Array.isArray(client?.keys) ? client.keys.filter(isString) : [key];
  return { key, keys };
}

function advisorOf(value: unknown): AdvisorIdentity | undefined {
  const advisor = value as { id?: unknown; name?: unknown; roles?: unknown } | undefined;
  if (!isString(advisor?.id) || !isString(advisor.name)) return undefined;
  const roles = Array.isArray(advisor.roles) ? advisor.roles.filter(isString) : [];
  return { id: advisor.id, name: advisor.name, roles };
}

export function routeCobrowse(deps: CobrowseRoutingDeps): ChatEndpoints {
  const { inner, local, hub, cobrowse, advisors, remote, nodes, log } = deps;
  const restore = deps.restore ?? NEVER_RESTORING;
  const self = nodes.nodeId;
  const routes = new Map<VisitorPeer, Route>();
  const clients = new Map<VisitorPeer, ClientKey>();
  const advisorEdges = new Map<AdvisorPeer, EdgeSocket>();
  /** Owner side: the advisor peers of other nodes' advisor sockets. */
  const remoteAdvisors = new Map<RemotePeer, AdvisorPeer>();

  const failed = (error: unknown): void =>
    log.error('state.failed', { reason: 'node_message', errorName: error instanceof Error ? error.name : 'Error' });

  /** The node that owns a session this node does not hold; `undefined` for this node's or one it cannot name. */
  const ownerElsewhere = (sessionId: string): string | undefined => {
    if (cobrowse.getSession(sessionId) !== undefined) return undefined;
    const owner = ownerOfSession(sessionId);
    return owner === self ? undefined : owner;
  };

  // --- visitors, edge side --------------------------------------------------------------------------------------

  /** The socket no longer speaks to its owner (the session ended, or another one is looked for). */
  const leave = (peer: VisitorPeer): void => {
    const route = routes.get(peer);
    if (route === undefined) return;
    routes.delete(peer);
    cobrowse.heldElsewhere(peer, false);
    remote.closed(route.edge);
  };

  const routeTo = (peer: VisitorPeer, owner: string): Route => {
    const route: Route = {
      owner,
      session: undefined,
      meta: { client: clients.get(peer) ?? { key: '', keys: [''] } },
      edge: {
        send: (out) => {
          const message = out as Outgoing<ServerToVisitor>;
          peer.send(message);
          if (routes.get(peer) !== route) return;
          if (message.type === 'cobrowse.pending' || message.type === 'cobrowse.started') {
            route.session = message.sessionId;
          } else if (message.type === 'cobrowse.ended' || (message.type === 'error' && route.session === undefined)) {
            // Over, or refused before it began (a resume too late): the socket is this node's again.
            leave(peer);
          }
        },
        close: (code, reason) => peer.close(code, reason),
      },
    };
    routes.set(peer, route);
    cobrowse.heldElsewhere(peer, true);
    return route;
  };

  /** Forwards a co-browse message; an owner that does not hear it is gone, and is answered for here, at once. */
  const forward = async (peer: VisitorPeer, route: Route, message: VisitorToServer | Taken): Promise<void> => {
    const heard = await remote.forward(route.edge, route.owner, 'cobrowse', message, route.meta);
    if (heard) return;
    log.warn('node.gone', { role: 'visitor' });
    leave(peer);
    if (restore.restoring) {
      // Its pub/sub connection may not be back yet: the socket comes back, and its resume is heard then.
      peer.close(CloseCode.ServerShutdown, 'come back');
      return;
    }
    if (message.type === 'cobrowse.join' || message.type === TAKEN) {
      cobrowse.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, 'cobrowse.join');
    } else if (message.type === 'cobrowse.resume') {
      cobrowse.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, message.sessionId);
    } else if ('sessionId' in message && route.session === message.sessionId) {
      peer.send({ type: 'cobrowse.ended', sessionId: message.sessionId, by: 'server' });
    } else if ('sessionId' in message) {
      cobrowse.refuse(peer, ErrorCode.InvalidState, UNKNOWN_SESSION, message.sessionId);
    }
  };

  // A webcode taken here (counted here, once across nodes) names a session of another node: the socket joins it there.
  cobrowse.joinElsewhere = (peer, sessionId) => {
    const owner = ownerElsewhere(sessionId);
    if (owner === undefined || !hub.sockets.isVisitorConnected(peer)) return false;
    forward(peer, routeTo(peer, owner), { type: TAKEN, sessionId }).catch(failed);
    return true;
  };

  /** A forward is sent at once: one node's messages to another keep their order, so the socket's do too. */
  const visitorMessage = (peer: VisitorPeer, message: VisitorToServer): void => {
    if (!message.type.startsWith('cobrowse.')) {
      inner.visitorMessage(peer, message);
      return;
    }
    let route = routes.get(peer);
    // Between sessions, a join or resume looks for its owner afresh.
    if (route?.session === undefined && (message.type === 'cobrowse.join' || message.type === 'cobrowse.resume')) {
      leave(peer);
      route = undefined;
    }
    if (route !== undefined) {
      forward(peer, route, message).catch(failed);
      return;
    }
    if (message.type === 'cobrowse.resume') {
      const owner = ownerElsewhere(message.sessionId);
      if (owner !== undefined) {
        forward(peer, routeTo(peer, owner), message).catch(failed);
        return;
      }
    }
    // A webcode is taken and counted here, whichever node's it is (the hub then calls `joinElsewhere`).
    inner.visitorMessage(peer, message);
  };

  // The owner's side of a visitor socket on another node: a socket of its own that only co-browses, timed there.
  remote.serve('cobrowse', {
    opened: (peer, meta) => {
      local.visitorConnected(peer, '', clientOf(meta));
      hub.sockets.visitors.hold(peer, true);
    },
    message: (peer, message) => {
      if (message.type === TAKEN && isString(message.sessionId)) {
        if (!cobrowse.joinTaken(peer, message.sessionId)) {
          cobrowse.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, 'cobrowse.join');
        }
      } else if (isString(message.type) && message.type.startsWith('cobrowse.')) {
        local.visitorMessage(peer, message as unknown as VisitorToServer);
      }
    },
    gone: (peer) => local.visitorDisconnected(peer),
  });

  // --- advisors -------------------------------------------------------------------------------------------------

  const advisorEdge = (peer: AdvisorPeer): EdgeSocket => {
    let edge = advisorEdges.get(peer);
    if (edge === undefined) {
      edge = {
        send: (out) => peer.send(out as Outgoing<ServerToAdvisor>),
        close: (code, reason) => peer.close(code, reason),
      };
      advisorEdges.set(peer, edge);
    }
    return edge;
  };

  const forwardAdvisor = async (peer: AdvisorPeer, owner: string, message: AdvisorSessionMessage): Promise<void> => {
    const heard = await remote.forward(advisorEdge(peer), owner, 'cobrowse.advisor', message, {
      advisor: peer.advisor,
    });
    if (heard) return;
    log.warn('node.gone', { role: 'advisor' });
    if (restore.restoring) peer.close(CloseCode.ServerShutdown, 'come back');
    else cobrowse.refuse(peer, ErrorCode.InvalidState, UNKNOWN_SESSION, message.sessionId);
  };

  const advisorPeerOf = (peer: RemotePeer, advisor: AdvisorIdentity): AdvisorPeer => {
    let known = remoteAdvisors.get(peer);
    if (known === undefined) {
      known = { advisor, send: (out) => peer.send(out), close: (code, reason) => peer.close(code, reason) };
      remoteAdvisors.set(peer, known);
    }
    return known;
  };

  // The owner's side of an advisor socket on another node: it acts on this node's sessions of its advisor.
  remote.serve('cobrowse.advisor', {
    opened: (peer, meta) => {
      const advisor = advisorOf(meta.advisor);
      if (advisor !== undefined) advisorPeerOf(peer, advisor);
    },
    message: (peer, message) => {
      const advisorPeer = remoteAdvisors.get(peer);
      if (advisorPeer !== undefined && isString(message.type) && ADVISOR_SESSION_MESSAGES.has(message.type)) {
        handleCobrowseAdvisor(cobrowse, advisorPeer, message as unknown as AdvisorSessionMessage);
      }
    },
    gone: (peer) => {
      const advisorPeer = remoteAdvisors.get(peer);
      remoteAdvisors.delete(peer);
      // As for a console of this node that closed: a live session it viewed waits for the advisor's grace.
      if (advisorPeer !== undefined) cobrowse.advisorDisconnected(advisorPeer);
    },
  });

  // An advisor's hello on another node: this node tells that socket where its sessions of the advisor stand.
  nodes.onTopic(TOPIC, (message, from) => {
    if (from === self || message.kind !== 'cobrowse.hello') return;
    const advisor = advisorOf(message.advisor);
    const { node, conn } = message;
    if (advisor === undefined || !isString(node) || !isString(conn)) return;
    if (cobrowse.sessionsOf(advisor.id).length === 0) return;
    const peer = remote.peerAt(node, conn, 'cobrowse.advisor', { advisor });
    if (peer !== undefined) cobrowse.advisorHello(advisorPeerOf(peer, advisor));
  });

  const advisorMessage = (peer: AdvisorPeer, message: AdvisorToServer): void => {
    if (message.type === 'advisor.hello') {
      inner.advisorMessage(peer, message);
      const { node, conn } = remote.address(advisorEdge(peer));
      nodes.publish(TOPIC, { kind: 'cobrowse.hello', advisor: peer.advisor, node, conn });
      return;
    }
    if (ADVISOR_SESSION_MESSAGES.has(message.type)) {
      const session = message as AdvisorSessionMessage;
      const owner = ownerElsewhere(session.sessionId);
      if (owner !== undefined && advisors.isReady(peer)) {
        forwardAdvisor(peer, owner, session).catch(failed);
        return;
      }
    }
    inner.advisorMessage(peer, message);
  };

  return {
    visitorConnected: (peer, address, client) => {
      clients.set(peer, client);
      inner.visitorConnected(peer, address, client);
    },
    visitorMessage,
    visitorDisconnected: (peer) => {
      clients.delete(peer);
      inner.visitorDisconnected(peer);
      leave(peer);
    },
    advisorConnected: (peer) => inner.advisorConnected(peer),
    advisorMessage,
    advisorDisconnected: (peer) => {
      inner.advisorDisconnected(peer);
      const edge = advisorEdges.get(peer);
      advisorEdges.delete(peer);
      if (edge !== undefined) remote.closed(edge);
    },
    sendError: (peer, code, message, ref) => inner.sendError(peer, code, message, ref),
  };
}
