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

export default [
  {
    input: { lotse: 'src/visitor/lotse.ts' },
    // Keep the launcher in lotse.js itself rather than a chunk behind a stub: one request per page view.
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist/cdn', format: 'es', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    // Only the visitor records, and never a canvas, fonts or frames: rrweb loses that code (scripts/bundle-trims.mjs).
    // Lit loses its polyfill and hydration hooks, version stamps and two long error texts (scripts/lit-trims.mjs).
    // Its styles and templates lose their layout whitespace (css-literals.mjs, after esbuild html-literals.mjs).
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
