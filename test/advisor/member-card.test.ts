/**
 * A verified member on the advisor's side: the visitor card (badge, name, insurance number to copy), the queue
 * entry and the chat tab with name and badge; the anonymous card as it was; names and numbers always as text.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/advisor/lotse-visitor-card.js';
import type { LotseVisitorCard } from '../../src/advisor/lotse-visitor-card.js';
import type { VisitorCard } from '../../src/protocol/messages.js';
import { all, one, settled, signedIn, text } from './helpers.js';

const ERIKA: VisitorCard = { kind: 'member', name: 'Erika Mustermann', insuranceNumber: 'A123456780' };

async function card(visitor: VisitorCard, lang = 'de'): Promise<LotseVisitorCard> {
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${lang}><lotse-visitor-card .visitor=${visitor}></lotse-visitor-card></div>`,
  );
  const element = wrapper.querySelector('lotse-visitor-card') as LotseVisitorCard;
  await element.updateComplete;
  return element;
}

function inCard(element: LotseVisitorCard, name: string): HTMLElement {
  const found = element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (found === null || found === undefined) throw new Error(`no part ${name}`);
  return found;
}

describe('lotse-visitor-card: member', () => {
  const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
  afterEach(() => {
    if (clipboard !== undefined) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    getSelection()?.removeAllRanges();
  });

  function fakeClipboard(writeText: (text: string) => Promise<void>): void {
    Object.defineProperty(Navigator.prototype, 'clipboard', { configurable: true, get: () => ({ writeText }) });
  }

  it('shows the verified badge, the name and the insurance number, and is accessible', async () => {
    const element = await card(ERIKA);
    const badge = inCard(element, 'member-badge');
    expect(text(badge)).to.equal('Verifiziertes Mitglied');
    expect(badge.getAttribute('part')).to.equal('kind member-badge');
    expect(badge.querySelector('svg')?.getAttribute('aria-hidden')).to.equal('true');
    expect(text(inCard(element, 'member-name'))).to.equal('Erika Mustermann');
    const number = inCard(element, 'insurance-number');
    expect(text(number)).to.equal('A123456780');
    expect(getComputedStyle(number).fontFamily).to.contain('monospace');
    const terms = [...element.shadowRoot!.querySelectorAll('dt')].map((dt) => text(dt));
    expect(terms).to.deep.equal(['Name', 'Versichertennummer']);
    expect(element.shadowRoot!.querySelector('[part~="nickname"]')).to.equal(null);
    expect(text(element.shadowRoot!)).to.not.contain('Anonym');
    await expect(element).to.be.accessible();
  });

  it('copies the insurance number, and says so politely', async () => {
    const copied: string[] = [];
    fakeClipboard(async (value) => void copied.push(value));
    const element = await card(ERIKA);
    const button = inCard(element, 'copy-number');
    expect(button.getAttribute('aria-label')).to.equal('Versichertennummer kopieren');
    button.click();
    await waitUntil(() => copied.length === 1, 'nothing copied');
    expect(copied).to.deep.equal(['A123456780']);
    await element.updateComplete;
    const status = element.shadowRoot!.querySelector('[role="status"]')!;
    expect(text(status)).to.equal('Versichertennummer kopiert.');
    await expect(element).to.be.accessible();
  });

  it('selects the number for copying by hand where the clipboard is refused', async () => {
    fakeClipboard(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    const element = await card(ERIKA, 'en');
    inCard(element, 'copy-number').click();
    await waitUntil(() => text(element.shadowRoot!.querySelector('[role="status"]')!) !== '', 'no status');
    expect(String(getSelection())).to.equal('A123456780');
    expect(text(element.shadowRoot!.querySelector('[role="status"]')!)).to.contain('Ctrl+C');
    expect(text(inCard(element, 'member-badge'))).to.equal('Verified member');
  });

  it('renders markup in name and number as text', async () => {
    const element = await card({
      kind: 'member',
      name: '<img src=x onerror="window.__lotseXss = true">',
      insuranceNumber: '<b>A1</b><script>x</script>',
    });
    expect(element.shadowRoot!.querySelector('img, b, script:not([type])')).to.equal(null);
    expect(inCard(element, 'member-name').textContent).to.equal('<img src=x onerror="window.__lotseXss = true">');
    expect(inCard(element, 'insurance-number').textContent).to.equal('<b>A1</b><script>x</script>');
    expect((window as { __lotseXss?: boolean }).__lotseXss).to.equal(undefined);
  });
});

describe('lotse-visitor-card: anonymous, unchanged', () => {
  it('says "Anonym" and shows the nickname, without a badge', async () => {
    const element = await card({ kind: 'anonymous', nickname: 'Kim' });
    expect(text(inCard(element, 'kind'))).to.equal('Anonym');
    expect(text(inCard(element, 'nickname'))).to.equal('Kim');
    expect(element.shadowRoot!.querySelector('[part~="member-badge"], [part~="insurance-number"]')).to.equal(null);
    await expect(element).to.be.accessible();
  });
});

describe('lotse-advisor-console: a member in the queue and in a chat', () => {
  it('lists the member by verified name with the badge, and names them so in the tab and the conversation', async () => {
    const { el, socket } = await signedIn();
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [
        { chatId: 'chat-mmmm-1', visitor: ERIKA, since: Date.now() },
        { chatId: 'chat-aaaa-2', visitor: { kind: 'anonymous', nickname: 'Kim' }, since: Date.now() },
      ],
    });
    await settled(el);
    const [member, anonymous] = all(el.renderRoot, '[part="queue-item"]');
    expect(text(one(member!, '.nickname'))).to.equal('Erika Mustermann');
    expect(text(one(member!, '[part="member-badge"]'))).to.equal('Verifiziertes Mitglied');
    expect(one(member!, '[part="accept"]').getAttribute('aria-label')).to.equal(
      'Chat mit Erika Mustermann (verifiziertes Mitglied) annehmen',
    );
    expect(all(anonymous!, '[part="member-badge"]')).to.have.length(0);
    expect(one(anonymous!, '[part="accept"]').getAttribute('aria-label')).to.equal('Chat mit Kim annehmen');
    await expect(el).to.be.accessible();

    one<HTMLButtonElement>(member!, '[part="accept"]').click();
    socket.receive({
      type: 'chat.assigned',
      chatId: 'chat-mmmm-1',
      visitor: ERIKA,
      events: [{ seq: 1, event: { kind: 'joined', advisor: 'Anna Beraterin', at: Date.now() } }],
    });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="chat-tab"]'))).to.equal('Erika Mustermann Verifiziertes Mitglied');
    const visitorCard = one(el.renderRoot, 'lotse-visitor-card');
    expect(text(visitorCard.shadowRoot!)).to.contain('Verifiziertes Mitglied').and.contain('A123456780');
    const composer = one<HTMLTextAreaElement>(el.renderRoot, '[part="composer"]');
    expect(composer.labels?.[0] && text(composer.labels[0])).to.equal('Nachricht an Erika Mustermann');
    await expect(el).to.be.accessible();
  });
});
