/**
 * The advisor's live view of the visitor's page: the only module that imports `@rrweb/replay` (the visitor never
 * loads it). A `LiveViewer` owns one rrweb `Replayer` in live mode at a time and re-creates it on every full
 * snapshot, because a live Replayer keeps every event it was given: a fresh one per snapshot keeps memory bounded
 * over a long session (the visitor's recorder checks out a new snapshot now and then, and on every reconnect).
 *
 * Timing: `startLive(baseline)` decides the delay of every later event (an event is applied once `timestamp -
 * baseline` has passed since the start). The baseline is the visitor's present time minus a few milliseconds,
 * from the clock offset the advisor's session measures over the data channel: rrweb's own recipe (first timestamp
 * minus one second) delays every change by more than a second.
 *
 * View only: the replay iframe ignores the pointer; a transparent overlay above it turns the advisor's pointer
 * into the visitor's document coordinates (`onPointer`), which the session sends to the visitor.
 */
import { Replayer } from '@rrweb/replay';
import type { RrwebEventEnvelope } from '../protocol/peer.js';
import { AssetGuard, replayPolicy } from './asset-guard.js';

type ReplayEvent = Exclude<Parameters<Replayer['addEvent']>[0], string>;

/** rrweb's event types (stable numbers of its format). Viewport changes come to us through the replayer. */
const FULL_SNAPSHOT = 2;
const META = 4;

/** Start live this much before the visitor's present, so that what arrives is applied on the next frame. */
const BASELINE_LEAD_MS = 5;
/** A clock estimate this far from the one the running replayer started with is worth a fresh snapshot. */
const REBASE_THRESHOLD_MS = 25;
/** Pointer moves go out at most this often. */
const POINTER_INTERVAL_MS = 30;
/** Ask for a fresh full snapshot when one replayer has been fed this many events (bounds its memory). */
const MAX_EVENTS_PER_REPLAYER = 20_000;

/** Rules rrweb inserts into the replayed document. Scripts never run there, so `<noscript>` would show. */
const INSERTED_RULES = ['noscript { display: none !important; }'];

export interface LiveViewerOptions {
  /** The advisor's pointer over the view, in the visitor's document coordinates (CSS pixels). */
  onPointer?: (x: number, y: number, visible: boolean) => void;
  /** The replayer applied events (or rebuilt a snapshot); `timestamp` is the newest event's (visitor's clock). */
  onFrame?: (frame: FrameInfo) => void;
  /** The view would like a fresh full snapshot (better clock estimate, or its replayer grew large). */
  onSnapshotWanted?: () => void;
  /** Accessible name of the replay iframe. */
  title?: string;
  /**
   * The origins the replay may load images, styles and fonts from (`cobrowse.assetOrigins`, from the server).
   * Every other URL of the visitor's page is removed before the replayer sees it (`asset-guard.ts`). None: nothing
   * remote loads.
   */
  assetOrigins?: readonly string[];
}

export interface FrameInfo {
  /** `performance.now()` when the events were applied. */
  at: number;
  /** How many events were applied together. */
  events: number;
  /** The newest applied event's timestamp, by the visitor's clock. */
  timestamp: number;
}

export class LiveViewer {
  /** `performance.now()` when the replayer last applied an event; 0 before the first. */
  lastAppliedAt = 0;
  /** Replayers created so far (one per full snapshot). */
  generation = 0;

  #root: HTMLElement;
  #stage: HTMLDivElement;
  #overlay: HTMLDivElement;
  #options: LiveViewerOptions;
  #replayer: Replayer | undefined;
  #pendingMeta: ReplayEvent | undefined;
  #clockOffset = 0;
  #offsetInUse = 0;
  #rebaseAsked = false;
  #fed = 0;
  #viewport = { width: 0, height: 0 };
  #scale = 1;
  #resize: ResizeObserver;
  #batch: FrameInfo | undefined;
  #pointer: { x: number; y: number; visible: boolean } | undefined;
  #pointerSentAt = -Infinity;
  #pointerShown = false;
  #pointerTimer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;
  #guard: AssetGuard;

  constructor(root: HTMLElement, options: LiveViewerOptions = {}) {
    this.#root = root;
    this.#options = options;
    this.#guard = new AssetGuard(options.assetOrigins ?? []);
    this.#stage = root.ownerDocument.createElement('div');
    this.#stage.className = 'lotse-replay-stage';
    this.#overlay = root.ownerDocument.createElement('div');
    this.#overlay.className = 'lotse-replay-overlay';
    Object.assign(this.#stage.style, { position: 'absolute', top: '0', left: '0', transformOrigin: '0 0' });
    Object.assign(this.#overlay.style, { position: 'absolute', inset: '0', zIndex: '1', touchAction: 'none' });
    if (getComputedStyle(root).position === 'static') root.style.position = 'relative';
    root.style.overflow = 'hidden';
    root.append(this.#stage, this.#overlay);
    this.#overlay.addEventListener('pointermove', this.#onPointerMove);
    this.#overlay.addEventListener('pointerleave', this.#onPointerLeave);
    this.#resize = new ResizeObserver(() => this.#fit());
    this.#resize.observe(root);
  }

  /** The replay iframe of the current replayer, if there is one. */
  get iframe(): HTMLIFrameElement | undefined {
    return this.#replayer?.iframe;
  }

  /** Events the current replayer holds (it only grows until the next full snapshot re-creates it). */
  get eventCount(): number {
    return this.#replayer?.service.state.context.events.length ?? 0;
  }

  /** The visitor's viewport as last reported, and the scale the view is shown at. */
  get viewport(): { width: number; height: number; scale: number } {
    return { ...this.#viewport, scale: this.#scale };
  }

  /** The clock offset the current replayer started live with. */
  get baselineOffset(): number {
    return this.#offsetInUse;
  }

  /** The visitor's clock minus ours, in ms. Used for the next replayer's baseline. */
  setClockOffset(ms: number): void {
    this.#clockOffset = ms;
    if (this.#replayer !== undefined && !this.#rebaseAsked && Math.abs(ms - this.#offsetInUse) > REBASE_THRESHOLD_MS) {
      this.#rebaseAsked = true;
      this.#options.onSnapshotWanted?.();
    }
  }

  /** The origins the replay may load from (see `LiveViewerOptions.assetOrigins`); applies to later events. */
  setAssetOrigins(origins: readonly string[]): void {
    this.#guard.setOrigins(origins);
  }

  /**
   * Hands over recorded events, oldest first. A Meta + FullSnapshot pair starts a new replayer. Every URL off the
   * allow-list is removed from them first (in place).
   */
  addEvents(events: readonly RrwebEventEnvelope[]): void {
    if (this.#destroyed) return;
    for (const envelope of events) {
      // The envelope was checked on arrival; the rest is rrweb's data, which the replayer treats as such, once the
      // guard has taken out every URL the advisor's browser must not request.
      if (!this.#guard.event(envelope as unknown as Record<string, unknown>)) continue;
      const event = envelope as unknown as ReplayEvent;
      const type: number = event.type;
      if (type === META) {
        if (this.#pendingMeta !== undefined) this.#feed(this.#pendingMeta);
        this.#pendingMeta = event;
        continue;
      }
      if (type === FULL_SNAPSHOT) {
        this.#restart(this.#pendingMeta, event);
        this.#pendingMeta = undefined;
        continue;
      }
      if (this.#pendingMeta !== undefined) {
        this.#feed(this.#pendingMeta);
        this.#pendingMeta = undefined;
      }
      this.#feed(event);
    }
  }

  /** Drops the current replayer (a new peer starts over; nothing of the old one is replayed). */
  reset(): void {
    this.#pendingMeta = undefined;
    this.#dropReplayer();
  }

  /** Releases the replayer, the overlay, the observer and every timer. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.reset();
    clearTimeout(this.#pointerTimer);
    this.#resize.disconnect();
    this.#overlay.removeEventListener('pointermove', this.#onPointerMove);
    this.#overlay.removeEventListener('pointerleave', this.#onPointerLeave);
    this.#stage.remove();
    this.#overlay.remove();
  }

  /** Maps a point on the page (client coordinates) to the visitor's document, or undefined outside the view. */
  toDocument(clientX: number, clientY: number): { x: number; y: number } | undefined {
    const iframe = this.iframe;
    if (iframe === undefined || this.#viewport.width === 0) return undefined;
    const rect = iframe.getBoundingClientRect();
    const vx = (clientX - rect.left) / this.#scale;
    const vy = (clientY - rect.top) / this.#scale;
    if (vx < 0 || vy < 0 || vx > this.#viewport.width || vy > this.#viewport.height) return undefined;
    const view = iframe.contentWindow;
    return { x: vx + (view?.scrollX ?? 0), y: vy + (view?.scrollY ?? 0) };
  }

  #restart(meta: ReplayEvent | undefined, snapshot: ReplayEvent): void {
    this.#dropReplayer();
    const replayer = new Replayer([], {
      root: this.#stage,
      liveMode: true,
      UNSAFE_replayCanvas: false,
      mouseTail: false,
      triggerFocus: false,
      showWarning: false,
      pauseAnimation: false,
      // The virtual DOM is flushed only by `play()`, never in live mode: events older than the baseline (those
      // recorded with the snapshot) would vanish into it.
      useVirtualDom: false,
      insertStyleRules: INSERTED_RULES,
    });
    this.#replayer = replayer;
    this.generation += 1;
    this.#fed = 0;
    this.#rebaseAsked = false;
    this.#offsetInUse = this.#clockOffset;
    replayer.iframe.setAttribute('title', this.#options.title ?? '');
    replayer.iframe.setAttribute('tabindex', '-1');
    this.#lockDown(replayer.iframe);
    // No border: the frame's box is the visitor's viewport, which the scale and the pointer mapping rely on.
    replayer.iframe.style.border = '0';
    replayer.on('resize', (dimension) => {
      const { width, height } = dimension as { width: number; height: number };
      this.#viewport = { width, height };
      this.#fit();
    });
    replayer.on('event-cast', (event) => this.#applied(event as ReplayEvent));
    replayer.on('fullsnapshot-rebuilded', (event) => this.#applied(event as ReplayEvent));
    replayer.startLive(Date.now() + this.#clockOffset - BASELINE_LEAD_MS);
    if (meta !== undefined) replayer.addEvent(meta);
    replayer.addEvent(snapshot);
  }

  /**
   * The replay document's own CSP from the allow-list, before rrweb builds anything in it: a policy stays with its
   * document through rrweb's `document.open()`, whatever the console's own CSP is (a second line behind the guard).
   */
  #lockDown(iframe: HTMLIFrameElement): void {
    const doc = iframe.contentDocument;
    if (doc === null) return;
    const meta = doc.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = replayPolicy(this.#guard.origins);
    (doc.head ?? doc.documentElement).append(meta);
  }

  #feed(event: ReplayEvent): void {
    const replayer = this.#replayer;
    if (replayer === undefined) return; // before the first full snapshot: nothing to apply it to
    replayer.addEvent(event);
    this.#fed += 1;
    if (this.#fed === MAX_EVENTS_PER_REPLAYER) this.#options.onSnapshotWanted?.();
  }

  #dropReplayer(): void {
    const replayer = this.#replayer;
    if (replayer === undefined) return;
    this.#replayer = undefined;
    replayer.timer.clear();
    replayer.service.stop();
    replayer.speedService.stop();
    replayer.destroy();
  }

  #applied(event: ReplayEvent): void {
    const at = performance.now();
    this.lastAppliedAt = at;
    if (this.#batch !== undefined) {
      this.#batch.at = at;
      this.#batch.events += 1;
      this.#batch.timestamp = Math.max(this.#batch.timestamp, event.timestamp);
      return;
    }
    this.#batch = { at, events: 1, timestamp: event.timestamp };
    // One notice per run of events applied together (the replayer applies what is due in one frame).
    queueMicrotask(() => {
      const batch = this.#batch;
      this.#batch = undefined;
      if (batch !== undefined && !this.#destroyed) this.#options.onFrame?.(batch);
    });
  }

  /** Scales the visitor's viewport into the container, keeping its aspect ratio, centred horizontally. */
  #fit(): void {
    const { width, height } = this.#viewport;
    if (width === 0 || height === 0) return;
    this.#root.style.aspectRatio = `${width} / ${height}`;
    const box = this.#root.getBoundingClientRect();
    const byWidth = box.width / width;
    const scale = box.height > 0 ? Math.min(byWidth, box.height / height) : byWidth;
    this.#scale = scale > 0 ? scale : 1;
    const left = Math.max(0, (box.width - width * this.#scale) / 2);
    this.#stage.style.width = `${width}px`;
    this.#stage.style.height = `${height}px`;
    this.#stage.style.transform = `translate(${left}px, 0) scale(${this.#scale})`;
  }

  #onPointerMove = (event: PointerEvent): void => {
    const point = this.toDocument(event.clientX, event.clientY);
    this.#pointer =
      point === undefined
        ? { x: this.#pointer?.x ?? 0, y: this.#pointer?.y ?? 0, visible: false }
        : { ...point, visible: true };
    this.#schedulePointer();
  };

  #onPointerLeave = (): void => {
    clearTimeout(this.#pointerTimer);
    this.#pointerTimer = undefined;
    this.#pointer = { x: this.#pointer?.x ?? 0, y: this.#pointer?.y ?? 0, visible: false };
    this.#sendPointer();
  };

  /** At most one pointer message per `POINTER_INTERVAL_MS`; the latest position always goes out last. */
  #schedulePointer(): void {
    if (this.#pointerTimer !== undefined) return;
    const wait = this.#pointerSentAt + POINTER_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      this.#sendPointer();
      return;
    }
    this.#pointerTimer = setTimeout(() => {
      this.#pointerTimer = undefined;
      this.#sendPointer();
    }, wait);
  }

  #sendPointer(): void {
    const pointer = this.#pointer;
    if (pointer === undefined || this.#destroyed) return;
    if (!pointer.visible && !this.#pointerShown) return; // hidden already: say it once
    this.#pointerShown = pointer.visible;
    this.#pointerSentAt = performance.now();
    this.#options.onPointer?.(Math.round(pointer.x), Math.round(pointer.y), pointer.visible);
  }
}
