import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import {
  FakeSocket,
  FakeWebSocket,
  SERVER,
  acceptTerms,
  hasPart,
  launcher,
  openPopup,
  part,
  submitNickname,
} from './helpers.js';

declare global {
  interface Window {
    __lotseXss?: boolean;
  }
}

describe('<lotse-chat-popup> terms and nickname', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('lang');
  });

  it('shows the terms as text paragraphs, never as HTML', async () => {
    const popup = await openPopup(await launcher());
    const paragraphs = [...(popup.shadowRoot?.querySelectorAll('[part~="terms"] p') ?? [])];
    expect(paragraphs.map((p) => p.textContent)).to.deep.equal([
      'Nutzungsbedingungen für Tests',
      '<img src=x onerror="window.__lotseXss = true"> bleibt Text.',
      'Dritter Absatz.',
    ]);
    expect(popup.shadowRoot?.querySelector('img')).to.equal(null);
    expect(window.__lotseXss).to.equal(undefined);
    await expect(popup).to.be.accessible();
  });

  it('shows the English terms and texts when the page is English', async () => {
    document.documentElement.lang = 'en';
    const popup = await openPopup(await launcher());
    expect(popup.shadowRoot?.querySelector('[part~="terms"] p')?.textContent).to.equal('Terms for tests');
    expect(part(popup, 'terms-accept').textContent?.trim()).to.equal('Accept and continue');
    expect(part(popup, 'terms-checkbox').closest('label')?.textContent?.trim()).to.equal(
      'I have read and accept the terms of use and participation.',
    );
    await expect(popup).to.be.accessible();
  });

  it('keeps the start button disabled until the box is ticked', async () => {
    const popup = await openPopup(await launcher());
    const accept = part<HTMLButtonElement>(popup, 'terms-accept');
    const box = part<HTMLInputElement>(popup, 'terms-checkbox');
    expect(box.closest('label')?.textContent?.trim()).to.equal(
      'Ich habe die Nutzungs- und Teilnahmebedingungen gelesen und akzeptiere sie.',
    );
    expect(accept.disabled).to.equal(true);
    box.click();
    await popup.updateComplete;
    expect(accept.disabled).to.equal(false);
    box.click();
    await popup.updateComplete;
    expect(accept.disabled).to.equal(true);
    accept.click();
    await popup.updateComplete;
    expect(hasPart(popup, 'nickname')).to.equal(false);
    await expect(popup).to.be.accessible();
  });

  it('shows progress, then a clear error with a retry when the terms cannot be loaded', async () => {
    const chat = await fixture<LotseChat>(html`<lotse-chat server="/test/visitor/fixtures/missing/"></lotse-chat>`);
    await chat.show();
    const popup = part(chat, 'popup');
    // The import of the terms cannot have finished within the same task.
    expect(popup.shadowRoot?.querySelector('[role="status"]')?.textContent).to.contain('werden geladen');
    await waitUntil(() => hasPart(popup, 'terms-retry'), 'no error shown');
    expect(popup.shadowRoot?.querySelector('[role="alert"]')?.textContent).to.contain('konnten nicht geladen werden');
    await expect(popup).to.be.accessible();

    chat.setAttribute('server', SERVER);
    part(popup, 'terms-retry').click();
    await waitUntil(() => hasPart(popup, 'terms-checkbox'), 'retry did not load the terms');
  });

  it('asks for a nickname of the right length, with inline validation', async () => {
    const popup = await openPopup(await launcher());
    await acceptTerms(popup);
    const input = part<HTMLInputElement>(popup, 'nickname');
    expect(popup.shadowRoot?.activeElement).to.equal(input);
    expect(input.maxLength).to.equal(40);
    expect(input.minLength).to.equal(2);
    expect(input.labels?.[0]?.textContent).to.equal('Ihr Spitzname');
    expect(popup.shadowRoot?.querySelectorAll('input').length, 'no other personal field').to.equal(1);
    await expect(popup).to.be.accessible();

    popup.testOnlyWebSocket = FakeWebSocket;
    const sockets = FakeSocket.instances.length;
    await submitNickname(popup, '  K ');
    const error = part(popup, 'nickname-error');
    expect(error.textContent).to.equal('Bitte geben Sie mindestens 2 Zeichen ein.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')?.split(' ')).to.include(error.id);
    expect(FakeSocket.instances.length, 'no connection for an invalid nickname').to.equal(sockets);
    await expect(popup).to.be.accessible();

    input.value = 'Ki';
    input.dispatchEvent(new Event('input'));
    await popup.updateComplete;
    expect(hasPart(popup, 'nickname-error')).to.equal(false);
    expect(input.getAttribute('aria-invalid')).to.equal('false');
  });

  it("refuses a nickname by the server's own rule: invisible and control characters, and too long", async () => {
    const chat = await launcher();
    const popup = await openPopup(chat);
    await acceptTerms(popup);
    popup.testOnlyWebSocket = FakeWebSocket;
    const sockets = FakeSocket.instances.length;
    for (const nickname of ['Kim\u202E', 'K\u200Bim', 'Ki\u000Bm']) {
      await submitNickname(popup, nickname);
      expect(part(popup, 'nickname-error').textContent, JSON.stringify(nickname)).to.contain('keine Steuerzeichen');
    }
    await submitNickname(popup, 'K'.repeat(41));
    expect(part(popup, 'nickname-error').textContent).to.equal('Bitte geben Sie höchstens 40 Zeichen ein.');
    expect(FakeSocket.instances.length, 'no connection for a nickname the server would refuse').to.equal(sockets);
    await expect(popup).to.be.accessible();
    chat.setAttribute('lang', 'en');
    await submitNickname(popup, 'Kim\u2066');
    expect(part(popup, 'nickname-error').textContent).to.contain('must not contain control characters or invisible');
    chat.remove();
  });

  it('starts the chat with the nickname, the terms version and the language', async () => {
    const chat = await launcher('en');
    const popup = await openPopup(chat);
    await acceptTerms(popup);
    popup.testOnlyWebSocket = FakeWebSocket;
    const started = new Promise<CustomEvent>((resolve) =>
      chat.addEventListener('lotse-chat-start', resolve, { once: true }),
    );
    await submitNickname(popup, '  Kim  ');
    expect((await started).detail).to.deep.equal({ termsVersion: 'test-1' });
    const socket = FakeSocket.instances.at(-1);
    expect(socket?.url).to.equal(new URL('ws/visitor', SERVER).href.replace(/^http/, 'ws'));
    socket?.accept();
    const [start, ...more] = socket?.sentOf('chat.start') ?? [];
    expect(more).to.have.length(0);
    expect(start).to.deep.include({ v: 1, type: 'chat.start', nickname: 'Kim', termsVersion: 'test-1', lang: 'en' });
    expect(String(start?.['startId'])).to.match(/^[A-Za-z0-9_-]{21}$/);
    chat.remove();
  });

  it('has inputs of at least 16px', async () => {
    const chat = await fixture<LotseChat>(
      html`<div style="font-size: 10px"><lotse-chat server=${SERVER}></lotse-chat></div>`,
    );
    const launcherEl = chat.querySelector('lotse-chat') ?? chat;
    const popup = await openPopup(launcherEl as LotseChat);
    await acceptTerms(popup);
    expect(parseFloat(getComputedStyle(part(popup, 'nickname')).fontSize)).to.be.at.least(16);
  });
});

describe('termsOf: the terms module, checked', () => {
  it('takes one language (what the server sends for ?lang=) or both (an older server), never a wrong shape', async () => {
    const { termsOf } = await import('../../src/visitor/terms-controller.js');
    expect(termsOf({ default: { version: '1', text: 'Nur Deutsch' } }, 'de')).to.deep.equal({
      version: '1',
      lang: 'de',
      text: 'Nur Deutsch',
    });
    expect(termsOf({ default: { version: '1', text: { de: 'Deutsch', en: 'English' } } }, 'en')).to.deep.equal({
      version: '1',
      lang: 'en',
      text: 'English',
    });
    for (const bad of [
      null,
      {},
      { default: { version: '', text: 'x' } },
      { default: { version: '1', text: 3 } },
      { default: { version: '1', text: { de: 'x' } } },
    ]) {
      expect(termsOf(bad, 'en'), JSON.stringify(bad)).to.equal(undefined);
    }
  });
});
