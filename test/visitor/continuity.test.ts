import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import { AT, FakeSocket, FakeWebSocket, SERVER, hasPart, part, startChat } from './helpers.js';
import type { Started } from './helpers.js';

const KEY = 'lotse-chat';
const TOKEN = 'r'.repeat(32);

function stored(): Record<string, unknown> | null {
  const raw = sessionStorage.getItem(KEY);
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

/** What the page before left in the tab: a running chat with one unsent message. */
function storeChat(overrides: Record<string, unknown> = {}): void {
  sessionStorage.setItem(
    KEY,
    JSON.stringify({
      server: SERVER,
      start: { startId: 'start-00001', termsVersion: 'test-1', lang: 'de', nickname: 'Kim' },
      member: false,
      chatId: 'chat-0001',
      resumeToken: TOKEN,
      seen: 2,
      open: true,
      sound: false,
      outbox: [{ id: 'msg-unsent-1', text: 'Noch eine Frage' }],
      ...overrides,
    }),
  );
}

/** The next page: a launcher finds the stored chat and comes back into it (its socket is the fake's). */
async function nextPage(): Promise<{ chat: LotseChat; popup: LotseChatPopup; socket: FakeSocket }> {
  const before = FakeSocket.instances.length;
  const chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
  await waitUntil(() => FakeSocket.instances.length > before, 'no socket for the stored chat', { timeout: 5000 });
  const socket = FakeSocket.instances[before]!;
  const popup = part<LotseChatPopup>(chat, 'popup');
  return { chat, popup, socket };
}

describe('<lotse-chat> across pages', () => {
  const RealWebSocket = window.WebSocket;
  let started: Started | undefined;

  beforeEach(() => {
    // The stored chat's socket is made by the launcher itself: the test's fake stands in for the browser's.
    window.WebSocket = FakeWebSocket as unknown as typeof WebSocket;
  });

  afterEach(() => {
    window.WebSocket = RealWebSocket;
    started?.chat.remove();
    started = undefined;
    for (const chat of document.querySelectorAll('lotse-chat')) chat.remove();
  });

  it('keeps ids, state and unsent messages in sessionStorage after the start, and never the conversation', async () => {
    started = await startChat('Kim');
    const { popup, socket } = started;
    const entry = stored();
    expect(Object.keys(entry ?? {}).sort()).to.deep.equal(
      ['chatId', 'member', 'open', 'outbox', 'resumeToken', 'seen', 'server', 'sound', 'start'].sort(),
    );
    expect(entry).to.deep.include({
      chatId: 'chat-0001',
      resumeToken: TOKEN,
      member: false,
      open: true,
      sound: false,
      outbox: [],
    });
    expect(localStorage.length).to.equal(0);
    expect(document.cookie).to.equal('');

    // Written at once, before the socket sends it: a link clicked right now cannot lose it.
    socket.readyState = 3; // the send goes nowhere
    part<HTMLTextAreaElement>(popup, 'composer').value = 'Meine Frage';
    part(popup, 'send').click();
    await popup.updateComplete;
    const pending = (stored()?.['outbox'] as { id: string; text: string }[])[0];
    expect(pending?.text).to.equal('Meine Frage');

    // Confirmed by the server: out of the outbox, and out of storage; the conversation itself never goes there.
    socket.readyState = 1;
    socket.event({ kind: 'message', id: pending!.id, from: 'visitor', text: 'Meine Frage', at: AT });
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Gern, worum geht es?', at: AT });
    await popup.updateComplete;
    expect(stored()?.['outbox']).to.deep.equal([]);
    expect(sessionStorage.getItem(KEY)).not.to.contain('Meine Frage').and.not.to.contain('worum geht es');

    // The end removes it.
    socket.event({ kind: 'ended', by: 'advisor', at: AT });
    await popup.updateComplete;
    expect(stored()).to.equal(null);
  });

  it('comes back into the stored chat: open as it was, the whole history from the server, unsent messages once', async () => {
    storeChat();
    const { chat, popup, socket } = await nextPage();
    socket.accept();
    expect(socket.sentOf('chat.resume')).to.deep.equal([
      { v: 1, type: 'chat.resume', chatId: 'chat-0001', resumeToken: TOKEN, lastSeq: 0 },
    ]);
    expect(socket.sentOf('chat.message'), 'nothing before the server answered').to.deep.equal([]);
    expect(popup.open).to.equal(true);
    expect(part(chat, 'launcher').getAttribute('aria-expanded')).to.equal('true');

    socket.receive({
      type: 'chat.resumed',
      chatId: 'chat-0001',
      events: [
        { seq: 1, event: { kind: 'joined', advisor: 'Anna', at: AT } },
        {
          seq: 2,
          event: { kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Schauen Sie unter Leistungen', at: AT },
        },
      ],
    });
    await popup.updateComplete;
    expect(part(popup, 'message-advisor').textContent).to.contain('Schauen Sie unter Leistungen');
    expect(socket.sentOf('chat.message')).to.deep.equal([
      { v: 1, type: 'chat.message', id: 'msg-unsent-1', text: 'Noch eine Frage' },
    ]);
    const log = part(popup, 'log');
    await waitUntil(() => log.scrollTop + log.clientHeight >= log.scrollHeight - 1, 'scrolled to the end');
    await expect(popup).to.be.accessible();
  });

  it('does not send again what the server already had: the echo came with the history', async () => {
    storeChat({ open: false });
    const { popup, socket } = await nextPage();
    socket.accept();
    socket.receive({
      type: 'chat.resumed',
      chatId: 'chat-0001',
      events: [
        { seq: 1, event: { kind: 'message', id: 'msg-unsent-1', from: 'visitor', text: 'Noch eine Frage', at: AT } },
      ],
    });
    await popup.updateComplete;
    expect(socket.sentOf('chat.message')).to.deep.equal([]);
    expect(popup.open, 'collapsed as it was').to.equal(false);
  });

  it('a start the server had not answered before the navigation is repeated with its key', async () => {
    storeChat({ chatId: undefined, resumeToken: undefined, outbox: [] });
    const { socket } = await nextPage();
    socket.accept();
    expect(socket.sentOf('chat.start')).to.deep.equal([
      { v: 1, type: 'chat.start', startId: 'start-00001', nickname: 'Kim', termsVersion: 'test-1', lang: 'de' },
    ]);
  });

  it('a stored chat the server no longer knows ends with a notice, and nothing is kept', async () => {
    storeChat();
    const { popup, socket } = await nextPage();
    socket.accept();
    socket.receive({ type: 'error', code: 'LOTSE_ERR_UNKNOWN_CHAT', message: 'unknown chat', ref: 'chat.resume' });
    await popup.updateComplete;
    expect(part(popup, 'ended').textContent).to.match(/nicht mehr/);
    expect(stored()).to.equal(null);
    await expect(popup).to.be.accessible();
  });

  it("a malformed entry or another server's is not taken", async () => {
    sessionStorage.setItem(KEY, '{"server": 1}');
    const chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    await waitUntil(() => hasPart(chat, 'popup'), 'the pop-up loads to look', { timeout: 5000 });
    const popup = part<LotseChatPopup>(chat, 'popup');
    await popup.updateComplete;
    expect(popup.open).to.equal(false);
    expect(sessionStorage.getItem(KEY), 'removed').to.equal(null);
    chat.remove();

    storeChat({ server: 'https://other.example/' });
    const before = FakeSocket.instances.length;
    const other = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    await waitUntil(() => hasPart(other, 'popup'), 'the pop-up loads to look', { timeout: 5000 });
    expect(FakeSocket.instances.length).to.equal(before);
    expect(part<LotseChatPopup>(other, 'popup').open).to.equal(false);
    expect(stored()?.['server'], "the other server's chat is left where it is").to.equal('https://other.example/');
  });

  it('another tab took the chat: says so, no composer; "continue here" takes it back', async () => {
    started = await startChat('Kim');
    const { popup, socket } = started;
    socket.close(4002);
    await popup.updateComplete;
    expect(part(popup, 'elsewhere').textContent).to.equal('Der Chat läuft in einem anderen Tab.');
    expect(hasPart(popup, 'composer')).to.equal(false);
    expect(hasPart(popup, 'problem') && part(popup, 'problem').textContent?.trim()).to.equal('');
    await expect(popup).to.be.accessible();

    const before = FakeSocket.instances.length;
    part(popup, 'take-over').click();
    await popup.updateComplete;
    const again = FakeSocket.instances[before];
    expect(again, 'a new socket').to.not.equal(undefined);
    again!.accept();
    expect(again!.sentOf('chat.resume')).to.have.length(1);
    again!.receive({ type: 'chat.resumed', chatId: 'chat-0001', events: [] });
    await popup.updateComplete;
    expect(hasPart(popup, 'elsewhere')).to.equal(false);
    expect(hasPart(popup, 'composer')).to.equal(true);
  });

  it('pagehide closes the socket at once; a page back from the back-forward cache comes back from storage', async () => {
    started = await startChat('Kim');
    const { popup, socket } = started;
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(socket.readyState).to.equal(3);
    // The pages in between wrote a message the server has not confirmed yet.
    const entry = stored()!;
    sessionStorage.setItem(
      KEY,
      JSON.stringify({ ...entry, outbox: [{ id: 'msg-other-page', text: 'Von der anderen Seite' }] }),
    );

    const before = FakeSocket.instances.length;
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await popup.updateComplete;
    const again = FakeSocket.instances[before]!;
    again.accept();
    again.receive({ type: 'chat.resumed', chatId: 'chat-0001', events: [] });
    await popup.updateComplete;
    expect(again.sentOf('chat.message').map((frame) => frame['id'])).to.deep.equal(['msg-other-page']);
  });
});
