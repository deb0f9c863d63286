/**
 * The privacy defaults of `record.ts` on a canary page: nothing typed, hidden, masked, blocked or Lotse's own may
 * appear in what is recorded, while the page's ordinary text and the styles of its Lit elements do.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, css } from 'lit';
import { MASK, startRecording } from '../../src/cobrowse/record.js';
import { LiveViewer } from '../../src/cobrowse/replay.js';
import type { Recording } from '../../src/cobrowse/record.js';
import type { RrwebEventEnvelope } from '../../src/protocol/peer.js';

const IBAN = 'DE89370400440532013000';
const INSURANCE = 'A123456789';
const PASSWORD = 'Geheim!2024';
const HIDDEN = 'hidden-secret-42';
const OPTIONS = ['Privat versichert Zusatz', 'Gesetzlich Familienversichert'];
const OPTION_VALUE = 'option-value-secret';
const MASKED = 'Diagnose Migräne';
const BLOCKED = 'Kontostand 1234,56';
const TEXTAREA = 'Meine Nachricht an die Kasse';
const START_CODE = ['ACDE FHJK', 'ACDEFHJK'];
const LATE = 'late-added-secret';
const CANARIES = [
  IBAN,
  INSURANCE,
  PASSWORD,
  HIDDEN,
  ...OPTIONS,
  OPTION_VALUE,
  MASKED,
  BLOCKED,
  TEXTAREA,
  ...START_CODE,
  LATE,
];

class CanaryCard extends LitElement {
  static override styles = css`
    :host {
      display: block;
      color: rgb(1, 2, 3);
    }
  `;
  override render(): unknown {
    return html`<p>Lit-Inhalt sichtbar</p>`;
  }
}
customElements.define('canary-card', CanaryCard);

function type(field: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('record.ts privacy defaults', () => {
  let recording: Recording | undefined;
  afterEach(() => recording?.stop());

  it('sends none of the canaries, but the page text and the Lit styles', async () => {
    const page = await fixture<HTMLElement>(html`<main>
      <h1>Willkommen bei der Testkasse</h1>
      <form>
        <label>IBAN <input name="iban" value=${IBAN} /></label>
        <label>Versichertennummer <input name="kvnr" /></label>
        <label>Passwort <input type="password" name="pw" /></label>
        <input type="hidden" name="token" value=${HIDDEN} />
        <label>Tarif
          <select name="tarif">
            <option value=${OPTION_VALUE}>${OPTIONS[0]}</option>
            <option value="b" selected>${OPTIONS[1]}</option>
          </select>
        </label>
        <label>Nachricht <textarea name="msg"></textarea></label>
        <input type="submit" value="Absenden" />
      </form>
      <p data-lotse-mask>${MASKED}</p>
      <div data-lotse-block>${BLOCKED}</div>
      <canvas width="40" height="20"></canvas>
      <canary-card></canary-card>
      <lotse-cobrowse></lotse-cobrowse>
    </main>`);
    const host = page.querySelector('lotse-cobrowse')!;
    host.attachShadow({ mode: 'open' }).innerHTML = `<p part="start-code">${START_CODE[0]}</p>`;
    const canvas = page.querySelector('canvas')!;
    canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
    const iban = page.querySelector<HTMLInputElement>('[name=iban]')!;
    // Emptied before the recording: rrweb would then copy the HTML's value attribute as it is.
    iban.value = '';

    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event) });
    await waitUntil(() => events.some((event) => event.type === 2), 'no full snapshot');

    type(iban, IBAN);
    type(page.querySelector<HTMLInputElement>('[name=kvnr]')!, INSURANCE);
    type(page.querySelector<HTMLInputElement>('[name=pw]')!, PASSWORD);
    type(page.querySelector<HTMLTextAreaElement>('[name=msg]')!, TEXTAREA);
    type(page.querySelector<HTMLSelectElement>('[name=tarif]')!, OPTION_VALUE);
    page.querySelector('[name=kvnr]')!.setAttribute('value', INSURANCE);
    const late = document.createElement('div');
    late.innerHTML = `<select><option value="${LATE}">${LATE}</option></select><input type="hidden" value="${LATE}"><input value="${LATE}">`;
    page.append(late);
    await waitUntil(
      () => events.filter((event) => event.type === 3).length >= 6,
      'input and mutation events were not recorded',
    );
    recording.takeFullSnapshot();
    const snapshots = events.filter((event) => event.type === 2).length;
    expect(snapshots).to.equal(2);

    const json = JSON.stringify(events);
    for (const canary of CANARIES) expect(json, canary).not.to.include(canary);
    expect(json).not.to.include('rr_dataURL');
    expect(json).to.include('Willkommen bei der Testkasse');
    expect(json).to.include('Lit-Inhalt sichtbar');
    expect(json).to.include('rgb(1, 2, 3)');
    expect(json).to.include('Absenden');
    // Masked, not dropped: the advisor sees that something was typed, but not how much.
    expect(json).to.include(`"${MASK}"`);
    expect(json).not.to.include('*'.repeat(IBAN.length));
  });

  it('shows every masked value, text and option as the same placeholder, whatever its length', async () => {
    const page = await fixture<HTMLElement>(html`<form>
      <label>Vorname <input name="vorname" value="Maximilian-Alexander" /></label>
      <label>Name <input name="name" /></label>
      <label>Kürzel <input name="kurz" /></label>
      <label>Leer <input name="leer" /></label>
      <p data-lotse-mask>Anna Beispiel, geboren 1970</p>
      <p data-lotse-mask>Al</p>
      <select name="kasse">
        <option value="x">AOK</option>
        <option value="langer-wert">Betriebskrankenkasse Musterstadt</option>
      </select>
    </form>`);
    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event) });
    await waitUntil(() => events.some((event) => event.type === 2), 'no full snapshot');
    type(page.querySelector<HTMLInputElement>('[name=name]')!, 'Anna Beispiel');
    type(page.querySelector<HTMLInputElement>('[name=kurz]')!, 'Al');
    type(page.querySelector<HTMLSelectElement>('[name=kasse]')!, 'langer-wert');
    page.append(Object.assign(document.createElement('p'), { textContent: 'Ende' }));
    await waitUntil(() => JSON.stringify(events).includes('Ende'), 'the last change was not recorded');

    // Every masked string the advisor receives (stars and spaces), anywhere in the events: values, input texts,
    // text nodes.
    const strings: string[] = [];
    JSON.stringify(events, (_key, value: unknown) => {
      if (typeof value === 'string' && value.includes('*') && value.replace(/[\s*]/g, '') === '') strings.push(value);
      return value;
    });
    expect(strings.length).to.be.at.least(6);
    expect([...new Set(strings)]).to.deep.equal([MASK]);

    // The advisor's replay: each filled field shows the same placeholder, the empty one stays empty.
    recording.stop();
    const viewer = new LiveViewer(await fixture<HTMLElement>(html`<div style="width: 800px"></div>`));
    try {
      viewer.addEvents(JSON.parse(JSON.stringify(events)) as RrwebEventEnvelope[]);
      const view = (): Document | null | undefined => viewer.iframe?.contentDocument;
      await waitUntil(() => view()?.body?.textContent?.includes('Ende'), 'not replayed');
      const field = (name: string): string => view()!.querySelector<HTMLInputElement>(`[name=${name}]`)!.value;
      await waitUntil(() => field('kurz') === MASK, 'the typed value was not replayed');
      expect(['vorname', 'name', 'kurz', 'leer'].map(field)).to.deep.equal([MASK, MASK, MASK, '']);
      const options = [...view()!.querySelectorAll('option')].map((option) => [option.value, option.textContent]);
      expect(options).to.deep.equal([
        [MASK, MASK],
        [MASK, MASK],
      ]);
    } finally {
      viewer.destroy();
    }
  });

  it('adds the host page selectors to the defaults and refuses invalid ones', async () => {
    await fixture(html`<div><p class="kunde">Erika Mustermann</p><p class="geheim">Vertrag 0815</p></div>`);
    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event), mask: '.kunde', block: '.geheim' });
    await waitUntil(() => events.some((event) => event.type === 2));
    const json = JSON.stringify(events);
    expect(json).not.to.include('Erika');
    expect(json).not.to.include('0815');
    expect(() => startRecording({ emit: () => undefined, block: '][' })).to.throw(TypeError, /block/);
  });

  it('stops for good', async () => {
    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event) });
    await waitUntil(() => events.some((event) => event.type === 2));
    recording.stop();
    recording.stop();
    const count = events.length;
    document.body.append(document.createElement('p'));
    recording.takeFullSnapshot();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(events.length).to.equal(count);
  });
});
