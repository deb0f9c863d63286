/**
 * Canned responses in the console, on a fake socket: the list asked for at connect, `/` and letters suggesting
 * (the chat's language first), keys choosing and inserting with the placeholders filled, Alt+S opening the
 * searchable list, an own snippet saved, and the message when the server has no store. Axe on each state.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { Snippet } from '../../src/protocol/snippets.js';
import type { FakeSocket } from './fake-socket.js';
import { all, key, one, settled, signedIn, text } from './helpers.js';

const TEAM: Snippet[] = [
  { id: 'team-gruss-de', shortcut: 'gruss', lang: 'de', text: 'Guten Tag {{visitor}}, hier ist {{advisor}}.' },
  { id: 'team-gruss-en', shortcut: 'gruss', lang: 'en', text: 'Hello {{visitor}}, this is {{advisor}}.' },
  { id: 'team-moment-de', shortcut: 'moment', lang: 'de', text: 'Einen Moment bitte.' },
];
const OWN: Snippet[] = [{ id: 'own-grunz-de1', shortcut: 'grunz', lang: 'de', text: 'Mein eigener Text' }];

async function withChat(lang: 'de' | 'en' = 'en'): Promise<{ el: LotseAdvisorConsole; socket: FakeSocket }> {
  const { el, socket } = await signedIn();
  socket.receive({
    type: 'chat.assigned',
    chatId: 'chat-snip-1',
    visitor: { kind: 'anonymous', nickname: 'Kim', lang },
    events: [{ seq: 1, event: { kind: 'joined', advisor: 'Anna Beraterin', at: Date.now() } }],
  });
  await settled(el);
  return { el, socket };
}

async function list(el: LotseAdvisorConsole, socket: FakeSocket, available = true): Promise<void> {
  socket.receive({
    type: 'snippets.list',
    available,
    team: available ? TEAM : [],
    personal: available ? OWN : [],
    limits: { maxTextLength: 500, maxPersonal: 5 },
  });
  await settled(el);
}

function composer(el: LotseAdvisorConsole): HTMLTextAreaElement {
  return one<HTMLTextAreaElement>(el.renderRoot, '[part="composer"]');
}

async function typeAtEnd(el: LotseAdvisorConsole, value: string): Promise<HTMLTextAreaElement> {
  const area = composer(el);
  area.focus();
  area.value = value;
  area.setSelectionRange(value.length, value.length);
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await settled(el);
  return area;
}

const options = (el: LotseAdvisorConsole) => all(el.renderRoot, '[part="snippet-option"]').map((o) => text(o));

describe('canned responses in the composer', () => {
  it('asks for the list at connect; "/" and letters suggest, the chat\'s language first; Enter inserts filled', async () => {
    const { el, socket } = await withChat('en');
    expect(socket.sent.some((message) => message.type === 'snippets.get')).to.equal(true);
    await list(el, socket);
    const area = await typeAtEnd(el, 'Hi /gr');
    const listbox = one(el.renderRoot, '[part="snippet-suggestions"]');
    expect(listbox.getAttribute('role')).to.equal('listbox');
    expect(options(el)).to.deep.equal([
      '/gruss EN Hello {{visitor}}, this is {{advisor}}.',
      '/grunz DE Mein eigener Text',
      '/gruss DE Guten Tag {{visitor}}, hier ist {{advisor}}.',
    ]);
    expect(area.getAttribute('aria-controls')).to.equal(listbox.id);
    expect(area.getAttribute('aria-autocomplete')).to.equal('list');
    expect(area.getAttribute('aria-activedescendant')).to.equal(`${listbox.id}-0`);
    expect(text(one(el.renderRoot, '.snippet-status'))).to.contain('3 Textbausteine passen');
    await expect(el).to.be.accessible();

    key(area, { key: 'ArrowDown' });
    await settled(el);
    expect(area.getAttribute('aria-activedescendant')).to.equal(`${listbox.id}-1`);
    key(area, { key: 'ArrowUp' });
    await settled(el);
    const sentBefore = socket.sent.length;
    key(area, { key: 'Enter' });
    await settled(el);
    expect(area.value).to.equal('Hi Hello Kim, this is Anna Beraterin.');
    expect(all(el.renderRoot, '[part="snippet-suggestions"]')).to.have.length(0);
    expect(area.hasAttribute('aria-activedescendant')).to.equal(false);
    // Enter inserted; it sent nothing.
    expect(socket.sent.slice(sentBefore).some((message) => message.type === 'chat.message')).to.equal(false);
  });

  it('Tab inserts too, Escape closes, a "/" inside a word suggests nothing', async () => {
    const { el, socket } = await withChat('de');
    await list(el, socket);
    let area = await typeAtEnd(el, '/mom');
    key(area, { key: 'Tab' });
    await settled(el);
    expect(area.value).to.equal('Einen Moment bitte.');
    area = await typeAtEnd(el, '/g');
    expect(options(el)[0]).to.contain('/grunz DE');
    key(area, { key: 'Escape' });
    await settled(el);
    expect(options(el)).to.deep.equal([]);
    await typeAtEnd(el, 'https://example.de/gr');
    expect(options(el)).to.deep.equal([]);
  });

  it('Alt+S opens the searchable list; Enter inserts the active one at the caret', async () => {
    const { el, socket } = await withChat('de');
    await list(el, socket);
    const area = await typeAtEnd(el, '');
    key(area, { key: 's', code: 'KeyS', altKey: true });
    await settled(el);
    const dialogElement = one(el.renderRoot, 'lotse-snippet-dialog');
    const dialog = one<HTMLDialogElement>(dialogElement.shadowRoot!, 'dialog');
    await waitUntil(() => dialog.open, 'the dialog opens');
    const search = one<HTMLInputElement>(dialogElement.shadowRoot!, '[part="snippet-search"]');
    expect(dialogElement.shadowRoot!.activeElement).to.equal(search);
    expect(search.getAttribute('role')).to.equal('combobox');
    await expect(dialogElement).to.be.accessible();
    search.value = 'moment';
    search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await settled(el);
    key(search, { key: 'Enter' });
    await settled(el);
    expect(dialog.open).to.equal(false);
    expect(area.value).to.equal('Einen Moment bitte.');
  });

  it('saves an own snippet from the list of all', async () => {
    const { el, socket } = await withChat('de');
    await list(el, socket);
    one<HTMLButtonElement>(el.renderRoot, '[part="snippets-open"]').click();
    await settled(el);
    const root = one(el.renderRoot, 'lotse-snippet-dialog').shadowRoot!;
    const add = [...root.querySelectorAll('button')].find((b) => text(b) === 'Neuer eigener Textbaustein');
    add!.click();
    await settled(el);
    one<HTMLInputElement>(root, '#snippet-shortcut').value = 'Tschuess';
    one<HTMLTextAreaElement>(root, '#snippet-text').value = 'Tschüss {{visitor}}!';
    await expect(one(el.renderRoot, 'lotse-snippet-dialog')).to.be.accessible();
    one<HTMLFormElement>(root, 'form').requestSubmit();
    await settled(el);
    expect(socket.sent.at(-1)).to.deep.include({
      type: 'snippets.save',
      shortcut: 'tschuess',
      lang: 'de',
      text: 'Tschüss {{visitor}}!',
    });
    expect(text(one(root, '[role="status"]'))).to.equal('Textbaustein gespeichert.');
  });

  it('says clearly when the server has no store, and suggests nothing', async () => {
    const { el, socket } = await withChat('de');
    await list(el, socket, false);
    await typeAtEnd(el, '/gr');
    expect(options(el)).to.deep.equal([]);
    one<HTMLButtonElement>(el.renderRoot, '[part="snippets-open"]').click();
    await settled(el);
    const dialogElement = one(el.renderRoot, 'lotse-snippet-dialog');
    expect(text(one(dialogElement.shadowRoot!, '[part="snippet-unavailable"]'))).to.equal(
      'Textbausteine sind nicht verfügbar: Dieser Server ist ohne Speicher eingerichtet.',
    );
    await expect(dialogElement).to.be.accessible();
  });
});
