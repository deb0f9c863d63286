import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { define } from '../../src/dom/define.js';
import { LotseChat, defaultServer } from '../../src/visitor/lotse-chat.js';
import { POPUP_PARTS } from '../../src/visitor/popup-parts.js';
import {
  AT,
  FakeSocket,
  FakeWebSocket,
  SERVER,
  acceptTerms,
  hasPart,
  launcher,
  openPopup,
  part,
  startChat,
  submitNickname,
} from './helpers.js';

describe('<lotse-chat> launcher', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('lang');
  });

  it('is one labelled button in German by default, and accessible', async () => {
    const chat = await launcher();
    const button = part<HTMLButtonElement>(chat, 'launcher');
    expect(button.localName).to.equal('button');
    expect(button.getAttribute('aria-label')).to.equal('Chat mit der Beratung');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.querySelector('svg')?.getAttribute('aria-hidden')).to.equal('true');
    expect(chat.shadowRoot?.querySelector('lotse-chat-popup')).to.equal(null);
    await expect(chat).to.be.accessible();
  });

  it('speaks English when the document is English', async () => {
    document.documentElement.lang = 'en';
    const chat = await launcher();
    expect(part(chat, 'launcher').getAttribute('aria-label')).to.equal('Chat with an advisor');
    await expect(chat).to.be.accessible();
  });

  it('follows its own lang attribute', async () => {
    const chat = await launcher('en-GB');
    expect(part(chat, 'launcher').getAttribute('aria-label')).to.equal('Chat with an advisor');
    chat.setAttribute('lang', 'de');
    expect(part(chat, 'launcher').getAttribute('aria-label')).to.equal('Chat mit der Beratung');
  });

  it('styles itself with an adopted stylesheet and custom properties, nothing outside', async () => {
    const sheetsBefore = document.styleSheets.length;
    const chat = await fixture<LotseChat>(
      html`<lotse-chat server=${SERVER} style="--lotse-accent: rgb(1, 2, 3); --lotse-z-index: 7"></lotse-chat>`,
    );
    expect(chat.shadowRoot?.adoptedStyleSheets.length).to.equal(1);
    expect(chat.shadowRoot?.querySelector('style')).to.equal(null);
    expect(document.styleSheets.length).to.equal(sheetsBefore);
    expect(getComputedStyle(part(chat, 'launcher')).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(chat).zIndex).to.equal('7');
    expect(getComputedStyle(chat).position).to.equal('fixed');
    await expect(chat).to.be.accessible();
  });

  it('opens on click, moves focus into the pop-up, and toggles aria-expanded', async () => {
    const chat = await launcher();
    const button = part<HTMLButtonElement>(chat, 'launcher');
    const opened = oneEvent(chat, 'lotse-chat-open');
    const popup = await openPopup(chat);
    await opened;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.getAttribute('aria-controls')).to.equal(popup.id);
    expect(chat.shadowRoot?.getElementById(popup.id)).to.equal(popup);
    expect(popup.matches(':focus-within')).to.equal(true);
    const dialog = popup.shadowRoot?.querySelector('[role="dialog"]');
    const title = popup.shadowRoot?.getElementById(dialog?.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent).to.equal('Beratungs-Chat');
    await expect(chat).to.be.accessible();

    const closed = oneEvent(chat, 'lotse-chat-close');
    button.click();
    await closed;
    await popup.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(getComputedStyle(popup).display).to.equal('none');
    expect(popup.shadowRoot?.querySelector('[part~="terms-checkbox"]')?.checkVisibility()).to.equal(false);

    button.click();
    await oneEvent(chat, 'lotse-chat-open');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(chat.shadowRoot?.querySelectorAll('lotse-chat-popup').length).to.equal(1);
  });

  it('collapses on Escape anywhere in the pop-up and gives focus back to the launcher', async () => {
    const chat = await launcher();
    const popup = await openPopup(chat);
    part(popup, 'terms-checkbox').focus();
    const closed = oneEvent(chat, 'lotse-chat-close');
    await sendKeys({ press: 'Escape' });
    await closed;
    await popup.updateComplete;
    const button = part(chat, 'launcher');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(chat.shadowRoot?.activeElement).to.equal(button);
    expect(popup.open).to.equal(false);
    await expect(chat).to.be.accessible();
  });

  it('collapses with the minimise button in the header', async () => {
    const chat = await launcher();
    const popup = await openPopup(chat);
    part(popup, 'collapse').click();
    await popup.updateComplete;
    expect(part(chat, 'launcher').getAttribute('aria-expanded')).to.equal('false');
    expect(chat.shadowRoot?.activeElement).to.equal(part(chat, 'launcher'));
  });

  it('works with the keyboard only', async () => {
    const chat = await launcher();
    part(chat, 'launcher').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => chat.shadowRoot?.querySelector('lotse-chat-popup[open]'));
    const popup = part(chat, 'popup');
    await waitUntil(() => hasPart(popup, 'terms-checkbox'));
    expect(popup.matches(':focus-within')).to.equal(true);
    await sendKeys({ press: 'Tab' }); // minimise
    await sendKeys({ press: 'Tab' }); // terms text (scrollable)
    await sendKeys({ press: 'Tab' }); // checkbox
    expect(popup.shadowRoot?.activeElement).to.equal(part(popup, 'terms-checkbox'));
    // The space bar by its key value: puppeteer's WebDriver BiDi keyboard (Firefox) maps single characters and named
    // keys such as Enter or Tab, but has no name 'Space' ("Unknown key"); ' ' is the same key in both browsers.
    await sendKeys({ press: ' ' });
    await sendKeys({ press: 'Tab' });
    expect(popup.shadowRoot?.activeElement).to.equal(part(popup, 'terms-accept'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => hasPart(popup, 'nickname'));
    expect(popup.shadowRoot?.activeElement).to.equal(part(popup, 'nickname'));
  });

  it('tolerates being defined and loaded twice', async () => {
    expect(() => define('lotse-chat', class extends HTMLElement {})).not.to.throw();
    expect(customElements.get('lotse-chat')).to.equal(LotseChat);
    const again = '../../src/visitor/lotse-chat.ts?loaded=twice';
    await import(again);
    const loaded = performance.getEntriesByType('resource').some((entry) => entry.name.includes('loaded=twice'));
    expect(loaded, 'the module really ran a second time').to.equal(true);
    expect(customElements.get('lotse-chat')).to.equal(LotseChat);
    const chat = await launcher();
    expect(hasPart(chat, 'launcher')).to.equal(true);
  });

  it('derives the default server from the bundle URL, in the entry or in a chunk', () => {
    expect(defaultServer('https://chat.example.de/lotse/lotse.js')).to.equal('https://chat.example.de/');
    expect(defaultServer('https://chat.example.de/lotse/chunks/lotse-AbC.js')).to.equal('https://chat.example.de/');
    expect(defaultServer('https://example.de/beratung/lotse/lotse.js?v=2')).to.equal('https://example.de/beratung/');
    expect(defaultServer('http://localhost:8000/src/visitor/lotse-chat.ts')).to.equal('http://localhost:8000/src/');
  });

  it('takes its server from the attribute, or from its own URL', async () => {
    const chat = await launcher();
    expect(chat.server).to.equal(SERVER);
    chat.removeAttribute('server');
    expect(chat.server).to.equal(new URL('/src/', location.href).href);
  });

  it('lets the page style the pop-up through lotse-chat::part(), as docs/embedding.md promises', async () => {
    const style = document.createElement('style');
    style.textContent =
      'lotse-chat::part(composer) { outline-color: rgb(1, 2, 3) } lotse-chat::part(send) { outline-color: rgb(4, 5, 6) }';
    document.head.append(style);
    const { chat, popup } = await startChat();
    try {
      expect(popup.getAttribute('exportparts')).to.equal(POPUP_PARTS);
      expect(getComputedStyle(part(popup, 'composer')).outlineColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(part(popup, 'send')).outlineColor).to.equal('rgb(4, 5, 6)');
      await expect(chat).to.be.accessible();
    } finally {
      style.remove();
      chat.remove();
    }
  });

  it('exports every part the pop-up renders, from the terms to the end', async () => {
    const seen = new Set<string>();
    const collect = (root: Element): void => {
      for (const element of root.shadowRoot?.querySelectorAll('[part]') ?? [])
        for (const name of element.part) seen.add(name);
    };
    const chat = await launcher();
    const popup = await openPopup(chat);
    collect(popup);
    await acceptTerms(popup);
    await submitNickname(popup, 'K');
    collect(popup);
    popup.testOnlyWebSocket = FakeWebSocket;
    await submitNickname(popup, 'Kim');
    const socket = FakeSocket.instances.at(-1)!;
    socket.accept();
    socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: 'r'.repeat(32) });
    await popup.updateComplete;
    collect(popup);
    socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
    socket.event({ kind: 'message', id: 'adv-00001', from: 'advisor', text: 'Hallo', at: AT });
    socket.receive({ type: 'chat.typing', typing: true });
    part<HTMLTextAreaElement>(popup, 'composer').value = 'Frage';
    part(popup, 'send').click();
    const [sent] = socket.sentOf('chat.message');
    socket.event({ kind: 'message', id: String(sent?.['id']), from: 'visitor', text: 'Frage', at: AT });
    part<HTMLTextAreaElement>(popup, 'composer').value = 'Noch eine';
    part(popup, 'send').click();
    socket.receive({ type: 'error', code: 'LOTSE_ERR_RATE_LIMITED', message: 'slow down' });
    await popup.updateComplete;
    collect(popup);
    part(popup, 'end').click();
    await waitUntil(() => hasPart(popup, 'copy'));
    collect(popup);
    const exported = new Set(POPUP_PARTS.split(',').map((name) => name.trim()));
    expect(
      [...seen].filter((name) => !exported.has(name)),
      'rendered but not exported',
    ).to.deep.equal([]);
    expect(seen.size).to.be.at.least(20);
    chat.remove();
  });
});
