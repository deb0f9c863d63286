/**
 * The console's only way to the network: a Lit reactive controller that owns one `AdvisorSession`. It creates
 * the session once the host is connected and has a server URL and a token, re-renders the host on every change,
 * and closes the session when the host leaves the document. `close()` is idempotent.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AdvisorSession } from '../client/advisor-session.js';
import type { AdvisorSessionOptions, Presence } from '../client/advisor-session.js';
import type { CobrowseSink, StartResult } from '../client/cobrowse-advisor.js';
import type { WebSocketLike } from '../client/connection.js';
import type { TransferPort } from './lotse-advisor-transfer.js';

export interface SessionSource {
  /** WebSocket URL of the advisor endpoint, or undefined when the console has no valid server. */
  url: string | undefined;
  /** The advisor's signed token; empty or undefined means signed out. */
  token: string | undefined;
  /** Test seam: the WebSocket constructor to use instead of the browser's. */
  WebSocket: WebSocketLike | undefined;
  /** Test seam: how co-browse peer links are made instead of WebRTC. */
  createLink?: AdvisorSessionOptions['createLink'];
}

export type SendResult = 'sent' | 'refused';

export class SessionController implements ReactiveController {
  session: AdvisorSession | undefined;

  #host: ReactiveControllerHost;
  #source: () => SessionSource;
  #onChange: () => void;
  #attached = false;
  #url: string | undefined;
  #token: string | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, source: () => SessionSource, onChange: () => void = () => undefined) {
    this.#host = host;
    this.#source = source;
    this.#onChange = onChange;
    host.addController(this);
  }

  hostConnected(): void {
    this.#attached = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.#attached = false;
    this.close();
  }

  /**
   * Brings the session in line with the source: none without URL or token, a new one when the URL changed or
   * when the old one was closed for good and a new token has arrived. A renewed token on a live session is
   * simply picked up on its next reconnect (the session asks for the token on every connect).
   */
  sync(): void {
    if (!this.#attached) return;
    const { url, token } = this.#source();
    if (url === undefined || token === undefined || token === '') {
      this.close();
      return;
    }
    const current = this.session;
    if (current !== undefined) {
      const stale = current.connection === 'closed' && token !== this.#token;
      if (url === this.#url && !stale) return;
      this.close();
    }
    this.#open(url, token);
  }

  /** Closes the session and forgets it. Idempotent. */
  close(): void {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    session.close();
    this.#changed();
  }

  setPresence(status: Presence): void {
    this.session?.setPresence(status);
  }

  accept(chatId: string): void {
    this.session?.accept(chatId);
  }

  /** Sends a message; `refused` when the chat is closed or its outbox is full (the text stays with the caller). */
  send(chatId: string, text: string): SendResult {
    try {
      if (this.session === undefined) return 'refused';
      this.session.send(chatId, text);
      return 'sent';
    } catch {
      return 'refused';
    }
  }

  input(chatId: string): void {
    try {
      this.session?.input(chatId);
    } catch {
      // The chat ended between the keystroke and now: nothing to tell the other side.
    }
  }

  end(chatId: string): void {
    try {
      this.session?.end(chatId);
    } catch {
      // Already ended or lost: the conversation shows that.
    }
  }

  /** The advisor has read this chat up to its last event (it is in front, in a visible page). */
  markRead(chatId: string): void {
    this.session?.markRead(chatId);
  }

  dismiss(chatId: string): void {
    this.session?.dismiss(chatId);
  }

  /** What the transfer dialog needs of the session (`lotse-advisor-transfer`). */
  readonly transferPort: TransferPort = {
    colleagues: () => this.session?.colleagues,
    topics: () => this.session?.topics ?? [],
    ask: () => this.session?.askColleagues(),
    transfer: (chatId, to, note) => {
      try {
        if (this.session === undefined) return 'refused';
        this.session.transfer(chatId, to, note);
        return 'sent';
      } catch {
        return 'refused';
      }
    },
  };

  /** Asks for a co-browse webcode, for a chat or (without `chatId`) for a phone call. */
  offerCobrowse(chatId?: string): boolean {
    return this.session?.cobrowse.offer(chatId) ?? false;
  }

  startCobrowse(sessionId: string, startCode: string): StartResult {
    return this.session?.cobrowse.start(sessionId, startCode) ?? 'offline';
  }

  endCobrowse(sessionId: string): void {
    this.session?.cobrowse.end(sessionId);
  }

  dismissCobrowse(sessionId: string): void {
    this.session?.cobrowse.dismiss(sessionId);
  }

  /** Connects a viewer to a live session's page; returns how to disconnect it. */
  attachViewer(sessionId: string, sink: CobrowseSink): () => void {
    return this.session?.cobrowse.attach(sessionId, sink) ?? (() => undefined);
  }

  pointer(sessionId: string, x: number, y: number, visible: boolean): void {
    this.session?.cobrowse.pointer(sessionId, x, y, visible);
  }

  requestSnapshot(sessionId: string): void {
    this.session?.cobrowse.requestSnapshot(sessionId);
  }

  #open(url: string, token: string): void {
    const source = this.#source;
    const { WebSocket, createLink } = source();
    const session = new AdvisorSession({
      url,
      token: () => source().token ?? '',
      ...(WebSocket === undefined ? {} : { WebSocket }),
      ...(createLink === undefined ? {} : { createLink }),
    });
    this.session = session;
    this.#url = url;
    this.#token = token;
    this.#unsubscribe = session.subscribe(() => this.#changed());
    session.connect();
    this.#changed();
  }

  #changed(): void {
    this.#onChange();
    this.#host.requestUpdate();
  }
}
