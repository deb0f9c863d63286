/**
 * Language changes on the page: one MutationObserver for every Lotse element, on every `lang` attribute of the
 * document and of the shadow roots an element sits in (`langOf` looks up the tree, across shadow roots, to the
 * root element). Lit-free and tiny: the launcher and `<lotse-cobrowse>`, loaded on every page view, use it
 * directly (the launcher re-renders the pop-up it holds); Lit elements through `LocalizeController` (`localize.ts`).
 */
const listeners = new Set<() => void>();
const observer = new MutationObserver(() => listeners.forEach((listener) => listener()));

/**
 * Calls `listener` after any `lang` attribute changed in the document or in a shadow root around `element` (call
 * it when the element is connected), until `unwatchLang`. Observing a root again only renews its options: each is
 * watched once, however many elements sit in it.
 */
export function watchLang(element: Element, listener: () => void): void {
  for (let root = element.getRootNode(); ; root = (root as ShadowRoot).host.getRootNode()) {
    observer.observe(root, { attributeFilter: ['lang'], subtree: true });
    if (!(root instanceof ShadowRoot)) break;
  }
  listeners.add(listener);
}

export function unwatchLang(listener: () => void): void {
  listeners.delete(listener);
}
