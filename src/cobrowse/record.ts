/**
 * Recording of the visitor's page for co-browsing: the only module that imports `@rrweb/record`, loaded by a
 * dynamic `import()` (with the data channel, `client/cobrowse-live.ts`) only once the visitor has consented and the
 * advisor has typed the start code; it records only once the data channel is open.
 *
 * Privacy defaults that a host page can add to (`block`, `mask`) but never switch off:
 * - every input, textarea and select is masked (`maskAllInputs`), and so are `value` attributes written in the
 *   HTML (rrweb copies those raw when the field's current value is empty, and for checkboxes, radios and options);
 * - no choice travels: no checkbox or radio is ever checked and no option selected in what is sent, whether by the
 *   HTML, the visitor or a script (rrweb sends `checked` attributes and states, and a select's masked value, whose
 *   length picks out its option); input events, clicks and focus of checkboxes, radios and their labels, and input
 *   events of selects, are not sent at all, as the element they name would name the choice;
 * - a masked value or text is one fixed placeholder (`MASK`), whatever it was and however long: the advisor sees
 *   that a field is filled, not how much was typed (an empty one stays empty);
 * - hidden inputs are never sent (blocked); `<option>` text is masked;
 * - text inside `[data-lotse-mask]` is masked, `[data-lotse-block]` elements are replaced by an empty box;
 * - text inside a `contenteditable` element is masked (it is typed, like a field's value);
 * - embedded documents are never sent: every iframe, frame, object and embed is blocked (an empty box of its size),
 *   no `srcdoc` attribute travels, and nothing of a same-origin frame's document (which rrweb records even for a
 *   blocked frame) nor any event inside one;
 * - Lotse's own UI (launcher, chat, co-browse view with its start code, live bar, pointer) is never recorded;
 * - no canvas contents, no inlined images, no script contents, no comments.
 */
import { record } from '@rrweb/record';
import type { RrwebEventEnvelope } from '../protocol/peer.js';

export interface RecordingOptions {
  /** Called for every recorded event, oldest first. */
  emit: (event: RrwebEventEnvelope) => void;
  /** More elements to block (a CSS selector list), on top of the defaults. */
  block?: string;
  /** More elements whose text is masked (a CSS selector list), on top of the defaults. */
  mask?: string;
}

export interface Recording {
  /** Emits a fresh full snapshot (for a viewer that is new or was re-created). */
  takeFullSnapshot(): void;
  /** Stops recording. Idempotent. */
  stop(): void;
}

/** Lotse's own elements: never recorded, so no start code, pointer or live bar travels back to the advisor. */
export const LOTSE_UI_SELECTOR =
  'lotse-chat, lotse-chat-popup, lotse-cobrowse, lotse-cobrowse-view, lotse-cobrowse-pointer, [data-lotse-ui]';
/**
 * Blocked always: Lotse's UI, what the page marks, hidden inputs (their values are never shown anyway), and
 * embedded documents: a frame's document would need every rule of this module applied to it in its own realm, and
 * an `<object>` or `<embed>` can carry a whole document in its `data:` URL, as an iframe can in its `srcdoc`.
 */
export const BLOCK_SELECTOR = `${LOTSE_UI_SELECTOR}, [data-lotse-block], input[type="hidden" i], iframe, frame, object, embed`;
/** Text masked always: what the page marks, option texts (the choice of a select is its text), and typed text. */
export const MASK_TEXT_SELECTOR =
  '[data-lotse-mask], option, optgroup, [contenteditable]:not([contenteditable="false" i])';

/** Live use: rrweb's defaults (500 ms for pointer paths) are far too slow for a person watching. */
const SAMPLING = { mousemove: 50, mousemoveCallback: 50, scroll: 50, input: 'last' } as const;
/** A new full snapshot this often, so that the advisor's viewer is re-created and its event list stays bounded. */
const CHECKOUT_EVERY_MS = 5 * 60_000;

/** What the advisor sees for any masked value or text: the same for every value, of every length. */
export const MASK = '******';
/** Filled or empty, nothing else: not the content, not the length. */
export const maskValue = (text: string): string => (text === '' ? '' : MASK);
/** Blank text (between elements) stays as it is; any other text is the placeholder, nothing of its length. */
export const maskText = (text: string): string => (/\S/.test(text) ? MASK : text);

/** Input types whose `value` is the button's visible label, not something a person typed. */
const LABEL_TYPES = new Set(['submit', 'button', 'reset', 'image']);
const VALUE_TAGS = new Set(['input', 'textarea', 'select', 'option']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function needsValueMask(tag: string, type: unknown): boolean {
  if (!VALUE_TAGS.has(tag)) return false;
  return !(tag === 'input' && typeof type === 'string' && LABEL_TYPES.has(type.toLowerCase()));
}

/** The attribute of each element that carries the visitor's choice. */
const CHOICES = { input: 'checked', option: 'selected', select: 'value' } as const;

/** Drops the choice attributes of an element (of every kind when `tag` is unknown). */
function dropChoices(attributes: Record<string, unknown>, tag?: string): void {
  for (const [choiceTag, name] of Object.entries(CHOICES)) {
    if (tag === undefined || tag === choiceTag) delete attributes[name];
  }
}

/** The element behind a mirror id, or null. Not `instanceof`: elements of same-origin frames are of another realm. */
function elementOf(id: unknown): Element | null {
  const node = typeof id === 'number' ? record.mirror.getNode(id) : null;
  return node?.nodeType === 1 ? (node as Element) : null;
}

/** Whether the node behind a mirror id is part of the page itself (shadow roots included), not of a frame's document. */
function inPage(id: unknown): boolean {
  const node = typeof id === 'number' ? record.mirror.getNode(id) : null;
  return node !== null && (node === document || node.ownerDocument === document);
}

const isCheckable = (element: Element | null | undefined): boolean =>
  element?.localName === 'input' && /^(checkbox|radio)$/.test((element as HTMLInputElement).type);

/** A checkbox or radio, or something inside the label of one: that the visitor touches it names the choice. */
const touchesChoice = (element: Element): boolean =>
  isCheckable(element) || isCheckable(element.closest<HTMLLabelElement>('label')?.control);

/** Masks `value` attributes and drops choices in a serialized subtree (full snapshot or added nodes). Iterative. */
function scrubTree(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isRecord(node)) continue;
    const { tagName, attributes, childNodes } = node;
    if (node['type'] === 2 && typeof tagName === 'string' && isRecord(attributes)) {
      const tag = tagName.toLowerCase();
      delete attributes['srcdoc'];
      dropChoices(attributes, tag);
      const value = attributes['value'];
      if (typeof value === 'string' && needsValueMask(tag, attributes['type'])) {
        attributes['value'] = maskValue(value);
      }
    }
    if (Array.isArray(childNodes)) stack.push(...(childNodes as unknown[]));
  }
}

/** Masks `value` attribute changes of form elements and drops choices in a mutation event, using the mirror. */
function scrubAttributes(changes: unknown): void {
  if (!Array.isArray(changes)) return;
  for (const change of changes) {
    if (!isRecord(change) || !isRecord(change['attributes'])) continue;
    const attributes = change['attributes'];
    delete attributes['srcdoc'];
    const element = elementOf(change['id']);
    // Unknown node: drop what any field's choice or value could be, better too little sent than a choice too many.
    dropChoices(attributes, element?.localName);
    const value = attributes['value'];
    if (element && typeof value === 'string' && needsValueMask(element.localName, element.getAttribute('type'))) {
      attributes['value'] = maskValue(value);
    }
  }
}

/**
 * The last line of defence: rrweb masks a field's current value, but copies a `value` attribute from the HTML as
 * it is when the field is empty, or for checkboxes, radios and options; and it sends every choice (see the top).
 * Mutates the event in place; false when the event must not be sent at all: an input event (source 5) of a
 * checkbox, radio (with its raw value and `isChecked`, and one for each radio of its group) or select, or a click,
 * touch or focus (source 2) of a checkbox, radio or its label; with an unknown element, either; any event about a
 * node of a frame's document; a mutation with nothing left of the page's own. A selection (source 14) loses
 * every range with an end in masked text: its offset there would tell how long the text is.
 */
export function scrubEvent(event: unknown, maskTextSelector = MASK_TEXT_SELECTOR): boolean {
  if (!isRecord(event) || !isRecord(event['data'])) return true;
  const data = event['data'];
  if (event['type'] === 2) scrubTree(data['node']);
  if (event['type'] !== 3) return true;
  const source = data['source'];
  if (source === 0) return scrubMutation(data);
  if (typeof data['id'] === 'number' && !inPage(data['id'])) return false;
  if (source === 14 && Array.isArray(data['ranges'])) {
    data['ranges'] = data['ranges'].filter((range) => !selectsMasked(range, maskTextSelector));
  } else if (source === 2 || source === 5) {
    const element = elementOf(data['id']);
    const input = source === 5;
    if (!element || touchesChoice(element) || (input && element.localName === 'select')) return false;
    if (input) data['isChecked'] = false;
  }
  return true;
}

/** Whether a selection range has an end in masked text, or outside the page. */
function selectsMasked(range: unknown, maskTextSelector: string): boolean {
  if (!isRecord(range)) return true;
  return [range['start'], range['end']].some((id) => {
    if (!inPage(id)) return true;
    const node = record.mirror.getNode(id as number)!;
    const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
    return element?.closest(maskTextSelector) != null;
  });
}

/**
 * A mutation without anything of a frame's document: rrweb adds a same-origin frame's whole document (a node of
 * type 0) under the frame, blocked or not, and then records changes inside it. Only the page's own adds, texts and
 * attribute changes stay (removals name nothing but ids); false when nothing is left to send.
 */
function scrubMutation(data: Record<string, unknown>): boolean {
  const ofPage = (list: unknown, key: string): Record<string, unknown>[] =>
    Array.isArray(list)
      ? list.filter((item): item is Record<string, unknown> => isRecord(item) && inPage(item[key]))
      : [];
  const adds = ofPage(data['adds'], 'parentId').filter((add) => isRecord(add['node']) && add['node']['type'] !== 0);
  const texts = ofPage(data['texts'], 'id');
  const attributes = ofPage(data['attributes'], 'id');
  for (const add of adds) scrubTree(add['node']);
  scrubAttributes(attributes);
  Object.assign(data, { adds, texts, attributes });
  return (
    adds.length + texts.length + attributes.length + (Array.isArray(data['removes']) ? data['removes'].length : 0) > 0
  );
}

function checkSelector(name: string, selector: string | undefined): string {
  if (selector === undefined || selector.trim() === '') return '';
  try {
    document.createDocumentFragment().querySelector(selector);
  } catch {
    throw new TypeError(`LOTSE_ERR_INVALID_OPTION: ${name} is not a valid CSS selector: ${selector}`);
  }
  return `, ${selector}`;
}

let active: (() => void) | undefined;

/** Starts recording the document. Only one recording runs at a time: a second start stops the first. */
export function startRecording(options: RecordingOptions): Recording {
  const blockSelector = BLOCK_SELECTOR + checkSelector('block', options.block);
  const maskTextSelector = MASK_TEXT_SELECTOR + checkSelector('mask', options.mask);
  active?.();
  let stopped = false;
  const stopRecord = record({
    emit: (event) => {
      if (stopped || !scrubEvent(event, maskTextSelector)) return;
      options.emit(event as RrwebEventEnvelope);
    },
    blockSelector,
    maskTextSelector,
    maskAllInputs: true,
    maskInputOptions: { password: true, select: true, textarea: true, text: true, email: true, tel: true },
    maskInputFn: maskValue,
    maskTextFn: maskText,
    recordCanvas: false,
    inlineImages: false,
    collectFonts: false,
    inlineStylesheet: true,
    slimDOMOptions: 'all',
    sampling: SAMPLING,
    checkoutEveryNms: CHECKOUT_EVERY_MS,
  });
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    stopRecord?.();
    if (active === stop) active = undefined;
  };
  active = stop;
  return {
    takeFullSnapshot: () => {
      if (!stopped) record.takeFullSnapshot();
    },
    stop,
  };
}
