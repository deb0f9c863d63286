/**
 * One peer of an advisor's co-browse session: the data channel to the visitor's browser, and the clock probe
 * over it (five pings 200 ms apart once the channel is open, then one every 10 s; the best sample wins). A new
 * `cobrowse.started` makes a new `CobrowsePeer`; the old one is closed and says nothing more. `close()` is
 * idempotent and stops every timer.
 */
import type { IceServer } from '../protocol/cobrowse.js';
import type { PeerMessage, RrwebEventEnvelope } from '../protocol/peer.js';
import { ClockProbe } from './clock-probe.js';
import type { ClockSample } from './clock-probe.js';
import { AdvisorPeerLink } from './peer-link.js';
import type { PeerLinkOptions } from './peer-link.js';

export interface PeerLinkLike {
  send(message: PeerMessage): Promise<void>;
  signal(text: string): void;
  close(): void;
}

export type LinkFactory = (options: PeerLinkOptions) => PeerLinkLike;

export interface CobrowsePeerOptions {
  initiator: boolean;
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  createLink?: LinkFactory | undefined;
  onSignal: (signal: string) => void;
  onOpen: () => void;
  /** The channel closed (not by `close()`): the visitor's page went away, or the network failed. */
  onClose: () => void;
  onEvents: (events: readonly RrwebEventEnvelope[]) => void;
  /** A better estimate of the visitor's clock. */
  onClock: (sample: ClockSample) => void;
  onBye: () => void;
}

const BURST_PINGS = 5;
const BURST_INTERVAL_MS = 200;
const PING_INTERVAL_MS = 10_000;

export class CobrowsePeer {
  open = false;
  readonly probe = new ClockProbe();

  #link: PeerLinkLike;
  #options: CobrowsePeerOptions;
  #pings = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: CobrowsePeerOptions) {
    this.#options = options;
    const create = options.createLink ?? ((link: PeerLinkOptions) => new AdvisorPeerLink(link));
    this.#link = create({
      initiator: options.initiator,
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy,
      onSignal: (signal) => {
        if (!this.#closed) options.onSignal(signal);
      },
      onMessage: (message) => {
        if (!this.#closed) this.#receive(message);
      },
      onOpen: () => {
        if (this.#closed) return;
        this.open = true;
        this.#ping();
        options.onOpen();
      },
      onClose: () => {
        if (this.#closed) return;
        this.close();
        options.onClose();
      },
    });
  }

  signal(text: string): void {
    if (!this.#closed) this.#link.signal(text);
  }

  /** Sends when the channel is open; otherwise there is nobody to tell. */
  send(message: PeerMessage): void {
    if (this.open && !this.#closed) void this.#link.send(message);
  }

  /** Says `bye` to the visitor (the quick way to end; the server tells it too), then closes once it is out. */
  bye(): void {
    if (this.#closed) return;
    if (!this.open) {
      this.close();
      return;
    }
    const link = this.#link;
    this.#link = { send: async () => undefined, signal: () => undefined, close: () => undefined };
    this.close();
    void link.send({ t: 'bye' }).finally(() => link.close());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.open = false;
    clearTimeout(this.#timer);
    this.#link.close();
  }

  #receive(message: PeerMessage): void {
    switch (message.t) {
      case 'events':
        this.#options.onEvents(message.events);
        return;
      case 'pong':
        if (this.probe.add(message.a, message.b) && this.probe.best !== undefined)
          this.#options.onClock(this.probe.best);
        return;
      case 'bye':
        this.#options.onBye();
        return;
      default:
        return; // pointer, ping and snapshot are ours to send, not to receive
    }
  }

  #ping(): void {
    this.send({ t: 'ping', a: Date.now() });
    this.#pings += 1;
    this.#timer = setTimeout(() => this.#ping(), this.#pings < BURST_PINGS ? BURST_INTERVAL_MS : PING_INTERVAL_MS);
  }
}
