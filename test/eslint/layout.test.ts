/**
 * The layout rules of eslint.config.js (eslint/layout.js) fire: each lints a module that breaks one rule, placed
 * where the rule applies, and one that keeps it. The modules are text at a path in src/ (most of them not on disk);
 * what they import is real, so the static-closure rules follow the project's actual imports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  // The project's configuration without type information: the layout rules need none, and virtual files have none.
  overrideConfig: tseslint.configs.disableTypeChecked,
  ruleFilter: ({ ruleId }) => ruleId.startsWith('layout/') || ruleId.startsWith('import-x/'),
});

/** The layout findings for `code` at `path`: `rule: message` per finding. */
async function findings(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

async function breaks(path: string, code: string, rule: string, says: RegExp): Promise<void> {
  const found = await findings(path, code);
  assert.ok(
    found.some((finding) => finding.startsWith(`${rule}: `) && says.test(finding)),
    `${path} with ${code}\nexpected ${rule} matching ${says}, got:\n  ${found.join('\n  ')}`,
  );
}

async function keeps(path: string, code: string): Promise<void> {
  assert.deepEqual(await findings(path, code), [], `${path} with ${code}`);
}

test('protocol/ imports only itself and valibot', async () => {
  await breaks('src/protocol/new.ts', "import '../client/connection.js';", 'layout/boundaries', /protocol\//);
  await breaks('src/protocol/new.ts', "import { html } from 'lit';", 'layout/boundaries', /protocol\//);
  await breaks('src/protocol/new.ts', "import { readFile } from 'node:fs';", 'layout/boundaries', /protocol\//);
  await keeps(
    'src/protocol/new.ts',
    "import * as v from 'valibot';\nimport { MAX_TEXT } from './limits.js';\nexport { v, MAX_TEXT };",
  );
});

test('server/ imports only server/, protocol/ and packages; browser code never server/, Node or server packages', async () => {
  await breaks('src/server/new.ts', "import '../visitor/lotse.js';", 'layout/boundaries', /server\//);
  await breaks('src/server/new.ts', "import '../dom/define.js';", 'layout/boundaries', /server\//);
  await keeps(
    'src/server/new.ts',
    "import 'node:fs';\nimport 'ws';\nimport '../protocol/limits.js';\nimport './index.js';",
  );
  for (const area of ['client', 'visitor', 'advisor', 'cobrowse', 'i18n', 'dom']) {
    await breaks(`src/${area}/new.ts`, "import '../server/index.js';", 'layout/boundaries', /browser code/);
    await breaks(`src/${area}/new.ts`, "import 'node:fs';", 'layout/boundaries', /browser code/);
    await breaks(`src/${area}/new.ts`, "import 'fs';", 'layout/boundaries', /browser code/);
    await breaks(`src/${area}/new.ts`, "import type { WebSocket } from 'ws';", 'layout/boundaries', /browser code/);
    await breaks(
      `src/${area}/new.ts`,
      "export type S = import('../server/index.js').LotseServer;",
      'layout/boundaries',
      /browser code/,
    );
  }
});

test('visitor/ never imports advisor/ or the replay; advisor/ never visitor/ or the recording', async () => {
  await breaks('src/visitor/new.ts', "import '../advisor/index.js';", 'layout/boundaries', /visitor\//);
  await breaks(
    'src/visitor/new.ts',
    "const replay = () => import('../cobrowse/replay.js');",
    'layout/boundaries',
    /visitor\//,
  );
  await breaks(
    'src/advisor/new.ts',
    "import type { LotseChat } from '../visitor/lotse-chat.js';",
    'layout/boundaries',
    /advisor\//,
  );
  await breaks(
    'src/advisor/new.ts',
    "const record = () => import('../cobrowse/record.js');",
    'layout/boundaries',
    /advisor\//,
  );
  await keeps(
    'src/advisor/new.ts',
    "const replay = () => import('../cobrowse/replay.js');\nimport '../dom/define.js';",
  );
});

test('rrweb, simple-peer, fflate and the storage drivers are each imported in their one module', async () => {
  await breaks('src/client/new.ts', "import { Deflate } from 'fflate';", 'layout/one-importer', /framing-deflate\.ts/);
  await breaks('src/cobrowse/new.ts', "import { record } from '@rrweb/record';", 'layout/one-importer', /record\.ts/);
  await breaks('src/advisor/new.ts', "import { Replayer } from '@rrweb/replay';", 'layout/one-importer', /replay\.ts/);
  await breaks('src/client/new.ts', "import Peer from 'simple-peer-light';", 'layout/one-importer', /peer-link\.ts/);
  await breaks('src/server/store/new.ts', "import pg from 'pg';", 'layout/one-importer', /postgres\.ts/);
  await breaks(
    'src/server/new.ts',
    "import { PGlite } from '@electric-sql/pglite';",
    'layout/one-importer',
    /embedded\.ts/,
  );
  await keeps('src/client/framing-deflate.ts', "import { Deflate } from 'fflate';\nexport { Deflate };");
});

test("the launcher's static imports hold no package, client/ or protocol/, directly or through others", async () => {
  await breaks(
    'src/visitor/lotse.ts',
    "import { html } from 'lit';",
    'layout/static-closure',
    /"lit" may not be loaded here: the launcher/,
  );
  await breaks('src/visitor/lotse.ts', "import '../client/connection.js';", 'layout/static-closure', /launcher/);
  await breaks('src/visitor/lotse.ts', "import './chat-popup.js';", 'layout/static-closure', /chat-popup\.ts → /);
  await keeps(
    'src/visitor/lotse.ts',
    "import type { LotseChatPopup } from './chat-popup.js';\nexport const load = (): Promise<LotseChatPopup> => import('./chat-popup.js').then((m) => new m.LotseChatPopup());",
  );
});

test('no visitor module (the pop-up, the co-browse start view) loads valibot, directly or through others', async () => {
  await breaks(
    'src/visitor/cobrowse-view.ts',
    "import * as v from 'valibot';\nexport { v };",
    'layout/static-closure',
    /hand/,
  );
  await breaks(
    'src/visitor/cobrowse-view.ts',
    "import '../protocol/cobrowse.js';",
    'layout/static-closure',
    /→ valibot/,
  );
  await keeps(
    'src/visitor/cobrowse-view.ts',
    "import { LitElement } from 'lit';\nexport class V extends LitElement {}",
  );
  await breaks('src/visitor/new.ts', "import * as v from 'valibot';", 'layout/static-closure', /hand/);
  await breaks(
    'src/visitor/new.ts',
    "import { parseServerToVisitor } from '../protocol/parse.js';",
    'layout/static-closure',
    /src\/visitor\/new\.ts → src\/protocol\/parse\.ts → valibot/,
  );
  await breaks('src/client/visitor-chat.ts', "import '../protocol/parse.js';", 'layout/static-closure', /valibot/);
  await keeps('src/client/advisor-new.ts', "import '../protocol/parse.js';");
});

test('demo mode is mounted by server/app/ alone, and no part imports server/app/', async () => {
  await breaks('src/server/chat/new.ts', "import '../demo/index.js';", 'layout/boundaries', /demo mode/);
  await breaks(
    'src/server/transport/new.ts',
    "import type { Demo } from '../demo/plugin.js';",
    'layout/boundaries',
    /demo mode/,
  );
  await breaks('src/server/new.ts', "import './demo/index.js';", 'layout/boundaries', /demo mode/);
  await keeps('src/server/app/new.ts', "import '../demo/index.js';");
  await keeps('src/server/demo/new.ts', "import './plugin.js';");
  await keeps('src/server/cli.ts', "import './demo/index.js';");
  await breaks('src/server/chat/new.ts', "import '../app/index.js';", 'layout/boundaries', /server\/app\//);
  await breaks('src/server/demo/new.ts', "import '../app/index.js';", 'layout/boundaries', /server\/app\//);
  await keeps('src/server/index.ts', "import './app/index.js';");
});

test('a part takes its area of the configuration; only app/, the CLI and the demo import the whole', async () => {
  const whole = "import type { LotseConfig } from '../config/lotse-config.js';";
  await breaks('src/server/transport/new.ts', whole, 'layout/boundaries', /its area of the configuration/);
  await breaks('src/server/member/new.ts', whole, 'layout/boundaries', /its area of the configuration/);
  await keeps('src/server/transport/new.ts', "import type { TransportConfig } from '../config/transport.js';");
  await keeps('src/server/app/new.ts', whole);
  await keeps('src/server/cli/new.ts', whole);
  await keeps('src/server/demo/new.ts', whole);
  await keeps('src/server/config/new.ts', "import type { LotseConfig } from './lotse-config.js';");
});

test('nothing in src/ imports itself back', async () => {
  // protocol/text.ts imports protocol/limits.ts.
  await breaks(
    'src/protocol/limits.ts',
    "import { TEXT_FORBIDDEN } from './text.js';\nexport const X = TEXT_FORBIDDEN;",
    'import-x/no-cycle',
    /cycle/,
  );
});

test('what ships imports only the dependencies of the package', async () => {
  await breaks(
    'src/client/new.ts',
    "import { build } from 'esbuild';",
    'import-x/no-extraneous-dependencies',
    /devDependencies/,
  );
});
