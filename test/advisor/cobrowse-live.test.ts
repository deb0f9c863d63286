/**
 * A live co-browse session in the console over a real WebRTC data channel inside this page: the test plays the
 * server (fake socket, relaying the signalling) and the visitor (a PeerLink of its own that sends hand-written
 * rrweb events and answers pings). Two real browsers are the end-to-end suite's business.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { LotseCobrowseViewer } from '../../src/advisor/lotse-cobrowse-viewer.js';
import { PeerLink } from '../../src/client/peer-link.js';
import type { PeerMessage } from '../../src/protocol/peer.js';
import { FakeSocket } from './fake-socket.js';
import { all, assign, one, settled, signedIn, text } from './helpers.js';
import { assetPage, snapshot, textChange } from './rrweb-events.js';
import type { Event } from './rrweb-events.js';

const CHAT = 'chat-aaaa-1';
const SESSION = 'cobrowse-session-1';

/** The visitor's browser: answers pings, sends a full snapshot on open and whenever asked. */
class FakeVisitor {
  readonly received: PeerMessage[] = [];
  readonly link: PeerLink;
  open = false;
  closed = false;
  snapshots = 0;
  /** What the page sends as its snapshot (default: the greeting page). */
  page: ((at: number) => Event[]) | undefined;

  constructor(
    socket: FakeSocket,
    readonly text: string,
    readonly clockAhead = 0,
  ) {
    this.link = new PeerLink({
      initiator: true,
      iceServers: [],
      iceTransportPolicy: 'all',
      onSignal: (signal) => socket.receive({ type: 'cobrowse.signal', sessionId: SESSION, signal }),
      onMessage: (message) => this.#receive(message),
      onOpen: () => {
        this.open = true;
        this.sendSnapshot();
      },
      onClose: () => (this.closed = true),
    });
  }

  now(): number {
    return Date.now() + this.clockAhead;
  }

  sendSnapshot(): void {
    this.snapshots += 1;
    void this.link.send({ t: 'events', events: this.page?.(this.now()) ?? snapshot(this.now(), { text: this.text }) });
  }

  #receive(message: PeerMessage): void {
    this.received.push(message);
    if (message.t === 'ping') void this.link.send({ t: 'pong', a: message.a, b: this.now() });
    if (message.t === 'snapshot') this.sendSnapshot();
  }
}

function viewerOf(el: LotseAdvisorConsole): LotseCobrowseViewer | undefined {
  return all<LotseCobrowseViewer>(el.renderRoot, 'lotse-cobrowse-viewer')[0];
}

function shown(el: LotseAdvisorConsole): string | undefined {
  return viewerOf(el)?.liveViewer?.iframe?.contentDocument?.getElementById('greeting')?.textContent ?? undefined;
}

/** A console with a chat whose visitor consented and read back the start code; the server starts the session. */
interface Live {
  el: LotseAdvisorConsole;
  socket: FakeSocket;
  /** The visitor of the current peer. */
  visitor: () => FakeVisitor;
  /** The server starts the session (again): a new peer, a new visitor link. */
  restart: (text: string) => FakeVisitor;
}

async function started(assetOrigins?: string[], page?: (at: number) => Event[], link?: number): Promise<Live> {
  const { el, socket } = await signedIn();
  await assign(el, socket, CHAT, 'Kim');
  socket.receive({
    type: 'cobrowse.code',
    sessionId: SESSION,
    webcode: '123456',
    expiresAt: Date.now() + 600_000,
    chatId: CHAT,
  });
  socket.receive({ type: 'cobrowse.joined', sessionId: SESSION });
  socket.receive({ type: 'cobrowse.consented', sessionId: SESSION, expiresAt: Date.now() + 300_000 });
  await settled(el);
  let visitor: FakeVisitor | undefined;
  // The server relays the console's signalling to the visitor of the moment.
  socket.onSend = (message) => {
    if (message.type === 'cobrowse.signal') visitor?.link.signal(message.signal);
  };
  const start = (text: string, clockAhead = 0) => {
    socket.receive({
      type: 'cobrowse.started',
      sessionId: SESSION,
      iceServers: [],
      iceTransportPolicy: 'all',
      initiator: false,
      ...(assetOrigins === undefined ? {} : { assetOrigins }),
      ...(link === undefined ? {} : { link }),
    });
    visitor = new FakeVisitor(socket, text, clockAhead);
    visitor.page = page;
    return visitor;
  };
  start('Hallo Welt', 3_000);
  return { el, socket, visitor: () => visitor!, restart: start };
}

describe('co-browsing in the advisor console: live over a data channel', () => {
  it("connects, shows the visitor's page, follows its changes and sends the pointer", async () => {
    const { el, visitor } = await started();
    await settled(el);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('wird aufgebaut');
    await waitUntil(() => shown(el) === 'Hallo Welt', 'page not shown', { timeout: 8000 });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('Co-Browsing läuft');
    expect(text(one(el.renderRoot, '[part="viewer-status"]'))).to.equal('Live-Ansicht, nur ansehen.');

    // The clock probe: five quick pings, the offset of the visitor's clock (3 s ahead) known to a few ms.
    await waitUntil(() => visitor().received.filter((m) => m.t === 'ping').length >= 5, 'no ping burst');
    const viewer = viewerOf(el)!;

    // Once the offset is known, the view runs on the visitor's clock: a change shows at once, not 3 s later.
    // The first snapshot came before the first pong: the view asked for a fresh one and started over on the estimate.
    await waitUntil(
      () => Math.abs(viewer.liveViewer!.baselineOffset - 3_000) < 50 && shown(el) === 'Hallo Welt',
      "view not rebased on the visitor's clock",
    );
    const frame = oneEvent(el, 'lotse-advisor-cobrowse-frame');
    const sent = performance.now();
    void visitor().link.send({ t: 'events', events: [textChange(visitor().now(), 'Geändert')] });
    const { detail } = await frame;
    expect(detail.sessionId).to.equal(SESSION);
    expect(detail.at).to.be.greaterThan(0);
    await waitUntil(() => shown(el) === 'Geändert', 'change not shown');
    expect(performance.now() - sent).to.be.lessThan(1000);
    expect(viewer.lastAppliedAt).to.be.greaterThan(0);

    const overlay = viewer.shadowRoot!.querySelector<HTMLElement>('.lotse-replay-overlay')!;
    const rect = viewer.liveViewer!.iframe!.getBoundingClientRect();
    const scale = viewer.liveViewer!.viewport.scale;
    overlay.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + 40, clientY: rect.top + 30 }));
    await waitUntil(() => visitor().received.some((m) => m.t === 'pointer'), 'pointer not sent');
    const pointer = visitor().received.find((m) => m.t === 'pointer');
    expect(pointer).to.deep.equal({
      t: 'pointer',
      x: Math.round(40 / scale),
      y: Math.round(30 / scale),
      visible: true,
    });
    await expect(el).to.be.accessible();
  });

  it('starts over with a new peer on a second cobrowse.started (the visitor reloaded), replaying no backlog', async () => {
    const { el, visitor, restart } = await started();
    await waitUntil(() => shown(el) === 'Hallo Welt', 'page not shown', { timeout: 8000 });
    const first = visitor();
    const firstViewer = viewerOf(el)!.liveViewer!;
    const generation = firstViewer.generation;

    const states: string[] = [];
    el.addEventListener('lotse-advisor-cobrowse-change', (event) => states.push(event.detail.state));
    restart('Nach dem Neuladen');
    await settled(el);
    // Until the new peer is open, the status says the visitor's page is coming back.
    if (states.length === 1) expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('lädt neu');
    await waitUntil(() => first.closed, 'old peer not closed');
    await waitUntil(() => shown(el) === 'Nach dem Neuladen', 'new page not shown', { timeout: 8000 });
    expect(states).to.deep.equal(['connecting', 'live']);
    expect(viewerOf(el)!.liveViewer!.generation).to.be.greaterThan(generation);
    expect(viewerOf(el)!.liveViewer!.eventCount).to.equal(2);
  });

  it("keeps its peer while its socket reconnects (the session's node died): the hello names the link, the same link's answer changes nothing", async () => {
    const { el, socket, visitor } = await started(undefined, undefined, 1);
    await waitUntil(() => shown(el) === 'Hallo Welt', 'page not shown', { timeout: 8000 });
    const first = visitor();
    const generation = viewerOf(el)!.liveViewer!.generation;
    socket.close(1006);
    await waitUntil(() => FakeSocket.instances.length === 2, 'no reconnect', { timeout: 3000 });
    const again = FakeSocket.last;
    again.onSend = socket.onSend;
    again.open();
    expect(again.sentOf('advisor.hello')[0]?.cobrowse).to.deep.equal([{ sessionId: SESSION, link: 1 }]);
    // The stream goes on while the answer is late (another node takes the session over).
    void first.link.send({ t: 'events', events: [textChange(first.now(), 'Während der Übernahme')] });
    await waitUntil(() => shown(el) === 'Während der Übernahme', 'change not shown while the socket was away');
    again.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna Beraterin' },
      presence: 'available',
      now: Date.now(),
    });
    again.receive({
      type: 'cobrowse.started',
      sessionId: SESSION,
      iceServers: [],
      iceTransportPolicy: 'all',
      initiator: false,
      link: 1,
    });
    await settled(el);
    void first.link.send({ t: 'events', events: [textChange(first.now(), 'Weiter')] });
    await waitUntil(() => shown(el) === 'Weiter', 'change not shown after the takeover');
    expect(first.closed).to.equal(false);
    expect(viewerOf(el)!.liveViewer!.generation).to.equal(generation);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('Co-Browsing läuft');
    await expect(el).to.be.accessible();
  });

  it('ends: says bye to the visitor, tells the server, and removes the view', async () => {
    const { el, socket, visitor } = await started();
    await waitUntil(() => shown(el) === 'Hallo Welt', 'page not shown', { timeout: 8000 });
    await settled(el);
    const iframe = viewerOf(el)!.liveViewer!.iframe!;
    one<HTMLButtonElement>(el.renderRoot, '[part="cobrowse-end"]').click();
    await settled(el);
    expect(socket.sentOf('cobrowse.end')).to.deep.equal([{ v: 1, type: 'cobrowse.end', sessionId: SESSION }]);
    expect(viewerOf(el)).to.equal(undefined);
    expect(iframe.isConnected).to.equal(false);
    await waitUntil(() => visitor().closed, 'peer not closed');
    expect(visitor().received.at(-1)).to.deep.equal({ t: 'bye' });
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.equal('Sie haben das Co-Browsing beendet.');
    await expect(el).to.be.accessible();
  });

  it("loads nothing the visitor's page names outside the server's asset origins (its own snapshot says otherwise)", async () => {
    const { origins, hits: before } = (await (await fetch('/__asset-hits', { cache: 'no-store' })).json()) as {
      origins: { foreign: string; allowed: string };
      hits: { foreign: string[]; allowed: string[] };
    };
    const page = (at: number) => {
      const { snapshot: events, changes } = assetPage(at, origins.foreign, origins.allowed);
      return [...events, ...changes];
    };
    const { el } = await started([origins.allowed], page);
    const image = (id: string) =>
      viewerOf(el)?.liveViewer?.iframe?.contentDocument?.getElementById(id) as HTMLImageElement | null | undefined;
    await waitUntil(
      () => image('allowed')?.naturalWidth === 1 && image('allowed-added')?.naturalWidth === 1,
      'allowed images not loaded',
      { timeout: 8000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { hits: after } = (await (await fetch('/__asset-hits', { cache: 'no-store' })).json()) as {
      hits: { foreign: string[]; allowed: string[] };
    };
    expect(after.foreign.slice(before.foreign.length)).to.deep.equal([]);
    expect(after.allowed.slice(before.allowed.length)).to.include.members(['/allowed.png', '/allowed-added.png']);
    const doc = viewerOf(el)!.liveViewer!.iframe!.contentDocument!;
    expect(doc.documentElement.outerHTML).not.to.contain(origins.foreign);
  });
});
