/**
 * Until the visitor confirms the terms and submits a nickname: no WebSocket, no cookie, no storage, no request
 * but the widget's own modules, the availability (opening hours, no cookie) and the terms. Nothing is written to
 * any storage later either.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { FakeSocket, acceptTerms, hasPart, launcher, openPopup, part, startChat } from './helpers.js';

interface Footprint {
  cookie: string;
  local: number;
  session: number;
  databases: string[];
}

async function footprint(): Promise<Footprint> {
  const databases = await indexedDB.databases();
  return {
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
    databases: databases.map((db) => db.name ?? ''),
  };
}

/** Resources fetched since `clearResourceTimings()`: only the widget's modules and its terms. */
function requestsSince(): string[] {
  return performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
}

function isWidgetCode(path: string): boolean {
  return path.startsWith('/src/') || path.startsWith('/node_modules/') || path.startsWith('/__wds-outside-root__/');
}

describe('privacy before consent', () => {
  const NativeWebSocket = window.WebSocket;
  let sockets: unknown[] = [];

  beforeEach(() => {
    sockets = [];
    window.WebSocket = class SpyWebSocket extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(url);
      }
    };
    performance.setResourceTimingBufferSize(2000);
    performance.clearResourceTimings();
  });

  afterEach(() => {
    window.WebSocket = NativeWebSocket;
  });

  it('opens nothing, stores nothing and fetches only its code and the terms until the nickname', async () => {
    const before = await footprint();

    const chat = await launcher();
    const AVAILABILITY = '/test/visitor/fixtures/availability';
    await waitUntil(() => requestsSince().includes(AVAILABILITY), 'availability was not asked');
    expect(sockets).to.deep.equal([]);
    expect(await footprint()).to.deep.equal(before);
    expect(requestsSince(), 'before any click: the availability only').to.deep.equal([AVAILABILITY]);

    const popup = await openPopup(chat);
    expect(sockets).to.deep.equal([]);
    expect(await footprint()).to.deep.equal(before);

    part(popup, 'terms-checkbox').click();
    await popup.updateComplete;
    expect(sockets).to.deep.equal([]);
    expect(await footprint()).to.deep.equal(before);

    part(popup, 'terms-accept').click();
    await popup.updateComplete;
    expect(hasPart(popup, 'nickname')).to.equal(true);
    part<HTMLInputElement>(popup, 'nickname').value = 'Kim';
    expect(sockets).to.deep.equal([]);
    expect(await footprint()).to.deep.equal(before);

    const requests = requestsSince();
    expect(requests).to.include('/test/visitor/fixtures/lotse/terms.js');
    const other = requests.filter((path) => path !== '/test/visitor/fixtures/lotse/terms.js' && path !== AVAILABILITY);
    expect(
      other.filter((path) => !isWidgetCode(path)),
      'requests other than widget code',
    ).to.deep.equal([]);
    await expect(chat).to.be.accessible();
  });

  it('opens the WebSocket only on submitting the nickname, to <server>/ws/visitor', async () => {
    const chat = await launcher();
    const popup = await openPopup(chat);
    await acceptTerms(popup);
    const input = part<HTMLInputElement>(popup, 'nickname');
    input.value = 'Kim';
    expect(sockets).to.deep.equal([]);
    part(popup, 'nickname-submit').click();
    expect(sockets.map(String)).to.deep.equal([
      new URL('/test/visitor/fixtures/ws/visitor', location.href).href.replace(/^http/, 'ws'),
    ]);
    chat.remove();
  });

  it('writes nothing to any storage during and after a chat', async () => {
    const before = await footprint();
    const { chat, popup, socket } = await startChat();
    socket.event({ kind: 'joined', advisor: 'Anna', at: Date.now() });
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Hallo', at: Date.now() });
    const composer = part<HTMLTextAreaElement>(popup, 'composer');
    composer.value = 'Meine Frage';
    part(popup, 'send').click();
    socket.event({ kind: 'ended', by: 'advisor', at: Date.now() });
    await popup.updateComplete;
    expect(hasPart(popup, 'copy')).to.equal(true);
    expect(await footprint()).to.deep.equal(before);
    expect(FakeSocket.instances.length).to.be.greaterThan(0);
    expect(sockets, 'the fake socket was used, not the browser one').to.deep.equal([]);
    chat.remove();
  });
});
