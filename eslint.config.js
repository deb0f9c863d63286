// ESLint for Lotse: typescript-eslint with type information for the TypeScript of src/, test/ and scripts/, plain
// rules for the JavaScript around it, and the layout rules of STYLE.md (eslint/layout.js), which keep the shape of
// src/ true. `npx eslint .` runs in `npm test` and `npm run lint`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import layout from './eslint/layout.js';

/** Browser code: what the visitor's and the advisor's pages load. */
const BROWSER = 'src/{client,visitor,advisor,cobrowse,i18n,dom}/**';

/**
 * The layout rules: which module may import which. A rule applies to the modules matching `from` (but not `except`)
 * and every import of theirs (static, dynamic, type-only); files are globs of source paths (`./x.js` is `x.ts`),
 * packages are names without subpath (`node:` is every Node built-in, `**` every package).
 */
const boundaries = [
  {
    from: ['src/protocol/**'],
    allow: { files: ['src/protocol/**'], packages: ['valibot'] },
    because: 'protocol/ is shared by browser and server and imports nothing outside itself but valibot',
  },
  {
    from: ['src/server/**'],
    allow: { files: ['src/server/**', 'src/protocol/**'], packages: ['**'] },
    because: 'server/ imports only server/, protocol/, Node built-ins and its own dependencies, never browser code',
  },
  {
    from: [BROWSER],
    forbid: {
      files: ['src/server/**'],
      packages: ['node:', 'ws', 'jose', 'pg', '@electric-sql/pglite', '@redis/client', 'prom-client'],
    },
    because: 'browser code never imports server/, Node built-ins or the server-only packages',
  },
  {
    from: ['src/visitor/**'],
    forbid: { files: ['src/advisor/**', 'src/cobrowse/replay.ts'], packages: ['@rrweb/replay'] },
    because: 'visitor/ never imports advisor/ or the replay (what both need lives in dom/)',
  },
  {
    from: ['src/advisor/**'],
    forbid: { files: ['src/visitor/**', 'src/cobrowse/record.ts'], packages: ['@rrweb/record'] },
    because: 'advisor/ never imports visitor/ or the recording (what both need lives in dom/)',
  },
  {
    from: ['src/**'],
    forbid: { packages: ['rrweb', 'simple-peer'] },
    because: 'Lotse uses the halves @rrweb/record and @rrweb/replay, and simple-peer-light',
  },
  {
    from: ['src/**'],
    except: ['src/server/app/**', 'src/server/demo/**', 'src/server/cli.ts', 'src/server/index.ts'],
    forbid: { files: ['src/server/demo/**'] },
    because: 'demo mode is one plugin, mounted by server/app/ alone; no production module knows it',
  },
  {
    from: ['src/**'],
    except: ['src/server/metrics/**'],
    forbid: { packages: ['prom-client'] },
    because:
      'metrics are made in server/metrics/ alone; the other parts are watched from the outside (lifecycle, log, store)',
  },
  {
    from: ['src/server/*/**'],
    except: ['src/server/app/**'],
    forbid: { files: ['src/server/app/**'] },
    because: 'server/app/ builds the parts and hands them their dependencies; a part never reaches back into it',
  },
  {
    from: ['src/**'],
    except: [
      'src/server/app/**',
      'src/server/cli.ts',
      'src/server/cli/**',
      'src/server/config/**',
      'src/server/demo/**',
      'src/server/index.ts',
    ],
    forbid: { files: ['src/server/config/lotse-config.ts'] },
    because:
      'a part takes its area of the configuration (TransportConfig, AdvisorTokenConfig, …) or plain values; only server/app/, the CLI and the demo see the whole',
  },
];

/** Packages that one module wraps for the rest of Lotse: rrweb and the peer code stay out of other bundles. */
const owners = {
  '@rrweb/record': 'src/cobrowse/record.ts',
  '@rrweb/replay': 'src/cobrowse/replay.ts',
  'simple-peer-light': 'src/client/peer-link.ts',
  fflate: 'src/client/framing-deflate.ts',
  // Server-only storage drivers: PGlite alone is about 27 MB and must never reach a browser bundle.
  '@electric-sql/pglite': 'src/server/store/embedded.ts',
  pg: 'src/server/store/postgres.ts',
  // The Redis client: one connection module, with the persistence check every Redis must pass.
  '@redis/client': 'src/server/state/redis/connection.ts',
};

/** What a module loads with it: its static imports and theirs (dynamic `import()` and `import type` excluded). */
const closures = [
  {
    from: ['src/visitor/lotse.ts'],
    forbid: { files: ['src/{client,protocol,advisor,server,cobrowse}/**'], packages: ['**'] },
    because:
      'the launcher, which every page view loads, gets Lit, client/ and protocol/ by import() on the first click',
  },
  // The chat pop-up and the co-browse start view are Lit elements whose sockets have hand-written parsers
  // (protocol/visitor-parse.ts, cobrowse-visitor-parse.ts), so that they stay within their budgets.
  {
    from: ['src/visitor/**', 'src/client/visitor-chat.ts'],
    forbid: { packages: ['valibot'] },
    because: "the visitor's code (the chat pop-up, the co-browse start view) parses by hand to stay in budget",
  },
];

/** Node's globals, read from the Node that runs ESLint (what a script may use without importing it). */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

/** What the demo pages' scripts use of the browser, besides what Node has too (URL, fetch, console …). */
const browserGlobals = {
  ...nodeGlobals,
  ...Object.fromEntries(
    [
      'document',
      'window',
      'location',
      'history',
      'customElements',
      'sessionStorage',
      'localStorage',
      'HTMLElement',
    ].map((name) => [name, 'readonly']),
  ),
};

export default defineConfig(
  { ignores: ['dist/', 'coverage/', '.lotse-data/', 'node_modules/'] },
  js.configs.recommended,
  {
    rules: {
      // Lotse's text rules match control characters on purpose (protocol/text.ts, cobrowse/asset-guard.ts).
      'no-control-regex': 'off',
      // A variable that a callback reads before it is set (`let advisor; … advisor = new …`) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `===` always, but `x != null` for "null or undefined".
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            // node:test's test() and describe() return promises that the runner itself awaits.
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
            // @open-wc/semantic-dom-diff types chai's equal() as a promise for every value; it is one only for the
            // snapshot variants, which Lotse's tests do not use.
            { from: 'package', package: 'chai', name: 'Equal' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Rejecting with what was caught passes the error on as it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // visitor/lotse-cobrowse.ts remembers in `holder` which element resumes a stored session: not an alias.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['holder'] }],
      // Off, with reasons. Without noUncheckedIndexedAccess TypeScript calls `list[0]!` unnecessary, but the `!`
      // says "this index exists" to the reader, which is worth more than the rule.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // An `async` method that awaits nothing still turns a throw into a rejection, as its interface promises.
      '@typescript-eslint/require-await': 'off',
      // Lit's reactive controllers register with their host when built; the private field that holds one is
      // never read again, on purpose.
      'no-unused-private-class-members': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layout, 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // `./x.js` in TypeScript's NodeNext style names the source `./x.ts`.
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      // Nothing in src/ imports itself back, and what ships imports only the package's dependencies.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: false }],
      'layout/boundaries': ['error', boundaries],
      'layout/one-importer': ['error', owners],
      'layout/static-closure': ['error', closures],
    },
  },
  {
    // Tests read raw frames and log lines (JSON.parse gives `any`) and swap a method out to put it back later.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Node scripts and configuration: Node's globals, from the Node that runs them.
    files: ['**/*.{js,mjs}'],
    ignores: ['demo/**', 'test/**/fixtures/**'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // The demo pages' scripts and the test pages' fixtures run in the browser.
    files: ['demo/**/*.js', 'test/**/fixtures/**/*.js'],
    languageOptions: { globals: browserGlobals },
  },
);
