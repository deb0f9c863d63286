/**
 * Helpers for the co-browse element tests: the fake WebSocket of `helpers.ts` plays the server, a fake peer link
 * plays the data channel, a fake recorder counts snapshots. Real WebRTC and rrweb are the cobrowse tests' job.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { LinkLike, RecorderModule } from '../../src/client/cobrowse-visitor.js';
import type { PeerLinkOptions } from '../../src/client/peer-link.js';
import type { PeerMessage, RrwebEventEnvelope } from '../../src/protocol/peer.js';
import { LotseCobrowseView } from '../../src/visitor/cobrowse-view.js';
import type { LotseCobrowse } from '../../src/visitor/lotse-cobrowse.js';
import '../../src/visitor/lotse.js';
import { FakeSocket, FakeWebSocket, SERVER, part } from './helpers.js';

export { FakeSocket, SERVER, part };

export class FakeLink implements LinkLike {
  static instances: FakeLink[] = [];
  readonly sent: PeerMessage[] = [];
  readonly signals: string[] = [];
  closed = false;
  backlog = 0;

  constructor(readonly options: PeerLinkOptions) {
    FakeLink.instances.push(this);
  }

  send(message: PeerMessage): Promise<void> {
    if (!this.closed) this.sent.push(message);
    return Promise.resolve();
  }

  signal(text: string): void {
    this.signals.push(text);
  }

  close(): void {
    this.closed = true;
  }

  /** The data channel opened. */
  open(): void {
    this.options.onOpen();
  }

  /** A message from the advisor. */
  deliver(message: PeerMessage): void {
    this.options.onMessage(message);
  }

  /** Events sent so far, flattened. */
  events(): RrwebEventEnvelope[] {
    return this.sent.flatMap((message) => (message.t === 'events' ? message.events : []));
  }
}

export const recorder = {
  starts: 0,
  snapshots: 0,
  running: false,
  module: {
    startRecording({ emit }) {
      recorder.starts += 1;
      recorder.running = true;
      const snapshot = (): void => {
        recorder.snapshots += 1;
        emit({ type: 4, timestamp: Date.now() });
        emit({ type: 2, timestamp: Date.now() });
      };
      snapshot();
      return {
        takeFullSnapshot: snapshot,
        stop: () => {
          recorder.running = false;
        },
      };
    },
  } satisfies RecorderModule,
};

/** Fakes for every session created by the view; `realRecorder` keeps the dynamic import of record.ts. */
export function useFakes(options: { realRecorder?: boolean } = {}): void {
  FakeSocket.instances = [];
  FakeLink.instances = [];
  recorder.starts = 0;
  recorder.snapshots = 0;
  LotseCobrowseView.testOnly = {
    WebSocket: FakeWebSocket,
    createLink: (linkOptions) => new FakeLink(linkOptions),
    ...(options.realRecorder ? {} : { loadRecorder: () => Promise.resolve(recorder.module) }),
  };
}

export function view(host: LotseCobrowse): LotseCobrowseView {
  const found = host.shadowRoot?.querySelector('lotse-cobrowse-view');
  if (found === null || found === undefined) throw new Error('no view');
  return found;
}

export function viewPart<T extends HTMLElement = HTMLElement>(host: LotseCobrowse, name: string): T {
  return part<T>(view(host), name);
}

export function hasViewPart(host: LotseCobrowse, name: string): boolean {
  const found = host.shadowRoot?.querySelector('lotse-cobrowse-view');
  return (found?.shadowRoot?.querySelector(`[part~="${name}"]`) ?? null) !== null;
}

export async function cobrowse(attributes: { lang?: string; field?: boolean } = {}): Promise<LotseCobrowse> {
  return fixture<LotseCobrowse>(
    attributes.field
      ? html`<lotse-cobrowse server=${SERVER} lang=${attributes.lang ?? 'de'} webcode-field></lotse-cobrowse>`
      : html`<lotse-cobrowse server=${SERVER} lang=${attributes.lang ?? 'de'}></lotse-cobrowse>`,
  );
}

export const SESSION = 'session-0001';
export const TOKEN = 't'.repeat(32);

/** Opens with a webcode and answers as the server: pending, with the terms loaded. */
export async function toTerms(host: LotseCobrowse, webcode = '123456'): Promise<FakeSocket> {
  const before = FakeSocket.instances.length;
  if (!host.open(webcode)) throw new Error('not a webcode');
  await waitUntil(() => FakeSocket.instances.length > before, 'no socket');
  const socket = FakeSocket.instances[before]!;
  socket.accept();
  socket.receive({ type: 'cobrowse.pending', sessionId: SESSION, advisor: 'Frau Berger' });
  await waitUntil(() => hasViewPart(host, 'cobrowse-consent') && hasViewPart(host, 'terms'), 'terms not shown');
  return socket;
}

/** Ticks, starts, and receives the start code. */
export async function toStartCode(host: LotseCobrowse, socket: FakeSocket): Promise<void> {
  viewPart(host, 'cobrowse-consent').click();
  await view(host).updateComplete;
  viewPart(host, 'cobrowse-start').click();
  socket.receive({
    type: 'cobrowse.startcode',
    sessionId: SESSION,
    startCode: 'ACDEFHJK',
    expiresAt: Date.now() + 300_000,
  });
  await waitUntil(() => hasViewPart(host, 'start-code'), 'no start code');
}

/** The advisor typed the start code: started, and the data channel opens. */
export async function toLive(host: LotseCobrowse, socket: FakeSocket, linkNumber?: number): Promise<FakeLink> {
  const before = FakeLink.instances.length;
  socket.receive({
    ...(linkNumber === undefined ? {} : { link: linkNumber }),
    type: 'cobrowse.started',
    sessionId: SESSION,
    resumeToken: TOKEN,
    initiator: false,
    advisor: 'Frau Berger',
    iceServers: [],
    iceTransportPolicy: 'all',
  });
  await waitUntil(() => FakeLink.instances.length > before, 'no peer link');
  const link = FakeLink.instances[before]!;
  link.open();
  await waitUntil(() => link.events().some((event) => event.type === 2), 'no full snapshot sent');
  await view(host).updateComplete;
  return link;
}
