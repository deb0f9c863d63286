/**
 * Registration and events for every Lotse element, visitor and advisor. Imported by the launcher, so it must stay
 * free of Lit and of anything heavy.
 */

/**
 * Registers a custom element unless the tag is taken already, so that the script loaded twice (a bundle and a
 * CDN copy, the same tag twice on one page) does not throw. First one wins.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  if (customElements.get(tag) === undefined) customElements.define(tag, element);
}

/**
 * Dispatches a public Lotse event: it bubbles and is composed, so it leaves the shadow roots and reaches the
 * page. Returns false when a listener cancelled a cancelable event.
 */
export function emit<T>(target: EventTarget, type: string, detail: T, options: { cancelable?: boolean } = {}): boolean {
  return target.dispatchEvent(
    new CustomEvent<T>(type, { bubbles: true, composed: true, cancelable: options.cancelable ?? false, detail }),
  );
}
