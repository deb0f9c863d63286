/**
 * Registers a custom element unless the tag is taken already, so that the same script loaded twice (a bundle and
 * a CDN copy, a hot reload) does not throw. A different class under the same tag is left alone: first one wins.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (customElements.get(tag) === undefined) customElements.define(tag, element);
}

/** Dispatches a public Lotse event: bubbles out of the shadow root and up the document. */
export function emit<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { bubbles: true, composed: true, cancelable: false, detail }));
}
