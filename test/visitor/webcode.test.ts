/**
 * The ways a webcode gets in: the `webcode-field` form, `open()`, a site search form marked `data-lotse-search`,
 * and `handleWebcode()` (also `window.Lotse.handleWebcode`). Only 6 digits count; spaces are ignored.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { handleWebcode } from '../../src/visitor/index.js';
import { FakeSocket, SERVER, cobrowse, hasViewPart, part, useFakes } from './cobrowse-helpers.js';

describe('webcode entry', () => {
  beforeEach(() => useFakes());
  afterEach(() => {
    for (const element of document.querySelectorAll('lotse-cobrowse')) element.remove();
  });

  it('renders nothing visible without webcode-field', async () => {
    const host = await cobrowse();
    expect(host.shadowRoot?.querySelector('form')).to.equal(null);
    expect(host.getBoundingClientRect().height).to.equal(0);
    await expect(host).to.be.accessible();
  });

  it('has a labelled numeric webcode form that accepts only 6 digits', async () => {
    const host = await cobrowse({ field: true });
    const input = part<HTMLInputElement>(host, 'webcode-input');
    expect(input.inputMode).to.equal('numeric');
    expect(input.autocomplete).to.equal('off');
    expect(input.labels?.[0]?.textContent).to.equal('Webcode für Co-Browsing');
    expect(parseFloat(getComputedStyle(input).fontSize)).to.be.at.least(16);
    await expect(host).to.be.accessible();

    for (const wrong of ['12345', '1234567', 'abcdef', '']) {
      input.value = wrong;
      part(host, 'webcode-submit').click();
      expect(input.getAttribute('aria-invalid'), wrong).to.equal('true');
      expect(part(host, 'webcode-error').textContent).to.match(/6-stelligen Webcode/);
    }
    expect(FakeSocket.instances).to.have.length(0);
    await expect(host).to.be.accessible();

    input.value = ' 12 34 56 ';
    part(host, 'webcode-submit').click();
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    await waitUntil(() => FakeSocket.instances.length === 1, 'no socket');
    FakeSocket.instances[0]!.accept();
    expect(FakeSocket.instances[0]!.sentOf('cobrowse.join')[0]?.['webcode']).to.equal('123456');
    await waitUntil(() => hasViewPart(host, 'dialog'));
  });

  it("styles its form with an adopted stylesheet, which a strict CSP (style-src 'self') lets through", async () => {
    const host = await cobrowse({ field: true });
    expect(host.shadowRoot?.adoptedStyleSheets.length).to.equal(1);
    expect(host.shadowRoot?.querySelector('style')).to.equal(null);
    expect(getComputedStyle(part(host, 'webcode-form')).display).to.equal('flex');
  });

  it('open() takes only webcodes, and a host page may veto', async () => {
    const host = await cobrowse();
    for (const wrong of ['12345', '1234567', 'abc123', '12-34-56', '']) expect(host.open(wrong), wrong).to.equal(false);
    const veto = (event: Event): void => event.preventDefault();
    host.addEventListener('lotse-request-cobrowse', veto);
    expect(host.open('123456')).to.equal(false);
    host.removeEventListener('lotse-request-cobrowse', veto);
    expect(FakeSocket.instances).to.have.length(0);
    expect(host.open('12 34 56')).to.equal(true);
    await waitUntil(() => FakeSocket.instances.length === 1);
  });

  it('starts no session when the element is removed before its view has loaded', async () => {
    const host = await cobrowse();
    expect(host.open('123456')).to.equal(true);
    host.remove();
    await waitUntil(() => host.shadowRoot?.querySelector('lotse-cobrowse-view') !== null, 'the view did not load');
    expect(host.shadowRoot!.querySelector('lotse-cobrowse-view')!.session).to.equal(undefined);
    expect(FakeSocket.instances).to.have.length(0);
  });

  it('intercepts a webcode in a data-lotse-search form, and lets any other search submit', async () => {
    const host = await cobrowse();
    const form = await fixture<HTMLFormElement>(html`<form data-lotse-search action="/suche">
      <input type="search" name="q" aria-label="Suche" /><button>Suchen</button>
    </form>`);
    const submitted: boolean[] = [];
    // Last in line: records whether Lotse prevented the submit, then stops the navigation of the test page.
    const after = (event: Event): void => {
      submitted.push(!event.defaultPrevented);
      event.preventDefault();
    };
    window.addEventListener('submit', after);
    try {
      const input = form.querySelector('input')!;
      input.value = 'Zahnreinigung';
      form.requestSubmit();
      input.value = '123456 ';
      form.requestSubmit();
      expect(submitted).to.deep.equal([true, false]);
      await waitUntil(() => FakeSocket.instances.length === 1, 'no co-browse socket');
      await waitUntil(() => hasViewPart(host, 'dialog'));
    } finally {
      window.removeEventListener('submit', after);
    }
  });

  it('uses the field marked data-lotse-search-input, in forms added later', async () => {
    await cobrowse();
    const form = document.createElement('form');
    form.dataset['lotseSearch'] = '';
    form.innerHTML = '<input name="x" value="123456"><input name="q" data-lotse-search-input aria-label="Suche">';
    document.body.append(form);
    let prevented = false;
    const after = (event: Event): void => {
      prevented = event.defaultPrevented;
      event.preventDefault();
    };
    window.addEventListener('submit', after);
    try {
      form.requestSubmit();
      expect(prevented).to.equal(false);
      form.querySelector<HTMLInputElement>('[name=q]')!.value = '654 321';
      form.requestSubmit();
      expect(prevented).to.equal(true);
      await waitUntil(() => FakeSocket.instances.length === 1, 'no co-browse socket');
    } finally {
      window.removeEventListener('submit', after);
      form.remove();
    }
  });

  it('handleWebcode() creates <lotse-cobrowse> when there is none, with the chat launcher’s server', async () => {
    const chat = await fixture(html`<lotse-chat server=${SERVER}></lotse-chat>`);
    expect(handleWebcode('Öffnungszeiten')).to.equal(false);
    expect(document.querySelector('lotse-cobrowse')).to.equal(null);
    expect(window.Lotse?.handleWebcode).to.equal(handleWebcode);
    expect(window.Lotse?.handleWebcode('123 456')).to.equal(true);
    const created = document.querySelector('lotse-cobrowse');
    expect(created?.parentElement).to.equal(document.body);
    expect(created?.getAttribute('server')).to.equal(SERVER);
    await waitUntil(() => FakeSocket.instances.length === 1);
    chat.remove();
  });
});
