/**
 * Language of an element: the nearest `lang` attribute up the tree (crossing shadow roots), then the document's.
 * German first: anything that is not English is German.
 */
export type Lang = 'de' | 'en';

export function langOf(element: Element): Lang {
  let node: Node | null = element;
  while (node !== null) {
    if (node instanceof Element && node.hasAttribute('lang')) return pick(node.getAttribute('lang'));
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return pick(element.ownerDocument.documentElement.getAttribute('lang'));
}

function pick(value: string | null): Lang {
  return value !== null && value.trim().toLowerCase().startsWith('en') ? 'en' : 'de';
}

/** Catalogue lookup: one object per language, same keys, checked by the type system. */
export function catalogue<T extends object>(de: T, en: NoInfer<T>): (lang: Lang) => T {
  return (lang) => (lang === 'en' ? en : de);
}
