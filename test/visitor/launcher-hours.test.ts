/**
 * The launcher while the chat is closed, from a fixture `availability` (Good Friday 2026, next opening Tuesday
 * 7 April 08:00 Berlin): one cookie-less request before any click, the closed state on the button, and on click
 * the notice with the next opening instead of the pop-up: no terms, no WebSocket.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/visitor/lotse-chat.js';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import { SERVER, part } from './helpers.js';

const CLOSED = new URL('closed/', SERVER).href;
const AVAILABILITY = '/test/visitor/fixtures/closed/availability';

function requests(): string[] {
  return performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
}

async function closedLauncher(lang: string): Promise<LotseChat> {
  const chat = await fixture<LotseChat>(html`<lotse-chat server=${CLOSED} lang=${lang}></lotse-chat>`);
  await waitUntil(() => chat.hasAttribute('closed'), 'the closed state did not show');
  return chat;
}

describe('<lotse-chat> while the chat is closed', () => {
  const NativeWebSocket = window.WebSocket;
  const NativeFetch = window.fetch;
  let sockets: unknown[] = [];
  let credentials: (RequestCredentials | undefined)[] = [];

  beforeEach(() => {
    sockets = [];
    credentials = [];
    window.WebSocket = class SpyWebSocket extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(url);
      }
    };
    window.fetch = (input, init) => {
      credentials.push(init?.credentials);
      return NativeFetch(input, init);
    };
    performance.setResourceTimingBufferSize(2000);
    performance.clearResourceTimings();
  });

  afterEach(() => {
    window.WebSocket = NativeWebSocket;
    window.fetch = NativeFetch;
  });

  it('makes exactly one request, cookie-less, before any click, and marks the button closed (German)', async () => {
    const chat = await closedLauncher('de');
    await waitUntil(() => requests().includes(AVAILABILITY));
    expect(requests()).to.deep.equal([AVAILABILITY]);
    expect(credentials).to.deep.equal(['omit']);
    const button = part<HTMLButtonElement>(chat, 'launcher');
    expect(button.getAttribute('aria-label')).to.equal('Chat mit der Beratung, gerade geschlossen');
    expect(part(chat, 'closed-notice').hidden).to.equal(true);
    expect(sockets).to.deep.equal([]);
    await expect(chat).to.be.accessible();
  });

  it('shows the closed notice with the next opening on click, in German; no terms, no WebSocket', async () => {
    const chat = await closedLauncher('de');
    const button = part<HTMLButtonElement>(chat, 'launcher');
    button.click();
    const notice = part(chat, 'closed-notice');
    await waitUntil(() => !notice.hidden, 'the notice did not open');
    expect(notice.textContent).to.equal('Der Chat ist gerade geschlossen. Wieder da: Dienstag, 08:00 Uhr');
    expect(notice.getAttribute('role')).to.equal('status');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.getAttribute('aria-controls')).to.equal(notice.id);
    expect(chat.shadowRoot?.querySelector('lotse-chat-popup')).to.equal(null);
    expect(
      requests().filter((path) => path !== AVAILABILITY),
      'no terms, no pop-up code',
    ).to.deep.equal([]);
    expect(sockets).to.deep.equal([]);
    await expect(chat).to.be.accessible();

    button.focus();
    await sendKeys({ press: 'Escape' });
    expect(notice.hidden).to.equal(true);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
  });

  it("speaks English, with the time in the hours' time zone", async () => {
    const chat = await closedLauncher('en');
    const button = part<HTMLButtonElement>(chat, 'launcher');
    expect(button.getAttribute('aria-label')).to.equal('Chat with an advisor, closed right now');
    button.click();
    const notice = part(chat, 'closed-notice');
    await waitUntil(() => !notice.hidden);
    // 06:00Z is 08:00 in Berlin, whatever the zone of this browser.
    expect(notice.textContent).to.match(/^The chat is closed right now\. Back: Tuesday( \d+ April at)? 08:00$/);
    await expect(chat).to.be.accessible();
    button.click();
    expect(notice.hidden).to.equal(true);
  });

  it('behaves as open when the availability cannot be read (the server still refuses a closed chat)', async () => {
    const chat = await fixture<LotseChat>(html`<lotse-chat server=${new URL('missing/', SERVER).href}></lotse-chat>`);
    await waitUntil(() => requests().some((path) => path.endsWith('/missing/availability')));
    part(chat, 'launcher').click();
    await waitUntil(() => chat.shadowRoot?.querySelector('lotse-chat-popup[open]'), 'pop-up did not open');
    expect(chat.hasAttribute('closed')).to.equal(false);
    chat.remove();
  });
});
