/**
 * The advisor's side of co-browsing in the console: offer (chat and phone), webcode, the visitor's progress,
 * the start code, its errors, and the end. The server is played through the fake socket.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { FakeSocket } from './fake-socket.js';
import { all, assign, one, settled, showRegion, signedIn, text } from './helpers.js';

const CHAT = 'chat-aaaa-1';
const SESSION = 'cobrowse-session-1';

async function withChat(lang = 'de'): Promise<{ el: LotseAdvisorConsole; socket: FakeSocket }> {
  const { el, socket } = await signedIn({ lang });
  await assign(el, socket, CHAT, 'Kim');
  return { el, socket };
}

function click(el: LotseAdvisorConsole, part: string): void {
  one<HTMLButtonElement>(el.renderRoot, `[part="${part}"]`).click();
}

/** The server's answer to an offer: a webcode for the chat, or (chatId null) for a phone call. */
async function offered(el: LotseAdvisorConsole, socket: FakeSocket, chatId: string | null = CHAT): Promise<void> {
  socket.receive({
    type: 'cobrowse.code',
    sessionId: SESSION,
    webcode: '123456',
    expiresAt: Date.now() + 10 * 60_000,
    ...(chatId === null ? {} : { chatId }),
  });
  await settled(el);
}

async function consented(el: LotseAdvisorConsole, socket: FakeSocket): Promise<void> {
  socket.receive({ type: 'cobrowse.joined', sessionId: SESSION });
  socket.receive({ type: 'cobrowse.consented', sessionId: SESSION, expiresAt: Date.now() + 5 * 60_000 });
  await settled(el);
}

async function typeStartCode(el: LotseAdvisorConsole, value: string): Promise<void> {
  const input = one<HTMLInputElement>(el.renderRoot, '[part="start-code-input"]');
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  click(el, 'start-code-submit');
  await settled(el);
}

describe('co-browsing in the advisor console: offer and webcode', () => {
  it('offers co-browsing in a chat (with chatId) and for a phone call (without)', async () => {
    const { el, socket } = await withChat();
    const inChat = one<HTMLButtonElement>(el.renderRoot, '[part="cobrowse-offer"]');
    expect(text(inChat)).to.equal('Co-Browsing anbieten');
    inChat.click();
    click(el, 'cobrowse-offer-phone');
    expect(socket.sentOf('cobrowse.code.create')).to.deep.equal([
      { v: 1, type: 'cobrowse.code.create', chatId: CHAT },
      { v: 1, type: 'cobrowse.code.create' },
    ]);
    await expect(el).to.be.accessible();
  });

  it('shows the webcode grouped with its expiry and posts it into the chat', async () => {
    const { el, socket } = await withChat();
    const changed = oneEvent(el, 'lotse-advisor-cobrowse-change');
    await offered(el, socket);
    expect((await changed).detail).to.deep.equal({ sessionId: SESSION, chatId: CHAT, state: 'offered' });
    expect(text(one(el.renderRoot, '[part="webcode"]'))).to.equal('123 456');
    expect(text(one(el.renderRoot, '[part="webcode-expiry"]'))).to.match(/^Gültig bis \d\d:\d\d Uhr$/);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('den Webcode eingibt');

    click(el, 'webcode-post');
    await settled(el);
    expect(socket.sentOf('chat.message').map((message) => message.text)).to.deep.equal([
      'Ihr Webcode für das Co-Browsing: 123 456 – bitte geben Sie ihn in das Suchfeld ein.',
    ]);
    await expect(el).to.be.accessible();
  });

  it('posts the English text in an English console', async () => {
    const { el, socket } = await withChat('en');
    await offered(el, socket);
    expect(text(one(el.renderRoot, '[part="webcode-post"]'))).to.equal('Post to the chat');
    click(el, 'webcode-post');
    expect(socket.sentOf('chat.message').at(-1)?.text).to.equal(
      'Your web code for co-browsing: 123 456 – please enter it in the search field.',
    );
  });

  it('shows a phone offer apart, without a post button', async () => {
    const { el, socket } = await signedIn();
    click(el, 'cobrowse-offer-phone');
    await offered(el, socket, null);
    expect(text(one(el.renderRoot, '#phone-heading'))).to.equal('Co-Browsing am Telefon');
    expect(text(one(el.renderRoot, '[part="webcode"]'))).to.equal('123 456');
    expect(all(el.renderRoot, '[part="webcode-post"]')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('withdraws an offer, and a new offer in the same chat replaces one not yet live', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    click(el, 'cobrowse-offer');
    expect(socket.sentOf('cobrowse.end')).to.deep.equal([{ v: 1, type: 'cobrowse.end', sessionId: SESSION }]);
    await settled(el);
    expect(all(el.renderRoot, '[part="webcode"]')).to.have.length(0);

    await offered(el, socket);
    click(el, 'cobrowse-withdraw');
    await settled(el);
    expect(socket.sentOf('cobrowse.end')).to.have.length(2);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.equal('Sie haben das Co-Browsing beendet.');
  });
});

describe('co-browsing in the advisor console: offline and late answers', () => {
  it('cannot offer while the connection is down, and says so under the button', async () => {
    const { el, socket } = await withChat();
    socket.close(1006);
    await settled(el);
    expect(one<HTMLButtonElement>(el.renderRoot, '[part="cobrowse-offer-phone"]').disabled).to.equal(true);
    click(el, 'cobrowse-offer');
    await settled(el);
    const context = one(el.renderRoot, 'lotse-advisor-context').shadowRoot!;
    expect(text(one(context, '[role="alert"]'))).to.contain('Keine Verbindung zum Server');
    expect(socket.sentOf('cobrowse.code.create')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('ignores what the server still says about a withdrawn offer', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    click(el, 'cobrowse-offer');
    socket.receive({ type: 'error', code: 'LOTSE_ERR_INVALID_STATE', message: 'gone', ref: SESSION });
    socket.receive({ type: 'cobrowse.ended', sessionId: SESSION, by: 'advisor' });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="problem"]'))).to.equal('');
    expect(all(el.renderRoot, 'lotse-cobrowse-panel')).to.have.length(0);
  });
});

describe('co-browsing in the advisor console: the visitor and the start code', () => {
  it('follows the visitor: reading the terms, then consent asks for the start code with its time left', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    const states: string[] = [];
    el.addEventListener('lotse-advisor-cobrowse-change', (event) => states.push(event.detail.state));
    socket.receive({ type: 'cobrowse.joined', sessionId: SESSION });
    await settled(el);
    const status = one(el.renderRoot, '[part="cobrowse-status"]');
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('Ihr Gegenüber liest die Nutzungsbedingungen …');
    expect(all(el.renderRoot, '[part="webcode"], [part="start-code-input"]')).to.have.length(0);

    // Half a second under five minutes: the console reads the server's clock as the welcome's `now` minus the
    // local time at receipt, a millisecond behind whenever the two straddle a millisecond, and rounds the time
    // left up; exactly five minutes then showed "5:01" (seen once, in Firefox).
    socket.receive({ type: 'cobrowse.consented', sessionId: SESSION, expiresAt: Date.now() + 5 * 60_000 - 500 });
    await settled(el);
    expect(states).to.deep.equal(['joined', 'consented']);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('Startcode ein');
    const input = one<HTMLInputElement>(el.renderRoot, '[part="start-code-input"]');
    expect(input.getAttribute('autocomplete')).to.equal('off');
    expect(input.labels?.[0]?.textContent?.trim()).to.equal('Startcode');
    expect(parseFloat(getComputedStyle(input).fontSize)).to.be.at.least(16);
    expect(getComputedStyle(input).textTransform).to.equal('uppercase');
    expect(text(one(el.renderRoot, '[part="start-code-time"]'))).to.match(/^Startcode gültig noch (5:00|4:5\d) Min\.$/);
    await expect(el).to.be.accessible();
  });

  it('normalises the start code (case, spaces, dashes) and sends cobrowse.start', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    await consented(el, socket);
    // Enter in the field submits the form, as a click on the button does.
    const input = one<HTMLInputElement>(el.renderRoot, '[part="start-code-input"]');
    input.value = ' acde-fhjk ';
    input.form!.requestSubmit();
    await settled(el);
    expect(socket.sentOf('cobrowse.start')).to.deep.equal([
      { v: 1, type: 'cobrowse.start', sessionId: SESSION, startCode: 'ACDEFHJK' },
    ]);
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.equal('Der Startcode wird geprüft …');
    await expect(el).to.be.accessible();
  });

  it('does not send a start code of the wrong shape, and says what a start code looks like', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    await consented(el, socket);
    await typeStartCode(el, 'ABC');
    expect(socket.sentOf('cobrowse.start')).to.have.length(0);
    const error = one(el.renderRoot, '[part="cobrowse-error"]');
    expect(error.getAttribute('role')).to.equal('alert');
    expect(text(error)).to.equal('Ein Startcode hat 8 Zeichen aus Buchstaben und Ziffern.');
    await expect(el).to.be.accessible();
  });

  it('shows a wrong start code with the attempts left, in the panel and not console-wide', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    await consented(el, socket);
    await typeStartCode(el, 'ACDEFHJK');
    socket.receive({ type: 'error', code: 'LOTSE_ERR_INVALID_CODE', message: 'wrong start code', ref: SESSION });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="cobrowse-error"]'))).to.equal(
      'Der Startcode ist nicht richtig. Noch 4 Versuche.',
    );
    expect(text(one(el.renderRoot, '[part="problem"]'))).to.equal('');
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('Startcode ein');

    for (const left of ['3 Versuche', '2 Versuche', 'Noch ein Versuch.']) {
      await typeStartCode(el, 'ACDEFHJM');
      expect(text(one(el.renderRoot, '[part="cobrowse-error"]'))).to.equal('');
      socket.receive({ type: 'error', code: 'LOTSE_ERR_INVALID_CODE', message: 'wrong start code', ref: SESSION });
      await settled(el);
      expect(text(one(el.renderRoot, '[part="cobrowse-error"]'))).to.contain(left);
    }
    await expect(el).to.be.accessible();
  });

  it('says so when too many wrong start codes voided the session, and removes it on dismiss', async () => {
    const { el, socket } = await withChat();
    await offered(el, socket);
    await consented(el, socket);
    showRegion(el, 'context');
    await settled(el);
    const input = one<HTMLInputElement>(el.renderRoot, '[part="start-code-input"]');
    input.focus();
    const ended = oneEvent(el, 'lotse-advisor-cobrowse-change');
    socket.receive({ type: 'cobrowse.ended', sessionId: SESSION, by: 'void' });
    await settled(el);
    expect((await ended).detail).to.deep.equal({ sessionId: SESSION, chatId: CHAT, state: 'ended', by: 'void' });
    expect(text(one(el.renderRoot, '[part="cobrowse-status"]'))).to.contain('Zu viele falsche Startcodes');
    expect(all(el.renderRoot, '[part="start-code-input"]')).to.have.length(0);
    // The focus was in the form that is gone: it moves to what is left to do.
    const dismiss = one<HTMLButtonElement>(el.renderRoot, '[part="cobrowse-dismiss"]');
    await waitUntil(
      () =>
        dismiss.getRootNode() instanceof ShadowRoot && (dismiss.getRootNode() as ShadowRoot).activeElement === dismiss,
      'focus not moved',
    );
    await expect(el).to.be.accessible();
    dismiss.click();
    await settled(el);
    expect(all(el.renderRoot, 'lotse-cobrowse-panel')).to.have.length(0);
  });
});
