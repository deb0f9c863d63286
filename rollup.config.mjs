// Browser bundles for the script tag: dist/cdn/lotse.js (visitor) and dist/cdn/advisor.js (advisor console).
// Two separate builds, so that no visitor chunk ever depends on advisor code and the other way round.
// The visitor launcher is the only eagerly loaded module; the pop-up and everything it needs are chunks
// loaded by dynamic import() on the first click.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import { rrwebRecordTrim } from './scripts/bundle-trims.mjs';
import { litTrim } from './scripts/lit-trims.mjs';
import { simplePeerDataOnly, simplePeerWithoutDebug } from './scripts/peer-trims.mjs';
import { minifyCssLiterals } from './scripts/css-literals.mjs';
import { unindentHtmlLiterals } from './scripts/html-literals.mjs';

// simple-peer-light loses its debug calls and its media code (scripts/peer-trims.mjs); esbuild strips the types;
// terser minifies (about 3 % smaller than esbuild's minifier on these bundles, which matters on every insurer's
// page view).
const plugins = () => [
  simplePeerWithoutDebug(),
  simplePeerDataOnly(),
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', legalComments: 'none' }),
  terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
];

const onwarn = (warning, warn) => {
  // The terms module is imported from a URL known only at run time, on purpose.
  if (warning.code === 'UNRESOLVED_IMPORT' || warning.message.includes('terms.js')) return;
  warn(warning);
};

/**
 * One deliberate chunk for Lit and the button styles, which every visitor view that renders needs (pop-up, co-browse
 * view, callback form, rating): Rollup would otherwise group shared modules by which chunks use them, and one more
 * user (a chunk that needs Lit but not the connection, as the callback form) split them anew into smaller chunks,
 * each with its own request, gzip overhead and source-map comment on every path. Lit's directives and decorators
 * stay with the views that use them. The launcher (`lotse.js`) uses no Lit and never loads this chunk.
 */
const LIT_CHUNK = [
  'node_modules/lit/index.js',
  'node_modules/lit-element/lit-element.js',
  'node_modules/lit-html/lit-html.js',
  'node_modules/lit-html/is-server.js',
  'node_modules/@lit/reactive-element/reactive-element.js',
  'node_modules/@lit/reactive-element/css-tag.js',
  'src/visitor/button-styles.ts',
];

function visitorChunks(id) {
  const path = id.replaceAll('\\', '/');
  return LIT_CHUNK.some((file) => path.endsWith(`/${file}`)) ? 'lit' : undefined;
}

export default [
  {
    input: { lotse: 'src/visitor/lotse.ts' },
    // Keep the launcher in lotse.js itself rather than a chunk behind a stub: one request per page view.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist/cdn',
      format: 'es',
      // Six characters of hash (36 bits) tell a dozen chunks' versions apart as well as eight, and each chunk's
      // name is in the import statements of those that load it, the launcher's three included.
      chunkFileNames: 'chunks/[name]-[hash:6].js',
      sourcemap: true,
      manualChunks: visitorChunks,
    },
    // Only the visitor records, and never a canvas, fonts or frames: rrweb loses that code (scripts/bundle-trims.mjs).
    // Its styles and templates lose their layout whitespace (css-literals.mjs, after esbuild html-literals.mjs).
    // Lit loses its polyfill and hydration hooks, version stamps and two long error texts (scripts/lit-trims.mjs).
    plugins: [rrwebRecordTrim(), litTrim(), minifyCssLiterals(), ...plugins(), unindentHtmlLiterals()],
    onwarn,
  },
  {
    input: { advisor: 'src/advisor/index.ts' },
    output: { dir: 'dist/cdn', format: 'es', chunkFileNames: 'advisor-chunks/[name]-[hash].js', sourcemap: true },
    plugins: plugins(),
    onwarn,
  },
];
