import { expect, fixture } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import { ViewportFit } from '../../src/visitor/viewport.js';
import type { VisualViewportLike } from '../../src/visitor/viewport.js';
import { part, startChat } from './helpers.js';

/**
 * Headless Chromium opens no on-screen keyboard: this fake stands in for `window.visualViewport`. `keyboard()`
 * does what a phone's keyboard does to it: the visual viewport gets shorter (and, on iOS, moves down).
 */
class FakeViewport extends EventTarget implements VisualViewportLike {
  offsetTop = 0;
  listeners = 0;

  constructor(public height: number) {
    super();
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }

  keyboard(height: number, offsetTop = 0): void {
    this.height = height;
    this.offsetTop = offsetTop;
    this.dispatchEvent(new Event('resize'));
    this.dispatchEvent(new Event('scroll'));
  }
}

/** The smallest host the controller needs: a Lit element with `open`. */
class ViewportHost extends LitElement {
  static override properties = { open: { type: Boolean } };
  open = false;
  viewport: FakeViewport | null | undefined;
  fit: ViewportFit | undefined;

  override connectedCallback(): void {
    this.fit ??= new ViewportFit(this, this.viewport);
    super.connectedCallback();
  }
}
customElements.define('test-viewport-host', ViewportHost);

const PHONE = { width: 390, height: 844 };

/** Whether an element's box lies within the (fake) visual viewport. */
function within(element: Element, viewport: FakeViewport): boolean {
  const box = element.getBoundingClientRect();
  return box.top >= viewport.offsetTop && box.bottom <= viewport.offsetTop + viewport.height;
}

describe('ViewportFit', () => {
  it('follows the visual viewport while the host is open, and lets go when it collapses or leaves', async () => {
    const viewport = new FakeViewport(844);
    const host = document.createElement('test-viewport-host') as ViewportHost;
    host.viewport = viewport;
    const el = await fixture<ViewportHost>(host);
    expect(viewport.listeners, 'collapsed: not listening').to.equal(0);
    expect(el.hasAttribute('style')).to.equal(false);

    el.open = true;
    await el.updateComplete;
    expect(viewport.listeners, 'open: resize and scroll').to.equal(2);
    expect(el.style.getPropertyValue('--lotse-vv-height')).to.equal('844px');

    viewport.keyboard(500, 120);
    expect(el.style.getPropertyValue('--lotse-vv-top')).to.equal('120px');
    expect(el.style.getPropertyValue('--lotse-vv-height')).to.equal('500px');

    el.open = false;
    await el.updateComplete;
    expect(viewport.listeners, 'collapsed again').to.equal(0);

    el.open = true;
    await el.updateComplete;
    expect(el.style.getPropertyValue('--lotse-vv-height'), 'fitted again at once').to.equal('500px');
    await expect(el).to.be.accessible();
    el.remove();
    expect(viewport.listeners, 'disconnected').to.equal(0);
    document.body.append(el);
    expect(viewport.listeners, 'connected again, open').to.equal(2);
    el.remove();
  });

  it('does without a visual viewport', async () => {
    const host = document.createElement('test-viewport-host') as ViewportHost;
    host.viewport = null;
    host.open = true;
    const el = await fixture<ViewportHost>(host);
    expect(el.hasAttribute('style')).to.equal(false);
  });
});

describe('<lotse-chat> on a phone', () => {
  const real = window.visualViewport;
  let viewport: FakeViewport;
  let chat: LotseChat | undefined;

  beforeEach(async () => {
    await setViewport(PHONE);
    viewport = new FakeViewport(PHONE.height);
    // `visualViewport` is [Replaceable]: the pop-up made after this takes the fake.
    Object.defineProperty(window, 'visualViewport', { value: viewport, configurable: true, writable: true });
  });

  afterEach(async () => {
    Object.defineProperty(window, 'visualViewport', { value: real, configurable: true, writable: true });
    document.documentElement.style.removeProperty('--lotse-live-offset');
    chat?.remove();
    chat = undefined;
    await setViewport({ width: 800, height: 600 });
  });

  it('fills the screen, with a minimise button in words, and hides the launcher behind it', async () => {
    const started = await startChat('Kim');
    chat = started.chat;
    const { popup } = started;
    const box = popup.getBoundingClientRect();
    expect([box.left, box.top, box.width, box.height]).to.deep.equal([0, 0, PHONE.width, PHONE.height]);
    const collapse = part(popup, 'collapse');
    const button = collapse.getBoundingClientRect();
    expect(button.width).to.be.at.least(44);
    expect(button.height).to.be.at.least(44);
    expect(collapse.hasAttribute('aria-label'), 'named by its visible text').to.equal(false);
    expect(collapse.textContent?.trim()).to.equal('Chat minimieren');
    expect(collapse.querySelector('span')?.checkVisibility()).to.equal(true);
    expect(part(chat, 'launcher').checkVisibility(), 'no launcher over the composer').to.equal(false);
    await expect(chat).to.be.accessible();

    collapse.click();
    await popup.updateComplete;
    expect(part(chat, 'launcher').checkVisibility(), 'the launcher is back').to.equal(true);
    // Compared as a boolean: a failed assertion that holds elements hangs the test run instead of failing.
    expect(chat.shadowRoot?.activeElement === part(chat, 'launcher'), 'focus back on the launcher').to.equal(true);
  });

  it('keeps the composer above the on-screen keyboard', async () => {
    const started = await startChat('Kim');
    chat = started.chat;
    const { popup } = started;
    const composer = part(popup, 'composer');
    composer.focus();
    expect(within(composer, viewport)).to.equal(true);

    // Android: the keyboard takes the lower 336 px; the visual viewport stays at the top.
    viewport.keyboard(508);
    expect(popup.getBoundingClientRect().bottom).to.equal(508);
    expect(within(composer, viewport), 'composer above the keyboard').to.equal(true);
    expect(within(part(popup, 'send'), viewport), 'send button above the keyboard').to.equal(true);

    // iOS: the page is scrolled under the keyboard, the visual viewport moved down with it.
    viewport.keyboard(420, 300);
    const box = popup.getBoundingClientRect();
    expect([box.top, box.bottom]).to.deep.equal([300, 720]);
    expect(within(composer, viewport)).to.equal(true);
    expect(within(part(popup, 'send'), viewport)).to.equal(true);

    // A small phone (iPhone SE, keyboard with its bar): too short for everything, but the composer stays in view.
    viewport.keyboard(300);
    expect(within(composer, viewport)).to.equal(true);
    expect(within(part(popup, 'send'), viewport)).to.equal(true);
    await expect(chat).to.be.accessible();

    // The keyboard goes: the sheet fills the screen again.
    viewport.keyboard(PHONE.height);
    expect(popup.getBoundingClientRect().height).to.equal(PHONE.height);
  });

  it('ends above the co-browse live bar at the bottom', async () => {
    document.documentElement.style.setProperty('--lotse-live-offset', '52px');
    const started = await startChat('Kim');
    chat = started.chat;
    const box = started.popup.getBoundingClientRect();
    expect([box.top, box.bottom]).to.deep.equal([0, PHONE.height - 52]);
    viewport.keyboard(508);
    expect(started.popup.getBoundingClientRect().bottom).to.equal(508);
    expect(within(part(started.popup, 'composer'), viewport)).to.equal(true);
  });

  it('stays a box above the launcher on a wide screen, whatever the visual viewport says', async () => {
    await setViewport({ width: 1024, height: 768 });
    const started = await startChat('Kim');
    chat = started.chat;
    const before = started.popup.getBoundingClientRect();
    viewport.keyboard(300, 100);
    const after = started.popup.getBoundingClientRect();
    expect([after.top, after.height, after.width]).to.deep.equal([before.top, before.height, before.width]);
    expect(before.width).to.equal(380);
    expect(part(chat, 'launcher').checkVisibility()).to.equal(true);
    expect(
      part(started.popup, 'collapse').querySelector('span')?.getBoundingClientRect().width,
      'the icon alone',
    ).to.be.at.most(1);
  });

  it('moves the launcher above a sticky bottom bar with --lotse-inset-block-end; the sheet ignores it', async () => {
    // The page's stylesheet would say `lotse-chat { --lotse-inset-block-end: 80px }`; inherited from an ancestor alike.
    document.body.style.setProperty('--lotse-inset-block-end', '80px');
    try {
      const started = await startChat('Kim');
      chat = started.chat;
      const box = started.popup.getBoundingClientRect();
      expect([box.top, box.bottom]).to.deep.equal([0, PHONE.height]);
      part(started.popup, 'collapse').click();
      await started.popup.updateComplete;
      expect(part(chat, 'launcher').getBoundingClientRect().bottom).to.equal(PHONE.height - 80);
    } finally {
      document.body.style.removeProperty('--lotse-inset-block-end');
    }
  });

  it('names the minimise button in English too', async () => {
    const started = await startChat('Kim', 'en');
    chat = started.chat;
    expect(part(started.popup, 'collapse').textContent?.trim()).to.equal('Minimise chat');
    await expect(chat).to.be.accessible();
  });
});
