// Browser bundles for the script tag: dist/cdn/lotse.js (visitor) and dist/cdn/advisor.js (advisor console).
// Two separate builds, so that no visitor chunk ever depends on advisor code and the other way round.
// The visitor launcher is the only eagerly loaded module; the pop-up and everything it needs are chunks
// loaded by dynamic import() on the first click.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', minify: true, legalComments: 'none' }),
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
    plugins: plugins(),
    onwarn,
  },
  {
    input: { advisor: 'src/advisor/index.ts' },
    output: { dir: 'dist/cdn', format: 'es', chunkFileNames: 'advisor-chunks/[name]-[hash].js', sourcemap: true },
    plugins: plugins(),
    onwarn,
  },
];
