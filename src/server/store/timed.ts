/**
 * A store that says how long each of its statements took: the one place where every query of every part passes
 * (the composition root wraps the store it hands out once). `observe` hears the kind of call and whether it
 * failed, never the SQL or its values; a failing observer never fails the query.
 */
import type { Db, Queryable, SqlQuery } from './sql.js';

/** `query`: one parametrised statement; `exec`: fixed SQL text (migrations); `transaction`: a whole one, end to end. */
export type StoreOperation = 'query' | 'exec' | 'transaction';
export type StoreOutcome = 'ok' | 'error';
export type StoreObserver = (seconds: number, operation: StoreOperation, outcome: StoreOutcome) => void;

async function timed<T>(observe: StoreObserver, operation: StoreOperation, run: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  let outcome: StoreOutcome = 'error';
  try {
    const result = await run();
    outcome = 'ok';
    return result;
  } finally {
    try {
      observe(Number(process.hrtime.bigint() - start) / 1e9, operation, outcome);
    } catch {
      // Counting must never break storage.
    }
  }
}

function timedQueryable(target: Queryable, observe: StoreObserver): Queryable {
  return {
    query: <Row extends object>(query: SqlQuery) => timed(observe, 'query', () => target.query<Row>(query)),
    exec: (text: string) => timed(observe, 'exec', () => target.exec(text)),
  };
}

/** `db` with every statement (also those inside a transaction) and every transaction timed. */
export function timedDb(db: Db, observe: StoreObserver): Db {
  return {
    driver: db.driver,
    ...timedQueryable(db, observe),
    transaction: (work) =>
      timed(observe, 'transaction', () => db.transaction((tx) => work(timedQueryable(tx, observe)))),
    close: () => db.close(),
  };
}
