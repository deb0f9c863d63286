import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AT, FakeSocket, FakeWebSocket, acceptTerms, hasPart, launcher, openPopup, part, startChat, submitNickname } from './helpers.js';
import type { Started } from './helpers.js';

const TIME = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' }).format(AT);
const XSS = ['<img src=x onerror="window.__lotseXss = true">', '<script>window.__lotseXss = true</script>'];
/** Within the nickname's 40 characters. */
const XSS_NICK = '<img src=x onerror=__lotseXss=1>';

function items(popup: Element, name = 'message'): HTMLElement[] {
  return [...(popup.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="log"] [part~="${name}"]`) ?? [])];
}

describe('<lotse-chat-popup> conversation', () => {
  let started: Started | undefined;

  afterEach(() => {
    started?.chat.remove();
    started = undefined;
  });

  it('waits for an advisor, then names them; shows the connection state', async () => {
    started = await startChat();
    const { popup, socket } = started;
    expect(part(popup, 'waiting').textContent).to.contain('Wir verbinden Sie');
    expect(hasPart(popup, 'advisor')).to.equal(false);
    const status = part(popup, 'status');
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.equal('Verbunden');
    await expect(popup).to.be.accessible();

    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    await popup.updateComplete;
    expect(part(popup, 'advisor').textContent).to.equal('Sie chatten mit Anna');
    expect(hasPart(popup, 'waiting')).to.equal(false);
    expect(items(popup, 'notice').map((li) => li.textContent?.trim())).to.deep.equal(['Anna ist dem Chat beigetreten.']);

    const change = new Promise<CustomEvent>((resolve) =>
      started?.chat.addEventListener('lotse-connection-change', resolve, { once: true }),
    );
    socket.close(1006);
    expect((await change).detail).to.deep.equal({ state: 'reconnecting' });
    await popup.updateComplete;
    expect(status.textContent).to.contain('wiederhergestellt');
  });

  it('has a polite log that announces additions, with who and when for every message', async () => {
    started = await startChat();
    const { popup, socket } = started;
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Guten Tag!', at: AT });
    await popup.updateComplete;
    const log = part(popup, 'log');
    expect(log.querySelector('ol')).to.not.equal(null);
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');
    expect(log.getAttribute('aria-relevant')).to.equal('additions');
    expect(log.getAttribute('aria-label')).to.equal('Nachrichten');
    const [message] = items(popup, 'message-advisor');
    expect(message?.querySelector('.who')?.textContent).to.equal('Anna');
    expect(message?.querySelector('time')?.textContent).to.equal(TIME);
    expect(message?.querySelector('time')?.getAttribute('datetime')).to.equal(new Date(AT).toISOString());
    expect(message?.querySelector('.text')?.textContent).to.equal('Guten Tag!');
    await expect(popup).to.be.accessible();
  });

  it('sends on Enter, not on Shift+Enter, shows the message as pending until the server confirms it', async () => {
    started = await startChat();
    const { popup, socket } = started;
    const composer = part<HTMLTextAreaElement>(popup, 'composer');
    expect(composer.labels?.[0]?.textContent).to.equal('Ihre Nachricht');
    expect(composer.maxLength).to.equal(2000);
    expect(popup.shadowRoot?.activeElement).to.equal(composer);
    expect(parseFloat(getComputedStyle(composer).fontSize)).to.be.at.least(16);

    await sendKeys({ type: 'Erste Zeile' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'zweite Zeile' });
    expect(socket.sentOf('chat.message')).to.deep.equal([]);
    expect(socket.sentOf('chat.typing')[0]).to.deep.equal({ v: 1, type: 'chat.typing', typing: true });
    await sendKeys({ press: 'Enter' });
    await popup.updateComplete;

    const [sent] = socket.sentOf('chat.message');
    expect(sent?.['text']).to.equal('Erste Zeile\nzweite Zeile');
    expect(composer.value).to.equal('');
    const [pending] = items(popup, 'message-pending');
    expect(pending?.getAttribute('part')).to.equal('message message-pending');
    expect(pending?.textContent).to.contain('wird gesendet …');
    expect(pending?.querySelector('.text')?.textContent).to.equal('Erste Zeile\nzweite Zeile');
    await expect(popup).to.be.accessible();

    socket.event({ kind: 'message', id: String(sent?.['id']), from: 'visitor', text: 'Erste Zeile\nzweite Zeile', at: AT });
    await popup.updateComplete;
    expect(items(popup, 'message-pending')).to.deep.equal([]);
    const [mine] = items(popup, 'message-visitor');
    expect(mine?.querySelector('.who')?.textContent).to.equal('Sie');
    expect(mine?.querySelector('time')?.textContent).to.equal(TIME);
  });

  it('sends with the send button and ignores an empty message', async () => {
    started = await startChat();
    const { popup, socket } = started;
    part(popup, 'send').click();
    await popup.updateComplete;
    expect(socket.sentOf('chat.message')).to.deep.equal([]);
    part<HTMLTextAreaElement>(popup, 'composer').value = '  Frage  ';
    part(popup, 'send').click();
    expect(socket.sentOf('chat.message').map((frame) => frame['text'])).to.deep.equal(['Frage']);
  });

  it('renders markup in nickname and messages as plain text', async () => {
    started = await startChat(XSS_NICK);
    const { popup, socket } = started;
    socket.event({ kind: 'joined', advisor: XSS[1], at: AT });
    for (const [i, text] of XSS.entries()) {
      socket.event({ kind: 'message', id: `adv-0000${i}`, from: 'advisor', text, at: AT });
    }
    const composer = part<HTMLTextAreaElement>(popup, 'composer');
    composer.value = XSS[1] ?? '';
    part(popup, 'send').click();
    await popup.updateComplete;
    expect(socket.sentOf('chat.start')[0]?.['nickname']).to.equal(XSS_NICK);
    expect(items(popup, 'message-advisor').map((li) => li.querySelector('.text')?.textContent)).to.deep.equal(XSS);
    expect(items(popup, 'message-advisor')[0]?.querySelector('.who')?.textContent).to.equal(XSS[1]);
    expect(items(popup, 'message-pending')[0]?.querySelector('.text')?.textContent).to.equal(XSS[1]);
    expect(part(popup, 'advisor').textContent).to.equal(`Sie chatten mit ${XSS[1]}`);
    expect(popup.shadowRoot?.querySelectorAll('img, script').length).to.equal(0);
    expect((window as { __lotseXss?: boolean }).__lotseXss).to.equal(undefined);
  });

  it('shows the advisor typing and clears it', async () => {
    started = await startChat();
    const { popup, socket } = started;
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    socket.receive({ type: 'chat.typing', typing: true });
    await popup.updateComplete;
    expect(part(popup, 'typing').textContent).to.equal('Anna schreibt …');
    await expect(popup).to.be.accessible();
    socket.receive({ type: 'chat.typing', typing: false });
    await popup.updateComplete;
    expect(hasPart(popup, 'typing')).to.equal(false);
  });

  it('tells problems in the visitor language in an alert', async () => {
    started = await startChat('Kim', 'en');
    const { popup, socket } = started;
    socket.receive({ type: 'error', code: 'LOTSE_ERR_TOO_LONG', message: 'chat.message: text: max_length' });
    await popup.updateComplete;
    const problem = part(popup, 'problem');
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(problem.textContent).to.equal('The message is too long and was not sent.');
    await expect(popup).to.be.accessible();
  });

  it('ends the chat with the end button', async () => {
    started = await startChat();
    const { chat, popup, socket } = started;
    part(popup, 'end').click();
    expect(socket.sentOf('chat.end')).to.have.length(1);
    const ended = new Promise<CustomEvent>((resolve) => chat.addEventListener('lotse-chat-end', resolve, { once: true }));
    socket.event({ kind: 'ended', by: 'visitor', at: AT });
    expect((await ended).detail).to.deep.equal({ reason: 'ended', by: 'visitor' });
    await waitUntil(() => hasPart(popup, 'copy'));
    expect(hasPart(popup, 'composer')).to.equal(false);
    expect(popup.shadowRoot?.activeElement, 'focus moved from the gone composer').to.equal(part(popup, 'copy'));
  });

  it('goes on in the background while collapsed, and nothing inside is focusable', async () => {
    started = await startChat();
    const { chat, popup, socket } = started;
    chat.hide();
    await popup.updateComplete;
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Noch da?', at: AT });
    await popup.updateComplete;
    expect(getComputedStyle(popup).display).to.equal('none');
    expect(part(popup, 'composer').checkVisibility()).to.equal(false);
    await chat.show();
    expect(items(popup, 'message-advisor')).to.have.length(1);
    expect(popup.shadowRoot?.activeElement).to.equal(part(popup, 'composer'));
  });

  it('ends the chat and leaves nothing open when removed from the page, but not when moved', async () => {
    started = await startChat();
    const { chat, popup, socket } = started;
    const parent = chat.parentElement;
    chat.remove();
    parent?.append(chat);
    await Promise.resolve();
    expect(socket.readyState, 'moved: still open').to.equal(1);

    chat.remove();
    await waitUntil(() => socket.readyState === 3);
    expect(socket.sentOf('chat.end')).to.have.length(1);
    expect(hasPart(popup, 'composer'), 'forgotten: back at the terms').to.equal(false);
  });

  it('ends at once when the visitor ends before the server confirmed the start', async () => {
    const chat = await launcher();
    started = { chat, popup: await openPopup(chat), socket: new FakeSocket('unused') };
    const { popup } = started;
    await acceptTerms(popup);
    popup.testOnlyWebSocket = FakeWebSocket;
    await submitNickname(popup, 'Kim');
    const ended = oneEvent(chat, 'lotse-chat-end');
    part(popup, 'end').click();
    expect((await ended).detail).to.deep.equal({ reason: 'lost' });
    await popup.updateComplete;
    expect(hasPart(popup, 'copy')).to.equal(true);
    expect(FakeSocket.instances.at(-1)?.readyState).to.equal(3);
  });
});
