/**
 * The co-browse view's only way to the network and to the recording: a reactive controller that owns the
 * `CobrowseVisitor`. It re-renders its host on every change, hands pointer moves on without a re-render, and ends
 * and forgets the session when the host is removed for good. Lit's controller interface (types only: the view is a
 * plain element that drives its controllers itself, and no Lit code is loaded).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CobrowseVisitor, normaliseWebcode } from '../client/cobrowse-visitor.js';
import type { CobrowsePhase, CobrowseVisitorOptions, EndedBy, PointerState } from '../client/cobrowse-visitor.js';

export type CobrowseSetup = Omit<CobrowseVisitorOptions, 'url'>;

export interface CobrowseControllerEvents {
  phase: (phase: CobrowsePhase) => void;
  end: (by: EndedBy) => void;
  pointer: (pointer: PointerState) => void;
}

type Host = ReactiveControllerHost & Element;

export class CobrowseController implements ReactiveController {
  #host: Host;
  #events: CobrowseControllerEvents;
  #session: CobrowseVisitor | undefined;
  #unsubscribe: (() => void) | undefined;
  #phase: CobrowsePhase = 'idle';

  constructor(host: Host, events: CobrowseControllerEvents) {
    this.#host = host;
    this.#events = events;
    host.addController(this);
  }

  get session(): CobrowseVisitor | undefined {
    return this.#session;
  }

  get phase(): CobrowsePhase {
    return this.#session?.phase ?? 'idle';
  }

  /** Sends a webcode on a new session (the previous one, ended or failed, is forgotten). False if not a webcode. */
  join(url: string, webcode: string, setup: CobrowseSetup): boolean {
    const active = this.#session !== undefined && this.phase !== 'idle' && this.phase !== 'ended';
    if (active || normaliseWebcode(webcode) === undefined) return false;
    return this.#create(url, setup).join(webcode);
  }

  /** Comes back into the session kept in `sessionStorage`, if there is one. */
  resume(url: string, setup: CobrowseSetup): boolean {
    const stored = CobrowseVisitor.stored(setup.storage);
    if (stored === undefined || (this.#session !== undefined && this.phase !== 'idle' && this.phase !== 'ended')) {
      return false;
    }
    this.#create(url, setup).resume(stored);
    return true;
  }

  consent(termsVersion: string): void {
    this.#session?.consent(termsVersion);
  }

  end(): void {
    this.#session?.end();
  }

  /** Forgets the session: socket, peer, recording. Idempotent. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#session?.close();
    this.#session = undefined;
    this.#phase = 'idle';
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    // Moved in the DOM: connected again before the microtask. Removed for good: end, leave nothing running.
    queueMicrotask(() => {
      if (!this.#host.isConnected) this.close();
    });
  }

  #create(url: string, setup: CobrowseSetup): CobrowseVisitor {
    this.close();
    this.#session = new CobrowseVisitor({ url, ...setup });
    this.#subscribe();
    return this.#session;
  }

  #subscribe(): void {
    const session = this.#session;
    if (session === undefined || this.#unsubscribe !== undefined) return;
    this.#unsubscribe = session.subscribe((change) => {
      if (change === 'pointer') this.#events.pointer(session.pointer);
      else this.#changed();
    });
  }

  #changed(): void {
    const session = this.#session;
    if (session === undefined) return;
    if (session.phase !== this.#phase) {
      this.#phase = session.phase;
      this.#events.phase(session.phase);
      if (session.phase === 'ended') this.#events.end(session.endedBy ?? 'void');
    }
    this.#host.requestUpdate();
  }
}
