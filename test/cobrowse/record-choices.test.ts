/**
 * The choices of `record.ts`'s privacy defaults: which checkbox or radio is checked and which option of a select is
 * chosen must never leave the visitor's browser, whether set in the HTML, by the visitor (before or after the
 * snapshot), or by a script through the property or the attribute. The fields themselves are still shown, and the
 * advisor's replay (the real `LiveViewer`) shows nothing checked and no option chosen.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { startRecording } from '../../src/cobrowse/record.js';
import { LiveViewer } from '../../src/cobrowse/replay.js';
import type { Recording } from '../../src/cobrowse/record.js';
import type { RrwebEventEnvelope } from '../../src/protocol/peer.js';

/** A radio's and a checkbox's value: sent raw by rrweb in input events, it would name the choice. */
const RADIO_VALUE = 'vorerkrankung-ja-wert';
const CHECKBOX_VALUE = 'diabetes-wert';

interface Serialized {
  id?: unknown;
  type?: unknown;
  tagName?: unknown;
  textContent?: unknown;
  attributes?: Record<string, unknown>;
  childNodes?: Serialized[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Every value of every property named `key`, anywhere in the events (the JSON as the advisor would receive it). */
function valuesOf(root: unknown, keys: Set<string>): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (keys.has(key)) found.push([key, value]);
      if (isObject(value)) stack.push(value);
    }
  }
  return found;
}

/** The serialized element nodes of every full snapshot and every added subtree, by id (each version of each). */
function elementsOf(events: unknown[]): Map<number, Serialized[]> {
  const elements = new Map<number, Serialized[]>();
  const stack: unknown[] = [];
  for (const event of events as Array<{ type: number; data: Record<string, unknown> }>) {
    if (event.type === 2) stack.push(event.data['node']);
    if (event.type === 3 && event.data['source'] === 0) {
      for (const add of event.data['adds'] as Array<{ node: unknown }>) stack.push(add.node);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop() as Serialized;
    if (!isObject(node)) continue;
    if (node.type === 2 && typeof node.id === 'number') elements.set(node.id, [...(elements.get(node.id) ?? []), node]);
    if (Array.isArray(node.childNodes)) stack.push(...node.childNodes);
  }
  return elements;
}

const isCheckable = (node: Serialized): boolean =>
  node.tagName === 'input' && /^(checkbox|radio)$/i.test(String(node.attributes?.['type']));

/** The ids of every checkbox and radio, and of all in the label of one: touching them names the choice. */
function choiceIds(elements: Map<number, Serialized[]>): Set<number> {
  const ids = new Set<number>();
  for (const [id, node] of [...elements].flatMap(([id, versions]) => versions.map((node) => [id, node] as const))) {
    if (isCheckable(node)) ids.add(id);
    if (node.tagName !== 'label') continue;
    const inside: Serialized[] = [];
    const stack = [...(node.childNodes ?? [])];
    while (stack.length > 0) {
      const child = stack.pop()!;
      inside.push(child);
      stack.push(...(child.childNodes ?? []));
    }
    if (!inside.some(isCheckable)) continue;
    for (const child of [node, ...inside]) if (typeof child.id === 'number') ids.add(child.id);
  }
  return ids;
}

/** What a replayed option's value would be: its value attribute, or else its (masked) text. */
function optionValue(option: Serialized): string {
  const value = option.attributes?.['value'];
  if (typeof value === 'string') return value;
  const texts = (option.childNodes ?? []).map((child) => String(child.textContent ?? ''));
  return texts.join('').trim();
}

function choose(select: HTMLSelectElement, index: number): void {
  select.selectedIndex = index;
  select.dispatchEvent(new Event('input', { bubbles: true }));
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('record.ts: no checked or selected state', () => {
  let recording: Recording | undefined;
  afterEach(() => recording?.stop());

  it('sends neither the checked state of checkboxes and radios nor the choice of a select', async () => {
    const page = await fixture<HTMLElement>(html`<form>
      <label><input type="checkbox" name="html" checked /> Diabetes (checked in the HTML)</label>
      <label><input type="checkbox" name="before" value=${CHECKBOX_VALUE} /> Asthma (checked before)</label>
      <label><input type="checkbox" name="after" /> Herz (checked after the snapshot)</label>
      <label><input type="checkbox" name="prop" /> Rücken (checked by a script)</label>
      <label><input type="checkbox" name="attr" /> Allergie (checked by setAttribute)</label>
      <label><input type="checkbox" name="label" /> <b>Rauchen</b> (checked through its label)</label>
      <fieldset>
        Vorerkrankung:
        <label><input type="radio" name="vorerkrankung" value=${RADIO_VALUE} /> ja</label>
        <label><input type="radio" name="vorerkrankung" value="nein" checked /> nein</label>
      </fieldset>
      <fieldset>
        Raucher:
        <label><input type="radio" name="raucher" value="ja" /> ja</label>
        <label><input type="radio" name="raucher" value="nein" /> nein</label>
      </fieldset>
      <select name="html">
        <option value="a">ja</option>
        <option value="bbbb" selected>nein</option>
      </select>
      <select name="user">
        <option>ja</option>
        <option>nein</option>
        <option>vielleicht</option>
      </select>
      <select name="multi" multiple>
        <option selected>Zahn</option>
        <option>Brille</option>
      </select>
    </form>`);
    const field = <T extends Element>(selector: string): T => page.querySelector<T>(selector)!;
    field<HTMLInputElement>('[name=before]').click();
    field<HTMLInputElement>('[name=vorerkrankung][value=nein]').click();

    const events: RrwebEventEnvelope[] = [];
    recording = startRecording({ emit: (event) => events.push(event) });
    await waitUntil(() => events.some((event) => event.type === 2), 'no full snapshot');

    // The visitor, after the snapshot.
    field<HTMLInputElement>('[name=after]').click();
    field<HTMLInputElement>('input[name=html]').click();
    field<HTMLInputElement>(`[value=${RADIO_VALUE}]`).focus();
    field<HTMLInputElement>(`[value=${RADIO_VALUE}]`).click();
    field<HTMLElement>('label:has([name=label]) b').click();
    choose(field('[name=user]'), 1);
    choose(field('select[name=html]'), 0);
    // A script, through the property and through the attribute.
    field<HTMLInputElement>('[name=prop]').checked = true;
    field<HTMLInputElement>('[name=raucher][value=nein]').checked = true;
    field('[name=attr]').setAttribute('checked', '');
    field('[name=raucher][value=ja]').setAttribute('checked', 'checked');
    field('[name=user] option:last-child').setAttribute('selected', '');
    (field('[name=multi] option:last-child') as HTMLOptionElement).selected = true;
    // Added later, checked and selected in their HTML.
    const late = document.createElement('div');
    late.innerHTML = `<input type="checkbox" checked><input type="radio" name="spaet" checked>
      <select><option selected>eins</option><option>zwei</option></select>`;
    page.append(late);
    await waitUntil(
      () => events.some((event) => event.type === 3 && (event.data as { adds?: unknown[] }).adds?.length),
      'the late nodes were not recorded',
    );
    await new Promise((resolve) => requestAnimationFrame(resolve));
    recording.takeFullSnapshot();
    expect(events.filter((event) => event.type === 2).length).to.equal(2);

    // Through JSON, as the advisor gets it.
    const received = JSON.parse(JSON.stringify(events)) as unknown[];
    for (const [key, value] of valuesOf(received, new Set(['checked', 'selected', 'isChecked']))) {
      expect(value, `${key}: ${JSON.stringify(value)}`).to.equal(false);
    }
    const json = JSON.stringify(received);
    for (const value of [RADIO_VALUE, CHECKBOX_VALUE]) expect(json.includes(value), value).to.equal(false);

    // No event names a checkbox or radio it happened to (an input event, a click, a focus: each names the choice).
    const elements = elementsOf(received);
    const checkables = [...elements.values()].filter((versions) => versions.some(isCheckable));
    expect(checkables.length).to.equal(12, 'the checkboxes and radios are still shown');
    const choices = choiceIds(elements);
    const incremental = received.filter((event) => isObject(event) && event['type'] === 3) as Array<{
      data: Record<string, unknown>;
    }>;
    for (const { data } of incremental) {
      if (data['source'] === 2 || data['source'] === 5) {
        expect(choices.has(data['id'] as number), JSON.stringify(data)).to.equal(false);
      }
    }

    // No recorded value of a select matches one of its options: the replay cannot show the choice by position.
    const selects = [...elements].filter(([, versions]) => versions.some((node) => node.tagName === 'select'));
    expect(selects.length).to.equal(4, 'the selects are still shown');
    for (const [id, versions] of selects) {
      const children = versions.flatMap((select) => select.childNodes ?? []);
      const options = new Set(children.filter((child) => child.tagName === 'option').map(optionValue));
      expect(options.size, `the options of select ${id}`).to.be.greaterThan(0);
      const recorded = versions.map((select) => select.attributes?.['value']);
      for (const { data } of incremental) {
        if (data['id'] !== id) continue;
        if (data['source'] === 5) recorded.push(data['text']);
      }
      for (const { data } of incremental) {
        if (data['source'] !== 0) continue;
        const changes = (data['attributes'] as Serialized[]).filter((change) => change.id === id);
        recorded.push(...changes.map((change) => change.attributes?.['value']));
      }
      for (const value of recorded) {
        if (value !== undefined) expect(options.has(value as string), `select ${id}: ${String(value)}`).to.equal(false);
      }
    }

    // The advisor's replay shows nothing checked and every select on its first option (or, added later, whichever
    // option rrweb happened to insert first: the last), whatever the visitor chose.
    recording.stop();
    const viewer = new LiveViewer(await fixture<HTMLElement>(html`<div style="width: 800px"></div>`));
    try {
      const metas = received.flatMap((event, index) => (isObject(event) && event['type'] === 4 ? [index] : []));
      const second = metas.at(-1)!;
      for (const part of [received.slice(0, second), received.slice(second)]) {
        viewer.addEvents(part as RrwebEventEnvelope[]);
        const replayed = (): Document | undefined => viewer.iframe?.contentDocument ?? undefined;
        await waitUntil(() => replayed()?.querySelectorAll('select, input').length === 16, 'not replayed');
        const view = replayed()!;
        expect(view.querySelectorAll('input:checked, option[selected]').length, 'chosen in the replay').to.equal(0);
        const fromSnapshot = part[0] === received[0] ? 'select[name]' : 'select';
        for (const select of view.querySelectorAll<HTMLSelectElement>(fromSnapshot)) {
          expect(select.selectedIndex, select.name).to.be.at.most(0);
        }
      }
    } finally {
      viewer.destroy();
    }
  });
});
