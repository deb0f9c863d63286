/**
 * `lotse audit-export` and `lotse purge` as an operator runs them: the CLI on real storage, each case in this
 * process, the first export through the real bin (stdout written with backpressure, exit status).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditLog } from '../../../src/server/audit/audit-log.js';
import { CSV_HEADER } from '../../../src/server/audit/export.js';
import { createLogger } from '../../../src/server/log.js';
import { openStore } from '../../../src/server/store/index.js';
import { lotseBin, lotseInProcess } from '../cli/run-lotse.js';
import { describeDrivers } from '../store/store-helpers.js';

describeDrivers('lotse audit-export / purge', (ctx) => {
  test('exports JSON lines and CSV to stdout, filtered by --since/--until; purge deletes old rows', async () => {
    const storage = await ctx.storage();
    const db = await openStore(storage);
    let at = Date.now() - 200 * 24 * 3600_000;
    const audit = new AuditLog({ db, log: createLogger({ level: 'silent' }), trustProxy: false, now: () => at });
    audit.advisorLogin('adv-old', 'hash-old');
    at = Date.now() - 3600_000;
    audit.advisorLogin('adv-new', 'hash-new');
    await audit.close();
    await db.close();

    const env = {
      ...process.env,
      LOTSE_STORAGE_DRIVER: storage.driver,
      LOTSE_DATA_DIR: storage.dataDir,
      LOTSE_DATABASE_URL: storage.url ?? '',
      LOTSE_AUDIT_RETENTION_DAYS: '180',
      LOTSE_LOG_LEVEL: 'silent',
    };
    const cli = (...args: string[]) => lotseInProcess(env, ...args);

    const jsonl = (await lotseBin(env, 'audit-export')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { actor: string });
    assert.deepEqual(
      jsonl.map((row) => row.actor),
      ['adv-old', 'adv-new'],
    );
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const recent = (await cli('audit-export', '--since', since, '--format', 'csv')).stdout.trim().split('\n');
    assert.equal(recent[0], CSV_HEADER);
    assert.equal(recent.length, 2);
    assert.match(recent[1] ?? '', /,advisor\.login,adv-new,hash-new,/);
    assert.equal((await cli('audit-export', '--until', '2000-01-01')).stdout, '');
    await assert.rejects(cli('audit-export', '--format', 'xml'), /format must be jsonl or csv/);

    assert.match((await cli('purge')).stdout, /^purged 1 audit record\(s\) and 1 last transaction\(s\) older than /);
    const after = (await cli('audit-export')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { actor: string });
    assert.deepEqual(
      after.map((row) => row.actor),
      ['adv-new'],
    );
  });
});
