/**
 * The query helper both storage drivers share: a `sql` tagged template that turns every interpolated value into a
 * numbered parameter (`$1`, `$2`, …), so no value is ever spliced into SQL text, and the small interfaces a driver
 * implements.
 */

/** What a parameter may be: the drivers pass these to PostgreSQL as they are (objects as JSON). */
export type SqlValue = string | number | boolean | null | Date | Readonly<Record<string, unknown>>;

export interface SqlQuery {
  readonly text: string;
  readonly values: readonly SqlValue[];
}

/** `sql\`select * from t where at < ${since}\`` → `{ text: 'select * from t where at < $1', values: [since] }`. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlQuery {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += `$${i + 1}${strings[i + 1] ?? ''}`;
  return { text, values: values.map((value) => (isPlainObject(value) ? JSON.stringify(value) : value)) };
}

function isPlainObject(value: SqlValue): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** Something queries run on: the store itself, or one transaction of it. */
export interface Queryable {
  /** Runs one parametrised statement; the rows it returned. */
  query<Row extends object>(query: SqlQuery): Promise<Row[]>;
  /** Runs fixed SQL text without parameters, possibly several statements (migrations only). */
  exec(text: string): Promise<void>;
}

export type Driver = 'embedded' | 'postgres';

/** One storage driver: queries, transactions, and an idempotent `close()`. */
export interface Db extends Queryable {
  readonly driver: Driver;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
