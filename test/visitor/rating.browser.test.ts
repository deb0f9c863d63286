import { expect, waitUntil } from '@open-wc/testing';
import { AT, SERVER, hasPart, part, startChat } from './helpers.js';
import type { Started } from './helpers.js';

const TICKET = 'T1cket-'.padEnd(32, 'x');

/** A chat Anna held and ended; with a ticket unless `ticket: false`. */
async function ended(options: { ticket?: boolean; lang?: string } = {}): Promise<Started> {
  const started = await startChat('Kim', options.lang);
  const { popup, socket } = started;
  socket.event({ kind: 'joined', advisor: 'Anna', at: AT });
  if (options.ticket !== false) socket.receive({ type: 'chat.rating', ticket: TICKET });
  socket.event({ kind: 'ended', by: 'advisor', at: AT });
  await waitUntil(() => hasPart(popup, 'copy'));
  return started;
}

describe('<lotse-chat-popup> satisfaction rating', () => {
  const realFetch = window.fetch;
  let sent: { url: string; init: RequestInit | undefined }[] = [];
  let started: Started | undefined;

  beforeEach(() => {
    sent = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).endsWith('/rating')) return realFetch(input, init);
      sent.push({ url: String(input), init });
      return Promise.resolve(new Response(null, { status: 204 }));
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
    started?.chat.remove();
    started = undefined;
  });

  it('rates with one click: five named buttons in a group, the score sent once with the ticket, thanks said', async () => {
    started = await ended();
    const { popup } = started;
    const group = part(popup, 'rating');
    expect(group.tagName).to.equal('FIELDSET');
    expect(group.querySelector('legend')?.textContent).to.equal('Wie zufrieden waren Sie mit der Beratung?');
    const buttons = [...popup.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="rating-score"]')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      '1 von 5',
      '2 von 5',
      '3 von 5',
      '4 von 5',
      '5 von 5',
    ]);
    await expect(popup).to.be.accessible();
    buttons[3]!.click();
    await waitUntil(() =>
      popup.shadowRoot!.querySelector('.rating [role="status"]')?.textContent?.includes('Vielen Dank'),
    );
    expect(sent).to.have.length(1);
    expect(sent[0]!.url).to.equal(new URL('rating', SERVER).href);
    expect(sent[0]!.init?.method).to.equal('POST');
    expect(sent[0]!.init?.credentials).to.equal('omit');
    expect(JSON.parse(String(sent[0]!.init?.body))).to.deep.equal({ ticket: TICKET, score: 4 });
    expect(hasPart(popup, 'rating')).to.equal(false);
    await expect(popup).to.be.accessible();
  });

  it('can be skipped: nothing is sent, and focus goes to the copy button', async () => {
    started = await ended({ lang: 'en' });
    const { popup } = started;
    expect(part(popup, 'rating').querySelector('legend')?.textContent).to.equal(
      'How satisfied were you with the advice?',
    );
    part(popup, 'rating-skip').click();
    await waitUntil(() => !hasPart(popup, 'rating'));
    await waitUntil(() => popup.shadowRoot!.activeElement === part(popup, 'copy'));
    expect(sent).to.have.length(0);
    await expect(popup).to.be.accessible();
  });

  it('is not offered without a ticket (no advisor joined, or ratings off)', async () => {
    started = await ended({ ticket: false });
    expect(hasPart(started.popup, 'rating')).to.equal(false);
    expect(sent).to.have.length(0);
  });
});
