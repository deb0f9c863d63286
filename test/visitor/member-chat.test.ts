/**
 * `<lotse-chat>` in the member area: the token handed over by attribute (read once, then gone from the DOM), by
 * property or by a provider; terms first and nothing on the network before them; no nickname; a clear, announced
 * message when the server finds the token expired (the chat waits for a new one) or refuses it (no chat).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LotseChat } from '../../src/visitor/lotse-chat.js';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import { AT, FakeSocket, FakeWebSocket, SERVER, acceptTerms, hasPart, openPopup, part } from './helpers.js';

const T1 = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkZW1vLW1lbWJlci0xIn0.c2lnbmF0dXJl';
const T2 = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkZW1vLW1lbWJlci0xIiwibiI6Mn0.c2lnbmF0dXJlMg';
const RESUME = 'r'.repeat(32);

/** Through the terms into a member chat on a fake socket (not yet opened). */
async function memberChat(chat: LotseChat): Promise<{ popup: LotseChatPopup; socket: FakeSocket }> {
  const popup = await openPopup(chat);
  popup.testOnlyWebSocket = FakeWebSocket;
  const before = FakeSocket.instances.length;
  await acceptTerms(popup);
  const socket = FakeSocket.instances[before];
  if (socket === undefined) throw new Error('no socket after the terms');
  return { popup, socket };
}

function problem(popup: LotseChatPopup): HTMLElement {
  return part(popup, 'problem');
}

describe('<lotse-chat> member chat', () => {
  let chat: LotseChat | undefined;

  afterEach(() => {
    chat?.remove();
    chat = undefined;
  });

  it('reads the member-token attribute once and takes it out of the DOM at once', async () => {
    chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER} member-token=${T1}></lotse-chat>`);
    expect(chat.hasAttribute('member-token')).to.equal(false);
    expect(document.body.innerHTML).to.not.contain(T1);
    chat.setAttribute('member-token', T2);
    expect(chat.hasAttribute('member-token')).to.equal(false);
    expect((chat as unknown as Record<string, unknown>)['memberToken']).to.equal(undefined, 'not readable back');

    const { popup, socket } = await memberChat(chat);
    socket.accept();
    expect(socket.sentOf('chat.start').map((frame) => frame['memberToken'])).to.deep.equal([T2], 'the last one set');
    await popup.updateComplete;
    expect(chat.outerHTML + (popup.shadowRoot?.innerHTML ?? '')).to.not.contain(T2);
  });

  it('goes from the terms straight to the conversation, says the member is signed in, sends no nickname', async () => {
    chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    chat.memberToken = T1;
    const started = oneEvent(chat, 'lotse-chat-start');
    const { popup, socket } = await memberChat(chat);
    await started;
    expect(hasPart(popup, 'nickname')).to.equal(false);
    socket.accept();
    const [start] = socket.sentOf('chat.start');
    expect(start?.['memberToken']).to.equal(T1);
    expect(start !== undefined && 'nickname' in start).to.equal(false);
    socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });
    await popup.updateComplete;
    expect(part(popup, 'member').textContent).to.equal(
      'Angemeldet im Mitgliederbereich. Die Beratung sieht Ihren Namen und Ihre Versichertennummer.',
    );
    expect(popup.shadowRoot?.activeElement).to.equal(part(popup, 'composer'));
    await expect(popup).to.be.accessible();

    socket.event({ kind: 'ended', by: 'advisor', at: AT });
    await popup.updateComplete;
    expect(part(popup, 'ended').textContent).to.contain('wie es die Nutzungsbedingungen beschreiben');
    expect(part(popup, 'ended').textContent).to.not.contain('gelöscht');
    await expect(popup).to.be.accessible();
  });

  it('speaks English too', async () => {
    chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER} lang="en"></lotse-chat>`);
    chat.memberToken = T1;
    const { popup, socket } = await memberChat(chat);
    socket.accept();
    socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });
    await popup.updateComplete;
    expect(part(popup, 'member').textContent).to.equal(
      'Signed in to the member area. The advisor sees your name and insurance number.',
    );
  });

  it('asks the provider only after the terms, once the socket is open, and again for every resume', async () => {
    chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    const tokens = [T1, T2];
    let calls = 0;
    chat.memberTokenProvider = async () => {
      calls += 1;
      return tokens.shift() ?? '';
    };
    const popup = await openPopup(chat);
    expect(calls).to.equal(0, 'not before the terms');
    popup.testOnlyWebSocket = FakeWebSocket;
    const before = FakeSocket.instances.length;
    await acceptTerms(popup);
    const socket = FakeSocket.instances[before]!;
    expect(calls).to.equal(0, 'not before the socket is open');
    socket.accept();
    await waitUntil(() => socket.sentOf('chat.start').length === 1, 'no start');
    expect(socket.sentOf('chat.start')[0]?.['memberToken']).to.equal(T1);
    socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });

    socket.close(1006);
    await waitUntil(() => FakeSocket.instances.length > before + 1, 'no reconnect');
    const again = FakeSocket.instances.at(-1)!;
    again.accept();
    await waitUntil(() => again.sentOf('chat.resume').length === 1, 'no resume');
    expect(again.sentOf('chat.resume')[0]?.['memberToken']).to.equal(T2);
    expect(calls).to.equal(2);
  });

  it('takes over a provider set on the element before its script defined it', async () => {
    class LateChat extends LotseChat {}
    const late = document.createElement('lotse-chat-late') as LotseChat;
    late.setAttribute('server', SERVER);
    late.memberTokenProvider = () => Promise.resolve(T1);
    document.body.append(late);
    customElements.define('lotse-chat-late', LateChat);
    try {
      expect(Object.hasOwn(late, 'memberTokenProvider')).to.equal(false);
      const { popup, socket } = await memberChat(late);
      expect(hasPart(popup, 'nickname')).to.equal(false);
      socket.accept();
      await waitUntil(() => socket.sentOf('chat.start').length === 1, 'no start');
      expect(socket.sentOf('chat.start')[0]?.['memberToken']).to.equal(T1);
    } finally {
      late.remove();
    }
  });

  it('says so when the token expired, fires lotse-member-token-expired, and goes on with a new token', async () => {
    chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    chat.memberToken = T1;
    const { popup, socket } = await memberChat(chat);
    socket.accept();
    socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });
    await popup.updateComplete;
    part<HTMLTextAreaElement>(popup, 'composer').value = 'Frage zur Rechnung';
    socket.close(1006);
    part(popup, 'send').click();
    await waitUntil(() => FakeSocket.instances.at(-1) !== socket, 'no reconnect');
    const again = FakeSocket.instances.at(-1)!;
    const expired = oneEvent(chat, 'lotse-member-token-expired');
    again.accept();
    again.receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_EXPIRED', message: 'token expired', ref: 'chat.resume' });
    const event = await expired;
    expect(event.bubbles && event.composed).to.equal(true);
    await popup.updateComplete;
    const alert = problem(popup);
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.equal(
      'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an. Ihr Chat und Ihre noch nicht gesendeten Nachrichten bleiben erhalten.',
    );
    expect(alert.textContent).to.not.contain('LOTSE_ERR');
    expect(hasPart(popup, 'composer')).to.equal(true, 'the chat goes on');
    expect(hasPart(popup, 'message-pending')).to.equal(true, 'the unsent message is kept');
    expect(again.sentOf('chat.resume')).to.have.length(1);
    await expect(popup).to.be.accessible();

    chat.memberToken = T1; // the same old one: tried once on request, and the page hears of it again
    const expiredAgain = oneEvent(chat, 'lotse-member-token-expired');
    again.receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_EXPIRED', message: 'token expired', ref: 'chat.resume' });
    await expiredAgain;

    chat.memberToken = T2;
    const resumes = again.sentOf('chat.resume');
    expect(resumes.map((frame) => frame['memberToken'])).to.deep.equal([T1, T1, T2]);
    again.receive({ type: 'chat.resumed', chatId: 'chat-0001', events: [] });
    await popup.updateComplete;
    expect(again.sentOf('chat.message').map((frame) => frame['text'])).to.deep.equal(['Frage zur Rechnung']);
    expect(problem(popup).textContent).to.equal('');
  });

  it('says so when the token is refused, and there is no chat', async () => {
    chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    chat.memberToken = T1;
    const { popup, socket } = await memberChat(chat);
    const ended = oneEvent(chat, 'lotse-chat-end');
    socket.accept();
    socket.receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_INVALID', message: 'bad signature', ref: 'chat.start' });
    expect((await ended).detail).to.deep.equal({ reason: 'lost' });
    await popup.updateComplete;
    expect(problem(popup).textContent).to.equal(
      'Ihre Anmeldung im Mitgliederbereich konnte nicht bestätigt werden. Bitte laden Sie die Seite neu oder melden Sie sich erneut an.',
    );
    expect(problem(popup).textContent).to.not.contain('signature');
    expect(part(popup, 'ended').textContent).to.equal('Der Chat konnte nicht geführt werden.');
    expect(hasPart(popup, 'composer')).to.equal(false);
    expect(socket.readyState).to.equal(3);
    const sockets = FakeSocket.instances.length;
    chat.memberToken = T2;
    expect(FakeSocket.instances.length).to.equal(sockets, 'nothing else happens');
    await expect(popup).to.be.accessible();
  });
});
