/**
 * The co-browse viewer's way to the replay: a Lit reactive controller that loads the replay code on first use
 * (`cobrowse/replay.ts` is a chunk of its own: a console that never co-browses never loads rrweb), builds a
 * `LiveViewer` in a container the host hands over once it is connected, and plugs it into the session as its sink.
 * Everything is released when the host leaves the document or the session changes. `close()` is idempotent.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CobrowseSink } from '../client/cobrowse-advisor.js';
import type { RrwebEventEnvelope } from '../protocol/peer.js';
import type { FrameInfo, LiveViewer } from '../cobrowse/replay.js';

/** What the viewer needs of the session (the console hands in its session controller). */
export interface ViewerSource {
  attach(sessionId: string, sink: CobrowseSink): () => void;
  pointer(sessionId: string, x: number, y: number, visible: boolean): void;
  requestSnapshot(sessionId: string): void;
}

export interface ViewerTarget {
  sessionId: string;
  source: ViewerSource;
  title: string;
}

export class ViewerController implements ReactiveController {
  viewer: LiveViewer | undefined;
  /** Something is shown (a full snapshot was rebuilt since the last reset). */
  showing = false;

  #host: ReactiveControllerHost;
  #onFrame: (frame: FrameInfo) => void;
  #container: HTMLElement | undefined;
  #target: ViewerTarget | undefined;
  #detach: (() => void) | undefined;
  #attempt = 0;
  /** A viewer is open or opening for the current target. */
  #active = false;

  constructor(host: ReactiveControllerHost, onFrame: (frame: FrameInfo) => void) {
    this.#host = host;
    this.#onFrame = onFrame;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#container !== undefined && this.#target !== undefined && !this.#active) void this.#open();
  }

  hostDisconnected(): void {
    this.close();
  }

  /** Shows `target` in `container` (a connected element of the host's shadow root). Same target: nothing. */
  show(container: HTMLElement, target: ViewerTarget | undefined): void {
    const same =
      this.#container === container &&
      this.#target?.sessionId === target?.sessionId &&
      this.#target?.source === target?.source;
    this.#container = container;
    this.#target = target;
    if (same && this.#active) return;
    this.close();
    if (target !== undefined) void this.#open();
  }

  /** Detaches from the session and destroys the viewer. Idempotent. */
  close(): void {
    this.#attempt += 1;
    this.#active = false;
    this.#detach?.();
    this.#detach = undefined;
    this.viewer?.destroy();
    this.viewer = undefined;
    if (this.showing) {
      this.showing = false;
      this.#host.requestUpdate();
    }
  }

  async #open(): Promise<void> {
    const attempt = ++this.#attempt;
    this.#active = true;
    const { LiveViewer } = await import('../cobrowse/replay.js');
    const container = this.#container;
    const target = this.#target;
    // Closed, re-targeted or disconnected while the code was loading: nothing to do.
    if (attempt !== this.#attempt || container === undefined || target === undefined || !container.isConnected) {
      if (attempt === this.#attempt) this.#active = false;
      return;
    }
    const { sessionId, source } = target;
    const viewer = new LiveViewer(container, {
      title: target.title,
      onPointer: (x, y, visible) => source.pointer(sessionId, x, y, visible),
      onSnapshotWanted: () => source.requestSnapshot(sessionId),
      onFrame: (frame) => {
        if (!this.showing) {
          this.showing = true;
          this.#host.requestUpdate();
        }
        this.#onFrame(frame);
      },
    });
    this.viewer = viewer;
    const sink: CobrowseSink = {
      addEvents: (events: readonly RrwebEventEnvelope[]) => viewer.addEvents(events),
      setClockOffset: (ms: number) => viewer.setClockOffset(ms),
      setAssetOrigins: (origins: readonly string[]) => viewer.setAssetOrigins(origins),
      reset: () => {
        viewer.reset();
        this.showing = false;
        this.#host.requestUpdate();
      },
    };
    this.#detach = source.attach(sessionId, sink);
  }
}
