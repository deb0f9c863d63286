/**
 * Canned responses ("Textbausteine") between the advisor's console and the server. Team snippets are managed by an
 * admin (`/admin/snippets`, `lotse snippets`); an advisor reads them, and reads and writes personal ones of their
 * own. Both are the advisor's texts, never a visitor's, and live in the store; without one the list says
 * `available: false`.
 *
 *   advisor  snippets.get                      → server → advisor  snippets.list
 *   advisor  snippets.save {id?, …}            → server → advisor  snippets.list   (or an error, ref `snippets.save`)
 *   advisor  snippets.delete {id}              → server → advisor  snippets.list
 */
import * as v from 'valibot';
import { MAX_SNIPPETS_LISTED, MAX_TEXT_LENGTH, PROTOCOL_VERSION, SNIPPET_SHORTCUT_PATTERN } from './limits.js';
import { TEXT_FORBIDDEN } from './text.js';

const version = v.literal(PROTOCOL_VERSION);
export const snippetId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
export const snippetShortcut = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(SNIPPET_SHORTCUT_PATTERN));
export const snippetLang = v.picklist(['de', 'en']);
/** A snippet's text as the protocol allows it; the server's configured `snippets.maxTextLength` may be lower. */
export const snippetText = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(MAX_TEXT_LENGTH),
  v.check((value) => !TEXT_FORBIDDEN.test(value)),
);

export const SnippetSchema = v.object({
  id: snippetId,
  shortcut: snippetShortcut,
  lang: snippetLang,
  text: snippetText,
});
export type Snippet = v.InferOutput<typeof SnippetSchema>;
export type SnippetLang = Snippet['lang'];

export const snippetsFromAdvisor = [
  v.object({ v: version, type: v.literal('snippets.get') }),
  /** A personal snippet: new without `id`, else that one of the advisor's own replaced. */
  v.object({
    v: version,
    type: v.literal('snippets.save'),
    id: v.optional(snippetId),
    shortcut: snippetShortcut,
    lang: snippetLang,
    text: snippetText,
  }),
  v.object({ v: version, type: v.literal('snippets.delete'), id: snippetId }),
] as const;

const list = v.pipe(v.array(SnippetSchema), v.maxLength(MAX_SNIPPETS_LISTED));

export const snippetsToAdvisor = [
  /**
   * Every team snippet and the advisor's own, after `snippets.get`, after each change the advisor made, and unasked
   * when an admin changed the team's (`/admin/snippets`, to every connected console on every node). With
   * `available: false` (no store), both are empty and nothing can be saved. `limits`: the server's bounds.
   */
  v.object({
    v: version,
    type: v.literal('snippets.list'),
    available: v.boolean(),
    team: list,
    personal: list,
    limits: v.object({
      maxTextLength: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_TEXT_LENGTH)),
      maxPersonal: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SNIPPETS_LISTED)),
    }),
  }),
] as const;
