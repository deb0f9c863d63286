/**
 * The advisor's elements follow the page's language live: a change of `document.documentElement.lang` renders the
 * console and every element inside it (queue, conversation, visitor card) again, in the other language.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/advisor/index.js';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import { FakeSocket, FakeWebSocket } from './fake-socket.js';
import { SERVER, assign, one, queueItem, settled, text } from './helpers.js';

/** What the console shows in one language: its label, the queue's heading, the send button, the card's label. */
function shown(el: LotseAdvisorConsole): string[] {
  return [
    el.renderRoot.querySelector('section')?.getAttribute('aria-label') ?? '',
    text(one(el.renderRoot, '#heading')),
    text(one(el.renderRoot, '[part="send"]')),
    one(el.renderRoot, 'lotse-visitor-card').shadowRoot?.querySelector('section')?.getAttribute('aria-label') ?? '',
  ];
}

const GERMAN = ['Lotse Beratungskonsole', 'Warteschlange', 'Senden', 'Gesprächspartner'];
const ENGLISH = ['Lotse advisor console', 'Queue', 'Send', 'Visitor'];

describe('advisor elements and the page language', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('re-renders the console, its queue, conversation and visitor card when the page switches de → en → de', async () => {
    document.documentElement.lang = 'de';
    FakeSocket.instances = [];
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket} .token=${'token-1'}></lotse-advisor-console>`,
    );
    const socket = FakeSocket.last;
    socket.open();
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna Beraterin' },
      presence: 'available',
      now: Date.now(),
    });
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-bbbb-2', 'Jo', Date.now())] });
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    expect(shown(el)).to.deep.equal(GERMAN);

    document.documentElement.lang = 'en';
    await waitUntil(() => shown(el).join() === ENGLISH.join(), `still ${shown(el).join()}`);
    await settled(el);
    await expect(el).to.be.accessible();

    document.documentElement.lang = 'de';
    await waitUntil(() => shown(el).join() === GERMAN.join(), `still ${shown(el).join()}`);
    await expect(el).to.be.accessible();
  });

  it('leaves the elements alone when a lang elsewhere on the page changes', async () => {
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket}></lotse-advisor-console>`,
    );
    await settled(el);
    let renders = 0;
    const observer = new MutationObserver(() => (renders += 1));
    observer.observe(el.renderRoot, { subtree: true, childList: true, characterData: true, attributes: true });
    const other = document.createElement('p');
    document.body.append(other);
    other.lang = 'en';
    await new Promise((resolve) => setTimeout(resolve));
    await settled(el);
    observer.disconnect();
    other.remove();
    expect(renders).to.equal(0);
    expect(el.renderRoot.querySelector('section')?.getAttribute('aria-label')).to.equal('Lotse Beratungskonsole');
  });
});
