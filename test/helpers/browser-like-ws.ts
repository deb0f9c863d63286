/**
 * `ws` standing in for the browser's WebSocket when the browser client classes run in Node: it sends the Origin
 * header a page on the test servers' allowed origin (`ORIGIN`, http://localhost:1234) would send.
 */
import WebSocket from 'ws';
import type { WebSocketLike } from '../../src/client/connection.js';
import { ORIGIN } from '../server/helpers.js';

export { ORIGIN };

export const BrowserLikeWebSocket = class extends WebSocket {
  constructor(url: string, protocols?: string[]) {
    super(url, protocols, { origin: ORIGIN });
  }
} as unknown as WebSocketLike;
