/**
 * The callback offer in the pop-up when the server refuses a chat for want of room (`LOTSE_ERR_BUSY`: the queue
 * is full; `LOTSE_ERR_TOO_MANY_WAITING`: this connection has as many chats waiting as it may). The chat runs on a
 * fake socket (`helpers.ts`); `GET <server>/callback` is answered from `fixtures/callback/callback` by a stand-in
 * for `fetch`, or refused (callbacks off). Checked: the offer shows only for those refusals and only where the
 * server offers callbacks, says why, is accessible, opens the form with the page's topic preselected, and sends the
 * request only after consent.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import type { LotseCallback } from '../../src/visitor/lotse-callback.js';
import type { CallbackServer } from './callback-helpers.js';
import {
  chooseWindow,
  connectedPopup,
  inner,
  offerShown,
  openForm,
  panelOf,
  standInCallbackServer,
  typePhone,
} from './callback-helpers.js';
import type { FakeSocket } from './helpers.js';
import { hasPart, part } from './helpers.js';

describe('<lotse-chat-popup> callback offer when there is no room', () => {
  let server: CallbackServer;
  let socket: FakeSocket | undefined;

  beforeEach(() => {
    server = standInCallbackServer();
  });

  afterEach(() => {
    server.restore();
    socket?.close();
    socket = undefined;
  });

  /** A start the fake server refuses with `code`: the pop-up on its end view. */
  async function refused(code: string, lang = 'de', topic = ''): Promise<LotseChatPopup> {
    const connected = await connectedPopup(lang, topic);
    socket = connected.socket;
    socket.receive({ type: 'error', code, message: 'no room', ref: 'chat.start' });
    await waitUntil(() => hasPart(connected.popup, 'ended'), 'the chat did not end');
    return connected.popup;
  }

  it('a full queue: says every advisor is busy and offers a callback, accessibly; the form sends after consent', async () => {
    const popup = await refused('LOTSE_ERR_BUSY', 'de', 'beitraege');
    const panel = await offerShown(popup);
    expect(server.asked).to.deep.equal(['?lang=de']);
    expect(panel.shadowRoot?.textContent).to.contain('Alle Beraterinnen und Berater sind gerade im Gespräch');
    expect(part(popup, 'ended').textContent).to.equal('Der Chat konnte nicht geführt werden.');
    await expect(popup).to.be.accessible();

    await openForm(panel);
    expect(panel.shadowRoot?.activeElement?.id).to.equal('callback-heading');
    expect(inner<HTMLSelectElement>(panel, '#topic').value).to.equal('beitraege');
    await expect(popup).to.be.accessible();
    typePhone(panel, '030 1234567');
    chooseWindow(panel, 1);
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await panel.updateComplete;
    expect(server.posted).to.deep.equal([]);
    expect(panel.shadowRoot?.activeElement?.id).to.equal('consent');

    inner<HTMLInputElement>(panel, '#consent').click();
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await waitUntil(() => inner(panel, '[part~="callback-done"]'), 'no confirmation');
    expect(server.posted).to.have.length(1);
    expect(server.posted[0]?.['topic']).to.equal('beitraege');
    expect(server.posted[0]?.['phone']).to.equal('030 1234567');
  });

  it('too many waiting from this connection: the offer in English; Cancel goes back to it', async () => {
    const popup = await refused('LOTSE_ERR_TOO_MANY_WAITING', 'en');
    const panel = await offerShown(popup);
    expect(panel.shadowRoot?.textContent).to.contain('All our advisors are busy right now');
    const open = inner<HTMLButtonElement>(panel, '[part~="callback-open"]');
    expect(open.textContent?.trim()).to.equal('Request a callback');
    open.click();
    await waitUntil(() => inner(panel, 'form'), 'no form');
    inner<HTMLButtonElement>(panel, 'button.secondary').click();
    await waitUntil(() => inner(panel, '[part~="callback-open"]'), 'the offer did not come back');
    await panel.updateComplete;
    expect(panel.shadowRoot?.activeElement).to.equal(inner(panel, '[part~="callback-open"]'));
    await expect(popup).to.be.accessible();
  });

  it('shows nothing where the server takes no callbacks', async () => {
    server.offered = false;
    const popup = await refused('LOTSE_ERR_BUSY');
    await waitUntil(() => server.asked.length === 1, 'the offer was not asked for', { timeout: 5000 });
    const panel = panelOf(popup) as LotseCallback;
    await panel.updateComplete;
    expect(panel.shadowRoot?.querySelector('button, form, p')).to.equal(null);
    await expect(popup).to.be.accessible();
  });

  it('offers no callback for a refusal that is not about room (a member token)', async () => {
    const popup = await refused('LOTSE_ERR_TOKEN_INVALID');
    expect(panelOf(popup)).to.equal(null);
    expect(server.asked).to.deep.equal([]);
  });
});
