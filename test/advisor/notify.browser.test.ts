import { expect, waitUntil } from '@open-wc/testing';
import { NOTIFY_SETTINGS_KEY } from '../../src/advisor/notify-settings.js';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { FakeSocket } from './fake-socket.js';
import { assign, one, queueItem, settled, signedIn, visitorMessage } from './helpers.js';

/** A stand-in for the browser's Notification: records what would have been shown, and permission requests. */
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static answer: NotificationPermission = 'granted';
  static requests = 0;
  static shown: FakeNotification[] = [];
  static async requestPermission(): Promise<NotificationPermission> {
    FakeNotification.requests += 1;
    FakeNotification.permission = FakeNotification.answer;
    return FakeNotification.permission;
  }
  onclick: (() => void) | null = null;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close(): void {}
}

/** A stand-in for AudioContext: counts how often one is created (the tone is made only when it is). */
class FakeAudioContext {
  static created = 0;
  state = 'running';
  currentTime = 0;
  destination = {};
  constructor() {
    FakeAudioContext.created += 1;
  }
  createOscillator(): object {
    const node = { type: '', frequency: { value: 0 }, connect: (next: unknown) => next, start() {}, stop() {} };
    return node;
  }
  createGain(): object {
    const ramp = () => undefined;
    return { gain: { setValueAtTime: ramp, exponentialRampToValueAtTime: ramp }, connect: (next: unknown) => next };
  }
  async resume(): Promise<void> {}
  async close(): Promise<void> {}
}

const real = { Notification: window.Notification, AudioContext: window.AudioContext, title: document.title };

function stubBrowser(): void {
  FakeNotification.permission = 'default';
  FakeNotification.answer = 'granted';
  FakeNotification.requests = 0;
  FakeNotification.shown = [];
  FakeAudioContext.created = 0;
  Object.assign(window, { Notification: FakeNotification, AudioContext: FakeAudioContext });
  localStorage.removeItem(NOTIFY_SETTINGS_KEY);
  document.title = 'Lotse Berater-Konsole';
}

/** The console's page is in the background (no focus), as when a desktop notification matters. */
function unfocused(): void {
  Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
}

async function message(el: LotseAdvisorConsole, socket: FakeSocket, chatId: string, seq: number, text: string) {
  socket.receive({ type: 'chat.event', chatId, ...visitorMessage(seq, `m-${chatId}-${seq}`, text) });
  await settled(el);
}

/** Two chats held, the first in front. */
async function twoChats(): Promise<{ el: LotseAdvisorConsole; socket: FakeSocket }> {
  const { el, socket } = await signedIn();
  await assign(el, socket, 'chat-aaaa-1', 'Kim');
  await assign(el, socket, 'chat-bbbb-2', 'Robin');
  return { el, socket };
}

describe('lotse-advisor-console: notifications', () => {
  beforeEach(stubBrowser);
  afterEach(() => {
    Object.assign(window, real);
    delete (document as { hasFocus?: unknown }).hasFocus;
    localStorage.removeItem(NOTIFY_SETTINGS_KEY);
    document.title = real.title;
  });

  it('counts a new chat in the title and restores it once seen', async () => {
    const { el, socket } = await signedIn();
    expect(document.title).to.equal('Lotse Berater-Konsole');
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-aaaa-1', 'Kim', Date.now())] });
    await settled(el);
    expect(document.title).to.equal('(1) Lotse Berater-Konsole');
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-aaaa-1', 'Kim', Date.now()), queueItem('chat-bbbb-2', 'Robin', Date.now())],
    });
    await settled(el);
    expect(document.title).to.equal('(2) Lotse Berater-Konsole');
    one(el.renderRoot, '[part="queue"]').dispatchEvent(
      new PointerEvent('pointerdown', { bubbles: true, composed: true }),
    );
    expect(document.title).to.equal('Lotse Berater-Konsole');
    await expect(el).to.be.accessible();
  });

  it('counts a message in a chat not in front, and restores the title when that chat is shown', async () => {
    const { el, socket } = await twoChats();
    await message(el, socket, 'chat-aaaa-1', 2, 'Im Vordergrund');
    expect(document.title).to.equal('Lotse Berater-Konsole');
    await message(el, socket, 'chat-bbbb-2', 2, 'Hallo?');
    await message(el, socket, 'chat-bbbb-2', 3, 'Noch da?');
    expect(document.title).to.equal('(2) Lotse Berater-Konsole');
    one(el.renderRoot, '#tab-chat-bbbb-2').click();
    await settled(el);
    expect(document.title).to.equal('Lotse Berater-Konsole');
    await expect(el).to.be.accessible();
  });

  it('plays the tone (an AudioContext is created) while the sound is on, and not once it is off', async () => {
    const { el, socket } = await twoChats();
    expect(FakeAudioContext.created).to.equal(0);
    await message(el, socket, 'chat-bbbb-2', 2, 'Hallo?');
    expect(FakeAudioContext.created).to.equal(1);

    stubBrowser();
    const off = await signedIn();
    const sound = one<HTMLInputElement>(off.el.renderRoot, '[part="notify-sound"]');
    expect(sound.checked).to.equal(true);
    sound.click();
    expect(JSON.parse(localStorage.getItem(NOTIFY_SETTINGS_KEY) ?? '{}')).to.include({ sound: false });
    await assign(off.el, off.socket, 'chat-aaaa-1', 'Kim');
    await assign(off.el, off.socket, 'chat-bbbb-2', 'Robin');
    await message(off.el, off.socket, 'chat-bbbb-2', 2, 'Hallo?');
    off.socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-cccc-3', 'Ali', Date.now())],
    });
    await settled(off.el);
    expect(document.title).to.equal('(2) Lotse Berater-Konsole');
    expect(FakeAudioContext.created).to.equal(0);
    await expect(off.el).to.be.accessible();
  });

  it('shows a desktop notification only after the advisor allowed it with a click', async () => {
    unfocused();
    const { el, socket } = await twoChats();
    await message(el, socket, 'chat-bbbb-2', 2, 'Vor der Erlaubnis');
    expect(FakeNotification.shown).to.have.length(0);
    expect(FakeNotification.requests).to.equal(0);

    one(el.renderRoot, '[part="notify-allow"]').click();
    await waitUntil(() => el.renderRoot.querySelector('lotse-advisor-notify')?.permission === 'granted');
    await settled(el);
    expect(FakeNotification.requests).to.equal(1);
    expect(one<HTMLInputElement>(el.renderRoot, '[part="notify-desktop"]').checked).to.equal(true);

    await message(el, socket, 'chat-bbbb-2', 3, 'Meine Versichertennummer ist A123456789');
    expect(FakeNotification.shown).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('keeps visitor text out of a desktop notification unless the advisor turns the preview on', async () => {
    unfocused();
    FakeNotification.permission = 'granted';
    localStorage.setItem(NOTIFY_SETTINGS_KEY, JSON.stringify({ desktop: true }));
    const { el, socket } = await twoChats();
    await message(el, socket, 'chat-bbbb-2', 2, 'Meine Diagnose ist geheim');
    const [plain] = FakeNotification.shown;
    expect(plain?.title).to.equal('Lotse: neue Nachricht');
    expect(plain?.options.body).to.equal('Neue Nachricht in einem Ihrer Chats.');
    expect(JSON.stringify(plain?.options)).not.to.contain('Robin');
    expect(JSON.stringify(plain?.options)).not.to.contain('Diagnose');

    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-cccc-3', 'Ali', Date.now(), 'Frage zur Zahnreinigung')],
    });
    await settled(el);
    expect(FakeNotification.shown[1]?.options.body).to.equal('Jemand wartet in der Warteschlange.');

    const preview = one<HTMLInputElement>(el.renderRoot, '[part="notify-preview"]');
    expect(preview.checked).to.equal(false);
    preview.click();
    await settled(el);
    await message(el, socket, 'chat-bbbb-2', 3, 'Noch eine Frage');
    expect(FakeNotification.shown[2]?.options.body).to.equal('Robin: Noch eine Frage');

    FakeNotification.shown[2]?.onclick?.();
    await settled(el);
    expect(one(el.renderRoot, '#tab-chat-bbbb-2').getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('says so when the browser blocks desktop notifications', async () => {
    FakeNotification.permission = 'denied';
    const { el } = await signedIn({ lang: 'en' });
    const settings = one(el.renderRoot, '[part="notify"]');
    expect(settings.textContent).to.contain('blocked in the browser');
    expect(el.renderRoot.querySelector('lotse-advisor-notify')?.shadowRoot?.querySelector('button')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
