/**
 * Nothing is recorded or sent before the visitor's click on "Co-Browsing Sitzung starten": no consent frame, no
 * peer, and the recording code (record.ts, rrweb) is not even loaded; it is loaded once the advisor has started the
 * session (with the data channel's code, `cobrowse-live.ts`), and records once the channel is open.
 * Its own file, so that no other test has loaded the recorder into this page before.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { FakeLink, cobrowse, toLive, toTerms, useFakes, view, viewPart } from './cobrowse-helpers.js';

function recorderRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.includes('cobrowse/record') || path.includes('rrweb'));
}

describe('co-browsing privacy before the start click', () => {
  before(() => {
    performance.setResourceTimingBufferSize(5000);
  });
  beforeEach(() => {
    useFakes({ realRecorder: true });
    sessionStorage.clear();
  });
  afterEach(() => sessionStorage.clear());

  it('sends no consent, opens no peer, stores nothing and loads no recorder until the click', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    viewPart(host, 'cobrowse-consent').click();
    await view(host).updateComplete;
    expect(socket.sentOf('cobrowse.consent')).to.deep.equal([]);
    expect(socket.sent.map((frame) => frame['type'])).to.deep.equal(['cobrowse.join']);
    expect(FakeLink.instances).to.have.length(0);
    expect(sessionStorage.length).to.equal(0);
    expect(localStorage.length).to.equal(0);
    expect(recorderRequests()).to.deep.equal([]);

    viewPart(host, 'cobrowse-start').click();
    expect(socket.sentOf('cobrowse.consent')).to.have.length(1);
    socket.receive({
      type: 'cobrowse.startcode',
      sessionId: 'session-0001',
      startCode: 'ACDEFHJK',
      expiresAt: Date.now() + 300_000,
    });
    await view(host).updateComplete;
    // Consent alone does not record either: only the advisor's start and an open channel do.
    expect(recorderRequests()).to.deep.equal([]);
    expect(sessionStorage.length).to.equal(0);

    const link = await toLive(host, socket);
    expect(recorderRequests().some((path) => path.endsWith('/src/cobrowse/record.ts'))).to.equal(true);
    // The real recorder never records Lotse's own UI: not the start code, not the live bar.
    const json = JSON.stringify(link.events());
    expect(json).to.include('"type":2');
    expect(json).not.to.include('ACDE');
    expect(json).not.to.include('Co-Browsing aktiv');
    viewPart(host, 'cobrowse-end').click();
    await waitUntil(() => link.closed);
    const sent = link.sent.length;
    document.body.append(document.createElement('p'));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(link.sent.length).to.equal(sent);
  });
});
