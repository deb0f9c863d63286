import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
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
const XSS = ['<img src=x onerror="window.__lotseXss = true">', '<script>window.__lotseXss = true</script>'];
/** Within the nickname's 40 characters. */
const XSS_NICK = '<img src=x onerror=__lotseXss=1>';

function items(popup: Element, name = 'message'): HTMLElement[] {
  return [...(popup.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="log"] [part~="${name}"]`) ?? [])];
}

/** Isolated from its neighbours for the bidi algorithm: a `<bdi>`, or `dir="auto"` with `unicode-bidi: isolate`. */
function isolated(element: Element | null | undefined): boolean {
  if (element === null || element === undefined) return false;
  return (
    element.localName === 'bdi' ||
    (element.getAttribute('dir') === 'auto' && getComputedStyle(element).unicodeBidi === 'isolate')
  );
}

/** Types into the composer and clicks send; returns the client id of the message sent, if one was. */
async function send(
  popup: HTMLElement & { updateComplete: Promise<boolean> },
  socket: FakeSocket,
  text: string,
): Promise<string | undefined> {
  const before = socket.sentOf('chat.message').length;
  part<HTMLTextAreaElement>(popup, 'composer').value = text;
  part(popup, 'send').click();
  await popup.updateComplete;
  const sent = socket.sentOf('chat.message');
  return sent.length > before ? String(sent.at(-1)?.['id']) : undefined;
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
    expect(items(popup, 'notice').map((li) => li.textContent?.trim())).to.deep.equal([
      'Anna ist dem Chat beigetreten.',
    ]);

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

    socket.event({
      kind: 'message',
      id: String(sent?.['id']),
      from: 'visitor',
      text: 'Erste Zeile\nzweite Zeile',
      at: AT,
    });
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
    const ended = new Promise<CustomEvent>((resolve) =>
      chat.addEventListener('lotse-chat-end', resolve, { once: true }),
    );
    part(popup, 'end').click();
    expect(socket.sentOf('chat.end')).to.have.length(1);
    // Shown as ended at once, with the note that the server has not confirmed the deletion yet …
    expect((await ended).detail).to.deep.equal({ reason: 'ended', by: 'visitor' });
    await waitUntil(() => hasPart(popup, 'copy'));
    expect(part(popup, 'ended').textContent).to.match(/Sobald die Verbindung/);
    // … until the server's `ended` event confirms it.
    socket.event({ kind: 'ended', by: 'visitor', at: AT });
    await waitUntil(() => /gelöscht\.$/.test(part(popup, 'ended').textContent ?? ''));
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

  it('ends at once when the visitor ends before the server confirmed the start, and ends it there once it is', async () => {
    const chat = await launcher();
    started = { chat, popup: await openPopup(chat), socket: new FakeSocket('unused') };
    const { popup } = started;
    await acceptTerms(popup);
    popup.testOnlyWebSocket = FakeWebSocket;
    await submitNickname(popup, 'Kim');
    const ended = oneEvent(chat, 'lotse-chat-end');
    part(popup, 'end').click();
    expect((await ended).detail).to.deep.equal({ reason: 'ended', by: 'visitor' });
    await popup.updateComplete;
    expect(hasPart(popup, 'copy')).to.equal(true);
    // The start may have reached the server: once it answers, the end goes out too.
    const socket = FakeSocket.instances.at(-1)!;
    socket.accept();
    socket.receive({ type: 'chat.started', chatId: 'chat-000001', resumeToken: 'r'.repeat(32) });
    expect(socket.sentOf('chat.end')).to.have.length(1);
  });
  it('updates a pending message in place when the server confirms it, so the log announces it only once', async () => {
    started = await startChat();
    const { popup, socket } = started;
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    const id = await send(popup, socket, 'Eine Frage');
    const [pending] = items(popup, 'message-pending');
    expect(pending?.querySelector('.pending')?.textContent).to.equal('wird gesendet …');
    // The advisor answers before the echo arrives: a new item, and the pending one stays where it is.
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Moment bitte', at: AT });
    await popup.updateComplete;
    const list = part(popup, 'log').querySelector('ol')!;
    const changes = new MutationObserver(() => undefined);
    changes.observe(list, { childList: true });
    socket.event({ kind: 'message', id, from: 'visitor', text: 'Eine Frage', at: AT });
    await popup.updateComplete;
    const [mine] = items(popup, 'message-visitor');
    expect(mine, 'the very same <li>').to.equal(pending);
    expect(mine?.getAttribute('part')).to.equal('message message-visitor');
    expect(mine?.classList.contains('pending')).to.equal(false);
    expect(mine?.querySelector('.pending'), 'no pending mark').to.equal(null);
    expect(mine?.querySelector('time')?.textContent).to.equal(TIME);
    expect(items(popup, 'message-pending')).to.deep.equal([]);
    const removedOrAdded = changes.takeRecords().flatMap((record) => [...record.removedNodes, ...record.addedNodes]);
    expect(
      removedOrAdded.filter((node) => node instanceof HTMLLIElement),
      'no item removed or added',
    ).to.deep.equal([]);
    changes.disconnect();
    await expect(popup).to.be.accessible();
  });

  it('removes the alert once the problem is over: a later message of the visitor got through', async () => {
    started = await startChat();
    const { popup, socket } = started;
    const refused = await send(popup, socket, 'Viel zu lang');
    socket.receive({
      type: 'error',
      code: 'LOTSE_ERR_TOO_LONG',
      message: 'chat.message: text: max_length',
      ref: refused,
    });
    await popup.updateComplete;
    const problem = part(popup, 'problem');
    expect(problem.textContent).to.equal('Die Nachricht ist zu lang und wurde nicht gesendet.');
    expect(problem.checkVisibility()).to.equal(true);
    await expect(popup).to.be.accessible();

    const id = await send(popup, socket, 'Kürzer');
    socket.event({ kind: 'message', id, from: 'visitor', text: 'Kürzer', at: AT });
    await popup.updateComplete;
    expect(part(popup, 'problem'), 'the alert region stays in place for the next problem').to.equal(problem);
    expect(problem.textContent).to.equal('');
    expect(problem.checkVisibility(), 'the alert is gone').to.equal(false);
    await expect(popup).to.be.accessible();
  });

  it('keeps the rate-limit alert until that message got through on its retry, then removes it', async () => {
    started = await startChat();
    const { popup, socket } = started;
    const id = await send(popup, socket, 'Schnell');
    socket.receive({ type: 'error', code: 'LOTSE_ERR_RATE_LIMITED', message: 'slow down', ref: id });
    await popup.updateComplete;
    const problem = part(popup, 'problem');
    expect(problem.textContent).to.contain('gleich erneut gesendet');
    // Someone else's message is no sign that the visitor's got through.
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Hallo', at: AT });
    await popup.updateComplete;
    expect(problem.checkVisibility(), 'still waiting for the retry').to.equal(true);
    await waitUntil(() => socket.sentOf('chat.message').length === 2, 'the message was not sent again', {
      timeout: 5000,
    });
    socket.event({ kind: 'message', id, from: 'visitor', text: 'Schnell', at: AT });
    await popup.updateComplete;
    expect(problem.textContent).to.equal('');
    expect(problem.checkVisibility()).to.equal(false);
    await expect(popup).to.be.accessible();
  });

  it('isolates names and message texts, so that right-to-left text or direction marks cannot reorder their neighbours', async () => {
    started = await startChat();
    const { popup, socket } = started;
    const name = 'سارة';
    socket.event({ kind: 'joined', advisor: name, at: AT });
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: '\u202Eabc', at: AT });
    socket.receive({ type: 'chat.typing', typing: true });
    await send(popup, socket, 'שלום 123');
    const [advisor] = items(popup, 'message-advisor');
    const [pending] = items(popup, 'message-pending');
    expect(advisor?.querySelector('.text')?.textContent).to.equal('\u202Eabc');
    for (const element of [
      advisor?.querySelector('.who'),
      advisor?.querySelector('.text'),
      pending?.querySelector('.who'),
      pending?.querySelector('.text'),
    ]) {
      expect(isolated(element), element?.outerHTML).to.equal(true);
    }
    for (const [where, sentence] of [
      ['notice', items(popup, 'notice')[0]],
      ['advisor', part(popup, 'advisor')],
      ['typing', part(popup, 'typing')],
    ] as const) {
      const bdi = sentence?.querySelector('bdi');
      expect(bdi?.textContent, where).to.equal(name);
      expect(isolated(bdi), where).to.equal(true);
    }
    expect(part(popup, 'advisor').textContent, 'the sentence reads the same').to.equal(`Sie chatten mit ${name}`);
    await expect(popup).to.be.accessible();
  });

  it('sends the text as the server takes it: vertical tab and form feed become line breaks, nothing left means nothing sent', async () => {
    started = await startChat();
    const { popup, socket } = started;
    await send(popup, socket, 'Zeile eins\u000Bzeile zwei\u000Cdrei\u0007');
    expect(socket.sentOf('chat.message').map((frame) => frame['text'])).to.deep.equal(['Zeile eins\nzeile zwei\ndrei']);
    expect(part<HTMLTextAreaElement>(popup, 'composer').value).to.equal('');
    expect(await send(popup, socket, '\u0001\u0002 \u000B')).to.equal(undefined);
    expect(socket.sentOf('chat.message')).to.have.length(1);
    expect(items(popup, 'message-pending')).to.have.length(1);
    await expect(popup).to.be.accessible();
  });
});
