/**
 * The closed launcher's callback request, from fixtures (`fixtures/callback/`: `/availability` with
 * `callback: true`, `GET /callback` with two windows and a consent text). The POST is answered by a stand-in for
 * `fetch` (the real server's answers are the server and end-to-end tests' job). Checked: the offer joins the closed
 * notice only on click, the form and its errors are accessible (labels, errors tied to fields, focus on the first
 * error), the topic choice (the page's topic preselected where offered), and nothing is POSTed before the consent
 * box is ticked.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/visitor/lotse-chat.js';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import type { LotseCallback } from '../../src/visitor/lotse-callback.js';
import { chooseWindow, fillIn, inner, typePhone } from './callback-helpers.js';
import { SERVER, part } from './helpers.js';

const CALLBACK = new URL('callback/', SERVER).href;

interface Posted {
  url: string;
  body: Record<string, unknown>;
  credentials: RequestCredentials | undefined;
  type: string | null;
}

describe('<lotse-chat> callback request while closed', () => {
  const NativeFetch = window.fetch;
  let posted: Posted[] = [];
  /** The stand-in server's answer to the next POST (a 201 unless a test says otherwise). */
  let refuseWith: string | undefined;

  beforeEach(() => {
    posted = [];
    refuseWith = undefined;
    window.fetch = (input, init) => {
      if (init?.method === 'POST') {
        posted.push({
          url: String(input),
          body: JSON.parse(String(init.body)) as Record<string, unknown>,
          credentials: init.credentials,
          type: new Headers(init.headers).get('content-type'),
        });
        if (refuseWith !== undefined)
          return Promise.resolve(new Response(JSON.stringify({ error: refuseWith }), { status: 400 }));
        const body = { id: 'cb-test-0001', from: '2026-12-24T08:00:00.000Z', to: '2026-12-24T09:00:00.000Z' };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 201 }));
      }
      return NativeFetch(input, init);
    };
  });

  afterEach(() => {
    window.fetch = NativeFetch;
  });

  async function panelOf(lang: string, topic?: string): Promise<{ chat: LotseChat; panel: LotseCallback }> {
    const chat = await fixture<LotseChat>(
      html`<lotse-chat server=${CALLBACK} lang=${lang} topic=${topic ?? ''}></lotse-chat>`,
    );
    await waitUntil(() => chat.hasAttribute('closed'), 'the closed state did not show');
    expect(chat.shadowRoot?.querySelector('lotse-callback')).to.equal(null);
    part<HTMLButtonElement>(chat, 'launcher').click();
    await waitUntil(() => chat.shadowRoot?.querySelector('lotse-callback'), 'no callback offer');
    const panel = chat.shadowRoot?.querySelector('lotse-callback') as LotseCallback;
    await panel.updateComplete;
    return { chat, panel };
  }

  it('offers "Rückruf anfordern" with the closed notice, accessibly, and opens the form', async () => {
    const { chat, panel } = await panelOf('de');
    const open = inner<HTMLButtonElement>(panel, '[part~="callback-open"]');
    expect(open.textContent?.trim()).to.equal('Rückruf anfordern');
    expect(part(chat, 'closed-notice').parentElement).to.equal(panel);
    await expect(panel).to.be.accessible();
    open.click();
    await waitUntil(() => inner(panel, 'form'), 'no form');
    await panel.updateComplete;
    expect(panel.shadowRoot?.activeElement?.id).to.equal('callback-heading');
    expect(inner<HTMLSelectElement>(panel, '#window').options.length).to.equal(3);
    expect(inner(panel, '#consent-text').textContent).to.contain('Gespeichert wird nur die Telefonnummer');
    await expect(panel).to.be.accessible();
    expect(posted).to.deep.equal([]);
  });

  it('ties errors to their fields, focuses the first, and sends nothing before consent', async () => {
    const { panel } = await panelOf('de', 'leistungen');
    inner<HTMLButtonElement>(panel, '[part~="callback-open"]').click();
    await waitUntil(() => inner(panel, 'form'));
    const submit = (): void => inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    submit();
    await panel.updateComplete;
    const phone = inner<HTMLInputElement>(panel, '#phone');
    expect(phone.getAttribute('aria-invalid')).to.equal('true');
    expect(phone.getAttribute('aria-describedby')).to.equal('phone-hint phone-error');
    expect(inner(panel, '#phone-error').textContent).to.contain('gültige Telefonnummer');
    expect(inner(panel, '#window-error')).to.not.equal(null);
    expect(inner(panel, '#consent-error')).to.not.equal(null);
    expect(panel.shadowRoot?.activeElement).to.equal(phone);
    await expect(panel).to.be.accessible();

    typePhone(panel, '030 1234567');
    chooseWindow(panel, 2);
    submit();
    await panel.updateComplete;
    const consent = inner<HTMLInputElement>(panel, '#consent');
    expect(panel.shadowRoot?.activeElement).to.equal(consent);
    expect(consent.getAttribute('aria-describedby')).to.equal('consent-text consent-error');
    expect(posted).to.deep.equal([]);

    consent.click();
    submit();
    await waitUntil(() => inner(panel, '[part~="callback-done"]'), 'no confirmation');
    await panel.updateComplete;
    expect(posted).to.have.length(1);
    expect(posted[0]?.url).to.equal(new URL('callback', CALLBACK).href);
    expect(posted[0]?.credentials).to.equal('omit');
    expect(posted[0]?.type).to.equal('text/plain;charset=UTF-8');
    expect(posted[0]?.body).to.deep.equal({
      v: 1,
      phone: '030 1234567',
      window: '2026-12-24T08:00:00.000Z',
      topic: 'leistungen',
      consent: 'callback-test-1',
      lang: 'de',
    });
    const done = inner(panel, '[part~="callback-done"]');
    expect(done.textContent).to.contain('+49301234567');
    expect(done.textContent).to.contain('09:00–10:00 Uhr');
    expect(panel.shadowRoot?.activeElement).to.equal(done);
    await expect(panel).to.be.accessible();
  });

  it('speaks English, and Escape closes the panel with the focus on the launcher', async () => {
    const { chat, panel } = await panelOf('en');
    const open = inner<HTMLButtonElement>(panel, '[part~="callback-open"]');
    expect(open.textContent?.trim()).to.equal('Request a callback');
    open.click();
    await waitUntil(() => inner(panel, 'form'));
    await panel.updateComplete;
    expect(inner(panel, 'label[for="phone"]').textContent).to.equal('Phone number');
    inner<HTMLInputElement>(panel, '#phone').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    await waitUntil(() => panel.hidden, 'the panel stayed open');
    expect(chat.shadowRoot?.activeElement).to.equal(part(chat, 'launcher'));
    expect(posted).to.deep.equal([]);
  });

  const chooseTopic = (panel: LotseCallback, value: string): void => {
    const select = inner<HTMLSelectElement>(panel, '#topic');
    select.value = value;
    select.dispatchEvent(new Event('change'));
  };

  it("offers the server's topics, labelled, the page's topic preselected; the visitor may choose another", async () => {
    const { panel } = await panelOf('de', 'beitraege');
    await fillIn(panel);
    await panel.updateComplete;
    const topic = inner<HTMLSelectElement>(panel, '#topic');
    expect(topic.getAttribute('part')).to.equal('callback-topic');
    expect(inner(panel, 'label[for="topic"]').textContent).to.equal('Thema (freiwillig)');
    expect([...topic.options].map((option) => [option.value, option.textContent?.trim()])).to.deep.equal([
      ['', 'Kein bestimmtes Thema'],
      ['leistungen', 'Leistungen'],
      ['beitraege', 'Beiträge'],
    ]);
    expect(topic.value).to.equal('beitraege');
    expect(topic.required).to.equal(false);
    await expect(panel).to.be.accessible();
    chooseTopic(panel, 'leistungen');
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await waitUntil(() => posted.length === 1, 'nothing sent');
    expect(posted[0]?.body['topic']).to.equal('leistungen');
  });

  it("sends no topic when the visitor chose none, nor the page's when the server does not offer it", async () => {
    const { panel } = await panelOf('en', 'reisen');
    await fillIn(panel);
    await panel.updateComplete;
    const topic = inner<HTMLSelectElement>(panel, '#topic');
    expect(topic.value).to.equal('');
    expect(inner(panel, 'label[for="topic"]').textContent).to.equal('Topic (optional)');
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await waitUntil(() => posted.length === 1, 'nothing sent');
    expect(posted[0]?.body).to.not.have.property('topic');

    const second = await panelOf('de', 'leistungen');
    await fillIn(second.panel);
    chooseTopic(second.panel, '');
    inner<HTMLButtonElement>(second.panel, '[part~="callback-submit"]').click();
    await waitUntil(() => posted.length === 2, 'nothing sent');
    expect(posted[1]?.body).to.not.have.property('topic');
  });

  it('ties a refused topic to its field and moves the focus there', async () => {
    const { panel } = await panelOf('de', 'leistungen');
    await fillIn(panel);
    refuseWith = 'LOTSE_ERR_INVALID_TOPIC';
    inner<HTMLButtonElement>(panel, '[part~="callback-submit"]').click();
    await waitUntil(() => inner(panel, '#topic-error'), 'no topic error');
    await panel.updateComplete;
    const topic = inner<HTMLSelectElement>(panel, '#topic');
    expect(topic.getAttribute('aria-invalid')).to.equal('true');
    expect(topic.getAttribute('aria-describedby')).to.equal('topic-error');
    expect(inner(panel, '#topic-error').textContent).to.contain('Thema wird nicht mehr angeboten');
    expect(topic.value).to.equal('');
    expect(panel.shadowRoot?.activeElement).to.equal(topic);
    await expect(panel).to.be.accessible();
  });
});
