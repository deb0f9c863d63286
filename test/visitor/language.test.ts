/**
 * The visitor's elements follow the page's language live: a change of `document.documentElement.lang` labels the
 * launcher anew and renders the pop-up (its English texts loaded first), the co-browse view and the webcode field
 * again, in the other language; the terms shown are loaded again in it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LotseCobrowse } from '../../src/visitor/lotse-cobrowse.js';
import { FakeSocket, SERVER, hasViewPart, toTerms, useFakes, view, viewPart } from './cobrowse-helpers.js';
import { launcher, openPopup, part } from './helpers.js';

const setLang = (lang: string): void => {
  document.documentElement.lang = lang;
};

const words = (element: Element): string => (element.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('visitor elements and the page language', () => {
  beforeEach(() => setLang('de'));
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('labels the launcher anew when the page switches de → en → de', async () => {
    const chat = await launcher();
    const button = part(chat, 'launcher');
    expect(button.getAttribute('aria-label')).to.equal('Chat mit der Beratung');
    setLang('en');
    await waitUntil(() => button.getAttribute('aria-label') === 'Chat with an advisor', 'launcher still German');
    await expect(chat).to.be.accessible();
    setLang('de');
    await waitUntil(() => button.getAttribute('aria-label') === 'Chat mit der Beratung', 'launcher still English');
  });

  it('renders the open pop-up in English, its terms too, and back in German', async () => {
    const chat = await launcher();
    const popup = await openPopup(chat);
    const title = (): string => words(popup.shadowRoot!.querySelector('h2')!);
    const terms = (): string => words(part(popup, 'terms'));
    expect(title()).to.equal('Beratungs-Chat');
    expect(terms()).to.include('Nutzungsbedingungen für Tests');

    setLang('en');
    await waitUntil(() => title() === 'Advice chat', 'pop-up still German');
    await waitUntil(() => hasTerms(popup) && terms().includes('Terms for tests'), 'terms still German');
    expect(words(part(popup, 'terms-checkbox').closest('label')!)).to.equal(
      'I have read and accept the terms of use and participation.',
    );
    await expect(chat).to.be.accessible();

    setLang('de');
    await waitUntil(() => title() === 'Beratungs-Chat', 'pop-up still English');
    await waitUntil(() => hasTerms(popup) && terms().includes('Nutzungsbedingungen für Tests'), 'terms still English');
  });

  describe('co-browsing', () => {
    beforeEach(() => {
      useFakes();
      sessionStorage.clear();
    });
    afterEach(() => sessionStorage.clear());

    it('renders the start view and its terms in the other language, keeping the checkbox and its state', async () => {
      const host = await fixture<LotseCobrowse>(html`<lotse-cobrowse server=${SERVER}></lotse-cobrowse>`);
      const socket = await toTerms(host);
      const consent = (): string => words(viewPart(host, 'cobrowse-consent').closest('label')!);
      const checkbox = viewPart<HTMLInputElement>(host, 'cobrowse-consent');
      checkbox.click();
      await view(host).updateComplete;
      expect(consent()).to.equal('Bestätigung Nutzungs- und Teilnahmebedingungen');

      setLang('en');
      await waitUntil(() => consent() === 'Confirmation of terms of use and participation', 'start view still German');
      await waitUntil(
        () => hasViewPart(host, 'terms') && words(viewPart(host, 'terms')).includes('Co-browsing terms for tests'),
        'terms still German',
      );
      expect(words(viewPart(host, 'cobrowse-start'))).to.equal('Start co-browsing session');
      expect(viewPart(host, 'cobrowse-consent')).to.equal(checkbox);
      expect(checkbox.checked).to.equal(true);
      await expect(view(host)).to.be.accessible();

      setLang('de');
      await waitUntil(() => consent() === 'Bestätigung Nutzungs- und Teilnahmebedingungen', 'start view still English');
      // The terms are re-rendered once the German ones are loaded: absent for a moment, which is no failure.
      await waitUntil(
        () =>
          hasViewPart(host, 'terms') &&
          words(viewPart(host, 'terms')).includes('Nutzungsbedingungen zum Co-Browsing für Tests'),
        'terms still English',
      );
      expect(socket.sentOf('cobrowse.consent')).to.deep.equal([]);
      viewPart(host, 'cobrowse-cancel').click();
    });

    it('labels the webcode field anew', async () => {
      const host = await fixture<LotseCobrowse>(html`<lotse-cobrowse server=${SERVER} webcode-field></lotse-cobrowse>`);
      const label = (): string => words(host.shadowRoot!.querySelector('label')!);
      expect(label()).to.equal('Webcode für Co-Browsing');
      setLang('en');
      await waitUntil(() => label() === 'Co-browsing webcode', 'webcode field still German');
      expect(words(part(host, 'webcode-submit'))).to.equal('Open co-browsing');
      await expect(host).to.be.accessible();
      setLang('de');
      await waitUntil(() => label() === 'Webcode für Co-Browsing', 'webcode field still English');
      expect(FakeSocket.instances).to.have.length(0);
    });
  });
});

function hasTerms(popup: Element): boolean {
  return popup.shadowRoot?.querySelector('[part~="terms"]') !== null;
}
