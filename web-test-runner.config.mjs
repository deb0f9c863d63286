// Browser tests: the TypeScript sources, in Debian's Chromium (never a downloaded browser).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { assetHits } from './scripts/asset-hits.mjs';
import { chromiumPath, chromiumArgs } from './scripts/chromium.mjs';

export default {
  files: [
    'test/visitor/**/*.test.ts',
    'test/advisor/**/*.test.ts',
    'test/client/**/*.browser.test.ts',
    'test/cobrowse/**/*.test.ts',
  ],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }), assetHits()],
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs, headless: true } })],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
};
