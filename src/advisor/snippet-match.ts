/**
 * Canned responses without any element: which ones match what the advisor typed (the chat's language first), the
 * `/word` before the caret that asks for them, and the placeholders filled on insert. `{{visitor}}` is the
 * visitor's nickname (a member's verified name), `{{advisor}}` the advisor's name; an unknown `{{…}}` stays.
 */
import type { Snippet, SnippetLang } from '../protocol/snippets.js';

export interface Placeholders {
  visitor: string;
  advisor: string;
}

export function fillSnippet(text: string, values: Placeholders): string {
  return text.replace(/\{\{\s*(visitor|advisor)\s*\}\}/g, (_, name: 'visitor' | 'advisor') => values[name]);
}

/** A shortcut's letters: what may follow `/` while suggestions are open. */
const WORD = /^[\p{Ll}\p{Lo}\p{N}_-]{1,32}$/u;

/**
 * The `/word` that ends at the caret, where `/` starts the text or follows a space or line break: its start (the
 * `/`) and the word, lower-cased. `undefined` for anything else (a URL's `/`, a selection, no letters yet).
 */
export function slashWord(
  value: string,
  caret: number,
  selectionEnd = caret,
): { start: number; query: string } | undefined {
  if (selectionEnd !== caret) return undefined;
  const before = value.slice(0, caret);
  const slash = before.lastIndexOf('/');
  if (slash < 0) return undefined;
  const query = before.slice(slash + 1).toLowerCase();
  if (!WORD.test(query)) return undefined;
  if (slash > 0 && !/\s/.test(before[slash - 1] ?? '')) return undefined;
  return { start: slash, query };
}

/**
 * The snippets that match `query`, best first: those in the chat's language before the others; a shortcut that
 * starts with the query before one that only contains it, before one whose text contains it (`inText`, the
 * searchable list); then by shortcut. Team and own alike (own first at a tie: the advisor made them).
 */
export function matchSnippets(
  snippets: readonly (Snippet & { own?: boolean })[],
  query: string,
  lang: SnippetLang,
  options: { inText?: boolean } = {},
): (Snippet & { own?: boolean })[] {
  const q = query.trim().toLowerCase();
  const scored = snippets
    .map((snippet) => {
      const rank =
        q === ''
          ? 0
          : snippet.shortcut.startsWith(q)
            ? 0
            : snippet.shortcut.includes(q)
              ? 1
              : options.inText === true && snippet.text.toLowerCase().includes(q)
                ? 2
                : -1;
      return { snippet, rank };
    })
    .filter(({ rank }) => rank >= 0);
  scored.sort(
    (a, b) =>
      Number(a.snippet.lang !== lang) - Number(b.snippet.lang !== lang) ||
      a.rank - b.rank ||
      a.snippet.shortcut.localeCompare(b.snippet.shortcut) ||
      Number(b.snippet.own === true) - Number(a.snippet.own === true),
  );
  return scored.map(({ snippet }) => snippet);
}
