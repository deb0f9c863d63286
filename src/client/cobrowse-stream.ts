/**
 * One data channel of a visitor's co-browse session and the recording that feeds it. Made for each
 * `cobrowse.started`; a new one replaces the old. The link and the recorder are loaded then, by one dynamic
 * `import()` (`cobrowse-live.ts`); recording starts only once the channel is open, and starts with a full snapshot;
 * events are batched for `PEER_BATCH_MS`.
 * A batch not sent when the channel closes is dropped, never replayed. `close()` is idempotent and leaves no timer,
 * recording or peer behind.
 */
import { PEER_BATCH_MS } from '../protocol/limits.js';
import type { IceServer } from '../protocol/cobrowse.js';
import type { PeerMessage, RrwebEventEnvelope } from '../protocol/peer.js';
import type { Recording, RecordingOptions } from '../cobrowse/record.js';
import type { PeerLinkOptions } from './peer-link.js';

/** The part of `PeerLink` used here; injectable for tests. */
export interface LinkLike {
  send(message: PeerMessage): Promise<void>;
  signal(text: string): void;
  close(): void;
  readonly backlog: number;
}
export type LinkFactory = (options: PeerLinkOptions) => LinkLike | Promise<LinkLike>;
export interface RecorderModule {
  startRecording(options: RecordingOptions): Recording;
}
export interface PointerState {
  x: number;
  y: number;
  visible: boolean;
}

export interface StreamOptions {
  initiator: boolean;
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  block?: string | undefined;
  mask?: string | undefined;
  createLink?: LinkFactory | undefined;
  loadRecorder?: (() => Promise<RecorderModule>) | undefined;
  onSignal: (signal: string) => void;
  /** The channel is open: the session is live. */
  onOpen: () => void;
  /** The channel closed or failed (not by `close()`). */
  onClose: () => void;
  onPointer: (pointer: PointerState) => void;
  /** The advisor said goodbye over the channel. */
  onBye: () => void;
}

/** While the link has more than this queued, batches are dropped and a full snapshot follows once it drained. */
const MAX_BACKLOG = 8 * 1024 * 1024;
/** Events per `events` message, as the peer schema allows. */
const MAX_BATCH = 10_000;

/** The link and the recorder come in one module, loaded with the first link (`cobrowse-live.ts`). */
const createPeerLink: LinkFactory = async (options) => new (await import('./cobrowse-live.js')).PeerLink(options);
const loadRecording = (): Promise<RecorderModule> => import('./cobrowse-live.js');

export class CobrowseStream {
  #options: StreamOptions;
  #link: LinkLike | undefined;
  #signals: string[] = [];
  #recording: Recording | undefined;
  #batch: RrwebEventEnvelope[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #resync = false;
  #open = false;
  #closed = false;

  constructor(options: StreamOptions) {
    this.#options = options;
    void this.#connect();
  }

  /** A signalling message from the advisor (kept until the link exists). */
  signal(text: string): void {
    if (this.#closed) return;
    if (this.#link === undefined) this.#signals.push(text);
    else this.#link.signal(text);
  }

  /** Stops recording and closes the channel; with `bye`, tells the advisor first. Idempotent. */
  close(bye = false): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#recording?.stop();
    this.#recording = undefined;
    clearTimeout(this.#timer);
    this.#batch = [];
    this.#signals = [];
    const link = this.#link;
    this.#link = undefined;
    if (link === undefined) return;
    if (bye && this.#open) void link.send({ t: 'bye' }).finally(() => link.close());
    else link.close();
  }

  async #connect(): Promise<void> {
    const options = this.#options;
    const link = await (options.createLink ?? createPeerLink)({
      initiator: options.initiator,
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy,
      onSignal: (signal) => {
        if (!this.#closed) options.onSignal(signal);
      },
      onMessage: (message) => {
        if (!this.#closed) this.#onMessage(message);
      },
      onOpen: () => {
        if (!this.#closed) void this.#start();
      },
      onClose: () => {
        if (this.#closed) return;
        this.close();
        options.onClose();
      },
    });
    if (this.#closed) {
      link.close();
      return;
    }
    this.#link = link;
    const signals = this.#signals;
    this.#signals = [];
    for (const signal of signals) link.signal(signal);
  }

  async #start(): Promise<void> {
    this.#open = true;
    this.#options.onOpen();
    const recorder = await (this.#options.loadRecorder ?? loadRecording)();
    if (this.#closed) return;
    // Starting records a full snapshot first: every new channel begins with one.
    this.#recording = recorder.startRecording({
      emit: (event) => this.#record(event),
      ...(this.#options.block === undefined ? {} : { block: this.#options.block }),
      ...(this.#options.mask === undefined ? {} : { mask: this.#options.mask }),
    });
  }

  #onMessage(message: PeerMessage): void {
    switch (message.t) {
      case 'ping':
        void this.#link?.send({ t: 'pong', a: message.a, b: Date.now() });
        return;
      case 'snapshot':
        this.#recording?.takeFullSnapshot();
        return;
      case 'pointer':
        this.#options.onPointer({ x: message.x, y: message.y, visible: message.visible });
        return;
      case 'bye':
        this.#options.onBye();
        return;
      default:
        return;
    }
  }

  #record(event: RrwebEventEnvelope): void {
    this.#batch.push(event);
    if (this.#batch.length >= MAX_BATCH) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), PEER_BATCH_MS);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const events = this.#batch;
    this.#batch = [];
    const link = this.#link;
    if (link === undefined || events.length === 0) return;
    if (link.backlog > MAX_BACKLOG) {
      // The channel cannot keep up: drop rather than grow without bound; a full snapshot mends it later.
      this.#resync = true;
      return;
    }
    if (this.#resync) {
      this.#resync = false;
      // The events before the snapshot are worthless now; the snapshot's own events start the next batch.
      this.#recording?.takeFullSnapshot();
      return;
    }
    link.send({ t: 'events', events }).catch(() => {
      // Larger than the framing allows: nothing to do but send a fresh snapshot next.
      this.#resync = true;
    });
  }
}
