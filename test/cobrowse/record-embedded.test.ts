/**
 * Documents inside the page and text a person types outside form fields: an `<iframe srcdoc>` carries a whole
 * document in an attribute, a same-origin iframe has a document of its own that rrweb would record as well, and a
 * `contenteditable` element turns typing into text mutations (and selecting it into offsets). None of their contents may reach the advisor: not in
 * the events (as the advisor receives them) and not in the advisor's real replay (`LiveViewer`).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { startRecording } from '../../src/cobrowse/record.js';
import { LiveViewer } from '../../src/cobrowse/replay.js';
import type { Recording } from '../../src/cobrowse/record.js';
import type { RrwebEventEnvelope } from '../../src/protocol/peer.js';

const HIDDEN = 'SRCDOC-HIDDEN-4711';
const MASKED = 'SRCDOC-MASKED-0815';
const PLAIN = 'SRCDOC-PLAIN-2368';
const FRAME_TEXT = 'SAME-ORIGIN-FRAME-5150';
const FRAME_TYPED = 'SAME-ORIGIN-TYPED-9090';
const FRAME_LATE = 'SAME-ORIGIN-LATE-6006';
const EDITABLE_BEFORE = 'Notiz vor der Sitzung 3141';
const EDITABLE_TYPED = 'Getippt im Editor 2718';
const EDITABLE_ATTR = 'EDITABLE-ATTR-1618';

const srcdoc = (hidden: string, masked: string, plain: string): string =>
  `<input type=hidden value=${hidden}><p data-lotse-mask>${masked}</p><p>${plain}</p>`;

/** The document inside an iframe once it has loaded. */
async function loaded(frame: HTMLIFrameElement, text: string): Promise<Document> {
  await waitUntil(() => frame.contentDocument?.body?.textContent?.includes(text), `iframe with ${text} not loaded`);
  return frame.contentDocument!;
}

/** Feeds the events to the advisor's real replay and returns everything its view shows, frames included. */
async function replayedText(events: RrwebEventEnvelope[], expected: string): Promise<string> {
  const viewer = new LiveViewer(await fixture<HTMLElement>(html`<div style="width: 800px"></div>`));
  try {
    viewer.addEvents(JSON.parse(JSON.stringify(events)) as RrwebEventEnvelope[]);
    const view = (): Document | null | undefined => viewer.iframe?.contentDocument;
    await waitUntil(() => view()?.body?.textContent?.includes(expected), 'not replayed');
    // Let the replay apply whatever else arrived, then read the view and each frame in it (srcdoc included).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = [view()!.documentElement.outerHTML];
    for (const frame of view()!.querySelectorAll('iframe')) {
      texts.push(frame.getAttribute('srcdoc') ?? '', frame.contentDocument?.documentElement?.outerHTML ?? '');
    }
    return texts.join('\n');
  } finally {
    viewer.destroy();
  }
}

describe('record.ts: embedded documents and contenteditable', () => {
  let recording: Recording | undefined;
  afterEach(() => recording?.stop());

  it('sends no srcdoc and nothing of a same-origin frame, in the snapshot or added during the session', async () => {
    const page = await fixture<HTMLElement>(html`<main>
      <p>Seite mit Rahmen</p>
      <iframe title="vorher" srcdoc=${srcdoc(HIDDEN, MASKED, PLAIN)}></iframe>
      <iframe title="gleiche Herkunft"></iframe>
    </main>`);
    await loaded(page.querySelector<HTMLIFrameElement>('iframe[title=vorher]')!, PLAIN);
    const same = page.querySelector<HTMLIFrameElement>('iframe[title="gleiche Herkunft"]')!;
    same.contentDocument!.body.innerHTML = `<p>${FRAME_TEXT}</p><input>`;

    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event) });
    await waitUntil(() => events.some((event) => event.type === 2), 'no full snapshot');

    // During the session: a new srcdoc frame (the attack of issue 12), a changed srcdoc, typing and text in the
    // same-origin frame.
    const late = document.createElement('iframe');
    late.title = 'später';
    late.srcdoc = srcdoc(`${HIDDEN}-late`, `${MASKED}-late`, `${PLAIN}-late`);
    page.append(late);
    await loaded(late, `${PLAIN}-late`);
    page
      .querySelector('iframe[title=vorher]')!
      .setAttribute('srcdoc', srcdoc(`${HIDDEN}-neu`, `${MASKED}-neu`, `${PLAIN}-neu`));
    const field = same.contentDocument!.querySelector('input')!;
    field.value = FRAME_TYPED;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    same.contentDocument!.body.append(
      Object.assign(same.contentDocument!.createElement('p'), { textContent: FRAME_LATE }),
    );
    page.append(Object.assign(document.createElement('p'), { textContent: 'Ende des Tests' }));
    await waitUntil(() => JSON.stringify(events).includes('Ende des Tests'), 'the last change was not recorded');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const json = JSON.stringify(events);
    const secrets = [HIDDEN, MASKED, PLAIN, FRAME_TEXT, FRAME_TYPED, FRAME_LATE];
    expect(
      secrets.filter((secret) => json.includes(secret)),
      'in the events',
    ).to.deep.equal([]);
    expect(json).not.to.include('srcdoc');
    expect(json).to.include('Seite mit Rahmen');
    // Each frame is still there, as an empty box of its size (the advisor sees that the page has one).
    const frames = json.match(/"tagName":"iframe"/g) ?? [];
    expect(frames.length).to.be.at.least(3);

    recording.stop();
    const shown = await replayedText(events, 'Ende des Tests');
    expect(
      secrets.filter((secret) => shown.includes(secret)),
      'in the replay',
    ).to.deep.equal([]);
  });

  it('masks what is typed into a contenteditable element, like a form field', async () => {
    const page = await fixture<HTMLElement>(html`<main>
      <p>Editor-Seite</p>
      <div contenteditable="true" aria-label="Notiz">${EDITABLE_BEFORE}</div>
      <div contenteditable aria-label="Notiz 2"></div>
      <div contenteditable="plaintext-only" aria-label="Notiz 3"></div>
      <div contenteditable="false"><p>Nur Lesen sichtbar</p></div>
    </main>`);
    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event) });
    await waitUntil(() => events.some((event) => event.type === 2), 'no full snapshot');

    // Typing, as the browser turns it into DOM changes: a text change, new text and element nodes, and an
    // element made editable during the session.
    const [first, second, third] = page.querySelectorAll<HTMLElement>('[contenteditable]');
    first!.focus();
    document.execCommand('selectAll');
    document.execCommand('insertText', false, EDITABLE_TYPED);
    second!.append(document.createTextNode(`${EDITABLE_TYPED}-2`));
    third!.append(Object.assign(document.createElement('b'), { textContent: `${EDITABLE_TYPED}-3` }));
    const later = Object.assign(document.createElement('p'), { textContent: 'wird editierbar' });
    page.append(later);
    later.setAttribute('contenteditable', '');
    later.firstChild!.textContent = EDITABLE_ATTR;
    page.append(Object.assign(document.createElement('p'), { textContent: 'Ende des Tests' }));
    await waitUntil(() => JSON.stringify(events).includes('Ende des Tests'), 'the last change was not recorded');

    // Selecting typed text would give its length away through the range's offsets; selecting page text still shows.
    const selections = (): Array<{ ranges: Array<{ start: number; end: number }> }> =>
      events.flatMap((event) =>
        event.type === 3 && (event.data as { source: number }).source === 14 ? [event.data as never] : [],
      );
    document.getSelection()!.selectAllChildren(first!);
    await waitUntil(() => selections().length === 1, 'the selection in the editor was not recorded');
    const visible = page.querySelector('[contenteditable=false] p')!.firstChild!;
    document.getSelection()!.setBaseAndExtent(visible, 0, visible, 8);
    await waitUntil(() => selections().length === 2, 'the selection of page text was not recorded');
    const visibleId = Number(/"textContent":"Nur Lesen sichtbar"[^}]*"id":(\d+)/.exec(JSON.stringify(events))?.[1]);
    const ranges = selections().flatMap((selection) => selection.ranges);
    expect(ranges.map((range) => [range.start, range.end])).to.deep.equal([[visibleId, visibleId]]);

    const json = JSON.stringify(events);
    const secrets = [EDITABLE_BEFORE, EDITABLE_TYPED, EDITABLE_ATTR];
    expect(
      secrets.filter((secret) => json.includes(secret)),
      'in the events',
    ).to.deep.equal([]);
    expect(json).to.include('Nur Lesen sichtbar');
    recording.stop();
    const shown = await replayedText(events, 'Ende des Tests');
    expect(
      secrets.filter((secret) => shown.includes(secret)),
      'in the replay',
    ).to.deep.equal([]);
  });
});
