// A Rollup plugin that takes out of Lit's production build (the visitor's bundle only) what can never run in
// Lotse, checked as in `bundle-trims.mjs`: each edit must find its text exactly once and fails the build when Lit
// no longer looks as expected (after an update of Lit, look again rather than loosen the check).
//
// Lit is in every visitor chunk that renders (the pop-up, the co-browse view, the callback form, the rating), so
// each byte here counts on every one of those paths (docs/development.md, the budgets). What goes:
// - the hooks for the ShadyDOM/ShadyCSS polyfills (`litHtmlPolyfillSupport`, `reactiveElementPolyfillSupport`,
//   `litElementPolyfillSupport`) and for server-side rendering (`litElementHydrateSupport`): Lotse runs in
//   current browsers with native shadow DOM and renders nothing on a server; a page that installed such a hook
//   for its own Lit must not reach into Lotse's elements either;
// - the version stamps each Lit package pushes onto `globalThis` (`litHtmlVersions`, …), read by nothing in a
//   production build (Lit's development build warns from them about several Lit versions on one page);
// - the long texts of two errors of `css` (a `CSSResult` made by hand, a non-CSS value in a `css` literal): Lotse's
//   styles are all `css` literals, so neither can happen; the errors are still thrown, with short texts.
// Lit's files are one line each: the edits shift the columns after them within that line (`map: null`); the
// source map of the bundle points into Lit's minified files anyway.
import { textEdits } from './bundle-trims.mjs';

const { fail, replace } = textEdits('lit-trim', 'lit');

/** Lit's production files (not `development/`), by what follows `node_modules/`, and their checked edits. */
const EDITS = [
  [
    /[\\/]@lit[\\/]reactive-element[\\/]css-tag\.js$/,
    [
      [
        'throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.")',
        'throw Error("lit: CSSResult")',
      ],
      [
        `throw Error("Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")`,
        'throw Error("lit: css "+t)',
      ],
    ],
  ],
  [
    /[\\/]@lit[\\/]reactive-element[\\/]reactive-element\.js$/,
    [
      ['p=a.reactiveElementPolyfillSupport,', 'p=void 0,'],
      [',(a.reactiveElementVersions??=[]).push("2.1.2")', ''],
    ],
  ],
  [
    /[\\/]lit-html[\\/]lit-html\.js$/,
    [['B=t.litHtmlPolyfillSupport;B?.(S,k),(t.litHtmlVersions??=[]).push("3.3.3");', 'B=void 0;']],
  ],
  [
    /[\\/]lit-element[\\/]lit-element\.js$/,
    [
      [',s.litElementHydrateSupport?.({LitElement:i});', ';'],
      ['const o=s.litElementPolyfillSupport;', 'const o=void 0;'],
      ['(s.litElementVersions??=[]).push("4.2.2");', ''],
    ],
  ],
];

export function litTrim() {
  const seen = new Set();
  return {
    name: 'lotse-lit-trim',
    transform(code, id) {
      if (/[\\/](lit|lit-html|lit-element|@lit[\\/][\w-]+)[\\/]development[\\/]/.test(id))
        fail(`Lit's development build was resolved (${id})`);
      const found = EDITS.find(([file]) => file.test(id));
      if (found === undefined) return null;
      seen.add(found[0]);
      let out = code;
      for (const [from, to] of found[1]) out = replace(out, from, to);
      return { code: out, map: null };
    },
    buildEnd(error) {
      // Every Lit file the edits are for is part of the visitor's bundle; one not seen was renamed or moved.
      if (error === undefined && seen.size !== EDITS.length) fail(`only ${seen.size} of ${EDITS.length} files seen`);
    },
  };
}
