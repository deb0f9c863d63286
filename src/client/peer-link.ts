/**
 * The WebRTC data channel between the visitor's and the advisor's browser: the only module that imports
 * simple-peer (the light ES-module build: same API, no Node globals, a fraction of the size). It carries framed
 * messages (see `framing.ts`) with backpressure on the channel's `bufferedAmount`; signalling goes through the
 * Lotse WebSocket by way of `onSignal`/`signal()`.
 *
 * Two kinds, one per side (see `framing.ts`): `PeerLink`, the visitor's, compresses what it sends and reads only
 * uncompressed messages; `AdvisorPeerLink` sends uncompressed and inflates what the visitor sends. The visitor's
 * bundle thus holds fflate's compressor only, the advisor's its inflater only.
 */
import Peer from 'simple-peer-light';
import type { IceServer } from '../protocol/cobrowse.js';
import { PEER_BUFFER_HIGH, PEER_BUFFER_LOW } from '../protocol/limits.js';
import type { PeerMessage } from '../protocol/peer.js';
import { FrameReader, FrameWriter } from './framing.js';
import { FrameDecoder, FrameEncoder } from './framing-deflate.js';
import type { DecodeStats } from './framing.js';

export interface PeerLinkOptions {
  initiator: boolean;
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  /** A signalling message (JSON text) to pass to the other side through the server. */
  onSignal: (signal: string) => void;
  onMessage: (message: PeerMessage) => void;
  onOpen: () => void;
  /** The channel closed or failed; the link is unusable from here on. */
  onClose: (error?: Error) => void;
}

export interface SendStats {
  /** Bytes handed to the data channel, frame headers included. */
  wireBytes: number;
  messages: number;
}

const DRAIN_POLL_MS = 10;

abstract class Link {
  readonly sent: SendStats = { wireBytes: 0, messages: 0 };
  #peer: Peer;
  #encoder: FrameWriter;
  #decoder: FrameReader;
  #queue: Uint8Array[] = [];
  #pump: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #options: PeerLinkOptions;

  constructor(options: PeerLinkOptions) {
    this.#options = options;
    // The encoder and decoder here are this link's alone: a compressed stream belongs to one channel. A frame
    // that breaks the incoming stream makes the link unusable: it closes, and a new link starts afresh.
    this.#encoder = this.writer();
    this.#decoder = this.reader(options.onMessage, (reason) =>
      this.#end(new Error(`LOTSE_ERR_MALFORMED: data channel stream broken (${reason})`)),
    );
    this.#peer = new Peer({
      initiator: options.initiator,
      trickle: true,
      // Always our own ICE servers: simple-peer's default would ask third-party STUN servers.
      config: { iceServers: options.iceServers, iceTransportPolicy: options.iceTransportPolicy },
      channelConfig: { ordered: true },
    });
    this.#peer.on('signal', (data: unknown) => options.onSignal(JSON.stringify(data)));
    this.#peer.on('connect', () => {
      this.#flush();
      options.onOpen();
    });
    this.#peer.on('data', (data: Uint8Array) => this.#decoder.push(data));
    this.#peer.on('error', (error: Error) => this.#end(error));
    this.#peer.on('close', () => this.#end());
  }

  /** This side's encoder: compressing or not. */
  protected abstract writer(): FrameWriter;
  /** This side's decoder: inflating or not. */
  protected abstract reader(
    onMessage: (message: PeerMessage) => void,
    onCorrupt: (reason: string) => void,
  ): FrameReader;

  get received(): DecodeStats {
    return this.#decoder.stats;
  }

  /** Bytes waiting in our queue and in the channel's buffer. */
  get backlog(): number {
    return this.#queue.reduce((sum, frame) => sum + frame.byteLength, 0) + this.#peer.bufferSize;
  }

  /** Hands a signalling message from the other side to WebRTC. Malformed JSON is ignored. */
  signal(text: string): void {
    if (this.#closed) return;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof data === 'object' && data !== null) this.#peer.signal(data as Peer.SignalData);
  }

  /**
   * Queues a message; frames go out as fast as the channel drains. Resolves once it is queued (encoding is
   * synchronous, so messages keep the order of the calls); rejects if the message is too large for the channel.
   */
  send(message: PeerMessage): Promise<void> {
    if (this.#closed) return Promise.resolve();
    let frames: Uint8Array[];
    try {
      frames = this.#encoder.encode(message);
    } catch (error) {
      return Promise.reject(error);
    }
    this.sent.messages += 1;
    for (const frame of frames) this.#queue.push(frame);
    this.#flush();
    return Promise.resolve();
  }

  /** Closes the channel and the connection. Idempotent. */
  close(): void {
    this.#end();
  }

  #flush(): void {
    if (this.#closed || !this.#peer.connected) return;
    clearTimeout(this.#pump);
    this.#pump = undefined;
    while (this.#queue.length > 0) {
      if (this.#peer.bufferSize > PEER_BUFFER_HIGH) {
        // Backpressure: let the channel drain below the low mark before sending more.
        this.#waitForDrain();
        return;
      }
      const frame = this.#queue.shift()!;
      this.sent.wireBytes += frame.byteLength;
      this.#peer.send(frame);
    }
  }

  #waitForDrain(): void {
    this.#pump = setTimeout(() => {
      if (this.#peer.bufferSize > PEER_BUFFER_LOW) this.#waitForDrain();
      else this.#flush();
    }, DRAIN_POLL_MS);
  }

  #end(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#pump);
    this.#queue = [];
    this.#peer.destroy();
    this.#options.onClose(error);
  }
}

/** The visitor's link: sends the recording compressed; receives pointer, ping, snapshot and bye uncompressed. */
export class PeerLink extends Link {
  protected override writer(): FrameWriter {
    return new FrameEncoder();
  }

  protected override reader(
    onMessage: (message: PeerMessage) => void,
    onCorrupt: (reason: string) => void,
  ): FrameReader {
    return new FrameReader(onMessage, onCorrupt);
  }
}

/** The advisor's link: sends uncompressed (so the visitor needs no inflater); inflates the visitor's recording. */
export class AdvisorPeerLink extends Link {
  protected override writer(): FrameWriter {
    return new FrameWriter();
  }

  protected override reader(
    onMessage: (message: PeerMessage) => void,
    onCorrupt: (reason: string) => void,
  ): FrameReader {
    return new FrameDecoder(onMessage, onCorrupt);
  }
}
