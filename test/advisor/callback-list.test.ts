/**
 * The console's callback list on a fake socket: hidden until the server sends a `callback.list`, then the open
 * requests (number as a `tel:` link, window, topic), claim and done sent as messages, a colleague's claim without
 * buttons, a refusal beside its request, and each state checked with axe.
 */
import { expect } from '@open-wc/testing';
import '../../src/advisor/index.js';
import type { LotseCallbackList } from '../../src/advisor/lotse-callback-list.js';
import type { CallbackItem } from '../../src/protocol/callback.js';
import { all, settled, signedIn, text } from './helpers.js';

const FROM = Date.parse('2026-12-24T07:00:00Z');
const ITEMS: CallbackItem[] = [
  {
    id: 'cb-000000001',
    phone: '+49301234567',
    from: FROM,
    to: FROM + 3600_000,
    topic: 'leistungen',
    lang: 'de',
    requestedAt: FROM - 86_400_000,
  },
  {
    id: 'cb-000000002',
    phone: '+4915123456789',
    from: FROM + 3600_000,
    to: FROM + 7200_000,
    lang: 'en',
    requestedAt: FROM - 86_000_000,
    claimedBy: { id: 'a-2', name: 'Ben Berater' },
  },
];

function listOf(root: ShadowRoot | HTMLElement): LotseCallbackList | null {
  return (root as ShadowRoot).querySelector('lotse-callback-list');
}

describe('lotse-advisor-console: callback requests', () => {
  it('shows no list until the server offers callbacks, then the open requests, accessibly', async () => {
    const { el, socket } = await signedIn();
    expect(listOf(el.renderRoot as ShadowRoot) === null).to.equal(true);
    socket.receive({ type: 'callback.list', items: [] });
    await settled(el);
    const list = listOf(el.renderRoot as ShadowRoot);
    expect(list !== null).to.equal(true);
    const root = list?.renderRoot as ShadowRoot;
    expect(text(root.querySelector('[part~="callbacks-count"]') as Element)).to.equal('Keine offenen Rückrufwünsche');
    expect(root.querySelector('[part~="callbacks-count"]')?.getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();

    socket.receive({ type: 'callback.list', items: ITEMS });
    await settled(el);
    expect(text(root.querySelector('[part~="callbacks-count"]') as Element)).to.equal('2 offene Rückrufwünsche');
    const items = all(root, '[part~="callback"]');
    expect(items).to.have.length(2);
    const phone = items[0]?.querySelector('[part~="callback-phone"]');
    expect(phone?.getAttribute('href')).to.equal('tel:+49301234567');
    expect(text(items[0] as Element)).to.contain('leistungen');
    expect(text(items[1] as Element)).to.contain('Übernommen von Ben Berater');
    expect(items[1]?.querySelector('button') === null).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('claims and marks done over the socket; a refusal shows beside its request', async () => {
    const { el, socket } = await signedIn();
    socket.receive({ type: 'callback.list', items: ITEMS });
    await settled(el);
    const root = listOf(el.renderRoot as ShadowRoot)?.renderRoot as ShadowRoot;
    const claim = root.querySelector<HTMLButtonElement>('[part~="callback-claim"]');
    expect(claim?.getAttribute('aria-label')).to.equal('Rückruf an +49301234567 übernehmen');
    claim?.click();
    expect(socket.sent.at(-1)).to.deep.equal({ v: 1, type: 'callback.claim', id: 'cb-000000001' });

    socket.receive({ type: 'error', code: 'LOTSE_ERR_ALREADY_TAKEN', message: 'x', ref: 'cb-000000001' });
    await settled(el);
    const problem = root.querySelector('[part~="callback-problem"]');
    expect(problem?.getAttribute('role')).to.equal('alert');
    expect(problem?.closest('[part~="callback"]')?.getAttribute('data-id')).to.equal('cb-000000001');
    await expect(el).to.be.accessible();

    // The colleague's claim arrives: the refusal stays beside the request, which has no button now.
    const first = ITEMS[0] as CallbackItem;
    const mine: CallbackItem = { ...first, id: 'cb-000000003', claimedBy: { id: 'a-1', name: 'Anna Beraterin' } };
    socket.receive({
      type: 'callback.list',
      items: [{ ...first, claimedBy: { id: 'a-3', name: 'Cem Berater' } }, mine],
    });
    await settled(el);
    const items = all(root, '[part~="callback"]');
    expect(items[0]?.querySelector('[part~="callback-problem"]') !== null).to.equal(true);
    expect(items[0]?.querySelector('button') === null).to.equal(true);
    expect(text(items[1] as Element)).to.contain('Von Ihnen übernommen');
    items[1]?.querySelector<HTMLButtonElement>('[part~="callback-done"]')?.click();
    expect(socket.sent.at(-1)).to.deep.equal({ v: 1, type: 'callback.done', id: 'cb-000000003' });
    socket.receive({ type: 'callback.list', items: [ITEMS[1] as CallbackItem] });
    await settled(el);
    expect(all(root, '[part~="callback"]').length).to.equal(1);
    expect(root.querySelector('[part~="callback-problem"]') === null).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it("shows a request's topic by its label in the console's language (its id when not configured)", async () => {
    for (const [lang, label] of [
      ['de', 'Leistungen'],
      ['en', 'Benefits'],
    ] as const) {
      const { el, socket } = await signedIn({ lang });
      socket.receive({
        type: 'advisor.welcome',
        advisor: { id: 'a-1', name: 'Anna Beraterin' },
        presence: 'available',
        now: Date.now(),
        topics: [{ id: 'leistungen', label: { de: 'Leistungen', en: 'Benefits' } }],
      });
      const unknown: CallbackItem = { ...(ITEMS[0] as CallbackItem), id: 'cb-000000009', topic: 'reisen' };
      socket.receive({ type: 'callback.list', items: [ITEMS[0] as CallbackItem, unknown] });
      await settled(el);
      const root = listOf(el.renderRoot as ShadowRoot)?.renderRoot as ShadowRoot;
      const items = all(root, '[part~="callback"]');
      expect(text(items[0]?.querySelector('dl dd:nth-of-type(2)') as Element)).to.equal(label);
      expect(text(items[1]?.querySelector('dl dd:nth-of-type(2)') as Element)).to.equal('reisen');
      await expect(el).to.be.accessible();
    }
  });

  it('speaks English', async () => {
    const { el, socket } = await signedIn({ lang: 'en' });
    socket.receive({ type: 'callback.list', items: ITEMS });
    await settled(el);
    const root = listOf(el.renderRoot as ShadowRoot)?.renderRoot as ShadowRoot;
    expect(text(root.querySelector('h2') as Element)).to.equal('Callback requests');
    expect(text(root.querySelector('[part~="callback-claim"]') as Element)).to.equal('Take');
  });
});
