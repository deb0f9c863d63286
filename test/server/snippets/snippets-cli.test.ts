/**
 * `lotse snippets` as an operator runs it: the CLI on real storage (both drivers), each case in this process, a
 * refusal through the real bin (its exit status and stderr).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEAM, listSnippets } from '../../../src/server/snippets/snippet-store.js';
import { openStore } from '../../../src/server/store/index.js';
import { lotseBin, lotseInProcess } from '../cli/run-lotse.js';
import { describeDrivers } from '../store/store-helpers.js';

describeDrivers('lotse snippets', (ctx) => {
  test('adds, lists, updates and removes team snippets; usage mistakes exit 2, refusals 1', async () => {
    const storage = await ctx.storage();
    const env = {
      ...process.env,
      LOTSE_STORAGE_DRIVER: storage.driver,
      LOTSE_DATA_DIR: storage.dataDir,
      LOTSE_DATABASE_URL: storage.url ?? '',
      LOTSE_LOG_LEVEL: 'silent',
      LOTSE_SNIPPETS_MAX_TEAM: '2',
    };
    const cli = (...args: string[]) => lotseInProcess(env, 'snippets', ...args);
    const fails = async (args: string[], code: number, pattern: RegExp, bin = false) => {
      await assert.rejects(
        (bin ? lotseBin : lotseInProcess)(env, 'snippets', ...args),
        (error: { code?: number; stderr?: string }) => {
          assert.equal(error.code, code);
          assert.match(error.stderr ?? '', pattern);
          return true;
        },
      );
    };

    // Usage mistakes are found before the store is opened.
    assert.match((await cli('--help')).stdout, /Usage: lotse snippets list\|add\|update\|remove/);
    await fails(['add', '--shortcut', 'gruss', '--lang', 'fr', '--text', 'x'], 2, /lang must be "de" or "en"/);
    await fails(['frobnicate'], 2, /name one of list, add, update, remove/);
    await fails(['remove'], 2, /needs an ID/);
    const added = (await cli('add', '--shortcut', 'gruss', '--lang', 'de', '--text', 'Hallo {{visitor}}')).stdout;
    const id = /^added (\S+)$/m.exec(added)?.[1] ?? '';
    assert.ok(id.length >= 8);
    await cli('add', '--shortcut', 'gruss', '--lang', 'en', '--text', 'Hello {{visitor}}');
    await fails(['add', '--shortcut', 'third', '--lang', 'en', '--text', 'x'], 1, /at most 2 snippets/, true);
    await cli('update', id, '--shortcut', 'hallo', '--lang', 'de', '--text', 'Moin\n{{visitor}}');
    const listed = (await cli('list')).stdout.trimEnd().split('\n');
    assert.deepEqual(
      listed.map((line) => line.split(/\s+/).slice(1).join(' ')),
      ['de /hallo Moin ⏎ {{visitor}}', 'en /gruss Hello {{visitor}}'],
    );
    assert.equal((await cli('remove', id)).stdout, `removed ${id}\n`);

    const db = await openStore(storage);
    try {
      assert.deepEqual(
        (await listSnippets(db, TEAM)).map((s) => `${s.lang}/${s.shortcut}`),
        ['en/gruss'],
      );
    } finally {
      await db.close();
    }
  });
});
