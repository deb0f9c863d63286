/**
 * The conversation outlives the visitor's page, as the console shows it: the presence line and its delayed, polite
 * announcement, away markers on tabs and queue items, queue positions, read receipts both ways, and the end of a
 * chat whose visitor did not come back.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { LotseAdvisorConversation } from '../../src/advisor/lotse-advisor-conversation.js';
import type { PresenceTiming } from '../../src/advisor/presence-notice.js';
import { timeOf } from '../../src/i18n/time.js';
import type { FakeSocket } from './fake-socket.js';
import { all, assign, one, queueItem, settled, signedIn, text, visitorMessage } from './helpers.js';

const CHAT = 'chat-aaaa-1';

/** Every text a live region had, with when (performance.now()), from a mutation observer: nothing is missed. */
function record(region: HTMLElement): { texts: { text: string; at: number }[]; stop: () => void } {
  const texts: { text: string; at: number }[] = [];
  const observer = new MutationObserver(() => texts.push({ text: text(region), at: performance.now() }));
  observer.observe(region, { childList: true, characterData: true, subtree: true });
  return { texts, stop: () => observer.disconnect() };
}

async function withChat(options: { lang?: string; timing?: PresenceTiming } = {}) {
  const { el, socket } = await signedIn(options.lang === undefined ? {} : { lang: options.lang });
  await assign(el, socket, CHAT, 'Kim');
  const conversation = one<LotseAdvisorConversation>(el.renderRoot, 'lotse-advisor-conversation');
  if (options.timing !== undefined) conversation.presenceTiming = options.timing;
  const presence = async (present: boolean) => {
    socket.receive({ type: 'chat.presence', chatId: CHAT, present });
    await settled(el);
  };
  return { el, socket, conversation, presence };
}

const line = (el: LotseAdvisorConsole) => all(el.renderRoot, '[part="visitor-presence"]');
const status = (el: LotseAdvisorConsole) => one(el.renderRoot, '#presence-status');

describe('lotse-advisor-console: the visitor leaves the page and comes back', () => {
  it('shows the line at once and announces "left" politely, only once the visitor has stayed away', async () => {
    const delay = 300;
    const { el, presence } = await withChat({ timing: { announceAfterMs: delay, backVisibleMs: 60_000 } });
    const region = status(el);
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.getAttribute('aria-live'), 'polite, as role=status is; never assertive').to.equal(null);
    expect(line(el)).to.have.length(0);
    const heard = record(region);
    const left = performance.now();
    await presence(false);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim hat die Seite verlassen');
    expect(one(el.renderRoot, '[part="visitor-presence"]').getAttribute('aria-hidden'), 'the region speaks').to.equal(
      'true',
    );
    await waitUntil(() => text(region) !== '', 'never announced', { timeout: 5_000 });
    expect(heard.texts.map((item) => item.text)).to.deep.equal(['Kim hat die Seite verlassen']);
    expect(heard.texts[0]!.at - left, 'not before the delay').to.be.at.least(delay - 1);
    expect(
      one(el.renderRoot, 'lotse-advisor-conversation').shadowRoot!.querySelector('#presence-status'),
      'the same region, always in the DOM',
    ).to.equal(region);
    await expect(el).to.be.accessible();

    await presence(true);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim ist wieder da');
    expect(text(region), '"back" after "left" was heard').to.equal('Kim ist wieder da');
    heard.stop();
    await expect(el).to.be.accessible();
  });

  it('a quick navigation shows on screen but is never announced; "back" fades', async () => {
    const { el, presence } = await withChat({ timing: { announceAfterMs: 100, backVisibleMs: 400 } });
    const heard = record(status(el));
    await presence(false);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim hat die Seite verlassen');
    await presence(true);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim ist wieder da');
    // The fade comes after the moment "left" would have been announced, had it not been called off.
    await waitUntil(() => line(el).length === 0, 'the line never faded', { timeout: 5_000 });
    heard.stop();
    expect(
      heard.texts.filter((item) => item.text !== ''),
      'nothing was announced',
    ).to.deep.equal([]);
    expect(text(status(el))).to.equal('');
  });

  it('marks the chat tab while the visitor is away, with a text for screen readers', async () => {
    const { el, presence } = await withChat();
    const tab = one(el.renderRoot, '[part="chat-tab"]');
    expect(all(tab, '[part="visitor-away"]')).to.have.length(0);
    await presence(false);
    const marker = one(tab, '[part="visitor-away"]');
    expect(text(marker)).to.equal('Seite verlassen');
    expect(text(tab)).to.equal('Kim Seite verlassen');
    expect(marker.getAttribute('role'), 'a marker, not a live region').to.equal(null);
    await expect(el).to.be.accessible();
    await presence(true);
    expect(all(tab, '[part="visitor-away"]')).to.have.length(0);
  });

  it('a chat assigned while the visitor is away shows it at once', async () => {
    const { el, socket } = await signedIn();
    socket.receive({
      type: 'chat.assigned',
      chatId: CHAT,
      visitor: { kind: 'anonymous', nickname: 'Kim' },
      away: true,
      events: [{ seq: 1, event: { kind: 'joined', advisor: 'Anna Beraterin', at: Date.now() } }],
    });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim hat die Seite verlassen');
    expect(all(el.renderRoot, '[part="chat-tab"] [part="visitor-away"]')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('speaks English under lang="en"', async () => {
    const { el, presence } = await withChat({ lang: 'en', timing: { announceAfterMs: 0, backVisibleMs: 60_000 } });
    await presence(false);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim left the page');
    expect(text(one(el.renderRoot, '[part="visitor-away"]'))).to.equal('Left the page');
    await waitUntil(() => text(status(el)) === 'Kim left the page', 'never announced');
    await presence(true);
    expect(text(one(el.renderRoot, '[part="visitor-presence"]'))).to.equal('Kim is back');
    expect(text(status(el))).to.equal('Kim is back');
    await expect(el).to.be.accessible();
  });

  it('a visitor who does not come back ends the chat as gone: its text, and the presence line goes', async () => {
    const { el, socket, presence } = await withChat();
    await presence(false);
    const ended = oneEvent(el, 'lotse-advisor-chat-end');
    socket.receive({ type: 'chat.event', chatId: CHAT, seq: 2, event: { kind: 'ended', by: 'gone', at: Date.now() } });
    expect((await ended).detail).to.deep.equal({ chatId: CHAT, reason: 'ended', by: 'gone' });
    await settled(el);
    const said = 'Kim ist nicht auf die Seite zurückgekehrt. Der Chat wurde beendet.';
    expect(text(one(el.renderRoot, '[part="notice"]'))).to.equal(said);
    expect(all(el.renderRoot, '[part="system"]').map(text)).to.include(said);
    expect(line(el)).to.have.length(0);
    expect(all(el.renderRoot, '[part="visitor-away"]')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('says "gone" in English under lang="en"', async () => {
    const { el, socket } = await withChat({ lang: 'en' });
    socket.receive({ type: 'chat.event', chatId: CHAT, seq: 2, event: { kind: 'ended', by: 'gone', at: Date.now() } });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="notice"]'))).to.equal(
      'Kim did not come back to the page. The chat was ended.',
    );
  });
});

describe('lotse-advisor-console: queue positions and away marks', () => {
  it("numbers the waiting visitors in the server's order and marks one whose page is away", async () => {
    const { el, socket } = await signedIn();
    const now = Date.now();
    socket.receive({
      type: 'queue.snapshot',
      now,
      items: [
        queueItem('chat-cccc-3', 'Sam', now - 60_000),
        { ...queueItem('chat-aaaa-1', 'Kim', now - 30_000, 'Hallo'), away: true },
        queueItem('chat-bbbb-2', 'Jo', now),
      ],
    });
    await settled(el);
    const queue = one(el.renderRoot, '[part="queue"]');
    expect(queue.tagName).to.equal('OL');
    const items = all(el.renderRoot, '[part="queue-item"]');
    const positions = items.map((item) => one(item, '[part="queue-position"]'));
    expect(positions.map((p) => text(one(p, '[aria-hidden="true"]')))).to.deep.equal(['1', '2', '3']);
    expect(positions.map((p) => text(one(p, '.visually-hidden')))).to.deep.equal(['Platz 1', 'Platz 2', 'Platz 3']);
    expect(items.map((item) => text(one(item, '.nickname')))).to.deep.equal(['Sam', 'Kim', 'Jo']);
    expect(items.map((item) => all(item, '[part="visitor-away"]').length)).to.deep.equal([0, 1, 0]);
    expect(text(one(items[1]!, '[part="visitor-away"]'))).to.equal('Seite verlassen');
    await expect(el).to.be.accessible();

    // Kim comes back, Sam is taken: the numbers follow the new order.
    socket.receive({
      type: 'queue.snapshot',
      now,
      items: [queueItem('chat-aaaa-1', 'Kim', now - 30_000, 'Hallo'), queueItem('chat-bbbb-2', 'Jo', now)],
    });
    await settled(el);
    const after = all(el.renderRoot, '[part="queue-item"]');
    expect(after.map((item) => text(one(item, '[part="queue-position"] .visually-hidden')))).to.deep.equal([
      'Platz 1',
      'Platz 2',
    ]);
    expect(all(el.renderRoot, '[part="visitor-away"]')).to.have.length(0);
  });

  it('in English', async () => {
    const { el, socket } = await signedIn({ lang: 'en' });
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [{ ...queueItem('chat-aaaa-1', 'Kim', Date.now()), away: true }],
    });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="queue-position"] .visually-hidden'))).to.equal('Position 1');
    expect(text(one(el.renderRoot, '[part="visitor-away"]'))).to.equal('Left the page');
    await expect(el).to.be.accessible();
  });
});

/** Sends a message from the console and lets the "server" confirm it at `seq`. */
async function reply(el: LotseAdvisorConsole, socket: FakeSocket, seq: number, words: string): Promise<void> {
  const conversation = one<LotseAdvisorConversation>(
    el.renderRoot,
    '[role="tabpanel"]:not([hidden]) lotse-advisor-conversation',
  );
  conversation.actions.send(CHAT, words);
  const sent = socket.sentOf('chat.message').at(-1)!;
  socket.receive({
    type: 'chat.event',
    chatId: CHAT,
    seq,
    event: { kind: 'message', id: sent.id, from: 'advisor', text: words, at: Date.now() },
  });
  await settled(el);
}

describe('lotse-advisor-console: read receipts', () => {
  it('shows "Gelesen" under the last own message the visitor has read, not announced', async () => {
    const { el, socket } = await withChat();
    await reply(el, socket, 2, 'Erste Antwort');
    await reply(el, socket, 3, 'Zweite Antwort');
    const mine = all(el.renderRoot, '[part~="message-advisor"]');
    expect(all(el.renderRoot, '[part="read-receipt"]')).to.have.length(0);
    expect(text(one(el.renderRoot, '#read-status'))).to.equal('');

    socket.receive({ type: 'chat.read', chatId: CHAT, seq: 2 });
    await settled(el);
    const receipt = one(mine[0]!, '[part="read-receipt"]');
    expect(text(receipt)).to.equal('Gelesen');
    expect(receipt.getAttribute('aria-hidden'), 'not announced by the live log').to.equal('true');
    const readStatus = one(el.renderRoot, '#read-status');
    expect(readStatus.getAttribute('role')).to.equal(null);
    expect(readStatus.getAttribute('aria-live')).to.equal(null);
    expect(readStatus.closest('[aria-live]'), 'outside the live log').to.equal(null);
    const at = timeOf(Date.now(), 'de');
    expect(text(readStatus)).to.equal(`Kim hat Ihre Nachricht von ${at} Uhr gelesen.`);
    await expect(el).to.be.accessible();

    socket.receive({ type: 'chat.read', chatId: CHAT, seq: 3 });
    await settled(el);
    expect(all(el.renderRoot, '[part="read-receipt"]'), 'under the last one only').to.have.length(1);
    expect(all(mine[1]!, '[part="read-receipt"]')).to.have.length(1);
    expect(all(el.renderRoot, '[part~="message-advisor"]'), 'the same items').to.deep.equal(mine);

    // The visitor writes and reads it: "Gelesen" stays under the advisor's last message.
    socket.receive({ type: 'chat.event', chatId: CHAT, ...visitorMessage(4, 'msg-visitor-1', 'Danke') });
    socket.receive({ type: 'chat.read', chatId: CHAT, seq: 4 });
    await settled(el);
    expect(all(mine[1]!, '[part="read-receipt"]')).to.have.length(1);
    expect(all(el.renderRoot, '[part="read-receipt"]')).to.have.length(1);
  });

  it('says "Read" in English', async () => {
    const { el, socket } = await withChat({ lang: 'en' });
    await reply(el, socket, 2, 'Hello');
    socket.receive({ type: 'chat.read', chatId: CHAT, seq: 2 });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="read-receipt"]'))).to.equal('Read');
    expect(text(one(el.renderRoot, '#read-status'))).to.equal(
      `Kim has read your message from ${timeOf(Date.now(), 'en')}.`,
    );
    await expect(el).to.be.accessible();
  });

  it('sends reads only for the chat in front, while the page is visible', async () => {
    const { el, socket } = await signedIn();
    await assign(el, socket, CHAT, 'Kim', [visitorMessage(2, 'msg-visitor-1', 'Hallo')]);
    await assign(el, socket, 'chat-bbbb-2', 'Jo');
    const reads = () => socket.sentOf('chat.read').map(({ chatId, seq }) => `${chatId}@${seq}`);
    expect(reads(), 'Kim is in front; Jo is not read').to.deep.equal([`${CHAT}@2`]);

    socket.receive({ type: 'chat.event', chatId: 'chat-bbbb-2', ...visitorMessage(2, 'msg-visitor-2', 'Hallo?') });
    await settled(el);
    expect(reads()).to.deep.equal([`${CHAT}@2`]);
    socket.receive({ type: 'chat.event', chatId: CHAT, ...visitorMessage(3, 'msg-visitor-3', 'Noch da?') });
    await settled(el);
    expect(reads(), 'new events in the chat in front').to.deep.equal([`${CHAT}@2`, `${CHAT}@3`]);

    all<HTMLButtonElement>(el.renderRoot, '[part="chat-tab"]')[1]!.click();
    await settled(el);
    expect(reads().at(-1), 'Jo in front').to.equal('chat-bbbb-2@2');

    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')!;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      socket.receive({ type: 'chat.event', chatId: 'chat-bbbb-2', ...visitorMessage(3, 'msg-visitor-4', 'Hallo??') });
      await settled(el);
      expect(reads().at(-1), 'nothing read in a hidden page').to.equal('chat-bbbb-2@2');
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
    expect(document.visibilityState).to.equal(visibility.get!.call(document));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(reads().at(-1), 'read once the page is visible again').to.equal('chat-bbbb-2@3');
    expect(reads()).to.have.length(4);
  });
});
