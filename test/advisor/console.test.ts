import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/advisor/index.js';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import { FakeSocket, FakeWebSocket } from './fake-socket.js';
import { SERVER, all, one, queueItem, settled, signedIn, text } from './helpers.js';

describe('lotse-advisor-console: connection and header', () => {
  it('without a token shows "not signed in" and opens no connection', async () => {
    FakeSocket.instances = [];
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket}></lotse-advisor-console>`,
    );
    const notice = one(el.renderRoot, '[part="signed-out"]');
    expect(notice.getAttribute('role')).to.equal('status');
    expect(text(notice)).to.contain('Nicht angemeldet');
    expect(FakeSocket.instances).to.have.length(0);
    expect(all(el.renderRoot, '[part="queue"], [part="presence"]')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('says so when the server address is not http(s), and connects once it is', async () => {
    FakeSocket.instances = [];
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server="ftp://x" .webSocket=${FakeWebSocket} .token=${'t'}></lotse-advisor-console>`,
    );
    expect(text(one(el.renderRoot, '[part="signed-out"]'))).to.contain('Serveradresse');
    expect(FakeSocket.instances).to.have.length(0);
    el.server = 'http://localhost:8080';
    await settled(el);
    expect(FakeSocket.last.url).to.equal('ws://localhost:8080/ws/advisor');
    await expect(el).to.be.accessible();
  });

  it('connects with the token as subprotocol and says hello on open', async () => {
    FakeSocket.instances = [];
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket} .token=${'tok-1'}></lotse-advisor-console>`,
    );
    const socket = FakeSocket.last;
    expect(socket.url).to.equal('wss://lotse.example/beratung/ws/advisor');
    expect(socket.protocols).to.deep.equal(['lotse.v1', 'lotse.bearer.tok-1']);
    expect(el.getAttribute('token')).to.equal(null);
    expect(text(one(el.renderRoot, '[part="status"]'))).to.contain('Verbindung wird aufgebaut');

    const changed = oneEvent(el, 'lotse-connection-change');
    socket.open();
    const event = await changed;
    expect(event.detail.state).to.equal('connected');
    expect(event.bubbles && event.composed).to.equal(true);
    expect(socket.sent[0]).to.deep.equal({ v: 1, type: 'advisor.hello', chats: [] });

    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a', name: 'Anna Beraterin' },
      presence: 'available',
      now: Date.now(),
    });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="advisor-name"]'))).to.equal('Anna Beraterin');
    const status = one(el.renderRoot, '[part="status"]');
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('Verbunden');
    await expect(el).to.be.accessible();
  });

  it('uses a renewed token on the next reconnect', async () => {
    const { el, socket } = await signedIn();
    el.token = 'token-2';
    await settled(el);
    expect(FakeSocket.instances).to.have.length(1);
    socket.close(1006);
    await settled(el);
    expect(text(one(el.renderRoot, '[part="status"]'))).to.contain('neuer Versuch');
    await waitUntil(() => FakeSocket.instances.length === 2, 'no reconnect');
    expect(FakeSocket.last.protocols).to.deep.equal(['lotse.v1', 'lotse.bearer.token-2']);
    await expect(el).to.be.accessible();
  });

  it('closes its socket when removed from the page', async () => {
    const { el, socket } = await signedIn();
    el.remove();
    expect(socket.readyState).to.equal(3);
    expect(FakeSocket.instances).to.have.length(1);
  });

  it('the presence switch sends advisor.presence', async () => {
    const { el, socket } = await signedIn();
    const presence = one<HTMLButtonElement>(el.renderRoot, '[part="presence"]');
    expect(presence.getAttribute('role')).to.equal('switch');
    expect(presence.getAttribute('aria-checked')).to.equal('true');
    expect(text(presence)).to.equal('Verfügbar für neue Chats');
    presence.click();
    await settled(el);
    expect(socket.sentOf('advisor.presence')).to.deep.equal([{ v: 1, type: 'advisor.presence', status: 'away' }]);
    expect(presence.getAttribute('aria-checked')).to.equal('false');
    presence.click();
    await settled(el);
    expect(socket.sentOf('advisor.presence').at(-1)?.status).to.equal('available');
    await expect(el).to.be.accessible();
  });

  it('shows the presence the server remembers until the advisor picks one, then keeps the choice', async () => {
    FakeSocket.instances = [];
    const el = await fixture<LotseAdvisorConsole>(
      html`<lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket} .token=${'t'}></lotse-advisor-console>`,
    );
    const first = FakeSocket.last;
    first.open();
    first.receive({ type: 'advisor.welcome', advisor: { id: 'a', name: 'A' }, presence: 'away', now: Date.now() });
    await settled(el);
    const presence = one<HTMLButtonElement>(el.renderRoot, '[part="presence"]');
    expect(presence.getAttribute('aria-checked')).to.equal('false');

    first.close(1006);
    presence.click(); // chosen while offline: nothing can be sent now
    await waitUntil(() => FakeSocket.instances.length === 2, 'no reconnect');
    const second = FakeSocket.last;
    second.open();
    second.receive({ type: 'advisor.welcome', advisor: { id: 'a', name: 'A' }, presence: 'away', now: Date.now() });
    await settled(el);
    expect(second.sentOf('advisor.presence')).to.deep.equal([{ v: 1, type: 'advisor.presence', status: 'available' }]);
    expect(presence.getAttribute('aria-checked')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('signing out (token removed) closes the session', async () => {
    const { el, socket } = await signedIn();
    const changed = oneEvent(el, 'lotse-connection-change');
    el.token = undefined;
    await settled(el);
    expect((await changed).detail.state).to.equal('closed');
    expect(socket.readyState).to.equal(3);
    expect(text(one(el.renderRoot, '[part="signed-out"]'))).to.contain('Nicht angemeldet');
    await expect(el).to.be.accessible();
  });
});

describe('lotse-advisor-console: queue', () => {
  it('shows nickname, waiting time by the server clock, and the first message', async () => {
    const offset = 10 * 60_000; // the server's clock is ten minutes ahead of ours
    const { el, socket } = await signedIn({ offset });
    const serverNow = Date.now() + offset;
    const long = 'Ich habe eine Frage zu meinem Bonusprogramm. '.repeat(10);
    socket.receive({
      type: 'queue.snapshot',
      now: serverNow,
      items: [
        queueItem('chat-aaaa-1', 'Kim', serverNow - 3 * 60_000 - 5_000, 'Hallo, eine Frage zum Zahnersatz'),
        queueItem('chat-bbbb-2', 'Jo', serverNow - 20_000, long),
        queueItem('chat-cccc-3', 'Sam', serverNow - 61 * 60_000),
      ],
    });
    await settled(el);
    const items = all(el.renderRoot, '[part="queue-item"]');
    expect(items).to.have.length(3);
    expect(one(el.renderRoot, '[part="queue"]').tagName).to.equal('OL');
    expect(text(items[0]!)).to.contain('Kim').and.contain('Wartet seit 3 Minuten').and.contain('Zahnersatz');
    expect(text(items[1]!)).to.contain('Wartet seit weniger als einer Minute');
    const preview = text(one(items[1]!, '.first'));
    expect(preview.length).to.be.below(long.length);
    expect(preview.endsWith('…')).to.equal(true);
    expect(text(items[2]!)).to.contain('Wartet seit 61 Minuten').and.contain('Noch keine Nachricht');
    // The queue column is narrow: the wait shows short, its full text is what a screen reader reads and the tooltip.
    const waits = items.map((item) => one(item, 'time.waiting'));
    expect(waits.map((wait) => text(one(wait, '[aria-hidden="true"]')))).to.deep.equal([
      'Wartet 3 Min.',
      'Wartet < 1 Min.',
      'Wartet 61 Min.',
    ]);
    expect(waits.map((wait) => text(one(wait, '.visually-hidden')))).to.deep.equal([
      'Wartet seit 3 Minuten',
      'Wartet seit weniger als einer Minute',
      'Wartet seit 61 Minuten',
    ]);
    expect(waits.map((wait) => wait.getAttribute('title'))).to.deep.equal(
      waits.map((wait) => text(one(wait, '.visually-hidden'))),
    );
    const accept = one<HTMLButtonElement>(items[0]!, '[part="accept"]');
    expect(accept.getAttribute('aria-label')).to.equal('Chat mit Kim annehmen');
    await expect(el).to.be.accessible();
  });

  it('accept sends queue.accept; another advisor taking it first shows an alert', async () => {
    const { el, socket } = await signedIn();
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-aaaa-1', 'Kim', Date.now())] });
    await settled(el);
    one<HTMLButtonElement>(el.renderRoot, '[part="accept"]').click();
    expect(socket.sentOf('queue.accept')).to.deep.equal([{ v: 1, type: 'queue.accept', chatId: 'chat-aaaa-1' }]);

    socket.receive({ type: 'error', code: 'LOTSE_ERR_ALREADY_TAKEN', message: 'taken', ref: 'queue.accept' });
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [] });
    await settled(el);
    const alert = one(el.renderRoot, '[part="problem"]');
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.contain('bereits angenommen');
    expect(text(one(el.renderRoot, 'lotse-advisor-queue').shadowRoot!)).to.contain('Niemand wartet');
    await expect(el).to.be.accessible();

    one<HTMLButtonElement>(alert, 'button').click();
    await settled(el);
    expect(text(alert)).to.equal('');
  });

  it('disables accepting while not connected', async () => {
    const { el, socket } = await signedIn();
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-aaaa-1', 'Kim', Date.now())] });
    socket.close(1006);
    await settled(el);
    expect(one<HTMLButtonElement>(el.renderRoot, '[part="accept"]').disabled).to.equal(true);
  });
});

describe('lotse-advisor-console: language', () => {
  it('speaks English under lang="en"', async () => {
    const offset = 0;
    const { el, socket } = await signedIn({ lang: 'en', offset });
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-aaaa-1', 'Kim', Date.now() - 2 * 60_000, 'Hi')],
    });
    socket.receive({ type: 'error', code: 'LOTSE_ERR_ALREADY_TAKEN', message: 'taken', ref: 'queue.accept' });
    await settled(el);
    expect(text(one(el.renderRoot, '[part="status"]'))).to.equal('Connected');
    expect(text(one(el.renderRoot, '[part="queue-item"]'))).to.contain('Waiting for 2 minutes');
    const wait = one(el.renderRoot, '[part="queue-item"] time.waiting');
    expect(text(one(wait, '[aria-hidden="true"]'))).to.equal('Waiting 2 min');
    expect(text(one(wait, '.visually-hidden'))).to.equal('Waiting for 2 minutes');
    expect(wait.getAttribute('title')).to.equal('Waiting for 2 minutes');
    expect(one(el.renderRoot, '[part="accept"]').getAttribute('aria-label')).to.equal('Accept chat with Kim');
    expect(text(one(el.renderRoot, '[part="problem"]'))).to.contain('Another advisor already took this chat');
    await expect(el).to.be.accessible();
  });

  it('speaks English when signed out under lang="en"', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="en"><lotse-advisor-console server=${SERVER}></lotse-advisor-console></div>`,
    );
    const el = wrapper.querySelector('lotse-advisor-console') as LotseAdvisorConsole;
    expect(text(one(el.renderRoot, '[part="signed-out"]'))).to.contain('Not signed in');
    await expect(el).to.be.accessible();
  });
});

describe('lotse-advisor-console: queue count', () => {
  it('announces how many people are waiting in a polite status whenever the number changes', async () => {
    const { el, socket } = await signedIn();
    const status = one(el.renderRoot, '[part="queue-count"]');
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('Niemand wartet.');
    await expect(el).to.be.accessible();
    const counts: string[] = [];
    for (const items of [
      [queueItem('chat-aaaa-1', 'Kim', Date.now())],
      [queueItem('chat-aaaa-1', 'Kim', Date.now()), queueItem('chat-bbbb-2', 'Jo', Date.now())],
      [queueItem('chat-bbbb-2', 'Jo', Date.now())],
      [],
    ]) {
      socket.receive({ type: 'queue.snapshot', now: Date.now(), items });
      await settled(el);
      expect(one(el.renderRoot, '[part="queue-count"]'), 'the same live region, so the change is announced').to.equal(
        status,
      );
      counts.push(text(status));
    }
    expect(counts).to.deep.equal(['1 Person wartet.', '2 Personen warten.', '1 Person wartet.', 'Niemand wartet.']);
  });

  it('counts in English under lang="en"', async () => {
    const { el, socket } = await signedIn({ lang: 'en' });
    const status = one(el.renderRoot, '[part="queue-count"]');
    expect(text(status)).to.equal('Nobody is waiting.');
    socket.receive({
      type: 'queue.snapshot',
      now: Date.now(),
      items: [queueItem('chat-aaaa-1', 'Kim', Date.now()), queueItem('chat-bbbb-2', 'Jo', Date.now())],
    });
    await settled(el);
    expect(text(status)).to.equal('2 people are waiting.');
    socket.receive({ type: 'queue.snapshot', now: Date.now(), items: [queueItem('chat-bbbb-2', 'Jo', Date.now())] });
    await settled(el);
    expect(text(status)).to.equal('1 person is waiting.');
    await expect(el).to.be.accessible();
  });
});
