import { expect } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { LotseAdvisorTransfer } from '../../src/advisor/lotse-advisor-transfer.js';
import { all, assign, one, queueItem, settled, signedIn, text } from './helpers.js';

const TOPICS = [
  { id: 'leistungen', label: { de: 'Leistungen', en: 'Benefits' } },
  { id: 'beitraege', label: { de: 'Beiträge', en: 'Contributions' } },
];

function transferOf(el: LotseAdvisorConsole): LotseAdvisorTransfer {
  const conversation = one(el.renderRoot, 'lotse-advisor-conversation');
  return one<LotseAdvisorTransfer>(conversation.shadowRoot!, 'lotse-advisor-transfer');
}

describe('lotse-advisor-transfer (through the console)', () => {
  it('opens a dialog of available colleagues and topics, sends the transfer with its note, and is accessible', async () => {
    const { el, socket } = await signedIn();
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna Beraterin' },
      presence: 'available',
      now: Date.now(),
      topics: TOPICS,
    });
    await assign(el, socket, 'chat-aaaa-1', 'Kim');
    const transfer = transferOf(el);
    await transfer.updateComplete;
    const button = one<HTMLButtonElement>(transfer.renderRoot, '[part="transfer"]');
    expect(text(button)).to.equal('Weiterleiten');
    expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
    button.click();
    await transfer.updateComplete;
    expect(socket.sentOf('advisor.colleagues')).to.have.length(1);
    const dialog = one<HTMLDialogElement>(transfer.renderRoot, '[part="transfer-dialog"]');
    expect(dialog.open).to.equal(true);
    expect(text(dialog)).to.contain('Verfügbare Kolleginnen und Kollegen werden geladen');

    socket.receive({ type: 'advisor.colleagues', advisors: [{ id: 'a-2', name: 'Bernd Berater' }], topics: TOPICS });
    await settled(el);
    await transfer.updateComplete;
    const choices = all<HTMLInputElement>(dialog, 'input[type="radio"]');
    expect(choices.map((input) => input.closest('label')?.textContent?.trim())).to.deep.equal([
      'Bernd Berater',
      'Leistungen',
      'Beiträge',
    ]);
    const submit = one<HTMLButtonElement>(dialog, '[part="transfer-submit"]');
    expect(submit.disabled).to.equal(true);
    await expect(transfer).to.be.accessible();

    choices[0]!.click();
    await transfer.updateComplete;
    one<HTMLTextAreaElement>(dialog, '[part="transfer-note"]').value = '  Rückruf wegen Widerspruch  ';
    submit.click();
    await settled(el);
    expect(dialog.open).to.equal(false);
    expect(socket.sentOf('chat.transfer')).to.deep.equal([
      { v: 1, type: 'chat.transfer', chatId: 'chat-aaaa-1', to: { advisor: 'a-2' }, note: 'Rückruf wegen Widerspruch' },
    ]);

    // The server confirms: the chat leaves the console, a status says where it went.
    socket.receive({ type: 'chat.transferred', chatId: 'chat-aaaa-1', to: 'Bernd Berater' });
    await settled(el);
    expect(all(el.renderRoot, 'lotse-advisor-conversation')).to.have.length(0);
    expect(text(one(el.renderRoot, '[part="transfer-status"]'))).to.equal(
      'Der Chat wurde an Bernd Berater weitergeleitet.',
    );
    await expect(el).to.be.accessible();
  });

  it('shows the handover note to the receiving advisor; the queue puts the advisor topics first with labels', async () => {
    const { el, socket } = await signedIn({ lang: 'en' });
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna Beraterin', topics: ['beitraege'] },
      presence: 'available',
      now: Date.now(),
      topics: TOPICS,
    });
    const now = Date.now();
    socket.receive({
      type: 'queue.snapshot',
      now,
      items: [
        { ...queueItem('chat-first-1', 'Erste', now - 60_000), topic: 'leistungen' },
        queueItem('chat-second-1', 'Zweite', now - 30_000),
        { ...queueItem('chat-third-1', 'Dritte', now), topic: 'beitraege' },
      ],
    });
    await settled(el);
    const queue = one(el.renderRoot, 'lotse-advisor-queue');
    const items = all(queue.shadowRoot!, '[part="queue-item"]');
    expect(items.map((item) => text(one(item, '.nickname')))).to.deep.equal(['Dritte', 'Erste', 'Zweite']);
    expect(items.map((item) => text(one(item, '[part="queue-position"] [aria-hidden]')))).to.deep.equal([
      '3',
      '1',
      '2',
    ]);
    expect(text(one(items[0]!, '[part="queue-topic"]'))).to.equal('Topic: Contributions');

    socket.receive({
      type: 'chat.assigned',
      chatId: 'chat-third-1',
      visitor: { kind: 'anonymous', nickname: 'Dritte' },
      topic: 'beitraege',
      handover: { from: 'Bernd Berater', note: 'Bitte Beitragsrückstand prüfen' },
      events: [
        { seq: 1, event: { kind: 'joined', advisor: 'Bernd Berater', at: now } },
        { seq: 2, event: { kind: 'transferred', to: 'Anna Beraterin', at: now } },
        { seq: 3, event: { kind: 'joined', advisor: 'Anna Beraterin', at: now } },
      ],
    });
    await settled(el);
    const transfer = transferOf(el);
    await transfer.updateComplete;
    const handover = one(transfer.renderRoot, '[part="handover"]');
    expect(text(handover)).to.contain('Transferred to you by Bernd Berater.');
    expect(text(handover)).to.contain('Bitte Beitragsrückstand prüfen');
    const conversation = one(el.renderRoot, 'lotse-advisor-conversation');
    expect(all(conversation.shadowRoot!, '[part="system"]').map(text)).to.include(
      'Transferred: the visitor is being connected to Anna Beraterin.',
    );
    await expect(el).to.be.accessible();
  });
});
