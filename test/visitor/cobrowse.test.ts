/**
 * `<lotse-cobrowse>` and its view on a fake server and a fake data channel: webcode, terms and consent, start
 * code, live state with border, bar and pointer, end, resume after a reload.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  FakeLink,
  FakeSocket,
  SESSION,
  TOKEN,
  cobrowse,
  hasViewPart,
  recorder,
  toLive,
  toStartCode,
  toTerms,
  useFakes,
  view,
  viewPart,
} from './cobrowse-helpers.js';

describe('<lotse-cobrowse> start view', () => {
  beforeEach(() => {
    useFakes();
    sessionStorage.clear();
  });
  afterEach(() => sessionStorage.clear());

  it('checks the webcode, then shows the terms with the exact labels and a disabled start button', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host, '123 456');
    expect(socket.url).to.match(/\/ws\/visitor$/);
    expect(socket.sentOf('cobrowse.join')).to.deep.equal([{ v: 1, type: 'cobrowse.join', webcode: '123456' }]);
    const dialog = viewPart(host, 'dialog');
    expect(dialog.getAttribute('role')).to.equal('dialog');
    expect(dialog.getAttribute('aria-modal')).to.equal(null);
    const checkbox = viewPart<HTMLInputElement>(host, 'cobrowse-consent');
    expect(checkbox.closest('label')?.textContent?.trim()).to.equal('Bestätigung Nutzungs- und Teilnahmebedingungen');
    const start = viewPart<HTMLButtonElement>(host, 'cobrowse-start');
    expect(start.textContent?.trim()).to.equal('Co-Browsing Sitzung starten');
    expect(start.disabled).to.equal(true);
    const paragraphs = [...viewPart(host, 'terms').querySelectorAll('p')].map((p) => p.textContent);
    expect(paragraphs).to.deep.equal([
      'Nutzungsbedingungen zum Co-Browsing für Tests',
      '<img src=x onerror="window.__lotseXss = true"> bleibt Text.',
    ]);
    expect(view(host).shadowRoot?.textContent).to.include('Frau Berger');

    checkbox.click();
    await view(host).updateComplete;
    expect(start.disabled).to.equal(false);
    expect(socket.sentOf('cobrowse.consent')).to.deep.equal([]);
    await expect(view(host)).to.be.accessible();
  });

  it('sends consent only on the click, then shows the start code in two groups, announced politely', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    viewPart(host, 'cobrowse-consent').click();
    await view(host).updateComplete;
    expect(socket.sentOf('cobrowse.consent')).to.deep.equal([]);
    viewPart(host, 'cobrowse-consent').click();
    await view(host).updateComplete;
    await toStartCode(host, socket);
    expect(socket.sentOf('cobrowse.consent')).to.deep.equal([
      { v: 1, type: 'cobrowse.consent', sessionId: SESSION, termsVersion: 'cobrowse-test-1' },
    ]);
    const code = viewPart(host, 'start-code');
    expect([...code.children].map((group) => group.textContent)).to.deep.equal(['ACDE', 'FHJK']);
    expect(code.closest('[aria-live="polite"]')).not.to.equal(null);
    expect(viewPart(host, 'start-code-hint').textContent).to.match(/nennen Sie diesen Startcode.*5 Minuten gültig/);
    expect(FakeLink.instances).to.have.length(0);
    expect(recorder.starts).to.equal(0);
    await expect(view(host)).to.be.accessible();
  });

  it('answers a wrong webcode with one neutral error and a retry', async () => {
    const host = await cobrowse();
    expect(host.open('654321')).to.equal(true);
    await waitUntil(() => FakeSocket.instances.length === 1);
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    socket.receive({ type: 'error', code: 'LOTSE_ERR_INVALID_CODE', message: 'invalid code' });
    await waitUntil(() => hasViewPart(host, 'cobrowse-error'));
    expect(viewPart(host, 'cobrowse-error').textContent).to.match(/^Dieser Code ist nicht gültig/);
    await expect(view(host)).to.be.accessible();

    const input = viewPart<HTMLInputElement>(host, 'cobrowse-webcode');
    input.value = '12';
    viewPart(host, 'cobrowse-retry').click();
    await view(host).updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(FakeSocket.instances).to.have.length(1);
    input.value = '111 222';
    viewPart(host, 'cobrowse-retry').click();
    await waitUntil(() => FakeSocket.instances.length === 2);
    FakeSocket.instances[1]!.accept();
    expect(FakeSocket.instances[1]!.sentOf('cobrowse.join')[0]?.['webcode']).to.equal('111222');
  });

  it('shows the English labels on an English page', async () => {
    const host = await cobrowse({ lang: 'en' });
    await toTerms(host);
    expect(viewPart(host, 'cobrowse-consent').closest('label')?.textContent?.trim()).to.equal(
      'Confirmation of terms of use and participation',
    );
    expect(viewPart(host, 'cobrowse-start').textContent?.trim()).to.equal('Start co-browsing session');
  });

  it("keeps the dialog, the checkbox and the start code's live region in place while they last; focus follows the steps", async () => {
    const host = await cobrowse();
    expect(host.open('123456')).to.equal(true);
    await waitUntil(() => FakeSocket.instances.length === 1 && hasViewPart(host, 'dialog'), 'no dialog');
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    const root = view(host).shadowRoot!;
    const dialog = viewPart(host, 'dialog');
    // Opened by the visitor: focus goes into the view, to the step's main control.
    await waitUntil(
      () => root.activeElement === viewPart(host, 'cobrowse-cancel'),
      'focus not on cancel while checking',
    );

    socket.receive({ type: 'cobrowse.pending', sessionId: SESSION, advisor: 'Frau Berger' });
    await waitUntil(() => hasViewPart(host, 'cobrowse-consent'));
    const checkbox = viewPart<HTMLInputElement>(host, 'cobrowse-consent');
    expect(root.activeElement).to.equal(checkbox);
    await waitUntil(() => hasViewPart(host, 'terms'), 'terms not loaded');
    // The terms arrived around the checkbox: the same element, still focused, in the same dialog.
    expect(viewPart(host, 'cobrowse-consent')).to.equal(checkbox);
    expect(root.activeElement).to.equal(checkbox);
    expect(viewPart(host, 'dialog')).to.equal(dialog);

    checkbox.click();
    await view(host).updateComplete;
    expect(viewPart(host, 'cobrowse-consent')).to.equal(checkbox);
    viewPart(host, 'cobrowse-start').click();
    await view(host).updateComplete;
    const region = root.querySelector('[aria-live="polite"]');
    expect(region?.textContent).to.include('Der Startcode wird erstellt');
    expect(root.activeElement).to.equal(viewPart(host, 'cobrowse-cancel'));
    socket.receive({
      type: 'cobrowse.startcode',
      sessionId: SESSION,
      startCode: 'ACDEFHJK',
      expiresAt: Date.now() + 300_000,
    });
    await waitUntil(() => hasViewPart(host, 'start-code'));
    expect(viewPart(host, 'start-code').closest('[aria-live="polite"]')).to.equal(region);
    expect(viewPart(host, 'dialog')).to.equal(dialog);
    expect(root.activeElement).to.equal(viewPart(host, 'cobrowse-cancel'));
    await expect(view(host)).to.be.accessible();
  });

  it('leaves the DOM alone on an update without a change; cancel empties the view', async () => {
    const host = await cobrowse();
    expect(host.open('123456')).to.equal(true);
    await waitUntil(() => hasViewPart(host, 'dialog'));
    const cobrowseView = view(host);
    let renders = 0;
    const observer = new MutationObserver(() => (renders += 1));
    observer.observe(cobrowseView.shadowRoot!, { childList: true });
    cobrowseView.requestUpdate();
    cobrowseView.requestUpdate();
    await cobrowseView.updateComplete;
    expect(renders, 'an update with nothing new changes nothing').to.equal(0);
    viewPart(host, 'cobrowse-cancel').click();
    await cobrowseView.updateComplete;
    observer.disconnect();
    expect(cobrowseView.shadowRoot!.querySelector('*:not(style)')).to.equal(null);
    expect(cobrowseView.session).to.equal(undefined);
  });

  it('cancel before the start ends the session on the server and closes the view', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    viewPart(host, 'cobrowse-cancel').click();
    await view(host).updateComplete;
    expect(socket.sentOf('cobrowse.end')).to.deep.equal([{ v: 1, type: 'cobrowse.end', sessionId: SESSION }]);
    expect(socket.readyState).to.equal(3);
    expect(hasViewPart(host, 'dialog')).to.equal(false);
  });
});

describe('<lotse-cobrowse> live', () => {
  beforeEach(() => {
    useFakes();
    sessionStorage.clear();
  });
  afterEach(() => sessionStorage.clear());

  it('shows border, bar and end button while live; keeps only lotse-cobrowse in sessionStorage', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    const link = await toLive(host, socket);
    expect(link.options.initiator).to.equal(false);
    expect(recorder.starts).to.equal(1);
    const border = viewPart(host, 'live-border');
    expect(getComputedStyle(border).position).to.equal('fixed');
    expect(getComputedStyle(border).pointerEvents).to.equal('none');
    await waitUntil(() =>
      viewPart(host, 'live-bar').textContent?.includes('Co-Browsing aktiv – Frau Berger sieht diese Seite'),
    );
    expect(hasViewPart(host, 'start-code')).to.equal(false);
    expect(Object.keys(sessionStorage)).to.deep.equal(['lotse-cobrowse']);
    expect(JSON.parse(sessionStorage.getItem('lotse-cobrowse')!)).to.deep.equal({
      sessionId: SESSION,
      resumeToken: TOKEN,
    });
    expect(localStorage.length).to.equal(0);
    await expect(view(host)).to.be.accessible();

    // Escape does not end a live session; only the button does.
    viewPart(host, 'cobrowse-end').focus();
    await sendKeys({ press: 'Escape' });
    expect(view(host).session?.phase).to.equal('live');
    expect(socket.sentOf('cobrowse.end')).to.deep.equal([]);

    const ended = oneEvent(host, 'lotse-cobrowse-end');
    await sendKeys({ press: 'Enter' });
    expect((await ended).detail).to.deep.equal({ by: 'visitor' });
    expect(socket.sentOf('cobrowse.end')).to.deep.equal([{ v: 1, type: 'cobrowse.end', sessionId: SESSION }]);
    await waitUntil(() => link.closed, 'link left open');
    expect(link.sent.at(-1)).to.deep.equal({ t: 'bye' });
    expect(recorder.running).to.equal(false);
    expect(sessionStorage.length).to.equal(0);
    await view(host).updateComplete;
    expect(hasViewPart(host, 'live-bar')).to.equal(false);
    expect(hasViewPart(host, 'live-border')).to.equal(false);
    expect(viewPart(host, 'ended').textContent).to.include('Sie haben die Co-Browsing Sitzung beendet.');
    await expect(view(host)).to.be.accessible();
    viewPart(host, 'cobrowse-close').click();
    await view(host).updateComplete;
    expect(hasViewPart(host, 'ended')).to.equal(false);
  });

  it('puts the bar at a bottom corner; the visitor moves it by keyboard, kept for the session only', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    await toLive(host, socket);
    const bar = viewPart(host, 'live-bar');
    const root = document.documentElement;
    const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    await frame();
    let box = bar.getBoundingClientRect();
    expect([box.left, box.bottom]).to.deep.equal([16, root.clientHeight - 16]);
    expect(bar.dataset['corner']).to.equal('start');
    // The page gets room at its end for the bar, so that its last controls scroll clear of it.
    const reach = `${Math.ceil(root.clientHeight - box.top) + 8}px`;
    expect(root.style.getPropertyValue('padding-block-end')).to.equal(reach);
    expect(root.style.getPropertyValue('scroll-padding-block-end')).to.equal(reach);
    expect(Object.keys(sessionStorage)).to.deep.equal(['lotse-cobrowse']);

    const move = viewPart<HTMLButtonElement>(host, 'live-move');
    expect(move.getAttribute('aria-label')).to.equal('Leiste nach rechts verschieben');
    move.focus();
    await sendKeys({ press: 'Enter' });
    await view(host).updateComplete;
    await frame();
    box = bar.getBoundingClientRect();
    expect([box.right, box.bottom]).to.deep.equal([root.clientWidth - 16, root.clientHeight - 16]);
    expect(bar.dataset['corner']).to.equal('end');
    expect(view(host).shadowRoot?.activeElement === move, 'focus stays on the button').to.equal(true);
    expect(move.getAttribute('aria-label')).to.equal('Leiste nach links verschieben');
    // In the launcher's corner: the launcher and the pop-up sit above the bar.
    expect(root.style.getPropertyValue('--lotse-live-offset')).to.equal(reach);
    expect(sessionStorage.getItem('lotse-cobrowse-bar')).to.equal('end');
    await expect(view(host)).to.be.accessible();

    // "Beenden" is the next stop: one Enter ends the session; nothing stays stored, the page has its styles back.
    await sendKeys({ press: 'Tab' });
    expect(view(host).shadowRoot?.activeElement === viewPart(host, 'cobrowse-end')).to.equal(true);
    const ended = oneEvent(host, 'lotse-cobrowse-end');
    await sendKeys({ press: 'Enter' });
    await ended;
    await view(host).updateComplete;
    expect(sessionStorage.length).to.equal(0);
    for (const name of ['padding-block-end', 'scroll-padding-block-end', '--lotse-live-offset']) {
      expect(root.style.getPropertyValue(name), name).to.equal('');
    }
  });

  it('names the move button in English on English pages', async () => {
    const host = await cobrowse({ lang: 'en' });
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    await toLive(host, socket);
    const move = viewPart(host, 'live-move');
    expect(move.getAttribute('aria-label')).to.equal('Move the bar to the right');
    move.click();
    await view(host).updateComplete;
    expect(move.getAttribute('aria-label')).to.equal('Move the bar to the left');
    viewPart(host, 'cobrowse-end').click();
  });

  it("empties the site's search field once the visitor has started the session, not before", async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form data-lotse-search @submit=${(event: Event) => event.preventDefault()}><input type="search" name="q"></form>`,
    );
    const input = form.querySelector('input')!;
    const host = await cobrowse();
    const before = FakeSocket.instances.length;
    input.value = '123 456';
    form.requestSubmit();
    await waitUntil(() => FakeSocket.instances.length > before, 'no socket');
    const socket = FakeSocket.instances[before]!;
    socket.accept();
    socket.receive({ type: 'cobrowse.pending', sessionId: SESSION, advisor: 'Frau Berger' });
    await waitUntil(() => hasViewPart(host, 'cobrowse-consent'), 'terms not shown');
    expect(input.value, 'kept while the visitor decides').to.equal('123 456');
    await toStartCode(host, socket);
    expect(input.value).to.equal('');
    viewPart(host, 'cobrowse-cancel').click();
  });

  it('draws the advisor pointer at document coordinates, labelled, never clickable', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    const link = await toLive(host, socket);
    const pointer = viewPart(host, 'pointer');
    expect(pointer.hidden).to.equal(true);
    expect(pointer.getAttribute('aria-hidden')).to.equal('true');
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    document.body.append(spacer);
    try {
      window.scrollTo(0, 200);
      link.deliver({ t: 'pointer', x: 120, y: 700, visible: true });
      expect(pointer.hidden).to.equal(false);
      expect(pointer.dataset['x']).to.equal('120');
      expect(pointer.dataset['y']).to.equal('700');
      expect(getComputedStyle(pointer).pointerEvents).to.equal('none');
      expect(getComputedStyle(pointer).position).to.equal('fixed');
      expect(pointer.getBoundingClientRect().top).to.equal(500);
      expect(pointer.getBoundingClientRect().left).to.equal(120);
      expect(pointer.textContent).to.equal('Frau Berger');
      window.scrollTo(0, 300);
      await waitUntil(() => pointer.getBoundingClientRect().top === 400, 'pointer did not follow the scroll');
      link.deliver({ t: 'pointer', x: 120, y: 700, visible: false });
      expect(pointer.hidden).to.equal(true);
    } finally {
      spacer.remove();
      window.scrollTo(0, 0);
    }
    await expect(view(host)).to.be.accessible();
  });

  it('answers ping with pong, takes a snapshot on request, ends on bye', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    const link = await toLive(host, socket);
    link.deliver({ t: 'ping', a: 42 });
    const pong = link.sent.find((message) => message.t === 'pong');
    expect(pong?.t === 'pong' && pong.a === 42 && Math.abs(pong.b - Date.now()) < 1000).to.equal(true);
    const snapshots = recorder.snapshots;
    link.deliver({ t: 'snapshot' });
    expect(recorder.snapshots).to.equal(snapshots + 1);
    await waitUntil(() => link.events().filter((event) => event.type === 2).length === 2, 'snapshot not sent');
    link.deliver({ t: 'bye' });
    await view(host).updateComplete;
    expect(view(host).session?.phase).to.equal('ended');
    expect(sessionStorage.length).to.equal(0);
  });

  it('a second cobrowse.started replaces the peer and starts with a fresh snapshot', async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    const first = await toLive(host, socket);
    const second = await toLive(host, socket);
    expect(first.closed).to.equal(true);
    expect(second).not.to.equal(first);
    expect(recorder.starts).to.equal(2);
    expect(second.events()[1]?.type).to.equal(2);
    socket.receive({ type: 'cobrowse.ended', sessionId: SESSION, by: 'advisor' });
    await view(host).updateComplete;
    expect(viewPart(host, 'ended').textContent).to.include('Die Beratung hat die Co-Browsing Sitzung beendet.');
    expect(second.closed).to.equal(true);
    expect(sessionStorage.length).to.equal(0);
  });

  it("keeps its peer while its socket reconnects (the session's node died): the resume names the link, the same link's answer changes nothing", async () => {
    const host = await cobrowse();
    const socket = await toTerms(host);
    await toStartCode(host, socket);
    const link = await toLive(host, socket, 1);
    const starts = recorder.starts;
    socket.close(1006);
    await waitUntil(() => FakeSocket.instances.length === 2, 'no new socket', { timeout: 3000 });
    const again = FakeSocket.instances[1]!;
    again.accept();
    expect(again.sentOf('cobrowse.resume')).to.deep.equal([
      { v: 1, type: 'cobrowse.resume', sessionId: SESSION, resumeToken: TOKEN, link: 1 },
    ]);
    // The answer is late (another node takes the session over): the page is still shown, and recorded.
    await view(host).updateComplete;
    expect(view(host).session?.phase).to.equal('live');
    expect(hasViewPart(host, 'live-bar')).to.equal(true);
    const started = {
      type: 'cobrowse.started',
      sessionId: SESSION,
      resumeToken: TOKEN,
      initiator: false,
      advisor: 'Frau Berger',
      iceServers: [],
      iceTransportPolicy: 'all',
    };
    again.receive({ ...started, link: 1 });
    await view(host).updateComplete;
    expect(link.closed).to.equal(false);
    expect(FakeLink.instances.length).to.equal(1);
    expect(recorder.starts).to.equal(starts);
    expect(view(host).session?.phase).to.equal('live');
    await expect(view(host)).to.be.accessible();

    // A new link (the advisor's console was reloaded): a new peer, with a fresh snapshot.
    again.receive({ ...started, link: 2 });
    await waitUntil(() => FakeLink.instances.length === 2, 'no new peer');
    expect(link.closed).to.equal(true);
    again.receive({ type: 'cobrowse.ended', sessionId: SESSION, by: 'advisor' });
    await view(host).updateComplete;
    expect(sessionStorage.length).to.equal(0);
  });

  it('resumes a session kept in sessionStorage when the page loads, with the bar where the visitor put it', async () => {
    sessionStorage.setItem('lotse-cobrowse', JSON.stringify({ sessionId: SESSION, resumeToken: TOKEN }));
    sessionStorage.setItem('lotse-cobrowse-bar', 'end');
    const host = await cobrowse();
    await waitUntil(() => FakeSocket.instances.length === 1, 'no socket');
    const socket = FakeSocket.instances[0]!;
    socket.accept();
    expect(socket.sentOf('cobrowse.resume')).to.deep.equal([
      { v: 1, type: 'cobrowse.resume', sessionId: SESSION, resumeToken: TOKEN },
    ]);
    await waitUntil(() => hasViewPart(host, 'live-bar'), 'no live bar while reconnecting');
    const link = await toLive(host, socket);
    expect(link.events()[1]?.type).to.equal(2);
    // After the reload the page knows the advisor's name again from `cobrowse.started`.
    await view(host).updateComplete;
    expect(viewPart(host, 'live-bar').textContent).to.include('Frau Berger sieht diese Seite');
    expect(viewPart(host, 'live-bar').dataset['corner']).to.equal('end');
    socket.receive({ type: 'cobrowse.ended', sessionId: SESSION, by: 'timeout' });
    await view(host).updateComplete;
    expect(sessionStorage.length).to.equal(0);
  });
});
