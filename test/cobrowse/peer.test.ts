/**
 * Real WebRTC over loopback in one page: the visitor's link carrying a large events batch through the framing to
 * the advisor's (many frames, backpressure), and a CobrowseVisitor on a fake server streaming the real recording of
 * this page to an `AdvisorPeerLink`.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { CobrowseVisitor } from '../../src/client/cobrowse-visitor.js';
import { AdvisorPeerLink, PeerLink } from '../../src/client/peer-link.js';
import type { PeerLinkOptions } from '../../src/client/peer-link.js';
import type { PeerMessage } from '../../src/protocol/peer.js';
import { FakeSocket, FakeWebSocket } from '../visitor/helpers.js';

type Side = Omit<PeerLinkOptions, 'initiator' | 'iceServers' | 'iceTransportPolicy' | 'onSignal'>;

/** The visitor's link and the advisor's, connected to each other. */
function pair(a: Side, b: Side): [PeerLink, AdvisorPeerLink] {
  const common = { iceServers: [], iceTransportPolicy: 'all' as const };
  let advisor: AdvisorPeerLink | undefined;
  const visitor = new PeerLink({ ...common, ...a, initiator: true, onSignal: (signal) => advisor?.signal(signal) });
  advisor = new AdvisorPeerLink({ ...common, ...b, initiator: false, onSignal: (signal) => visitor.signal(signal) });
  return [visitor, advisor];
}

const quiet: Side = { onMessage: () => undefined, onOpen: () => undefined, onClose: () => undefined };

describe('co-browse data channel (loopback WebRTC)', () => {
  it('carries a batch of several megabytes whole and in order, with backpressure', async function () {
    // Its waits (8 s for the channel, 20 s for the batch) are longer than the runner's 10 s per test.
    this.timeout(35_000);
    const received: PeerMessage[] = [];
    let open = 0;
    const [visitor, advisor] = pair(
      { ...quiet, onOpen: () => (open += 1) },
      { ...quiet, onOpen: () => (open += 1), onMessage: (message) => received.push(message) },
    );
    try {
      await waitUntil(() => open === 2, 'data channel did not open', { timeout: 8000 });
      // Incompressible enough: random text, about 6 MB of JSON.
      const noise = (n: number): string =>
        Array.from({ length: n }, () => Math.random().toString(36).slice(2)).join('');
      const events = Array.from({ length: 600 }, (_, i) => ({ type: 3, timestamp: i, data: { text: noise(1000) } }));
      const sending = [
        visitor.send({ t: 'events', events }),
        visitor.send({ t: 'events', events: events.slice(0, 2) }),
      ];
      let peak = 0;
      await waitUntil(
        () => {
          peak = Math.max(peak, visitor.backlog);
          return received.length === 2;
        },
        'batch did not arrive',
        { timeout: 20000, interval: 5 },
      );
      await Promise.all(sending);
      const first = received[0]!;
      expect(first.t).to.equal('events');
      if (first.t !== 'events') return;
      expect(first.events).to.have.length(600);
      expect(JSON.stringify(first.events)).to.equal(JSON.stringify(events));
      expect(received[1]!.t === 'events' && received[1]!.events.length).to.equal(2);
      expect(visitor.sent.wireBytes).to.be.greaterThan(1_000_000);
      expect(advisor.received.dropped).to.equal(0);
      // Frames waited in the queue or the channel buffer rather than all going out in one synchronous burst.
      expect(peak).to.be.greaterThan(0);
    } finally {
      visitor.close();
      advisor.close();
    }
  });

  it('streams the recorded page from a CobrowseVisitor, answers pings, follows the pointer, says bye', async function () {
    // Its waits (8 s for the first snapshot, then four more) are longer than the runner's 10 s per test.
    this.timeout(30_000);
    FakeSocket.instances = [];
    sessionStorage.clear();
    const session = new CobrowseVisitor({ url: 'ws://lotse.test/ws/visitor', WebSocket: FakeWebSocket });
    const received: PeerMessage[] = [];
    let advisor: AdvisorPeerLink | undefined;
    try {
      expect(session.join('123 456')).to.equal(true);
      const socket = FakeSocket.instances[0]!;
      const send = socket.send.bind(socket);
      socket.send = (frame: string): void => {
        send(frame);
        const message = JSON.parse(frame) as { type: string; signal?: string };
        if (message.type === 'cobrowse.signal' && message.signal) advisor?.signal(message.signal);
      };
      socket.accept();
      socket.receive({ type: 'cobrowse.pending', sessionId: 'session-0001', advisor: 'Frau Berger' });
      session.consent('v1');
      socket.receive({
        type: 'cobrowse.startcode',
        sessionId: 'session-0001',
        startCode: 'ACDEFHJK',
        expiresAt: Date.now() + 60_000,
      });
      expect(session.phase).to.equal('startcode');
      advisor = new AdvisorPeerLink({
        initiator: true,
        iceServers: [],
        iceTransportPolicy: 'all',
        onSignal: (signal) => socket.receive({ type: 'cobrowse.signal', sessionId: 'session-0001', signal }),
        onMessage: (message) => received.push(message),
        onOpen: () => undefined,
        onClose: () => undefined,
      });
      socket.receive({
        type: 'cobrowse.started',
        sessionId: 'session-0001',
        resumeToken: 'r'.repeat(32),
        initiator: false,
        advisor: 'Anna',
        iceServers: [],
        iceTransportPolicy: 'all',
      });
      const events = (): { type: number; data?: unknown }[] =>
        received.flatMap((message) => (message.t === 'events' ? (message.events as { type: number }[]) : []));
      await waitUntil(() => events().some((event) => event.type === 2), 'no full snapshot', { timeout: 8000 });
      expect(session.phase).to.equal('live');

      const marker = document.createElement('p');
      marker.textContent = 'Änderung auf der Seite';
      document.body.append(marker);
      await waitUntil(() => JSON.stringify(events()).includes('Änderung auf der Seite'), 'mutation not streamed');
      marker.remove();

      await advisor.send({ t: 'ping', a: 1 });
      await waitUntil(() => received.some((message) => message.t === 'pong'), 'no pong');
      await advisor.send({ t: 'pointer', x: 10, y: 20, visible: true });
      await waitUntil(() => session.pointer.visible && session.pointer.y === 20, 'pointer not received');

      session.end();
      await waitUntil(() => received.some((message) => message.t === 'bye'), 'no bye');
      expect(socket.sentOf('cobrowse.end')).to.have.length(1);
      expect(session.phase).to.equal('ended');
      expect(sessionStorage.length).to.equal(0);
    } finally {
      session.close();
      advisor?.close();
    }
  });
});
