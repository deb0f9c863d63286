/**
 * Rendering for the plain (Lit-free) elements. `h()` builds DOM: `h('button', { part: 'cobrowse-end', type:
 * 'button', onclick }, text.end)`; attributes are set as attributes (`true`: present and empty; `false`,
 * `undefined`: left out), `on…` functions become event listeners, children are nodes or text (never parsed as
 * HTML). A `Step` is a piece of view built once and then brought up to date in place, so that focus and live
 * regions stay where they are; a `Slot` shows one step at a time and builds a new one when its key changes.
 */
export type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;
export type Child = Node | string | false | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.filter((child): child is Node | string => child !== undefined && child !== false));
  return element;
}

/**
 * A step: its nodes, built once (in `content` until they are put in place), and how to bring them up to date with
 * new props (called before the step is shown, and on every render after).
 */
export interface Step<P> {
  readonly content: DocumentFragment;
  update(props: P): void;
}

export function step<P>(nodes: Node[], update: (props: P) => void = () => undefined): Step<P> {
  const content = new DocumentFragment();
  content.append(...nodes);
  return { content, update };
}

/** Where a step is shown: built anew (and put in place by `place`) for a new key, else brought up to date. */
export class Slot {
  #key: string | undefined;
  #update: ((props: never) => void) | undefined;
  #place: (content: DocumentFragment | undefined) => void;

  constructor(place: (content: DocumentFragment | undefined) => void) {
    this.#place = place;
  }

  show<P>(key: string, build: (props: P) => Step<P> | undefined, props: P): void {
    if (key === this.#key) return this.#update?.(props as never);
    this.#key = key;
    const built = build(props);
    built?.update(props);
    this.#update = built?.update;
    this.#place(built?.content);
  }
}
