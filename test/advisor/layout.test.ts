/**
 * The console's layout for a working day: three regions side by side from 1280 px of the console's own width and
 * tabs below, the composer in view however long the conversation, the keyboard shortcuts, a webcode shown where
 * its button was clicked, the live region for new chats, and the notes that never leave the console.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { SequencedEvent } from '../../src/protocol/messages.js';
import type { FakeSocket } from './fake-socket.js';
import {
  all,
  assign,
  deepActive,
  key,
  one,
  queueItem,
  settled,
  showRegion,
  signedIn,
  text,
  visitorMessage,
} from './helpers.js';

const WIDE = 'width: 1300px; height: 560px';
const NARROW = 'width: 1000px; height: 560px';

async function console_(style: string): Promise<{ el: LotseAdvisorConsole; socket: FakeSocket }> {
  const signed = await signedIn({ style });
  const wide = style === WIDE;
  await waitUntil(() => signed.el.layout === (wide ? 'columns' : 'tabs'), 'layout not decided');
  await settled(signed.el);
  return signed;
}

function region(el: LotseAdvisorConsole, name: string): HTMLElement {
  return one(el.renderRoot, `#region-${name}`);
}

function visible(element: Element): boolean {
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}

function inside(inner: DOMRect, outer: DOMRect): boolean {
  return (
    inner.top >= outer.top - 0.5 &&
    inner.bottom <= outer.bottom + 0.5 &&
    inner.left >= outer.left - 0.5 &&
    inner.right <= outer.right + 0.5
  );
}

/** The composer of the chat in front, through the conversation's shadow root. */
function composerOf(el: LotseAdvisorConsole, chatId: string): HTMLTextAreaElement {
  return one<HTMLTextAreaElement>(one(el.renderRoot, `#panel-${chatId}`), '[part="composer"]');
}

function longConversation(count: number): SequencedEvent[] {
  return Array.from({ length: count }, (_, i) =>
    visitorMessage(i + 2, `msg-visitor-${i}`, `Nachricht Nummer ${i + 1}.`),
  );
}

/** Whether every box starts above the bottom of the first: all on one line. */
function oneLine(elements: Element[]): boolean {
  const boxes = elements.map((element) => element.getBoundingClientRect()).filter((box) => box.width > 0);
  const bottom = Math.min(...boxes.map((box) => box.bottom));
  return boxes.every((box) => box.top < bottom);
}

describe('console layout: the headers at 1280 px', () => {
  it('keeps the top bar and the conversation header on one line; icons alone keep their names', async () => {
    const { el, socket } = await signedIn({ style: 'width: 1280px; height: 640px' });
    await waitUntil(() => el.layout === 'columns', 'no columns at 1280 px');
    await assign(el, socket, 'chat-aaaa-1', 'Wanderfalke');
    await settled(el);
    const header = one(el.renderRoot, '[part="header"]');
    expect(oneLine([...header.children]), 'the top bar wraps').to.equal(true);
    const conversation = one(one(el.renderRoot, '#panel-chat-aaaa-1'), 'lotse-advisor-conversation');
    const top = one(conversation.shadowRoot!, '[part="conversation-header"]');
    expect(oneLine([...top.children]), 'the conversation header wraps').to.equal(true);
    // The disclosures show their icon alone, and their text is still their name (and tooltip).
    const summaries = all(header, 'summary');
    expect(summaries.map((summary) => text(summary))).to.deep.equal(['Tastenkürzel', 'Benachrichtigungen']);
    expect(summaries.map((summary) => summary.getAttribute('title'))).to.deep.equal([
      'Tastenkürzel',
      'Benachrichtigungen',
    ]);
    expect(summaries.every((summary) => one(summary, '.label').getBoundingClientRect().width <= 1)).to.equal(true);
    // The composer's focus ring (3px, 2px off) has room inside its region, which clips what overflows.
    const composer = composerOf(el, 'chat-aaaa-1');
    composer.focus();
    const box = composer.getBoundingClientRect();
    const room = region(el, 'conversation').getBoundingClientRect();
    expect(box.right + 5).to.be.at.most(room.right + 0.5);
    expect(box.left - 5).to.be.at.least(room.left - 0.5);
    await expect(el).to.be.accessible();

    // Wide enough, the labels show.
    el.parentElement!.style.width = '1920px';
    await waitUntil(() => one(summaries[0]!, '.label').getBoundingClientRect().width > 1, 'labels stay hidden');
    expect(oneLine([...header.children])).to.equal(true);
  });
});

describe('console layout: regions', () => {
  it('stands the three regions side by side from 1280 px of its own width, labelled', async () => {
    const { el, socket } = await console_(WIDE);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    expect(all(el.renderRoot, '[part="region-tabs"]')).to.have.length(0);
    const [lists, conversation, context] = ['lists', 'conversation', 'context'].map((name) => region(el, name));
    const boxes = [lists!, conversation!, context!].map((r) => r.getBoundingClientRect());
    expect(boxes.every((box) => box.width > 200 && box.height > 300)).to.equal(true);
    expect(Math.abs(boxes[0]!.top - boxes[1]!.top) + Math.abs(boxes[1]!.top - boxes[2]!.top)).to.be.below(1);
    expect(boxes[0]!.right).to.be.at.most(boxes[1]!.left);
    expect(boxes[1]!.right).to.be.at.most(boxes[2]!.left);
    expect(
      [lists, conversation, context].map((r) => [r!.getAttribute('role'), r!.getAttribute('aria-label')]),
    ).to.deep.equal([
      [null, 'Warteschlange und Chats'],
      [null, 'Gespräch'],
      [null, 'Kontext'],
    ]);
    // What each region holds.
    expect(all(lists!, 'lotse-advisor-queue, [part="chat-tab"]')).to.have.length(2);
    expect(all(conversation!, 'lotse-advisor-conversation')).to.have.length(1);
    expect(all(context!, 'lotse-advisor-context')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('below that width shows one region at a time under accessible tabs (arrow keys, Home, End)', async () => {
    const { el, socket } = await console_(NARROW);
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-bbbb-2', 'Jo', Date.now())] });
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    const tablist = one(el.renderRoot, '[part="region-tabs"]');
    expect(tablist.getAttribute('role')).to.equal('tablist');
    const tabs = all<HTMLButtonElement>(tablist, '[role="tab"]');
    expect(tabs.map((tab) => text(tab))).to.deep.equal(['Warteschlange und Chats1, 1 wartet', 'Gespräch', 'Kontext']);
    // The first chat shows its conversation.
    expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).to.deep.equal(['false', 'true', 'false']);
    const regions = ['lists', 'conversation', 'context'].map((name) => region(el, name));
    for (const [i, r] of regions.entries()) {
      expect(r.getAttribute('role')).to.equal('tabpanel');
      expect(r.getAttribute('aria-labelledby')).to.equal(tabs[i]!.id);
      expect(tabs[i]!.getAttribute('aria-controls')).to.equal(r.id);
    }
    expect(regions.map(visible)).to.deep.equal([false, true, false]);
    await expect(el).to.be.accessible();

    tabs[1]!.focus();
    key(tabs[1]!, { key: 'ArrowRight' });
    await settled(el);
    expect(regions.map(visible)).to.deep.equal([false, false, true]);
    expect(deepActive()).to.equal(tabs[2]);
    key(tabs[2]!, { key: 'ArrowRight' });
    await settled(el);
    expect(deepActive(), 'wraps around').to.equal(tabs[0]);
    expect(regions.map(visible)).to.deep.equal([true, false, false]);
    key(tabs[0]!, { key: 'End' });
    await settled(el);
    expect(deepActive()).to.equal(tabs[2]);
    key(tabs[2]!, { key: 'Home' });
    await settled(el);
    expect(deepActive()).to.equal(tabs[0]);
    tabs[1]!.click();
    await settled(el);
    expect(regions.map(visible)).to.deep.equal([false, true, false]);
    await expect(el).to.be.accessible();
  });

  it('follows its own width, not the window, and the breakpoint is an attribute', async () => {
    const { el } = await console_(WIDE);
    const wrapper = el.parentElement!;
    wrapper.style.width = '1100px';
    await waitUntil(() => el.layout === 'tabs', 'no tabs when narrower');
    el.setAttribute('wide-from', '1000');
    await waitUntil(() => el.layout === 'columns', 'wide-from not followed');
    await settled(el);
    expect(all(el.renderRoot, '[part="region-tabs"]')).to.have.length(0);
  });
});

describe('console layout: the composer stays in view', () => {
  for (const style of [WIDE, NARROW]) {
    it(`with a long conversation its box is inside the console's (${style})`, async () => {
      const { el, socket } = await console_(style);
      await assign(el, socket, 'chat-aaaa-1', 'Kim', longConversation(60));
      const consoleBox = el.getBoundingClientRect();
      expect(consoleBox.height).to.be.within(559, 561);
      const composer = composerOf(el, 'chat-aaaa-1');
      expect(visible(composer)).to.equal(true);
      expect(inside(composer.getBoundingClientRect(), consoleBox)).to.equal(true);
      const send = one(one(el.renderRoot, '#panel-chat-aaaa-1'), '[part="send"]');
      expect(inside(send.getBoundingClientRect(), consoleBox)).to.equal(true);
      // The messages scroll, at the newest.
      const log = one(one(el.renderRoot, '#panel-chat-aaaa-1'), '[part="log"]');
      expect(log.scrollHeight).to.be.above(log.clientHeight);
      expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);
      await expect(el).to.be.accessible();
    });
  }

  it('a conversation shown again after another is at its newest message', async () => {
    const { el, socket } = await console_(WIDE);
    await assign(el, socket, 'chat-aaaa-1', 'Kim', longConversation(60));
    await assign(el, socket, 'chat-bbbb-2', 'Jo', longConversation(60));
    const tabs = all<HTMLButtonElement>(el.renderRoot, '[part="chat-tab"]');
    expect(tabs).to.have.length(2);
    for (const tab of tabs.reverse()) {
      tab.click();
      await settled(el);
      const log = one(one(el.renderRoot, `#panel-${tab.dataset['chat']!}`), '[part="log"]');
      await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'not at the newest message');
    }
  });
});

describe('console layout: keyboard', () => {
  it('Alt+Down / Alt+Up move between chats (into the composer, or along the tabs), Alt+C to the composer', async () => {
    const { el, socket } = await console_(WIDE);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    await assign(el, socket, 'chat-bbbb-2', 'Jo');
    const first = composerOf(el, 'chat-aaaa-1');
    first.focus();
    key(first, { key: 'ArrowDown', code: 'ArrowDown', altKey: true });
    await settled(el);
    await waitUntil(() => deepActive() === composerOf(el, 'chat-bbbb-2'), 'not in the second composer');
    key(deepActive()!, { key: 'ArrowDown', code: 'ArrowDown', altKey: true });
    await settled(el);
    await waitUntil(() => deepActive() === first, 'Alt+Down does not wrap around to the first chat');
    key(first, { key: 'ArrowUp', code: 'ArrowUp', altKey: true });
    await settled(el);
    await waitUntil(() => deepActive() === composerOf(el, 'chat-bbbb-2'), 'Alt+Up: not back at the second');

    const tabs = all<HTMLButtonElement>(el.renderRoot, '[part="chat-tab"]');
    tabs[1]!.focus();
    key(tabs[1]!, { key: 'ArrowUp', code: 'ArrowUp', altKey: true });
    await settled(el);
    expect(deepActive(), 'from the tabs the focus stays on the tabs').to.equal(tabs[0]);
    expect(tabs[0]!.getAttribute('aria-selected')).to.equal('true');

    key(tabs[0]!, { key: 'c', code: 'KeyC', altKey: true });
    await settled(el);
    await waitUntil(() => deepActive() === first, 'Alt+C: not in the composer');
    expect(first.getAttribute('aria-keyshortcuts')).to.equal('Alt+C');
    await expect(el).to.be.accessible();
  });

  it('Alt+N accepts the next waiting chat; with nobody waiting it says so', async () => {
    const { el, socket } = await console_(NARROW);
    const announcement = one(el.renderRoot, '[part="announcement"]');
    key(el, { key: 'n', code: 'KeyN', altKey: true });
    await settled(el);
    expect(text(announcement)).to.equal('Niemand wartet.');
    expect(socket.sentOf('queue.accept')).to.have.length(0);

    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-aaaa-1', 'Kim', Date.now()), queueItem('chat-bbbb-2', 'Jo', Date.now())],
    });
    await settled(el);
    expect(one(el.renderRoot, '[part="accept"][aria-keyshortcuts]').getAttribute('aria-label')).to.equal(
      'Chat mit Kim annehmen',
    );
    // Where Alt+N types a character (a German Mac: "~"), the character wins in a text field.
    const field = document.createElement('textarea');
    const mac = new KeyboardEvent('keydown', { key: '~', code: 'KeyN', altKey: true, bubbles: true, composed: true });
    el.renderRoot.querySelector('#chats-heading')!.after(field);
    field.dispatchEvent(mac);
    expect(socket.sentOf('queue.accept')).to.have.length(0);
    field.remove();

    key(el, { key: 'n', code: 'KeyN', altKey: true });
    expect(socket.sentOf('queue.accept')).to.deep.equal([{ v: 1, type: 'queue.accept', chatId: 'chat-aaaa-1' }]);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    await waitUntil(() => deepActive() === composerOf(el, 'chat-aaaa-1'), 'the accepted chat is not in front');
    expect(visible(region(el, 'conversation'))).to.equal(true);
    await expect(el).to.be.accessible();
  });
});

describe('console layout: results where the advisor clicked', () => {
  async function offerByPhone(el: LotseAdvisorConsole, socket: FakeSocket): Promise<HTMLButtonElement> {
    const button = one<HTMLButtonElement>(el.renderRoot, '[part="cobrowse-offer-phone"]');
    button.click();
    socket.receive({
      type: 'cobrowse.code',
      sessionId: 'cobrowse-session-1',
      webcode: '123456',
      expiresAt: Date.now() + 600_000,
    });
    await settled(el);
    return button;
  }

  it('side by side: the phone webcode shows right under its button, in view, with the focus', async () => {
    const { el, socket } = await console_(WIDE);
    await assign(el, socket, 'chat-aaaa-1', 'Kim', longConversation(60));
    const button = await offerByPhone(el, socket);
    const webcode = one(el.renderRoot, '[part="webcode"]');
    await waitUntil(() => deepActive() === webcode, 'the webcode does not have the focus');
    const at = button.getBoundingClientRect();
    const code = webcode.getBoundingClientRect();
    expect(inside(code, el.getBoundingClientRect())).to.equal(true);
    expect(inside(code, new DOMRect(0, 0, innerWidth, innerHeight))).to.equal(true);
    expect(code.top - at.bottom, 'below the button, close').to.be.within(0, 200);
    expect(code.left).to.be.at.least(region(el, 'context').getBoundingClientRect().left);
    expect(text(webcode)).to.equal('123 456');
    await expect(el).to.be.accessible();
  });

  it('as tabs: the phone offer shows the context tab, webcode focused', async () => {
    const { el, socket } = await console_(NARROW);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    await offerByPhone(el, socket);
    const webcode = one(el.renderRoot, '[part="webcode"]');
    await waitUntil(() => deepActive() === webcode, 'the webcode does not have the focus');
    expect(visible(webcode)).to.equal(true);
    expect(one(el.renderRoot, '#region-tab-context').getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it("the chat's offer shows its webcode under the button, focused", async () => {
    const { el, socket } = await console_(WIDE);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    const button = one<HTMLButtonElement>(el.renderRoot, '[part="cobrowse-offer"]');
    button.click();
    const at = button.getBoundingClientRect();
    socket.receive({
      type: 'cobrowse.code',
      sessionId: 'cobrowse-session-1',
      webcode: '654321',
      expiresAt: Date.now() + 600_000,
      chatId: 'chat-aaaa-1',
    });
    await settled(el);
    const webcode = one(el.renderRoot, '[part="webcode"]');
    await waitUntil(() => deepActive() === webcode, 'the webcode does not have the focus');
    const code = webcode.getBoundingClientRect();
    expect(code.top - at.bottom).to.be.within(0, 150);
    expect(inside(code, el.getBoundingClientRect())).to.equal(true);
  });
});

describe('console layout: new chats are announced', () => {
  it('in a polite live region outside the tabs, by name, or how many', async () => {
    const { el, socket } = await console_(NARROW);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    const announcement = one(el.renderRoot, '[part="announcement"]');
    expect(announcement.getAttribute('role')).to.equal('status');
    expect(announcement.closest('[role="tabpanel"]'), 'never in a hidden tab').to.equal(null);
    expect(visible(region(el, 'lists'))).to.equal(false);
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-bbbb-2', 'Jo', Date.now())] });
    await settled(el);
    expect(text(announcement)).to.equal('Neuer Chat in der Warteschlange: Jo.');
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [
        queueItem('chat-bbbb-2', 'Jo', Date.now()),
        queueItem('chat-cccc-3', 'Sam', Date.now()),
        queueItem('chat-dddd-4', 'Alex', Date.now()),
      ],
    });
    await settled(el);
    expect(text(announcement)).to.equal('2 neue Chats in der Warteschlange.');
    await expect(el).to.be.accessible();
  });
});

describe('console layout: notes', () => {
  it('are kept per chat in memory, never sent, and gone with the chat', async () => {
    const { el, socket } = await console_(WIDE);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    await assign(el, socket, 'chat-bbbb-2', 'Jo');
    const notes = (chatId: string) =>
      one<HTMLTextAreaElement>(one(el.renderRoot, `#context-${chatId}`).shadowRoot!, '[part="notes"]');
    const area = notes('chat-aaaa-1');
    area.value = 'Rückruf wegen Bonusheft';
    area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    expect(area.labels?.[0] && text(area.labels[0])).to.equal('Notizen zu diesem Chat');
    all<HTMLButtonElement>(el.renderRoot, '[part="chat-tab"]')[1]!.click();
    await settled(el);
    all<HTMLButtonElement>(el.renderRoot, '[part="chat-tab"]')[0]!.click();
    await settled(el);
    expect(notes('chat-aaaa-1').value).to.equal('Rückruf wegen Bonusheft');
    expect(notes('chat-bbbb-2').value).to.equal('');
    expect(JSON.stringify(socket.sent)).not.to.contain('Bonusheft');
    await expect(el).to.be.accessible();
    socket.receive({
      type: 'chat.event',
      chatId: 'chat-aaaa-1',
      seq: 2,
      event: { kind: 'ended', by: 'visitor', at: 1 },
    });
    await settled(el);
    showRegion(el, 'conversation');
    one<HTMLButtonElement>(one(el.renderRoot, '#panel-chat-aaaa-1'), '[part="dismiss"]').click();
    await settled(el);
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    expect(notes('chat-aaaa-1').value).to.equal('');
  });
});
