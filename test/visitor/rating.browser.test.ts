import { expect, waitUntil } from '@open-wc/testing';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import type { LotseChatRating } from '../../src/visitor/rating-part.js';
import { AT, SERVER, hasPart, part, startChat } from './helpers.js';
import type { Started } from './helpers.js';

/** The rating element in the pop-up, once loaded and rendered. */
async function rating(popup: LotseChatPopup): Promise<LotseChatRating> {
  await waitUntil(() => popup.shadowRoot!.querySelector('lotse-chat-rating')?.shadowRoot?.querySelector('p'));
  return popup.shadowRoot!.querySelector('lotse-chat-rating')!;
}

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
    const element = await rating(popup);
    expect(element.getAttribute('exportparts')).to.equal('rating,rating-score,rating-skip');
    const group = part(element, 'rating');
    expect(group.tagName).to.equal('FIELDSET');
    expect(group.querySelector('legend')?.textContent).to.equal('Wie zufrieden waren Sie mit der Beratung?');
    const buttons = [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="rating-score"]')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      '1 von 5',
      '2 von 5',
      '3 von 5',
      '4 von 5',
      '5 von 5',
    ]);
    await expect(popup).to.be.accessible();
    buttons[3]!.click();
    await waitUntil(() => element.shadowRoot!.querySelector('[role="status"]')?.textContent?.includes('Vielen Dank'));
    expect(sent).to.have.length(1);
    expect(sent[0]!.url).to.equal(new URL('rating', SERVER).href);
    expect(sent[0]!.init?.method).to.equal('POST');
    expect(sent[0]!.init?.credentials).to.equal('omit');
    expect(JSON.parse(String(sent[0]!.init?.body))).to.deep.equal({ ticket: TICKET, score: 4 });
    expect(hasPart(element, 'rating')).to.equal(false);
    buttons[0]!.click();
    expect(sent).to.have.length(1);
    await expect(popup).to.be.accessible();
  });

  it('can be skipped: nothing is sent, and focus goes to the copy button', async () => {
    started = await ended({ lang: 'en' });
    const { popup } = started;
    const element = await rating(popup);
    expect(part(element, 'rating').querySelector('legend')?.textContent).to.equal(
      'How satisfied were you with the advice?',
    );
    await expect(popup).to.be.accessible();
    part(element, 'rating-skip').click();
    await waitUntil(() => !hasPart(element, 'rating'));
    await waitUntil(() => popup.shadowRoot!.activeElement === part(popup, 'copy'));
    expect(sent).to.have.length(0);
    await expect(popup).to.be.accessible();
  });

  it('is not offered without a ticket (no advisor joined, or ratings off)', async () => {
    started = await ended({ ticket: false });
    expect(started.popup.shadowRoot!.querySelector('lotse-chat-rating')).to.equal(null);
    expect(sent).to.have.length(0);
  });
});
