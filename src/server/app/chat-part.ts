/**
 * Builds the chat part and what it works with, and hands each piece its dependencies: the connected advisors
 * (shared by chat and co-browsing), the opening hours, co-browsing, the member admission, the hub with the chat
 * state stores, the lifecycle bus and its subscribers (member transcripts, the audit of member chats, the log
 * lines), and the handlers the gateway calls. The one place that reads the configuration for them.
 */
import { SnippetNews } from '../snippets/snippets-news.js';
import type { AuditLog } from '../audit/audit-log.js';
import { chatAudit } from '../audit/chat-audit.js';
import { AdvisorRegistry } from '../chat/advisors.js';
import { ChatHub } from '../chat/chat-hub.js';
import type { ChatStateStores } from '../chat/chat-hub.js';
import { chatEndpoints } from '../chat/endpoints.js';
import type { ChatEndpoints } from '../chat/endpoints.js';
import { ChatLifecycle } from '../chat/lifecycle.js';
import { lifecycleLog } from '../chat/lifecycle-log.js';
import { CobrowseHub } from '../cobrowse/hub.js';
import type { CobrowseTiming } from '../cobrowse/hub.js';
import type { LotseConfig } from '../config/lotse-config.js';
import { OpeningHours } from '../hours/watch.js';
import type { Logger } from '../log.js';
import { MemberAdmission } from '../member/admission.js';
import { memberPseudonymizer } from '../member/pseudonym.js';
import type { MemberVerifier } from '../member/token.js';
import { transcriptWriter } from '../member/transcript-writer.js';
import { TranscriptStore } from '../member/transcripts.js';
import { MemoryLimitStore } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import { routeChats } from '../cluster/chat-routing.js';
import { routeCobrowse } from '../cluster/cobrowse-routing.js';
import { ClusteredAdvisorRegistry } from '../cluster/clustered-advisors.js';
import { NodeMessages } from '../cluster/node-messages.js';
import { RemoteSockets } from '../cluster/remote-sockets.js';
import { ChatTakeover } from '../cluster/takeover.js';
import { CobrowseTakeover } from '../cluster/cobrowse-takeover.js';
import { MemoryCobrowseSessionStore } from '../state/cobrowse-sessions.js';
import { SharedStateRestore } from '../cluster/shared-state-restore.js';
import type { RedisInstanceEvent } from '../state/redis/connection.js';
import { MemoryNodeLeases } from '../state/node-leases.js';
import type { NodeLeases } from '../state/node-leases.js';
import type { QueueNews } from '../chat/queue.js';
import type { RatingTicketIssuer } from '../chat/hub-deps.js';
import { MemoryNodeBus } from '../state/node-bus.js';
import { CallbackDesk } from '../callback/callback-desk.js';
import type { Db } from '../store/sql.js';

/** The node bus topic on which a node says that the queue changed. */
const QUEUE_TOPIC = 'queue';

export interface ChatPartOptions {
  log: Logger;
  now?: () => number;
  /** Where member chat start and end and co-browse sessions are recorded; absent: log lines only. */
  audit?: AuditLog | undefined;
  /** Webcode counts and used member tokens; in memory, bounded, by default. */
  limitStore?: LimitStore;
  /** Absent: member chat is off. */
  memberVerifier?: MemberVerifier | undefined;
  /** Whether an ended member chat is filed (a webhook URL is configured, or a receiver on this server); not by default. */
  fileTranscripts?: boolean;
  /** After a member chat's end and its `webhook_deliveries` row were committed (the deliverer's kick). */
  onMemberChatFiled?: (chatId: string) => void;
  cobrowseTiming?: Partial<CobrowseTiming> | undefined;
  /** The clock of the opening hours (tests). */
  hoursClock?: (() => number) | undefined;
  state?: ChatStateStores;
  /** How this node speaks to the other nodes of the service; this process alone by default. */
  nodes?: NodeMessages;
  /** With other nodes: the nodes' leases on their chats, and how long one lasts (`redis.leaseSeconds`). */
  leases?: { readonly store: NodeLeases; readonly ms: number };
  /**
   * With other nodes: what becomes of the Redis instance (`state/redis/connection.ts`), so that a restarted Redis
   * gets back what this node holds (`cluster/shared-state-restore.ts`).
   */
  redisInstance?: { onInstance(listener: (event: RedisInstanceEvent) => void): void };
  /** Where callback requests are kept, once open (`null`: no store, and no callback is offered). */
  callbackDb?: () => Db | null;
  /** Whether a done callback request is filed to the webhook; after its delivery row was committed, `onCallbackFiled`. */
  fileCallbacks?: () => boolean;
  onCallbackFiled?: () => void;
  /** Hands out rating tickets at a chat's end (`rating/tickets.ts`); absent: no rating is offered. */
  ratingTickets?: RatingTicketIssuer | undefined;
}

export interface ChatPart {
  readonly hub: ChatHub;
  readonly cobrowse: CobrowseHub;
  readonly hours: OpeningHours;
  /** Member chat transcripts; without a store (`useStore(null)`, the default) nothing is written. */
  readonly transcripts: TranscriptStore;
  readonly lifecycle: ChatLifecycle;
  /** How this node speaks to the other nodes of the service (`cluster/`). */
  readonly nodes: NodeMessages;
  /** Takes this node's lease on its chats (with other nodes), once the node bus listens. */
  start(): Promise<void>;
  /** What the gateway hands sockets to. */
  readonly endpoints: ChatEndpoints;
  /** Callback requests: taken from `POST /callback`, listed to advisors, claimed and done from their sockets. */
  readonly callbacks: CallbackDesk;
  /** Team snippets changed (`/admin/snippets`): the advisors on every node get the new list. */
  readonly snippets: SnippetNews;
  /**
   * Ends every chat and session and stops every timer; settles once the chats' ends were told. `drain()` then
   * writes what the subscribers still hold.
   */
  close(): Promise<void>;
}

export function createChatPart(config: LotseConfig, options: ChatPartOptions): ChatPart {
  const { log, audit } = options;
  const now = options.now ?? Date.now;
  const nodes = options.nodes ?? new NodeMessages(new MemoryNodeBus(), () => undefined);
  const limitStore = options.limitStore ?? new MemoryLimitStore({ now, maxEntries: config.limits.stateEntries });
  // With other nodes (Redis), an advisor's sockets on every node hear what a chat's owner sends it.
  const failedNodeMessage = (error: unknown): void =>
    log.error('state.failed', { reason: 'node_message', errorName: error instanceof Error ? error.name : 'Error' });
  const failedPresence = (error: unknown): void =>
    log.error('state.failed', { errorName: error instanceof Error ? error.name : typeof error });
  const advisors = nodes.shared
    ? new ClusteredAdvisorRegistry(nodes.bus, failedNodeMessage, options.state?.advisorPresence, failedPresence)
    : new AdvisorRegistry(options.state?.advisorPresence, failedPresence);
  const hours = new OpeningHours(config.hours, {
    ...(options.hoursClock === undefined ? {} : { now: options.hoursClock }),
    onChange: (open) => advisors.setClosed(!open),
  });
  advisors.setClosed(!hours.open);

  // The event and what was thrown (its name: the message may hold a chat's text), never the error's message.
  const lifecycle = new ChatLifecycle((type, error) =>
    log.error('chat.subscriber_failed', {
      lifecycleEvent: type,
      errorName: error instanceof Error ? error.name : typeof error,
    }),
  );
  const transcripts = new TranscriptStore({
    db: null,
    log,
    retentionDays: config.member.transcriptRetentionDays,
    deliveries: options.fileTranscripts ?? false,
    ...(options.onMemberChatFiled === undefined ? {} : { onFiled: options.onMemberChatFiled }),
    now,
  });
  lifecycle.subscribe(lifecycleLog(log));
  lifecycle.subscribe(transcriptWriter(transcripts));
  if (audit !== undefined) lifecycle.subscribe(chatAudit(audit));

  // Co-browsing tells the hub when a visitor socket's session changes (its idle time); built before the hub.
  let hub: ChatHub | undefined;
  const cobrowse = new CobrowseHub({
    limitStore,
    config,
    log,
    now,
    advisors,
    ...(options.cobrowseTiming === undefined ? {} : { timing: options.cobrowseTiming }),
    ...(audit === undefined ? {} : { auditLog: audit }),
    onVisitorChange: (peer) => hub?.sockets.visitorChanged(peer),
    ...(options.state?.webcodes === undefined ? {} : { webcodes: options.state.webcodes }),
    // With other nodes, a session's id names the node that holds it (`cluster/cobrowse-routing.ts`), and its record
    // lets another node take it over when this one died (`cluster/cobrowse-takeover.ts`).
    ...(nodes.shared ? { nodeId: nodes.nodeId } : {}),
    ...(nodes.shared && options.state?.cobrowseSessions !== undefined
      ? { records: options.state.cobrowseSessions }
      : {}),
  });
  const members = new MemberAdmission({
    verifier: options.memberVerifier,
    limitStore,
    pseudonymOf: memberPseudonymizer(config.advisorTokens.secret),
    log,
    now,
  });
  // A node that pushed a changed queue tells the others, which push theirs (`chat/queue.ts`).
  const queueNews: QueueNews = {
    announce: () => nodes.publish(QUEUE_TOPIC, { kind: 'queue.changed' }),
    listen: (heard) =>
      nodes.onTopic(QUEUE_TOPIC, (_message, from) => {
        if (from !== nodes.nodeId) heard();
      }),
  };
  hub = new ChatHub({
    timings: { ...config.chat, visitorIdleSeconds: config.limits.visitorIdleSeconds },
    log,
    now,
    advisors,
    lifecycle,
    cobrowse,
    // With member chat on, each visitor's address is reduced at connect to the audit's keyed hash, for the start
    // record of a member chat the socket may start (`audit/chat-audit.ts`).
    addressHash: members.enabled && audit !== undefined ? (address) => audit.ipHashOfAddress(address) : undefined,
    ...(options.state === undefined ? {} : { state: options.state }),
    nodeId: nodes.nodeId,
    ...(advisors instanceof ClusteredAdvisorRegistry
      ? { advisorConnected: (id: string) => advisors.connectedAnywhere(id) }
      : {}),
    queueNews,
    ratingTickets: options.ratingTickets,
  });
  const callbacks = new CallbackDesk({
    config: config.callbacks,
    hours: config.hours,
    db: options.callbackDb ?? (() => null),
    nodes,
    broadcast: (message) => advisors.broadcast(message),
    audit,
    log,
    now,
    // The hours' clock: the windows on offer follow it (tests set it, never the wall clock).
    ...(options.hoursClock === undefined ? {} : { hoursNow: options.hoursClock }),
    ...(options.fileCallbacks === undefined ? {} : { file: options.fileCallbacks }),
    ...(options.onCallbackFiled === undefined ? {} : { onFiled: options.onCallbackFiled }),
  });
  // Canned responses live in the store the audit log writes to (opened in `listen()`, or none).
  const snippetDeps = { db: () => audit?.db ?? null, limits: config.snippets };
  const snippets = new SnippetNews({ nodes, snippets: snippetDeps, ready: () => advisors.readyByAdvisor(), log });
  const local = chatEndpoints(
    hub,
    {
      hub,
      chats: hub.chats,
      queue: hub.queue,
      advisors,
      sockets: hub.sockets,
      settings: {
        termsVersion: config.terms.version,
        maxWaitingChats: config.limits.maxWaitingChats,
        maxWaitingChatsPerClient: config.limits.maxWaitingChatsPerClient,
        topics: config.chat.topics,
      },
      hours,
      members,
      cobrowse,
      log,
    },
    {
      hub,
      chats: hub.chats,
      queue: hub.queue,
      advisors,
      rate: config.limits.advisorRate,
      hours,
      cobrowse,
      log,
      callbacks,
      snippets: snippetDeps,
      topics: config.chat.topics,
    },
  );
  // With other nodes, a socket whose chat or co-browse session another node owns speaks to that node
  // (`cluster/chat-routing.ts`, `cluster/cobrowse-routing.ts`), and the chats of a node that died are taken over
  // (`cluster/takeover.ts`).
  let endpoints = local;
  let remote: RemoteSockets | undefined;
  let takeover: ChatTakeover | undefined;
  let restore: SharedStateRestore | undefined;
  if (advisors instanceof ClusteredAdvisorRegistry) {
    remote = new RemoteSockets(nodes, failedNodeMessage);
    const leaseMs = options.leases?.ms ?? 5000;
    const renew: { lease: () => Promise<void> } = { lease: () => Promise.resolve() };
    // The other nodes find the new instance within their reconnect (at most 2 s after this one) and then write back.
    restore = new SharedStateRestore({
      hub,
      advisors,
      cobrowse,
      remote,
      renewLease: () => renew.lease(),
      log,
      windowMs: leaseMs + 2000,
    });
    const chatTakeover = new ChatTakeover({
      hub,
      bus: nodes.bus,
      log,
      leases: options.leases?.store ?? new MemoryNodeLeases(now),
      leaseMs,
      restore,
    });
    takeover = chatTakeover;
    renew.lease = () => chatTakeover.renewNow();
    const restoring = restore;
    options.redisInstance?.onInstance((event) => restoring.heard(event));
    options.state?.events?.fenceOutside?.(restore);
    options.state?.cobrowseSessions?.fenceOutside?.(restore);
    endpoints = routeCobrowse({
      inner: routeChats({ local, hub, advisors, remote, nodes, takeover, log, restore }),
      restore,
      local,
      hub,
      cobrowse,
      advisors,
      remote,
      nodes,
      takeover: new CobrowseTakeover({
        cobrowse,
        store: options.state?.cobrowseSessions ?? new MemoryCobrowseSessionStore(),
        takeover,
        nodeId: nodes.nodeId,
        log,
      }),
      leases: takeover,
      log,
    });
  }
  const chatHub = hub;
  return {
    hub: chatHub,
    cobrowse,
    hours,
    transcripts,
    lifecycle,
    nodes,
    endpoints,
    callbacks,
    snippets,
    start: async () => {
      await takeover?.start();
    },
    close: async () => {
      restore?.close();
      hours.close();
      // With other nodes a live session (and an unused webcode) goes on there; without, every session ends here.
      if (takeover === undefined) cobrowse.close();
      else cobrowse.release();
      if (takeover === undefined) {
        await chatHub.close();
        return;
      }
      // With other nodes the chats go on there: released here, the lease given up, the other nodes told; this node
      // hears no more messages before its sockets close, so that those sockets' resumes reach the new owners.
      await chatHub.release();
      remote?.close();
      await takeover.close();
      await nodes.close();
    },
  };
}
