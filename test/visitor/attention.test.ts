import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import { AT, FakeSocket, FakeWebSocket, SERVER, hasPart, part, startChat } from './helpers.js';
import type { Started } from './helpers.js';

/** A stand-in for Web Audio that counts what a page made and played. */
class FakeAudioContext {
  static made = 0;
  static tones = 0;
  state: 'suspended' | 'running' = 'suspended';
  currentTime = 0;
  destination = {};
  constructor() {
    FakeAudioContext.made += 1;
  }
  resume(): Promise<void> {
    this.state = 'running';
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: () => undefined };
  }
  createOscillator() {
    return {
      frequency: { setValueAtTime() {} },
      connect: () => undefined,
      start: () => void (FakeAudioContext.tones += 1),
      stop: () => undefined,
    };
  }
}

let advisorSeq = 0;
function advisorSays(socket: FakeSocket, text: string): void {
  advisorSeq += 1;
  socket.event({ kind: 'message', id: `adv-${String(advisorSeq).padStart(5, '0')}`, from: 'advisor', text, at: AT });
}

function hidden(value: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('<lotse-chat> new messages while not looking', () => {
  const RealAudioContext = window.AudioContext;
  const title = document.title;
  let started: Started | undefined;

  beforeEach(() => {
    FakeAudioContext.made = FakeAudioContext.tones = 0;
    window.AudioContext = FakeAudioContext as unknown as typeof AudioContext;
  });

  afterEach(() => {
    window.AudioContext = RealAudioContext;
    Reflect.deleteProperty(document, 'visibilityState');
    started?.chat.remove();
    started = undefined;
    document.title = title;
  });

  it('counts unread advisor messages on the launcher while collapsed: badge and accessible name; opening clears it', async () => {
    started = await startChat();
    const { chat, popup, socket } = started;
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    chat.hide();
    advisorSays(socket, 'Hallo!');
    await popup.updateComplete;
    const launcher = part(chat, 'launcher');
    expect(launcher.getAttribute('aria-label')).to.equal('Chat mit der Beratung, 1 neue Nachricht');
    expect(part(chat, 'badge').textContent).to.equal('1');
    expect(part(chat, 'badge').hidden).to.equal(false);
    expect(part(chat, 'badge').getAttribute('aria-hidden')).to.equal('true');
    advisorSays(socket, 'Sind Sie noch da?');
    await popup.updateComplete;
    expect(launcher.getAttribute('aria-label')).to.equal('Chat mit der Beratung, 2 neue Nachrichten');
    await expect(chat).to.be.accessible();

    // Read nothing while collapsed; all of it once opened.
    expect(socket.sentOf('chat.read').at(-1)?.['seq'] ?? 0).to.be.below(3);
    await chat.show();
    await popup.updateComplete;
    expect(launcher.getAttribute('aria-label')).to.equal('Chat mit der Beratung');
    expect(part(chat, 'badge').hidden).to.equal(true);
    expect(socket.sentOf('chat.read').at(-1)).to.deep.equal({ v: 1, type: 'chat.read', seq: 3 });
  });

  it('counts while the tab is hidden even with the pop-up open; English names', async () => {
    started = await startChat('Kim', 'en');
    const { chat, popup, socket } = started;
    hidden(true);
    advisorSays(socket, 'Hello!');
    await popup.updateComplete;
    expect(part(chat, 'launcher').getAttribute('aria-label')).to.equal('Chat with an advisor, 1 new message');
    expect(socket.sentOf('chat.read')).to.deep.equal([]);
    hidden(false);
    await waitUntil(() => socket.sentOf('chat.read').length === 1, 'read once visible');
    expect(part(chat, 'launcher').getAttribute('aria-label')).to.equal('Chat with an advisor');
  });

  it('notify-title puts the count before the page title and restores it exactly, also after the page changed it', async () => {
    started = await startChat();
    const { chat, popup, socket } = started;
    chat.setAttribute('notify-title', '');
    document.title = 'Leistungen – Musterkasse';
    chat.hide();
    advisorSays(socket, 'Eins');
    await popup.updateComplete;
    expect(document.title).to.equal('(1) Leistungen – Musterkasse');
    document.title = 'Zahnersatz – Musterkasse'; // the page's own change
    advisorSays(socket, 'Zwei');
    await popup.updateComplete;
    expect(document.title).to.equal('(2) Zahnersatz – Musterkasse');
    await chat.show();
    await popup.updateComplete;
    expect(document.title).to.equal('Zahnersatz – Musterkasse');
  });

  it('without notify-title the page title is never touched', async () => {
    started = await startChat();
    const { chat, popup, socket } = started;
    document.title = 'Start';
    chat.hide();
    advisorSays(socket, 'Hallo');
    await popup.updateComplete;
    expect(document.title).to.equal('Start');
  });

  it('the tone is off by default, makes no audio before the visitor switches it on, then sounds for new messages', async () => {
    started = await startChat();
    const { popup, socket } = started;
    const sound = part<HTMLInputElement>(popup, 'sound');
    expect(sound.checked).to.equal(false);
    expect(sound.closest('label')?.textContent?.trim()).to.equal('Ton bei neuen Nachrichten');
    advisorSays(socket, 'Eins');
    await popup.updateComplete;
    expect([FakeAudioContext.made, FakeAudioContext.tones]).to.deep.equal([0, 0]);
    await expect(popup).to.be.accessible();

    sound.click();
    await popup.updateComplete;
    expect(FakeAudioContext.made).to.equal(1);
    advisorSays(socket, 'Zwei');
    await popup.updateComplete;
    expect(FakeAudioContext.tones).to.equal(1);
    // Kept for this chat only: in its stored state, which ends with it.
    expect(JSON.parse(sessionStorage.getItem('lotse-chat') ?? '{}').sound).to.equal(true);
  });

  it('back on a new page with the tone on, the first key press arms it; the resumed history makes no sound', async () => {
    const RealWebSocket = window.WebSocket;
    window.WebSocket = FakeWebSocket as unknown as typeof WebSocket;
    try {
      sessionStorage.setItem(
        'lotse-chat',
        JSON.stringify({
          server: SERVER,
          start: { startId: 'start-00001', termsVersion: 'test-1', lang: 'de', nickname: 'Kim' },
          member: false,
          chatId: 'chat-0001',
          resumeToken: 'r'.repeat(32),
          seen: 0,
          open: true,
          sound: true,
          outbox: [],
        }),
      );
      const before = FakeSocket.instances.length;
      const chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
      await waitUntil(() => FakeSocket.instances.length > before, 'socket', { timeout: 5000 });
      const socket = FakeSocket.instances[before]!;
      socket.accept();
      socket.receive({
        type: 'chat.resumed',
        chatId: 'chat-0001',
        events: [{ seq: 1, event: { kind: 'message', id: 'adv-old01', from: 'advisor', text: 'Von vorhin', at: AT } }],
      });
      const popup = part(chat, 'popup') as HTMLElement & { updateComplete: Promise<boolean> };
      await popup.updateComplete;
      expect(FakeAudioContext.made, 'nothing before a gesture').to.equal(0);
      await sendKeys({ press: 'Shift' });
      expect(FakeAudioContext.made).to.equal(1);
      socket.receive({
        type: 'chat.event',
        seq: 2,
        event: { kind: 'message', id: 'adv-new01', from: 'advisor', text: 'Neu', at: AT },
      });
      await popup.updateComplete;
      expect(FakeAudioContext.tones).to.equal(1);
      chat.remove();
    } finally {
      window.WebSocket = RealWebSocket;
    }
  });

  it('shows "Gelesen" under the last own message the advisor has read, and only there', async () => {
    started = await startChat();
    const { popup, socket } = started;
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    socket.event({ kind: 'message', id: 'vis-00001', from: 'visitor', text: 'Eins', at: AT });
    socket.event({ kind: 'message', id: 'vis-00002', from: 'visitor', text: 'Zwei', at: AT });
    socket.event({ kind: 'message', id: 'vis-00003', from: 'visitor', text: 'Drei', at: AT });
    await popup.updateComplete;
    expect(hasPart(popup, 'read')).to.equal(false);
    socket.receive({ type: 'chat.read', seq: 3 });
    await popup.updateComplete;
    const marks = [...popup.shadowRoot!.querySelectorAll('[part~="read"]')];
    expect(marks).to.have.length(1);
    expect(marks[0]!.closest('li')?.querySelector('.text')?.textContent).to.equal('Zwei');
    expect(marks[0]!.textContent).to.equal('Gelesen');
    socket.receive({ type: 'chat.read', seq: 4 });
    await popup.updateComplete;
    expect(part(popup, 'read').closest('li')?.querySelector('.text')?.textContent).to.equal('Drei');
    await expect(popup).to.be.accessible();
  });

  it('while waiting: the place in the queue and the estimate, said politely and not on every change', async () => {
    started = await startChat();
    const { popup, socket } = started;
    socket.receive({ type: 'chat.queue', position: 3 });
    await popup.updateComplete;
    expect(part(popup, 'queue').textContent).to.equal('Ihre Anfrage ist an Position 3 der Warteschlange.');
    const status = popup.shadowRoot!.querySelector('.visually-hidden[role="status"]')!;
    expect(status.textContent).to.equal('Ihre Anfrage ist an Position 3 der Warteschlange.');
    await expect(popup).to.be.accessible();

    socket.receive({ type: 'chat.queue', position: 2, waitSeconds: 180 });
    await popup.updateComplete;
    expect(part(popup, 'queue').textContent).to.equal(
      'Ihre Anfrage ist an Position 2 der Warteschlange. Geschätzte Wartezeit: etwa 3 Minuten.',
    );
    expect(status.textContent, 'the live region waits out its 30 s').to.equal(
      'Ihre Anfrage ist an Position 3 der Warteschlange.',
    );

    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    await popup.updateComplete;
    expect(hasPart(popup, 'queue')).to.equal(false);
    expect(status.textContent).to.equal('');
  });
});
