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
 * The names of Lotse's public events: the `lotse-*` names declared in `GlobalEventHandlersEventMap`, one event per
 * file in `dom/events/`. Types only: nothing of this reaches a bundle.
 */
export type LotseEventName = keyof GlobalEventHandlersEventMap & `lotse-${string}`;

/** The detail a Lotse event carries, by its declaration; `never` for a union of names (one event, one detail). */
export type LotseEventDetail<K extends LotseEventName> =
  true extends IsUnion<K> ? never : GlobalEventHandlersEventMap[K] extends CustomEvent<infer Detail> ? Detail : never;

type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;

/**
 * Dispatches a public Lotse event: it bubbles and is composed, so it leaves the shadow roots and reaches the
 * page. Only a declared name (`dom/events/`) with its declared detail type-checks. Returns false when a listener
 * cancelled a cancelable event.
 */
export function emit<K extends LotseEventName>(
  target: EventTarget,
  type: K,
  detail: LotseEventDetail<K>,
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(
    new CustomEvent(type, { bubbles: true, composed: true, cancelable: options.cancelable ?? false, detail }),
  );
}
