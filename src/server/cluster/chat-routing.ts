/**
 * Chats across the nodes of one service. A chat lives on the node that started it (its owner, recorded in the chat
 * directory, `state/chat-directory.ts`); the load balancer may send its visitor's next socket and its advisor's
 * sockets to any node. This wraps the chat's endpoints (`chat/endpoints.ts`) so that such a socket's messages reach
 * the owner, where the socket is a remote peer (`remote-sockets.ts`) handled exactly like a socket of its own:
 *
 * - a visitor socket whose `chat.resume` (or repeated `chat.start`) names a chat another node owns is routed there
 *   for the rest of its life: its chat messages are forwarded, the owner's answers come back to it, and it is never
 *   idle here (the owner times it);
 * - an advisor socket's messages about a chat another node owns (accept, write, type, read, end) are forwarded to
 *   that owner; what an owner sends the advisor reaches its sockets on every node (`clustered-advisors.ts`);
 * - an advisor's hello names the chats its console holds: each node answers for the chats it owns (the topic
 *   `advisors`), as the advisor's own node does for its own.
 *
 * A socket's messages keep their order: while the owner of what one names is looked up, its later ones wait.
 * An owner that does not hear a forward is gone; its chats are lost with it (until another node can take them over):
 * the visitor's socket is closed to come back (4003), and a resume then finds no chat.
 */
import { CloseCode, ErrorCode } from '../../protocol/errors.js';
import type { Outgoing } from '../../protocol/parse.js';
import type { AdvisorToServer, ServerToAdvisor, ServerToVisitor, VisitorToServer } from '../../protocol/messages.js';
import type { AdvisorPeer, VisitorPeer } from '../chat/chat.js';
import type { ChatHub } from '../chat/chat-hub.js';
import type { ChatEndpoints } from '../chat/endpoints.js';
import type { Logger } from '../log.js';
import type { ClientKey } from '../transport/client-key.js';
import type { AdvisorIdentity } from '../transport/advisor-auth.js';
import type { ClusteredAdvisorRegistry } from './clustered-advisors.js';
import type { NodeMessages } from './node-messages.js';
import type { EdgeSocket, RemotePeer, RemoteSockets } from './remote-sockets.js';
import type { ChatTakeover } from './takeover.js';
import { NEVER_RESTORING } from './restore-window.js';
import type { RestoreWindow } from './restore-window.js';

/** How many of a socket's messages may wait for an owner's lookup; its rate limit admits fewer. */
const MAX_WAITING = 64;

/** Advisor messages about one chat, forwarded to the chat's owner. */
const ADVISOR_CHAT_MESSAGES = new Set([
  'queue.accept',
  'chat.message',
  'chat.typing',
  'chat.read',
  'chat.end',
  'chat.transfer',
]);

/** How many chat owners an edge remembers for its advisors' messages (an owner changes only when a node dies). */
const OWNER_CACHE = 10_000;

export interface ChatRoutingDeps {
  readonly local: ChatEndpoints;
  readonly hub: ChatHub;
  readonly advisors: ClusteredAdvisorRegistry;
  readonly remote: RemoteSockets;
  readonly nodes: NodeMessages;
  readonly takeover: ChatTakeover;
  readonly log: Logger;
  /** While a restarted Redis is written back, a chat it does not know is not unknown: its client comes back later. */
  readonly restore?: RestoreWindow;
}

interface Route {
  readonly chatId: string;
  readonly owner: string;
  readonly edge: EdgeSocket;
  readonly meta: Record<string, unknown>;
}

interface Lane {
  tail: Promise<void>;
  waiting: number;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The client key an edge sent with a visitor's messages. */
function clientOf(meta: Record<string, unknown>): ClientKey {
  const client = meta.client as { key?: unknown; keys?: unknown } | undefined;
  const key = isString(client?.key) ? client.key : '';
  const keys = Array.isArray(client?.keys) ? client.keys.filter(isString) : [key];
  return { key, keys };
}

/** The advisor an edge sent with an advisor's messages (its verified token's, at that edge). */
function advisorOf(meta: Record<string, unknown>): AdvisorIdentity | undefined {
  const advisor = meta.advisor as { id?: unknown; name?: unknown; roles?: unknown; topics?: unknown } | undefined;
  if (!isString(advisor?.id) || !isString(advisor.name)) return undefined;
  const roles = Array.isArray(advisor.roles) ? advisor.roles.filter(isString) : [];
  const topics = Array.isArray(advisor.topics) ? advisor.topics.filter(isString) : [];
  return { id: advisor.id, name: advisor.name, roles, topics };
}

export function routeChats(deps: ChatRoutingDeps): ChatEndpoints {
  const { local, hub, advisors, remote, nodes, takeover, log } = deps;
  const restore = deps.restore ?? NEVER_RESTORING;
  const self = nodes.nodeId;
  const routes = new Map<VisitorPeer, Route>();
  const lanes = new Map<object, Lane>();
  const clients = new Map<VisitorPeer, ClientKey>();
  const advisorEdges = new Map<AdvisorPeer, EdgeSocket>();
  const owners = new Map<string, string>();
  /** Owner side: the advisor peers of other nodes' advisor sockets. */
  const remoteAdvisors = new Map<RemotePeer, AdvisorPeer>();
  /**
   * Sockets told to come back: what they sent after the message that failed is not handled any more (their clients
   * send it again, in order, from the new socket; a later message must not overtake an earlier one that failed).
   */
  const leaving = new WeakSet<object>();
  const sendBack = (peer: VisitorPeer | AdvisorPeer, reason: string): void => {
    leaving.add(peer);
    peer.close(CloseCode.ServerShutdown, reason);
  };

  const failed = (error: unknown): void =>
    log.error('state.failed', { reason: 'node_message', errorName: error instanceof Error ? error.name : 'Error' });

  /** Runs `task` after the socket's earlier messages that wait; directly when none does. */
  const inLane = (peer: object, task: () => Promise<void> | undefined, refuse: () => void): void => {
    const lane = lanes.get(peer);
    if (lane === undefined) {
      const pending = task();
      if (pending === undefined) return;
      const fresh: Lane = { tail: Promise.resolve(), waiting: 0 };
      lanes.set(peer, fresh);
      queue(peer, fresh, pending);
      return;
    }
    if (lane.waiting >= MAX_WAITING) return refuse();
    queue(
      peer,
      lane,
      lane.tail.then(() => task()),
    );
  };
  const queue = (peer: object, lane: Lane, work: Promise<void>): void => {
    lane.waiting++;
    lane.tail = work.catch(failed).finally(() => {
      lane.waiting--;
      if (lane.waiting === 0 && lanes.get(peer) === lane) lanes.delete(peer);
    });
  };
  /**
   * A chat the directory says this node owns, that it does not hold yet: it is taking it over (another socket's
   * message found the owner gone and made this node the owner), and rebuilds it from Redis. A message for it waits
   * for that, or it would find no chat here (a resume answered "unknown chat" ends the conversation for the client).
   */
  const takenOver = async (chatId: string, owner: string | undefined): Promise<void> => {
    if (owner !== self) return;
    await takeover.pending(chatId)?.catch(() => undefined);
  };
  const rememberOwner = (chatId: string, owner: string): void => {
    if (owners.size >= OWNER_CACHE) owners.clear();
    owners.set(chatId, owner);
  };

  // --- visitors -------------------------------------------------------------------------------------------------

  /** Forwards a message of a routed socket; an owner that does not hear it is gone, and the socket must come back. */
  /** Routes the socket no more (its owner is gone): the owner's peer of it, if any, hears it closed. */
  const unroute = (peer: VisitorPeer): void => {
    const route = routes.get(peer);
    routes.delete(peer);
    if (route !== undefined) remote.closed(route.edge);
    hub.sockets.visitors.hold(peer, false);
  };

  /** The socket must come back (a store that failed, an owner out of reach): its resume will find the chat. */
  const comeBack = (peer: VisitorPeer): void => {
    unroute(peer);
    sendBack(peer, 'the chat moved; come back');
  };

  const forwardVisitor = async (peer: VisitorPeer, route: Route, message: VisitorToServer): Promise<boolean> => {
    const heard = await remote.forward(route.edge, route.owner, 'chat', message, route.meta);
    if (!heard) {
      log.warn('node.gone', { role: 'visitor' });
      unroute(peer);
    }
    return heard;
  };

  /**
   * A resume or repeated start whose chat `owner` holds: the socket is routed there, or handled here. An owner that
   * does not hear it died: the chat is taken over (`takeover.ts`) and the message goes to its owner then (this
   * node, most often), or is answered here when the chat is no more.
   */
  const routeTo = async (
    peer: VisitorPeer,
    chatId: string,
    owner: string | undefined,
    message: VisitorToServer,
    tries = 2,
  ): Promise<void> => {
    if (owner === undefined || owner === self || !hub.sockets.isVisitorConnected(peer)) {
      await takenOver(chatId, owner);
      local.visitorMessage(peer, message);
      return;
    }
    const route: Route = {
      chatId,
      owner,
      edge: {
        send: (out) => peer.send(out as Outgoing<ServerToVisitor>),
        close: (code, reason) => peer.close(code, reason),
      },
      meta: { client: clients.get(peer) ?? { key: '', keys: [''] } },
    };
    routes.set(peer, route);
    hub.sockets.visitors.hold(peer, true);
    if (await forwardVisitor(peer, route, message)) return;
    const now = await takeover.recover(chatId, owner);
    if (now === undefined || now === self) local.visitorMessage(peer, message);
    else if (tries > 0) await routeTo(peer, chatId, now, message, tries - 1);
    // An owner that lives but cannot be reached: the visitor comes back later, its chat still there.
    else comeBack(peer);
  };

  const lookUp = (
    peer: VisitorPeer,
    found: Promise<{ chatId: string; owner: string } | undefined>,
    message: VisitorToServer,
  ): Promise<void> =>
    found
      .then((entry) => {
        if (entry !== undefined) return routeTo(peer, entry.chatId, entry.owner, message);
        // Not in a Redis that is being written back: perhaps not yet. The visitor comes back (a start then finds
        // its chat, rather than starting a second one).
        if (restore.restoring) comeBack(peer);
        else local.visitorMessage(peer, message);
        return undefined;
      })
      .catch((error: unknown) => {
        // Redis failed us: not an answer about the chat (a Busy would end it for the client); it comes back later.
        failed(error);
        comeBack(peer);
      });

  const visitorMessage = (peer: VisitorPeer, message: VisitorToServer): Promise<void> | undefined => {
    const route = routes.get(peer);
    if (route !== undefined && message.type.startsWith('chat.')) {
      return forwardVisitor(peer, route, message).then(
        (heard) => {
          if (heard) return;
          // The owner died: the chat is taken over here (or by another node) while the visitor comes back.
          takeover.recover(route.chatId, route.owner).catch(failed);
          comeBack(peer);
        },
        (error: unknown) => {
          failed(error);
          comeBack(peer);
        },
      );
    }
    if (route === undefined && message.type === 'chat.resume' && !hub.chats.knows(message.chatId)) {
      const { chatId } = message;
      return lookUp(
        peer,
        hub.directory.ownerOf(chatId).then((owner) => (owner === undefined ? undefined : { chatId, owner })),
        message,
      );
    }
    if (
      route === undefined &&
      message.type === 'chat.start' &&
      message.startId !== undefined &&
      hub.chats.byStartId(message.startId) === undefined &&
      hub.sockets.chatOfVisitor(peer) === 'none'
    ) {
      return lookUp(peer, hub.directory.byStartId(message.startId), message);
    }
    local.visitorMessage(peer, message);
    return undefined;
  };

  // The owner's side of a visitor socket on another node.
  // A message for a chat this node is taking over waits for it (another node lost the race and forwarded it here).
  const afterTakeover = (peer: object, chatId: unknown, handle: () => void): void => {
    const pending = isString(chatId) ? takeover.pending(chatId) : undefined;
    if (pending === undefined && !lanes.has(peer)) return handle();
    inLane(
      peer,
      () => (pending ?? Promise.resolve()).then(handle, handle),
      () => undefined,
    );
  };

  remote.serve('chat', {
    opened: (peer, meta) => local.visitorConnected(peer, '', clientOf(meta)),
    message: (peer, message) =>
      afterTakeover(peer, message.chatId, () => local.visitorMessage(peer, message as unknown as VisitorToServer)),
    gone: (peer) => {
      lanes.delete(peer);
      local.visitorDisconnected(peer);
    },
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

  /** Forwards to the chat's owner; one that died has the chat taken over, and the message goes to the new owner. */
  const forwardAdvisor = async (
    peer: AdvisorPeer,
    owner: string,
    chatId: string,
    message: AdvisorToServer,
    tries = 2,
  ): Promise<void> => {
    const heard = await remote.forward(advisorEdge(peer), owner, 'advisor', message, { advisor: peer.advisor });
    if (heard) return;
    log.warn('node.gone', { role: 'advisor' });
    owners.delete(chatId);
    const now = await takeover.recover(chatId, owner);
    if (now === self) {
      local.advisorMessage(peer, message);
    } else if (now === undefined) {
      if (message.type === 'chat.read' || message.type === 'chat.typing') {
        hub.sendError(peer, ErrorCode.UnknownChat, 'unknown chat', chatId);
      } else {
        // No owner found: perhaps Redis just restarted and is not written back yet. An error for this message while
        // the socket's later ones go on would let them overtake it (its outbox sends it again only later): the
        // console comes back and sends its outbox again, in order; a chat that truly ended is refused there.
        sendBack(peer, 'come back');
      }
    } else if (tries > 0) {
      rememberOwner(chatId, now);
      await forwardAdvisor(peer, now, chatId, message, tries - 1);
    } else {
      // An owner that lives but cannot be reached: the console comes back and sends it again.
      sendBack(peer, 'come back');
    }
  };

  const advisorMessage = (peer: AdvisorPeer, message: AdvisorToServer): Promise<void> | undefined => {
    const chatId = ADVISOR_CHAT_MESSAGES.has(message.type) ? (message as { chatId?: string }).chatId : undefined;
    if (chatId === undefined || hub.chats.knows(chatId) || !advisors.isReady(peer)) {
      local.advisorMessage(peer, message);
      return undefined;
    }
    const cached = owners.get(chatId);
    const forwarded =
      cached !== undefined
        ? forwardAdvisor(peer, cached, chatId, message)
        : hub.directory.ownerOf(chatId).then(async (owner) => {
            if (owner === undefined && restore.restoring) {
              // Perhaps not written back yet: the console comes back and sends it again (a read or typing mark,
              // which is never an error, is dropped).
              if (message.type !== 'chat.read' && message.type !== 'chat.typing') sendBack(peer, 'come back');
              return undefined;
            }
            if (owner === undefined || owner === self) {
              await takenOver(chatId, owner);
              local.advisorMessage(peer, message);
              return undefined;
            }
            rememberOwner(chatId, owner);
            return forwardAdvisor(peer, owner, chatId, message);
          });
    // Redis failed us: the console comes back and sends it again (its outbox keeps it).
    return forwarded.catch((error: unknown) => {
      failed(error);
      sendBack(peer, 'come back');
    });
  };

  const advisorPeerOf = (peer: RemotePeer, advisor: AdvisorIdentity): AdvisorPeer => {
    let known = remoteAdvisors.get(peer);
    if (known === undefined) {
      known = { advisor, send: (out) => peer.send(out), close: (code, reason) => peer.close(code, reason) };
      remoteAdvisors.set(peer, known);
      advisors.addRemote(known);
    }
    return known;
  };

  // The owner's side of an advisor socket on another node.
  remote.serve('advisor', {
    opened: (peer, meta) => {
      const advisor = advisorOf(meta);
      if (advisor !== undefined) advisorPeerOf(peer, advisor);
    },
    message: (peer, message) => {
      const advisorPeer = remoteAdvisors.get(peer);
      if (advisorPeer === undefined) return;
      afterTakeover(peer, message.chatId, () =>
        local.advisorMessage(advisorPeer, message as unknown as AdvisorToServer),
      );
    },
    gone: (peer) => {
      lanes.delete(peer);
      const advisorPeer = remoteAdvisors.get(peer);
      remoteAdvisors.delete(peer);
      if (advisorPeer !== undefined) advisors.removeRemote(advisorPeer);
    },
  });

  // An advisor's hello on another node: this node sends that socket the chats it owns that the advisor holds.
  nodes.onTopic('advisors', (message, from) => {
    if (message.kind === 'advisor.left' && isString(message.advisorId)) {
      hub.advisorLeft(message.advisorId);
      return;
    }
    if (from === self || message.kind !== 'advisor.hello') return;
    const advisor = isRecord(message.advisor) ? advisorOf({ advisor: message.advisor }) : undefined;
    const { node, conn } = message;
    if (advisor === undefined || !isString(node) || !isString(conn) || !Array.isArray(message.chats)) return;
    const named = new Map<string, number>();
    for (const item of message.chats as { chatId?: unknown; lastSeq?: unknown }[]) {
      if (isString(item.chatId)) named.set(item.chatId, typeof item.lastSeq === 'number' ? item.lastSeq : 0);
    }
    // Chats this node is taking over are answered once they are here.
    const pending = [...named.keys()].map((chatId) => takeover.pending(chatId)).filter((p) => p !== undefined);
    const answer = (): void => {
      const held = hub.chats.heldBy(advisor.id);
      const gone = [...named.keys()].filter((chatId) => hub.chats.knows(chatId) && !held.some((c) => c.id === chatId));
      if (held.length === 0 && gone.length === 0) return;
      const peer = remote.peerAt(node, conn, 'advisor', { advisor });
      if (peer === undefined) return;
      const advisorPeer = advisorPeerOf(peer, advisor);
      for (const chatId of gone) hub.sendError(advisorPeer, ErrorCode.UnknownChat, 'chat is gone', chatId);
      for (const chat of held) hub.sendAssigned(chat, advisorPeer, named.get(chat.id) ?? 0).catch(failed);
    };
    if (pending.length === 0) answer();
    else Promise.allSettled(pending).then(answer, failed);
  });

  /**
   * A node left or died: the visitor sockets routed to it come back (4003), and their resume finds the chat taken
   * over; the advisors' messages look its chats up afresh.
   */
  const ownerGone = (owner: string): void => {
    for (const [peer, route] of [...routes]) {
      if (route.owner !== owner) continue;
      takeover.recover(route.chatId, owner).catch(failed);
      comeBack(peer);
    }
    for (const [chatId, cached] of owners) if (cached === owner) owners.delete(chatId);
    // Its sockets' peers here (it was their edge) are gone too.
    remote.dropNode(owner);
  };
  nodes.onTopic('nodes', (message, from) => {
    if (from !== self && message.kind === 'node.left') ownerGone(from);
  });
  takeover.watch(
    () => [...[...routes.values()].map((route) => route.owner), ...remote.peerNodes()],
    (owner) => {
      log.warn('node.gone', { role: 'visitor' });
      ownerGone(owner);
    },
  );

  /** The advisor's own node answered its hello for its own chats; the other nodes answer for theirs. */
  const helloElsewhere = (peer: AdvisorPeer, named: readonly { chatId: string; lastSeq: number }[]): void => {
    const { node, conn } = remote.address(advisorEdge(peer));
    const chats = named.filter((item) => !hub.chats.knows(item.chatId));
    nodes.publish('advisors', { kind: 'advisor.hello', advisor: peer.advisor, node, conn, chats });
    // A chat no node owns any more is gone: said here, as for a chat of this node. One whose owner died is taken
    // over (here, most often), and its new owner sends it.
    for (const { chatId, lastSeq } of chats) {
      const settle = async (): Promise<void> => {
        await restore.settled();
        let owner = await hub.directory.ownerOf(chatId);
        if (owner !== undefined && owner !== self && !(await nodes.bus.alive(owner))) {
          owner = await takeover.recover(chatId, owner);
        }
        await takenOver(chatId, owner);
        const chat = hub.chats.get(chatId);
        if (owner === undefined) hub.sendError(peer, ErrorCode.UnknownChat, 'chat is gone', chatId);
        else if (owner === self && chat !== undefined) await hub.sendAssigned(chat, peer, lastSeq);
      };
      settle().catch(failed);
    }
  };

  return {
    visitorConnected: (peer, address, client) => {
      clients.set(peer, client);
      local.visitorConnected(peer, address, client);
    },
    visitorMessage: (peer, message) =>
      inLane(
        peer,
        () => (leaving.has(peer) ? undefined : visitorMessage(peer, message)),
        () => hub.sendError(peer, ErrorCode.RateLimited, 'too many messages while an earlier one is handled; dropped'),
      ),
    visitorDisconnected: (peer) => {
      clients.delete(peer);
      lanes.delete(peer);
      local.visitorDisconnected(peer);
      const route = routes.get(peer);
      routes.delete(peer);
      if (route !== undefined) remote.closed(route.edge);
    },
    advisorConnected: (peer) => local.advisorConnected(peer),
    advisorMessage: (peer, message) => {
      if (message.type === 'advisor.hello') {
        // This node answers for the chats it knows (welcome first), the other nodes for theirs.
        const here = message.chats.filter((item) => hub.chats.knows(item.chatId));
        local.advisorMessage(peer, { ...message, chats: here });
        helloElsewhere(peer, message.chats);
        return;
      }
      inLane(
        peer,
        () => (leaving.has(peer) ? undefined : advisorMessage(peer, message)),
        () => hub.sendError(peer, ErrorCode.RateLimited, 'too many messages while an earlier one is handled; dropped'),
      );
    },
    advisorDisconnected: (peer) => {
      lanes.delete(peer);
      local.advisorDisconnected(peer);
      const edge = advisorEdges.get(peer);
      advisorEdges.delete(peer);
      if (edge !== undefined) remote.closed(edge);
    },
    sendError: (peer, code, message, ref) => local.sendError(peer, code, message, ref),
  };
}
