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
 * - an advisor's webcode offered in a chat another node owns is made here (the session lives with the advisor's
 *   socket), once the chat's record says the advisor holds it;
 * - an advisor's hello is told to every node (topic `cobrowse.advisors`): each node with sessions of that advisor
 *   answers as for a console of its own (its webcodes, where each session stands; a live one without viewer resumes).
 *
 * An owner that does not hear a forward may be dead: once its lease lapsed, this node takes the session over
 * (`cobrowse-takeover.ts`) and the message goes to the session's owner then (this node, most often); a session that
 * is no more is answered as one that is over (a webcode or resume: not valid; a session's message: it ended, by the
 * server). A node found dead by the lease watch (`takeover.ts`) while nobody spoke to it: this node's sockets in its
 * sessions come back on their own, as their clients would after a reconnect (the visitor's resume with the link it
 * was last given, the console's hello for the session it views), so that the data channel between the two
 * browsers, which never needed the server, is kept.
 */
import { CloseCode, ErrorCode } from '../../protocol/errors.js';
import type { Outgoing } from '../../protocol/parse.js';
import type { AdvisorToServer, ServerToAdvisor, ServerToVisitor, VisitorToServer } from '../../protocol/messages.js';
import type { AdvisorRegistry } from '../chat/advisors.js';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { ChatHub } from '../chat/chat-hub.js';
import type { ChatEndpoints } from '../chat/endpoints.js';
import { createCode, handleCobrowseAdvisor } from '../cobrowse/advisor.js';
import type { CobrowseFromAdvisor } from '../cobrowse/advisor.js';
import type { CobrowseHub } from '../cobrowse/hub.js';
import { ownerOfSession } from '../cobrowse/session.js';
import type { Logger } from '../log.js';
import type { AdvisorIdentity } from '../transport/advisor-auth.js';
import type { ClientKey } from '../transport/client-key.js';
import type { CobrowseTakeover } from './cobrowse-takeover.js';
import type { NodeMessages } from './node-messages.js';
import type { EdgeSocket, RemotePeer, RemoteSockets } from './remote-sockets.js';
import type { ChatTakeover } from './takeover.js';
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
  /** The sessions of a node that died, taken over here. */
  readonly takeover: CobrowseTakeover;
  /** The lease watch: a node that died while nobody spoke to it. */
  readonly leases: ChatTakeover;
  readonly log: Logger;
  /** While a restarted Redis is written back, an owner that does not hear is not taken for gone: the client comes back. */
  readonly restore?: RestoreWindow;
}

/** How many sessions that moved to another node an edge remembers (a session moves only when a node dies). */
const OWNER_CACHE = 10_000;

type Links = ReadonlyMap<string, number | undefined>;

interface Route {
  readonly owner: string;
  readonly edge: EdgeSocket;
  readonly meta: Record<string, unknown>;
  /** The session the owner said the socket is in (`cobrowse.pending`, `cobrowse.started`), until it ends. */
  session: string | undefined;
  /** From the last `cobrowse.started`: what the client resumes with (its page, its link), should the owner die. */
  resume: Extract<VisitorToServer, { type: 'cobrowse.resume' }> | undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string';

function clientOf(meta: Record<string, unknown>): ClientKey {
  const client = meta.client as { key?: unknown; keys?: unknown } | undefined;
  const key = isString(client?.key) ? client.key : '';
  const keys = Array.isArray(client?.keys) ? client.keys.filter(isString) : [key];
  return { key, keys };
}

/** The links a hello named (`advisor.hello`'s `cobrowse`, or a topic message's `links`). */
function linksOf(value: unknown): Map<string, number | undefined> {
  const links = new Map<string, number | undefined>();
  if (!Array.isArray(value)) return links;
  for (const item of value as { sessionId?: unknown; link?: unknown }[]) {
    if (isString(item.sessionId)) links.set(item.sessionId, typeof item.link === 'number' ? item.link : undefined);
  }
  return links;
}

function advisorOf(value: unknown): AdvisorIdentity | undefined {
  const advisor = value as { id?: unknown; name?: unknown; roles?: unknown } | undefined;
  if (!isString(advisor?.id) || !isString(advisor.name)) return undefined;
  const roles = Array.isArray(advisor.roles) ? advisor.roles.filter(isString) : [];
  return { id: advisor.id, name: advisor.name, roles };
}

export function routeCobrowse(deps: CobrowseRoutingDeps): ChatEndpoints {
  const { inner, local, hub, cobrowse, advisors, remote, nodes, takeover, leases, log } = deps;
  const restore = deps.restore ?? NEVER_RESTORING;
  const self = nodes.nodeId;
  const routes = new Map<VisitorPeer, Route>();
  const clients = new Map<VisitorPeer, ClientKey>();
  const advisorEdges = new Map<AdvisorPeer, EdgeSocket>();
  /** Owner side: the advisor peers of other nodes' advisor sockets. */
  const remoteAdvisors = new Map<RemotePeer, AdvisorPeer>();
  /** Edge side: the sessions of other nodes each advisor socket views, with the link it was last given. */
  const viewing = new Map<AdvisorPeer, Map<string, number>>();
  /** Sessions another node took over: their owner is no longer the node their id names. */
  const moved = new Map<string, string>();

  const failed = (error: unknown): void =>
    log.error('state.failed', { reason: 'node_message', errorName: error instanceof Error ? error.name : 'Error' });

  /** The node that owns a session this node does not hold; `undefined` for this node's or one it cannot name. */
  const ownerElsewhere = (sessionId: string): string | undefined => {
    if (cobrowse.getSession(sessionId) !== undefined) return undefined;
    const owner = moved.get(sessionId) ?? ownerOfSession(sessionId);
    return owner === self ? undefined : owner;
  };

  /** Where a session is now, after a recovery: remembered when another node holds it. */
  const settled = (sessionId: string, owner: string | undefined): string | undefined => {
    if (owner === undefined || owner === self || owner === ownerOfSession(sessionId)) moved.delete(sessionId);
    else {
      if (moved.size >= OWNER_CACHE) moved.clear();
      moved.set(sessionId, owner);
    }
    return owner;
  };

  const recover = async (sessionId: string, gone: string): Promise<string | undefined> =>
    settled(sessionId, await takeover.recover(sessionId, gone));

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
      resume: undefined,
      meta: { client: clients.get(peer) ?? { key: '', keys: [''] } },
      edge: {
        send: (out) => {
          const message = out as Outgoing<ServerToVisitor>;
          peer.send(message);
          if (routes.get(peer) !== route) return;
          if (message.type === 'cobrowse.pending' || message.type === 'cobrowse.started') {
            route.session = message.sessionId;
            if (message.type === 'cobrowse.started') {
              const { sessionId, resumeToken, link } = message;
              route.resume = {
                v: 1,
                type: 'cobrowse.resume',
                sessionId,
                resumeToken,
                ...(link === undefined ? {} : { link }),
              };
            }
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

  /**
   * Forwards a co-browse message. An owner that does not hear it may be dead: the session is taken over (here, most
   * often) and the message goes to its owner then; one that is no more is answered for here.
   */
  const forward = async (
    peer: VisitorPeer,
    route: Route,
    message: VisitorToServer | Taken,
    tries = 2,
  ): Promise<void> => {
    const heard = await remote.forward(route.edge, route.owner, 'cobrowse', message, route.meta);
    if (heard) return;
    log.warn('node.gone', { role: 'visitor' });
    leave(peer);
    if (restore.restoring) {
      // Its pub/sub connection may not be back yet: the socket comes back, and its resume is heard then.
      peer.close(CloseCode.ServerShutdown, 'come back');
      return;
    }
    const sessionId = 'sessionId' in message ? message.sessionId : undefined;
    const now = sessionId === undefined ? undefined : await recover(sessionId, route.owner);
    if (sessionId !== undefined && now !== undefined && hub.sockets.isVisitorConnected(peer)) {
      if (message.type === TAKEN && now === self) {
        if (!cobrowse.joinTaken(peer, sessionId))
          cobrowse.refuse(peer, ErrorCode.InvalidCode, INVALID_CODE, 'cobrowse.join');
        return;
      }
      if (message.type === 'cobrowse.resume' && now === self) {
        local.visitorMessage(peer, message);
        return;
      }
      if ((message.type === TAKEN || message.type === 'cobrowse.resume') && tries > 0) {
        await forward(peer, routeTo(peer, now), message, tries - 1);
        return;
      }
      // A session's message: the socket comes back into the session where it is now, then says it again.
      if (message.type !== TAKEN && message.type !== 'cobrowse.resume' && route.resume !== undefined && tries > 0) {
        visitorMessage(peer, route.resume);
        visitorMessage(peer, message);
        return;
      }
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
        send: (out) => {
          const message = out as Outgoing<ServerToAdvisor>;
          // The socket views this session of another node, with this link (should that node die).
          if (message.type === 'cobrowse.started' && message.link !== undefined) {
            let views = viewing.get(peer);
            if (views === undefined) viewing.set(peer, (views = new Map<string, number>()));
            views.set(message.sessionId, message.link);
          }
          peer.send(message);
        },
        close: (code, reason) => peer.close(code, reason),
      };
      advisorEdges.set(peer, edge);
    }
    return edge;
  };

  /** Tells every node that this advisor socket said hello, naming the sessions (and links) it has. */
  const helloEverywhere = (peer: AdvisorPeer, links: Links): void => {
    const { node, conn } = remote.address(advisorEdge(peer));
    const named = [...links].map(([sessionId, link]) => (link === undefined ? { sessionId } : { sessionId, link }));
    nodes.publish(TOPIC, { kind: 'cobrowse.hello', advisor: peer.advisor, node, conn, links: named });
  };

  /**
   * A session this advisor socket names whose owner is dead: taken over (here, most often), and the socket is
   * answered where it is now, as after a hello; one that is no more ended, for the console.
   */
  const reattach = async (
    peer: AdvisorPeer,
    sessionId: string,
    gone: string,
    links: Links,
    tellEnded = true,
  ): Promise<void> => {
    const now = await recover(sessionId, gone);
    if (!advisors.isReady(peer)) return;
    if (now === self) cobrowse.advisorHello(peer, links);
    else if (now !== undefined) helloEverywhere(peer, links);
    else if (tellEnded) peer.send({ type: 'cobrowse.ended', sessionId, by: 'server' });
  };

  const forwardAdvisor = async (
    peer: AdvisorPeer,
    owner: string,
    message: AdvisorSessionMessage,
    tries = 2,
  ): Promise<void> => {
    const heard = await remote.forward(advisorEdge(peer), owner, 'cobrowse.advisor', message, {
      advisor: peer.advisor,
    });
    if (heard) return;
    log.warn('node.gone', { role: 'advisor' });
    if (restore.restoring) {
      // Its pub/sub connection may not be back yet: the socket comes back, and its hello is heard then.
      peer.close(CloseCode.ServerShutdown, 'come back');
      return;
    }
    const now = await recover(message.sessionId, owner);
    if (now === self) {
      // The socket views the session here now (keeping the link it has), then says it again.
      const link = viewing.get(peer)?.get(message.sessionId);
      viewing.get(peer)?.delete(message.sessionId);
      cobrowse.advisorHello(peer, new Map([[message.sessionId, link]]));
      handleCobrowseAdvisor(cobrowse, peer, message);
    } else if (now !== undefined && tries > 0) {
      await forwardAdvisor(peer, now, message, tries - 1);
    } else {
      cobrowse.refuse(peer, ErrorCode.InvalidState, UNKNOWN_SESSION, message.sessionId);
    }
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
    if (peer !== undefined) cobrowse.advisorHello(advisorPeerOf(peer, advisor), linksOf(message.links));
  });

  /**
   * A webcode offered in a chat another node owns: the session lives here, on the node of the advisor's socket, as
   * every session does; whether the advisor holds the chat is read from the chat's record (the owner keeps it).
   */
  const offerForChatElsewhere = async (peer: AdvisorPeer, chatId: string): Promise<void> => {
    const record = await hub.directory.record(chatId);
    if (record?.state === 'active' && record.advisor?.id === peer.advisor.id) {
      await createCode(cobrowse, peer, chatId);
    } else {
      hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', chatId);
    }
  };

  /**
   * The sessions an advisor's hello names that no node here holds: their owner is asked whether it lives (it
   * answered the topic); a dead one's are taken over.
   */
  const settleNamed = async (peer: AdvisorPeer, links: Links): Promise<void> => {
    for (const sessionId of links.keys()) {
      if (cobrowse.getSession(sessionId) !== undefined) continue;
      const owner = await takeover.ownerOf(sessionId);
      if (owner === undefined) {
        if (advisors.isReady(peer)) peer.send({ type: 'cobrowse.ended', sessionId, by: 'server' });
      } else if (owner !== self && !(await nodes.bus.alive(owner))) {
        await reattach(peer, sessionId, owner, links);
      }
    }
  };

  /**
   * A node found dead while nobody spoke to it (its lease lapsed): this node's sockets in its sessions come back
   * into them as their clients would after a reconnect, each with the link it was last given, so that the data
   * channel between the browsers is kept. (A session that ended meanwhile has no record, and nothing is said.)
   */
  const ownerGone = (gone: string): void => {
    for (const [peer, route] of [...routes]) {
      if (route.owner !== gone || route.resume === undefined) continue;
      const { resume } = route;
      leave(peer);
      visitorMessage(peer, resume);
    }
    for (const [peer, views] of viewing) {
      for (const [sessionId, link] of [...views]) {
        if ((moved.get(sessionId) ?? ownerOfSession(sessionId)) !== gone) continue;
        views.delete(sessionId);
        reattach(peer, sessionId, gone, new Map([[sessionId, link]]), false).catch(failed);
      }
    }
  };
  leases.watch(
    () => [
      ...[...routes.values()].filter((route) => route.resume !== undefined).map((route) => route.owner),
      ...[...viewing.values()].flatMap((views) =>
        [...views.keys()].map((sessionId) => moved.get(sessionId) ?? ownerOfSession(sessionId) ?? self),
      ),
    ],
    (gone) => {
      log.warn('node.gone', { role: 'visitor' });
      ownerGone(gone);
    },
  );

  const advisorMessage = (peer: AdvisorPeer, message: AdvisorToServer): void => {
    if (message.type === 'advisor.hello') {
      inner.advisorMessage(peer, message);
      const links = linksOf(message.cobrowse);
      viewing.delete(peer);
      helloEverywhere(peer, links);
      settleNamed(peer, links).catch(failed);
      return;
    }
    if (
      message.type === 'cobrowse.code.create' &&
      message.chatId !== undefined &&
      !hub.chats.knows(message.chatId) &&
      advisors.isReady(peer)
    ) {
      offerForChatElsewhere(peer, message.chatId).catch(failed);
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
      viewing.delete(peer);
      const edge = advisorEdges.get(peer);
      advisorEdges.delete(peer);
      if (edge !== undefined) remote.closed(edge);
    },
    sendError: (peer, code, message, ref) => inner.sendError(peer, code, message, ref),
  };
}
