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
import { FakeSocket, FakeWebSocket, SERVER, acceptTerms, hasPart, openPopup, part, submitNickname } from './helpers.js';
import { fixture, html } from '@open-wc/testing';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';

const OFFER = new URL('callback/callback', SERVER).href;

describe('<lotse-chat-popup> callback offer when there is no room', () => {
  const NativeFetch = window.fetch;
  let offered = true;
  let asked: string[] = [];
  let posted: Record<string, unknown>[] = [];
  let socket: FakeSocket | undefined;

  beforeEach(() => {
    offered = true;
    asked = [];
    posted = [];
    window.fetch = (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/fixtures/callback')) {
        if (init?.method === 'POST') {
          posted.push(JSON.parse(String(init.body)) as Record<string, unknown>);
          const body = { id: 'cb-busy-0001', from: '2026-12-24T07:00:00.000Z', to: '2026-12-24T08:00:00.000Z' };
          return Promise.resolve(new Response(JSON.stringify(body), { status: 201 }));
        }
        asked.push(url.search);
        if (!offered) return Promise.resolve(new Response('{"error":"LOTSE_ERR_CALLBACKS_OFF"}', { status: 404 }));
        return NativeFetch(OFFER);
      }
      return NativeFetch(input, init);
    };
  });

  afterEach(() => {
    window.fetch = NativeFetch;
    socket?.close();
    socket = undefined;
  });

  /** A start the fake server refuses with `code`: the pop-up on its end view. */
  async function refused(code: string, lang = 'de', topic = ''): Promise<LotseChatPopup> {
    const chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER} lang=${lang} topic=${topic}></lotse-chat>`);
    const popup = await openPopup(chat);
    await acceptTerms(popup);
    popup.testOnlyWebSocket = FakeWebSocket;
    const before = FakeSocket.instances.length;
    await submitNickname(popup, 'Kim');
    socket = FakeSocket.instances[before];
    if (socket === undefined) throw new Error('no socket');
    socket.accept();
    socket.receive({ type: 'error', code, message: 'no room', ref: 'chat.start' });
    await waitUntil(() => hasPart(popup, 'ended'), 'the chat did not end');
    return popup;
  }

  const callbackOf = (popup: LotseChatPopup): LotseCallback | null =>
    popup.shadowRoot?.querySelector('lotse-callback') ?? null;
  const inner = <T extends Element>(panel: LotseCallback, selector: string): T =>
    panel.shadowRoot?.querySelector(selector) as T;

  it('a full queue: says every advisor is busy and offers a callback, accessibly; the form sends after consent', async () => {
    const popup = await refused('LOTSE_ERR_BUSY', 'de', 'beitraege');
    await waitUntil(() => callbackOf(popup)?.shadowRoot?.querySelector('[part~="callback-open"]'), 'no offer', {
      timeout: 5000,
    });
    const panel = callbackOf(popup) as LotseCallback;
    await panel.updateComplete;
    expect(asked).to.deep.equal(['?lang=de']);
    expect(panel.shadowRoot?.textContent).to.contain('Alle Beraterinnen und Berater sind gerade im Gespräch');
    expect(part(popup, 'ended').textContent).to.equal('Der Chat konnte nicht geführt werden.');
    await expect(popup).to.be.accessible();

    inner<HTMLButtonElement>(panel, '[part~="callback-open"]').click();
    await waitUntil(() => inner(panel, 'form'), 'no form');
    await panel.updateComplete;
    expect(panel.shadowRoot?.activeElement?.id).to.equal('callback-heading');
    expect(inner<HTMLSelectElement>(panel, '#topic').value).to.equal('beitraege');
    await expect(popup).to.be.accessible();
    const phone = inner<HTMLInputElement>(panel, '#phone');
    phone.value = '030 1234567';
    phone.dispatchEvent(new Event('input'));
    const window = inner<HTMLSelectElement>(panel, '#window');
    window.selectedIndex = 1;
    window.dispatchEvent(new Event('change'));
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await panel.updateComplete;
    expect(posted).to.deep.equal([]);
    expect(panel.shadowRoot?.activeElement?.id).to.equal('consent');

    inner<HTMLInputElement>(panel, '#consent').click();
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await waitUntil(() => inner(panel, '[part~="callback-done"]'), 'no confirmation');
    expect(posted).to.have.length(1);
    expect(posted[0]?.['topic']).to.equal('beitraege');
    expect(posted[0]?.['phone']).to.equal('030 1234567');
  });

  it('too many waiting from this connection: the offer in English; Cancel goes back to it', async () => {
    const popup = await refused('LOTSE_ERR_TOO_MANY_WAITING', 'en');
    await waitUntil(() => callbackOf(popup)?.shadowRoot?.querySelector('[part~="callback-open"]'), 'no offer', {
      timeout: 5000,
    });
    const panel = callbackOf(popup) as LotseCallback;
    await panel.updateComplete;
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
    offered = false;
    const popup = await refused('LOTSE_ERR_BUSY');
    await waitUntil(() => asked.length === 1, 'the offer was not asked for', { timeout: 5000 });
    const panel = callbackOf(popup) as LotseCallback;
    await panel.updateComplete;
    expect(panel.shadowRoot?.querySelector('button, form, p')).to.equal(null);
    await expect(popup).to.be.accessible();
  });

  it('offers no callback for a refusal that is not about room (a member token)', async () => {
    const popup = await refused('LOTSE_ERR_TOKEN_INVALID');
    expect(callbackOf(popup)).to.equal(null);
    expect(asked).to.deep.equal([]);
  });
});
