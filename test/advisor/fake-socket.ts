/**
 * A fake WebSocket for the advisor console tests: records what the console sends and lets the test play the
 * server. Handed to the console through its test-only `webSocket` property.
 */
import type { WebSocketLike } from '../../src/client/connection.js';
import type { AdvisorToServer, ServerToAdvisor } from '../../src/protocol/messages.js';
import { encode } from '../../src/protocol/parse.js';
import type { Outgoing } from '../../src/protocol/parse.js';

export class FakeSocket extends EventTarget {
  static instances: FakeSocket[] = [];
  static get last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (socket === undefined) throw new Error('no socket was opened');
    return socket;
  }

  readonly url: string;
  readonly protocols: string[];
  readyState = 0;
  readonly sent: AdvisorToServer[] = [];
  /** Called with every message the console sends (a test may relay some, e.g. WebRTC signalling). */
  onSend: ((message: AdvisorToServer) => void) | undefined;

  constructor(url: string, protocols: string[] = []) {
    super();
    this.url = url;
    this.protocols = protocols;
    FakeSocket.instances.push(this);
  }

  send(frame: string): void {
    const message = JSON.parse(frame) as AdvisorToServer;
    this.sent.push(message);
    this.onSend?.(message);
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent('close', { code }));
  }

  // --- the server's side ---

  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  receive(message: Outgoing<ServerToAdvisor>): void {
    this.dispatchEvent(new MessageEvent('message', { data: encode<ServerToAdvisor>(message) }));
  }

  /** Messages of one type the console sent, in order. */
  sentOf<T extends AdvisorToServer['type']>(type: T): Extract<AdvisorToServer, { type: T }>[] {
    return this.sent.filter((message): message is Extract<AdvisorToServer, { type: T }> => message.type === type);
  }
}

export const FakeWebSocket = FakeSocket as unknown as WebSocketLike;
