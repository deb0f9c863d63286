import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { FakeSocket } from './fake-socket.js';
import { all, assign, key, one, queueItem, settled, showRegion, signedIn, text, visitorMessage } from './helpers.js';

function composer(el: LotseAdvisorConsole): HTMLTextAreaElement {
  const visible = all<HTMLTextAreaElement>(el.renderRoot, '[part="composer"]').filter(
    (area) => area.offsetParent !== null,
  );
  if (visible.length !== 1) throw new Error(`expected one visible composer, found ${visible.length}`);
  return visible[0] as HTMLTextAreaElement;
}

function type(area: HTMLTextAreaElement, value: string): void {
  area.value = value;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function messages(el: LotseAdvisorConsole): { part: string; text: string }[] {
  return all(el.renderRoot, '[part~="message"]').map((li) => ({
    part: li.getAttribute('part') ?? '',
    text: text(one(li, '.text')),
  }));
}

async function acceptFromQueue(
  el: LotseAdvisorConsole,
  socket: FakeSocket,
  chatId: string,
  nickname: string,
): Promise<void> {
  socket.receive({
    type: 'queue.snapshot',
    now: Date.now(),
    items: [queueItem(chatId, nickname, Date.now(), 'Hallo')],
  });
  await settled(el);
  one<HTMLButtonElement>(el.renderRoot, '[part="accept"]').click();
}

describe('lotse-advisor-conversation (through the console)', () => {
  it('chat.assigned after accept opens the chat with an anonymous visitor card', async () => {
    const { el, socket } = await signedIn();
    await acceptFromQueue(el, socket, 'chat-aaaa-1', 'Kim');
    const accepted = oneEvent(el, 'lotse-advisor-chat-accept');
    await assign(el, socket, 'chat-aaaa-1', 'Kim', [visitorMessage(2, 'msg-visitor-1', 'Hallo')]);
    const event = await accepted;
    expect(event.detail).to.deep.equal({ chatId: 'chat-aaaa-1', visitor: { kind: 'anonymous', nickname: 'Kim' } });
    const card = one(el.renderRoot, 'lotse-visitor-card');
    expect(card.getAttribute('part')).to.equal('visitor-card');
    expect(text(card.shadowRoot!)).to.contain('Anonym').and.contain('Kim');
    expect(text(one(el.renderRoot, '[part="chat-tab"]'))).to.equal('Kim');
    const log = one(el.renderRoot, '[part="log"]');
    expect(log.firstElementChild?.tagName).to.equal('OL');
    expect([log.getAttribute('role'), log.getAttribute('aria-live'), log.getAttribute('aria-relevant')]).to.deep.equal([
      'log',
      'polite',
      'additions',
    ]);
    expect(text(one(el.renderRoot, '[part="system"]'))).to.equal('Anna Beraterin ist dem Chat beigetreten.');
    await waitUntil(
      () => one(el.renderRoot, 'lotse-advisor-conversation').shadowRoot!.activeElement === composer(el),
      'composer not focused after accept',
    );
    await expect(el).to.be.accessible();
  });

  it('renders messages in order, pending until the echo; Enter sends, Shift+Enter and IME Enter do not', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim', [visitorMessage(2, 'msg-visitor-1', 'Erste Frage')]);
    const area = composer(el);
    expect(area.labels?.[0] && text(area.labels[0])).to.equal('Nachricht an Kim');

    type(area, 'Zeile eins');
    expect(socket.sentOf('chat.typing')).to.deep.equal([
      { v: 1, type: 'chat.typing', chatId: 'chat-aaaa-1', typing: true },
    ]);
    key(area, { key: 'Enter', shiftKey: true });
    key(area, { key: 'Enter', isComposing: true });
    expect(socket.sentOf('chat.message')).to.have.length(0);
    key(area, { key: 'Enter' });
    await settled(el);
    const [sent] = socket.sentOf('chat.message');
    expect(sent).to.include({ chatId: 'chat-aaaa-1', text: 'Zeile eins' });
    expect(area.value).to.equal('');
    expect(messages(el)).to.deep.equal([
      { part: 'message message-visitor', text: 'Erste Frage' },
      { part: 'message message-pending', text: 'Zeile eins' },
    ]);

    socket.receive({
      type: 'chat.event',
      chatId: 'chat-aaaa-1',
      seq: 3,
      event: { kind: 'message', id: sent!.id, from: 'advisor', text: 'Zeile eins', at: Date.now() },
    });
    socket.receive({
      type: 'chat.event',
      chatId: 'chat-aaaa-1',
      seq: 4,
      event: { kind: 'message', id: 'msg-visitor-2', from: 'visitor', text: 'Danke', at: Date.now() },
    });
    await settled(el);
    expect(messages(el)).to.deep.equal([
      { part: 'message message-visitor', text: 'Erste Frage' },
      { part: 'message message-advisor', text: 'Zeile eins' },
      { part: 'message message-visitor', text: 'Danke' },
    ]);

    type(area, 'Per Knopf');
    one<HTMLButtonElement>(el.renderRoot, '[part="send"]').click();
    expect(socket.sentOf('chat.message').at(-1)?.text).to.equal('Per Knopf');
    await expect(el).to.be.accessible();
  });

  it('shows the visitor typing and clears it', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    const typing = one(el.renderRoot, '[part="typing"]');
    expect(text(typing)).to.equal('');
    socket.receive({ type: 'chat.typing', chatId: 'chat-aaaa-1', typing: true });
    await settled(el);
    expect(text(typing)).to.equal('Kim schreibt …');
    await expect(el).to.be.accessible();
    socket.receive({ type: 'chat.typing', chatId: 'chat-aaaa-1', typing: false });
    await settled(el);
    expect(text(typing)).to.equal('');
  });

  it('holds two chats in parallel: tabs switch, unread marks, sends go to the right chat', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    await assign(el, socket, 'chat-bbbb-2', 'Jo');
    const tabs = all<HTMLButtonElement>(el.renderRoot, '[part="chat-tab"]');
    expect(tabs.map((tab) => text(tab))).to.deep.equal(['Kim', 'Jo']);
    expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).to.deep.equal(['true', 'false']);

    tabs[1]!.click();
    await settled(el);
    expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).to.deep.equal(['false', 'true']);
    expect(
      text(
        one(one(el.renderRoot, 'lotse-advisor-context:not([hidden])').shadowRoot!, 'lotse-visitor-card').shadowRoot!,
      ),
    ).to.contain('Jo');
    type(composer(el), 'An Jo');
    key(composer(el), { key: 'Enter' });
    expect(socket.sentOf('chat.message').at(-1)).to.include({ chatId: 'chat-bbbb-2', text: 'An Jo' });

    socket.receive({ type: 'chat.event', chatId: 'chat-aaaa-1', ...visitorMessage(2, 'msg-visitor-1', 'Hallo?') });
    await settled(el);
    expect(text(one(tabs[0]!, '[part="unread"]'))).to.equal('1');
    expect(text(tabs[0]!)).to.contain('1 ungelesene Nachricht');
    await expect(el).to.be.accessible();

    key(tabs[1]!, { key: 'ArrowLeft' });
    await settled(el);
    expect(tabs[0]!.getAttribute('aria-selected')).to.equal('true');
    expect(el.shadowRoot!.activeElement).to.equal(tabs[0]);
    expect(all(tabs[0]!, '[part="unread"]')).to.have.length(0);
    showRegion(el, 'conversation'); // a narrow console: the chat list and the conversation are tabs
    await settled(el);
    type(composer(el), 'An Kim');
    key(composer(el), { key: 'Enter' });
    expect(socket.sentOf('chat.message').at(-1)).to.include({ chatId: 'chat-aaaa-1', text: 'An Kim' });
  });

  it('end sends chat.end; an ended chat shows a notice and dismiss removes it', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    one<HTMLButtonElement>(el.renderRoot, '[part="end"]').click();
    expect(socket.sentOf('chat.end')).to.deep.equal([{ v: 1, type: 'chat.end', chatId: 'chat-aaaa-1' }]);

    const ended = oneEvent(el, 'lotse-advisor-chat-end');
    socket.receive({
      type: 'chat.event',
      chatId: 'chat-aaaa-1',
      seq: 2,
      event: { kind: 'ended', by: 'visitor', at: Date.now() },
    });
    expect((await ended).detail).to.deep.equal({ chatId: 'chat-aaaa-1', reason: 'ended', by: 'visitor' });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="notice"]'))).to.equal('Kim hat den Chat beendet.');
    expect(all(el.renderRoot, '[part="composer"], [part="send"], [part="end"]')).to.have.length(0);
    await expect(el).to.be.accessible();

    one<HTMLButtonElement>(el.renderRoot, '[part="dismiss"]').click();
    await settled(el);
    expect(all(el.renderRoot, '[part="chat-tab"], lotse-advisor-conversation')).to.have.length(0);
    expect(text(el.renderRoot)).to.contain('Keine offenen Chats');
    expect(el.shadowRoot!.activeElement?.id).to.equal('chats-heading');
  });

  it('shows a lost chat with a notice', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    const ended = oneEvent(el, 'lotse-advisor-chat-end');
    socket.receive({ type: 'error', code: 'LOTSE_ERR_UNKNOWN_CHAT', message: 'gone', ref: 'chat-aaaa-1' });
    expect((await ended).detail).to.deep.equal({ chatId: 'chat-aaaa-1', reason: 'lost' });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="notice"]'))).to.contain('nicht mehr vorhanden');
    expect(text(one(el.renderRoot, '[part="chat-problem"]'))).to.contain('Diesen Chat gibt es nicht mehr');
    await expect(el).to.be.accessible();
  });

  it('renders markup from visitors as plain text', async () => {
    const { el, socket } = await signedIn();
    const nick = '<img src=x onerror=alert(1)>';
    const first = '<script>alert(1)</script><b>fett</b>';
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-aaaa-1', nick, Date.now(), first)],
    });
    await assign(el, socket, 'chat-bbbb-2', nick, [
      visitorMessage(2, 'msg-visitor-1', '<img src=x onerror=alert(2)><svg onload=alert(3)>'),
    ]);
    // The header's own icons are the only SVG (decorative, `aria-hidden`).
    expect(all(el.renderRoot, 'img, script, svg:not(.icon), b')).to.have.length(0);
    expect(text(one(el.renderRoot, '[part="queue-item"]')))
      .to.contain(nick)
      .and.contain(first);
    expect(text(one(el.renderRoot, '[part="chat-tab"]'))).to.equal(nick);
    expect(messages(el)[0]?.text).to.equal('<img src=x onerror=alert(2)><svg onload=alert(3)>');
    expect(one(el.renderRoot, '[part="accept"]').getAttribute('aria-label')).to.equal(`Chat mit ${nick} annehmen`);
    await expect(el).to.be.accessible();
  });

  it('speaks English under lang="en"', async () => {
    const { el, socket } = await signedIn({ lang: 'en' });
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    socket.receive({ type: 'chat.typing', chatId: 'chat-aaaa-1', typing: true });
    await settled(el);
    expect(text(one(el.renderRoot, 'lotse-visitor-card').shadowRoot!)).to.contain('Anonymous');
    expect(text(one(el.renderRoot, '[part="typing"]'))).to.equal('Kim is typing …');
    expect(text(one(el.renderRoot, '[part="end"]'))).to.equal('End chat');
    expect(composer(el).labels?.[0]?.textContent).to.equal('Message to Kim');
    await expect(el).to.be.accessible();
  });

  it('updates a pending message in place when its echo arrives, so the log announces it only once', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    type(composer(el), 'Guten Tag');
    key(composer(el), { key: 'Enter' });
    await settled(el);
    const pending = one(el.renderRoot, '[part~="message-pending"]');
    expect(text(pending)).to.contain('wird gesendet …');
    // The visitor writes before the echo arrives: a new item before it, the pending one stays.
    socket.receive({ type: 'chat.event', chatId: 'chat-aaaa-1', ...visitorMessage(2, 'msg-visitor-1', 'Hallo') });
    await settled(el);
    expect(one(el.renderRoot, '[part~="message-pending"]')).to.equal(pending);
    const [sent] = socket.sentOf('chat.message');
    socket.receive({
      type: 'chat.event',
      chatId: 'chat-aaaa-1',
      seq: 3,
      event: { kind: 'message', id: sent!.id, from: 'advisor', text: 'Guten Tag', at: Date.now() },
    });
    await settled(el);
    const mine = one(el.renderRoot, '[part~="message-advisor"]');
    expect(mine, 'the very same <li>').to.equal(pending);
    expect(mine.getAttribute('part')).to.equal('message message-advisor');
    expect(text(mine)).to.not.contain('wird gesendet');
    expect(mine.querySelector('time')).to.not.equal(null);
    expect(all(el.renderRoot, '[part~="message-pending"]')).to.have.length(0);
    expect(messages(el).map((m) => m.text)).to.deep.equal(['Hallo', 'Guten Tag']);
    await expect(el).to.be.accessible();
  });

  it('sends the text as the server takes it: vertical tab and form feed become line breaks, nothing left means nothing sent', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    type(composer(el), 'Zeile eins\u000Bzeile zwei\u000Cdrei\u0007');
    key(composer(el), { key: 'Enter' });
    expect(socket.sentOf('chat.message').map((m) => m.text)).to.deep.equal(['Zeile eins\nzeile zwei\ndrei']);
    expect(composer(el).value).to.equal('');
    type(composer(el), '\u0001 \u000C');
    key(composer(el), { key: 'Enter' });
    await settled(el);
    expect(socket.sentOf('chat.message')).to.have.length(1);
    expect(all(el.renderRoot, '[part~="message-pending"]')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('isolates nicknames and message texts in the queue, tabs, visitor card and conversation', async () => {
    const { el, socket } = await signedIn();
    const nick = 'Kim\u202E';
    const isolated = (element: Element | null | undefined): boolean =>
      element !== null &&
      element !== undefined &&
      (element.localName === 'bdi' ||
        (element.getAttribute('dir') === 'auto' && getComputedStyle(element).unicodeBidi === 'isolate'));
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-aaaa-1', 'سارة', Date.now(), 'שלום 123')],
    });
    await assign(el, socket, 'chat-bbbb-2', nick, [visitorMessage(2, 'msg-visitor-1', '\u202Eabc')]);
    socket.receive({ type: 'chat.typing', chatId: 'chat-bbbb-2', typing: true });
    type(composer(el), 'مرحبا');
    key(composer(el), { key: 'Enter' });
    await settled(el);
    const queued = one(el.renderRoot, '[part="queue-item"]');
    const card = one(el.renderRoot, 'lotse-visitor-card').shadowRoot!;
    const checks: [string, Element | null][] = [
      ['queue nickname', queued.querySelector('.nickname')],
      ['queue first message', queued.querySelector('.first')],
      ['tab', one(el.renderRoot, '[part="chat-tab"]').querySelector('bdi')],
      ['card', card.querySelector('[part="nickname"]')],
      ['message from', one(el.renderRoot, '[part~="message-visitor"]').querySelector('.from')],
      ['message text', one(el.renderRoot, '[part~="message-visitor"]').querySelector('.text')],
      ['pending text', one(el.renderRoot, '[part~="message-pending"]').querySelector('.text')],
      ['typing', one(el.renderRoot, '[part="typing"]').querySelector('bdi')],
      ['composer label', one(el.renderRoot, 'label[for="composer"]').querySelector('bdi')],
    ];
    for (const [where, element] of checks) expect(isolated(element), where).to.equal(true);
    expect(text(one(el.renderRoot, '[part="chat-tab"]').querySelector('bdi')!)).to.equal(nick);
    expect(one(el.renderRoot, '[part="typing"]').textContent?.trim()).to.equal(`${nick} schreibt …`);
    await expect(el).to.be.accessible();
  });
});
