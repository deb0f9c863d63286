/** The production driver: PostgreSQL through a `pg` connection pool. */
import { Socket } from 'node:net';
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { Db, Queryable, SqlQuery } from './sql.js';

const POOL_SIZE = 5;

/** The socket under a `pg` client (not in its types; `undefined` if that ever changes). */
function socketOf(client: unknown): Socket | undefined {
  const stream = (client as { connection?: { stream?: unknown } }).connection?.stream;
  return stream instanceof Socket ? stream : undefined;
}

function wrap(target: pg.Pool | PoolClient): Queryable {
  return {
    query: async <Row extends object>(query: SqlQuery) => (await target.query<Row>(query.text, [...query.values])).rows,
    exec: async (text: string) => {
      await target.query(text);
    },
  };
}

/** Opens a pool and checks that the database answers; `onError` hears of idle connections that broke. */
export async function openPostgres(url: string, onError: () => void = () => {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, application_name: 'lotse' });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', onError);
  const sockets = new Set<Socket>();
  pool.on('connect', (client) => {
    const stream = socketOf(client);
    if (stream === undefined) return;
    sockets.add(stream);
    stream.once('close', () => sockets.delete(stream));
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    driver: 'postgres',
    ...wrap(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => {
      // `pool.end()` resolves at the server's goodbye; the sockets close a few turns later. Wait for them, so that
      // nothing is left running after `close()`.
      closing ??= pool
        .end()
        .then(() =>
          Promise.all(
            [...sockets]
              .filter((socket) => !socket.closed)
              .map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))),
          ),
        )
        .then(() => {});
      return closing;
    },
  };
}
