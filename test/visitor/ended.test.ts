import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import {
  AT,
  FakeSocket,
  FakeWebSocket,
  acceptTerms,
  hasPart,
  launcher,
  openPopup,
  part,
  startChat,
  submitNickname,
} from './helpers.js';
import type { Started } from './helpers.js';

const TIME = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' }).format(AT);

/** A chat with Anna that she ended, on the ended view. */
async function endedChat(): Promise<Started> {
  const started = await startChat('Kim');
  const { popup, socket } = started;
  socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
  socket.event({ kind: 'message', id: 'vis-00001', from: 'visitor', text: 'Hallo', at: AT });
  socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Guten Tag!\nWie kann ich helfen?', at: AT });
  socket.event({ kind: 'ended', by: 'advisor', at: AT });
  await waitUntil(() => hasPart(popup, 'copy'));
  return started;
}

const EXPECTED = [
  `[${TIME}] Anna ist dem Chat beigetreten.`,
  `[${TIME}] Kim: Hallo`,
  `[${TIME}] Anna: Guten Tag!\nWie kann ich helfen?`,
  `[${TIME}] Die Beratung hat den Chat beendet.`,
].join('\n');

describe('<lotse-chat-popup> after the end', () => {
  const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
  let started: Started | undefined;

  afterEach(() => {
    if (clipboard !== undefined) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    Reflect.deleteProperty(navigator, 'clipboard');
    started?.chat.remove();
    started = undefined;
  });

  function stubClipboard(writeText: ((text: string) => Promise<void>) | undefined): void {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: writeText === undefined ? undefined : { writeText },
    });
  }

  it('says the chat is over and deleted, and keeps the conversation readable', async () => {
    started = await endedChat();
    const { popup } = started;
    expect(part(popup, 'ended').textContent).to.equal(
      'Der Chat ist beendet. Alle Daten dieses Chats wurden auf dem Server gelöscht.',
    );
    expect(hasPart(popup, 'composer')).to.equal(false);
    expect(hasPart(popup, 'end')).to.equal(false);
    expect(popup.shadowRoot?.querySelectorAll('[part~="message"]').length).to.equal(2);
    await expect(popup).to.be.accessible();
  });

  it('copies the transcript to the clipboard', async () => {
    const copied: string[] = [];
    stubClipboard(async (text) => {
      copied.push(text);
    });
    started = await endedChat();
    const { popup } = started;
    part(popup, 'copy').click();
    await waitUntil(() => copied.length === 1);
    expect(copied[0]).to.equal(EXPECTED);
    await popup.updateComplete;
    expect(popup.shadowRoot?.querySelector('.ended [role="status"]')?.textContent).to.equal(
      'Der Verlauf wurde in die Zwischenablage kopiert.',
    );
    expect(hasPart(popup, 'transcript')).to.equal(false);
    await expect(popup).to.be.accessible();
  });

  it('shows the transcript selected when the clipboard refuses', async () => {
    stubClipboard(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    started = await endedChat();
    const { popup } = started;
    part(popup, 'copy').click();
    await waitUntil(() => hasPart(popup, 'transcript'));
    await popup.updateComplete;
    const area = part<HTMLTextAreaElement>(popup, 'transcript');
    await waitUntil(() => popup.shadowRoot?.activeElement === area, 'transcript not focused');
    expect(area.readOnly).to.equal(true);
    expect(area.value).to.equal(EXPECTED);
    expect([area.selectionStart, area.selectionEnd]).to.deep.equal([0, EXPECTED.length]);
    expect(area.labels?.[0]?.textContent).to.equal('Verlauf');
    expect(popup.shadowRoot?.getElementById(area.getAttribute('aria-describedby') ?? '')?.textContent).to.contain(
      'Strg+C',
    );
    expect(parseFloat(getComputedStyle(area).fontSize)).to.be.at.least(16);
    await expect(popup).to.be.accessible();
  });

  it('shows the transcript when there is no clipboard at all', async () => {
    stubClipboard(undefined);
    started = await endedChat();
    const { popup } = started;
    part(popup, 'copy').click();
    await waitUntil(() => hasPart(popup, 'transcript'));
    expect(part<HTMLTextAreaElement>(popup, 'transcript').value).to.equal(EXPECTED);
  });

  it('forgets the chat on close: the next open starts at the terms', async () => {
    started = await endedChat();
    const { chat, popup, socket } = started;
    const closed = oneEvent(chat, 'lotse-chat-close');
    part(popup, 'close').click();
    await closed;
    await popup.updateComplete;
    expect(part(chat, 'launcher').getAttribute('aria-expanded')).to.equal('false');
    expect(chat.shadowRoot?.activeElement).to.equal(part(chat, 'launcher'));
    expect(socket.readyState).to.equal(3);

    await chat.show();
    await waitUntil(() => hasPart(popup, 'terms-checkbox'), 'terms not shown again');
    const reloaded = performance
      .getEntriesByType('resource')
      .some((entry) => entry.name.endsWith('terms.js?lang=de&load=2'));
    expect(reloaded, 'the terms are loaded afresh for a new chat').to.equal(true);
    expect(part<HTMLInputElement>(popup, 'terms-checkbox').checked).to.equal(false);
    expect(part<HTMLButtonElement>(popup, 'terms-accept').disabled).to.equal(true);
    expect(popup.shadowRoot?.querySelector('[part~="message"]')).to.equal(null);
    await expect(popup).to.be.accessible();
  });

  it('forgets the chat on Escape after the end, too', async () => {
    started = await endedChat();
    const { chat, popup } = started;
    part(popup, 'copy').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await popup.updateComplete;
    await chat.show();
    await waitUntil(() => hasPart(popup, 'terms-checkbox'), 'terms not shown again');
  });

  it('tells a lost chat apart from an ended one', async () => {
    started = await startChat('Kim', 'en');
    const { chat, popup, socket } = started;
    const ended = oneEvent(chat, 'lotse-chat-end');
    socket.receive({ type: 'error', code: 'LOTSE_ERR_UNKNOWN_CHAT', message: 'unknown chat' });
    expect((await ended).detail).to.deep.equal({ reason: 'lost' });
    await popup.updateComplete;
    expect(part(popup, 'ended').textContent).to.contain('This chat is no longer available');
    expect(part(popup, 'problem').textContent).to.equal('This chat no longer exists on the server.');
    await expect(popup).to.be.accessible();
  });

  for (const [lang, said, ended] of [
    ['de', 'Von Ihrem Anschluss warten schon mehrere Chats auf die Beratung.', 'Der Chat konnte nicht geführt werden.'],
    ['en', 'Several chats from your connection are already waiting for an advisor.', 'The chat could not take place.'],
  ] as const) {
    it(`says why a start was refused when chats from the same connection wait already (${lang})`, async () => {
      const chat = await launcher(lang);
      const popup = await openPopup(chat);
      await acceptTerms(popup);
      popup.testOnlyWebSocket = FakeWebSocket;
      const before = FakeSocket.instances.length;
      await submitNickname(popup, 'Kim');
      const socket = FakeSocket.instances[before];
      if (socket === undefined) throw new Error('no socket');
      started = { chat, popup, socket };
      socket.accept();
      const end = oneEvent(chat, 'lotse-chat-end');
      socket.receive({
        type: 'error',
        code: 'LOTSE_ERR_TOO_MANY_WAITING',
        message: 'too many waiting',
        ref: 'chat.start',
      });
      expect((await end).detail).to.deep.equal({ reason: 'lost' });
      await popup.updateComplete;
      expect(part(popup, 'problem').textContent).to.contain(said);
      expect(part(popup, 'ended').textContent).to.equal(ended);
      await expect(popup).to.be.accessible();
    });
  }
});
