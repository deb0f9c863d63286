/**
 * The chat's side of the WebSocket gateway: what `transport/gateway.ts` hands each visitor and advisor socket's
 * life to (open, each parsed message, close), and how it refuses one. Built from the hub and the handlers' own
 * dependencies in `app/chat-part.ts`, so that the gateway sees neither the hub's parts nor the configuration.
 */
import type { ErrorCode } from '../../protocol/errors.js';
import type { AdvisorToServer, VisitorToServer } from '../../protocol/messages.js';
import { advisorMessageHandler } from './advisor-handler.js';
import type { AdvisorHandlerDeps } from './advisor-handler.js';
import type { AdvisorPeer, VisitorPeer } from './chat.js';
import type { ChatHub } from './chat-hub.js';
import type { ClientKey } from '../transport/client-key.js';
import { visitorMessageHandler } from './visitor-handler.js';
import type { VisitorHandlerDeps } from './visitor-handler.js';

export interface ChatEndpoints {
  /** `address` is reduced to a keyed hash at once and not kept; `client` is the client's pseudonymous key. */
  visitorConnected(peer: VisitorPeer, address: string, client: ClientKey): void;
  visitorMessage(peer: VisitorPeer, message: VisitorToServer): void;
  visitorDisconnected(peer: VisitorPeer): void;
  advisorConnected(peer: AdvisorPeer): void;
  advisorMessage(peer: AdvisorPeer, message: AdvisorToServer): void;
  advisorDisconnected(peer: AdvisorPeer): void;
  sendError(peer: VisitorPeer | AdvisorPeer, code: ErrorCode, message: string, ref?: string): void;
}

export function chatEndpoints(hub: ChatHub, visitor: VisitorHandlerDeps, advisor: AdvisorHandlerDeps): ChatEndpoints {
  const visitorMessage = visitorMessageHandler(visitor);
  const advisorMessage = advisorMessageHandler(advisor);
  return {
    visitorConnected: (peer, address, client) => hub.sockets.visitorConnected(peer, address, client),
    visitorMessage,
    visitorDisconnected: (peer) => hub.sockets.visitorDisconnected(peer),
    advisorConnected: (peer) => hub.sockets.advisorConnected(peer),
    advisorMessage,
    advisorDisconnected: (peer) => hub.sockets.advisorDisconnected(peer),
    sendError: (peer, code, message, ref) => hub.sendError(peer, code, message, ref),
  };
}
