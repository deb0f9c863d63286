/**
 * Storage: one interface (`Db`), two drivers on the same schema and migrations, chosen by configuration.
 * `openStore` opens the configured driver and brings the schema up to date before anything uses it.
 */
import type { StorageConfig } from '../config/store.js';
import { openEmbedded } from './embedded.js';
import { migrate } from './migrations.js';
import { openPostgres } from './postgres.js';
import type { Db } from './sql.js';

export type { Db, Driver, Queryable, SqlQuery, SqlValue } from './sql.js';
export { sql } from './sql.js';

export async function openStore(config: StorageConfig): Promise<Db> {
  let db: Db;
  if (config.driver === 'postgres') {
    if (config.url === undefined) throw new TypeError('storage.url is required for the postgres driver');
    db = await openPostgres(config.url);
  } else {
    db = await openEmbedded(config.dataDir, config.embeddedSharedBuffersMb);
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
