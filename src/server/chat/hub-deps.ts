/**
 * What the composition root (`app/chat-part.ts`) hands the chat hub: its own settings, the connected advisors, the
 * lifecycle it emits on, co-browsing's view of a socket, and the chat state stores. Nothing else reaches the hub.
 */
import type { AdvisorRegistry } from './advisors.js';
import type { AdvisorPeer, VisitorPeer } from './chat.js';
import type { LifecycleEmitter } from './lifecycle.js';
import type { ChatConfig } from '../config/chat-area.js';
import type { ClientKey } from '../transport/client-key.js';
import type { Logger } from '../log.js';
import type { AdvisorPresence } from '../state/advisor-presence.js';
import type { ChatClaims } from '../state/chat-claims.js';
import type { ChatDirectory } from '../state/chat-directory.js';
import type { ChatEventLog } from '../state/chat-event-log.js';
import type { CodeStore } from '../state/code-store.js';
import type { CobrowseSessionStore } from '../state/cobrowse-sessions.js';
import type { QueueStore } from '../state/queue-store.js';
import type { QueueNews } from './queue.js';

/**
 * The chat's timings: its configuration area's `chat` settings (`config/chat-area.ts`: idle minutes, the advisor's grace,
 * the visitor's window to come back), and how long a visitor socket that holds nothing is kept (`limits`).
 */
export type ChatTimings = ChatConfig['chat'] & { readonly visitorIdleSeconds: number };

/** What co-browsing hears about visitor and advisor sockets, and tells about them (`cobrowse/hub.ts`). */
export interface CobrowseSockets {
  visitorConnected(peer: VisitorPeer, client: ClientKey): void;
  visitorDisconnected(peer: VisitorPeer): void;
  advisorDisconnected(peer: AdvisorPeer): void;
  /** Whether the socket co-browses (a session, or a webcode check under way): it is not idle then. */
  holds(peer: VisitorPeer): boolean;
}

/**
 * Chat state behind the `state/` interfaces; in memory by default (a shared store for several nodes later). The
 * advisors' presence goes to the advisor registry, which the composition root builds (`app/chat-part.ts`).
 */
export interface ChatStateStores {
  /** The queue: every waiting chat's item, in order, and each client's waiting chats (`state/queue-store.ts`). */
  queue?: QueueStore;
  advisorPresence?: AdvisorPresence;
  claims?: ChatClaims;
  events?: ChatEventLog;
  /** Which node owns each chat, and the chat each start id names (`cluster/`). */
  directory?: ChatDirectory;
  /** Co-browse webcodes (`cobrowse/hub.ts`). */
  webcodes?: CodeStore;
  /** With other nodes: each open co-browse session's owner and record (`cluster/cobrowse-takeover.ts`). */
  cobrowseSessions?: CobrowseSessionStore;
}

/** Hands out the single-use rating ticket at a chat's end (`rating/tickets.ts`); `undefined` when none was had. */
export interface RatingTicketIssuer {
  issue(topic: string | undefined): Promise<string | undefined>;
}

export interface ChatHubDeps {
  timings: ChatTimings;
  log: Logger;
  now?: () => number;
  /** Connected advisors; shared with co-browsing, which relays to the same sockets. */
  advisors: AdvisorRegistry;
  /** Where the hub tells what happens to each chat. */
  lifecycle: LifecycleEmitter;
  cobrowse: CobrowseSockets;
  /** Reduces a visitor's address at connect to a keyed hash for a member chat's start record; absent: none is kept. */
  addressHash?: ((address: string) => string) | undefined;
  state?: ChatStateStores;
  /** This node's id among the nodes of the service: the owner of the chats it starts. */
  nodeId?: string;
  /**
   * Whether the advisor has a socket on any node (with other nodes): a grace that runs out while it has one does
   * not give its chat back. Absent: only this node's sockets count.
   */
  advisorConnected?: (advisorId: string) => Promise<boolean>;
  /** How the nodes tell each other that the queue changed (`queue.ts`); absent: this node alone. */
  queueNews?: QueueNews | undefined;
  /** Absent: no rating is offered (`ratings.enabled` false, or a test of other parts). */
  ratingTickets?: RatingTicketIssuer | undefined;
}
