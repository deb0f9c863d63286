/**
 * User text inside our own sentences, isolated: a nickname or advisor name in "Kim schreibt …" is rendered in a
 * `<bdi>`, so that right-to-left letters or stray direction marks in it cannot reorder the words around it. Used
 * by the visitor pop-up and the advisor console; names and message texts that stand in an element of their own
 * get `dir="auto"` and `unicode-bidi: isolate` there instead.
 */
import { html } from 'lit';
import type { TemplateResult } from 'lit';

/** Stands for the name while the sentence is split; a private-use character no catalogue text contains. */
const SLOT = '\uE000';

/**
 * `say(name)` with every occurrence of `name` in a `<bdi>`. The text content is exactly `say(name)`; a sentence
 * that does not mention the name comes back as the plain string.
 */
export function withName(say: (name: string) => string, name: string): TemplateResult | string {
  const [before = '', ...after] = say(SLOT).split(SLOT);
  if (after.length === 0) return say(name);
  return html`${before}${after.map((rest) => html`<bdi>${name}</bdi>${rest}`)}`;
}
