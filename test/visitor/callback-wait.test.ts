/**
 * The callback offer while the visitor's chat waits long in the queue (`chat.queue` with no advisor to take it,
 * `unstaffed`, or an estimate of 5 minutes or more; no estimate alone offers nothing): a small "Rückruf statt warten" under the queue text (`<lotse-callback queued>`), shown only
 * where the server offers callbacks, said once politely, never taking the focus. The chat runs on a fake socket
 * (`helpers.ts`); `GET <server>/callback` is answered from `fixtures/callback/callback` by a stand-in for `fetch`,
 * or refused (callbacks off). Checked: nothing is asked for a short wait; the form opens in place with the page's
 * topic; Cancel goes back to the offer; an accepted request ends the chat and the end view confirms it; an advisor
 * who takes the chat meanwhile removes the offer but not an open form.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import type { LotseCallback } from '../../src/visitor/lotse-callback.js';
import type { CallbackServer } from './callback-helpers.js';
import {
  connectedPopup,
  fillIn,
  inner,
  offerOf,
  offerShown,
  openForm,
  panelOf,
  standInCallbackServer,
  typePhone,
} from './callback-helpers.js';
import type { FakeSocket } from './helpers.js';
import { AT, hasPart, part } from './helpers.js';

describe('<lotse-chat-popup> callback offer while the chat waits long', () => {
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

  /** A started chat on a fake socket, waiting for an advisor. */
  async function waiting(lang = 'de', topic = ''): Promise<LotseChatPopup> {
    const connected = await connectedPopup(lang, topic);
    socket = connected.socket;
    socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: 'r'.repeat(32) });
    await connected.popup.updateComplete;
    return connected.popup;
  }

  it('nobody to take it: offers a callback without taking the focus; Cancel goes back; a request ends the chat', async () => {
    const popup = await waiting('de', 'beitraege');
    const focused = popup.shadowRoot?.activeElement;
    expect(focused?.getAttribute('part')).to.equal('composer');

    socket?.receive({ type: 'chat.queue', position: 1, waitSeconds: 120 });
    await popup.updateComplete;
    expect(panelOf(popup), 'a short wait offers nothing').to.equal(null);
    expect(server.asked, 'and asks nothing').to.deep.equal([]);
    socket?.receive({ type: 'chat.queue', position: 2 });
    await popup.updateComplete;
    expect(panelOf(popup), 'no estimate alone (too few accepts yet) offers nothing').to.equal(null);

    socket?.receive({ type: 'chat.queue', position: 2, unstaffed: true });
    const panel = await offerShown(popup);
    expect(server.asked).to.deep.equal(['?lang=de']);
    const open = offerOf(popup) as HTMLButtonElement;
    expect(open.textContent?.trim()).to.equal('Rückruf statt warten');
    expect(popup.shadowRoot?.activeElement, 'the focus stays where it was').to.equal(focused);
    expect(inner(panel, '[role="status"]').textContent).to.equal(
      'Das Warten kann länger dauern. Statt zu warten, können Sie einen Rückruf anfordern.',
    );
    // Under the queue text.
    expect(part(popup, 'queue').nextElementSibling).to.equal(panel);
    await expect(popup).to.be.accessible();

    await openForm(panel);
    expect(panel.shadowRoot?.activeElement?.id).to.equal('callback-heading');
    expect(inner<HTMLSelectElement>(panel, '#topic').value).to.equal('beitraege');
    await expect(popup).to.be.accessible();
    inner<HTMLButtonElement>(panel, 'button.secondary').click();
    await waitUntil(() => offerOf(popup), 'the offer did not come back');
    await panel.updateComplete;
    expect(panel.shadowRoot?.activeElement).to.equal(offerOf(popup));
    expect(socket?.sentOf('chat.end')).to.have.length(0);

    await fillIn(panel);
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await waitUntil(() => hasPart(popup, 'ended'), 'the chat did not end', { timeout: 5000 });
    await popup.updateComplete;
    expect(server.posted).to.have.length(1);
    expect(server.posted[0]?.['topic']).to.equal('beitraege');
    expect(socket?.sentOf('chat.end'), 'ended as by the end button').to.have.length(1);
    const done = part(popup, 'callback-done');
    expect(done.textContent).to.contain('Vielen Dank. Wir rufen Sie');
    expect(done.textContent).to.contain('+49301234567');
    expect(popup.shadowRoot?.activeElement, 'the confirmation has the focus').to.equal(done);
    expect(panelOf(popup)).to.equal(null);
    await expect(popup).to.be.accessible();
  });

  it('a long estimate, in English; an advisor who takes the chat removes the offer, not the open form', async () => {
    const popup = await waiting('en');
    socket?.receive({ type: 'chat.queue', position: 4, waitSeconds: 600 });
    const panel = await offerShown(popup);
    expect(offerOf(popup)?.textContent?.trim()).to.equal('Request a callback instead');
    expect(inner(panel, '[role="status"]').textContent).to.equal(
      'The wait may be long. Instead of waiting, you can request a callback.',
    );
    await openForm(panel);
    typePhone(panel, '0151 23456789');

    socket?.event({ kind: 'joined', advisor: 'Anna', at: AT });
    await popup.updateComplete;
    await panel.updateComplete;
    expect(hasPart(popup, 'queue')).to.equal(false);
    expect(panelOf(popup), 'the form stays').to.equal(panel);
    expect(inner<HTMLInputElement>(panel, '#phone').value, 'with what was typed').to.equal('0151 23456789');
    await expect(popup).to.be.accessible();

    inner<HTMLButtonElement>(panel, 'button.secondary').click();
    await panel.updateComplete;
    expect(offerOf(popup), 'no offer once an advisor has the chat').to.equal(null);
    expect(popup.shadowRoot?.activeElement?.getAttribute('part'), 'the focus goes to the composer').to.equal(
      'composer',
    );
    expect(inner(panel, '[role="status"]').textContent).to.equal('');
    expect(socket?.sentOf('chat.end')).to.have.length(0);
  });

  it('shows nothing where the server takes no callbacks', async () => {
    server.offered = false;
    const popup = await waiting();
    socket?.receive({ type: 'chat.queue', position: 1, unstaffed: true });
    await waitUntil(() => server.asked.length === 1, 'the offer was not asked for', { timeout: 5000 });
    const panel = panelOf(popup) as LotseCallback;
    await waitUntil(() => panel.shadowRoot !== null, 'not upgraded', { timeout: 5000 });
    await panel.updateComplete;
    expect(panel.shadowRoot?.querySelector('button, form')).to.equal(null);
    expect(inner(panel, '[role="status"]').textContent).to.equal('');
    await expect(popup).to.be.accessible();
  });
});
