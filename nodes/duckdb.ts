/**
 * DuckDB access shared by the node modules: one instance per database file, identifiers quoted,
 * values bound. Extensions are never auto-installed (this machine is offline; failing fast beats
 * waiting on the network).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export type { DuckDBConnection } from '@duckdb/node-api';

export const DEFAULT_DUCKDB_PATH = '.dataraum/data.duckdb';

const instances = new WeakMap<DuckDBConnection, DuckDBInstance>();

/** Opens (or creates) a DuckDB database file, or an in-memory one for ':memory:'. */
export async function openDuckDB(path: string = DEFAULT_DUCKDB_PATH): Promise<DuckDBConnection> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
  const conn = await instance.connect();
  instances.set(conn, instance);
  return conn;
}

/**
 * A second connection to the same database. One connection runs one statement at a time; nodes
 * that run concurrently (the enrichment branches) each take their own so DuckDB runs their
 * queries in parallel. The caller closes it. A connection not opened by `openDuckDB` is returned
 * as is, with a no-op close.
 */
export async function forkConnection(conn: DuckDBConnection): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const instance = instances.get(conn);
  if (!instance) return { conn, close: () => {} };
  const fork = await instance.connect();
  instances.set(fork, instance);
  return { conn: fork, close: () => fork.closeSync() };
}

/** Quotes an identifier for DuckDB SQL: `a"b` -> `"a""b"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for the rare places DuckDB can't bind a parameter (e.g. file paths in COPY). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Runs a query with bound values and returns rows as JSON-safe objects (BIGINT as string). */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[] | Record<string, DuckDBValue>,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, values);
  return reader.getRowObjectsJson() as T[];
}

/**
 * One aggregate row over `from` (a quoted table, optionally with a SAMPLE clause) built from
 * per-column select parts, in statements of at most `perStatement` columns whose rows merge into
 * one. Very wide tables need it: each exact distinct count or quantile holds its own state, and a
 * 1000-column statement grows past 10 GB; DuckDB also plans a very wide SELECT list slower than
 * linearly. `head` goes in the first statement only. `values` are the named parameters (`$name`)
 * the parts use; each statement gets those it reads (DuckDB rejects one it never reads).
 *
 * @example
 * ```ts
 * const { row } = await aggregateInBatches(conn, '"t"', cols.map((c, i) => [`count(DISTINCT ${quoteIdent(c)}) AS "d_${i}"`]), 100, ['count(*) AS "rows"']);
 * ```
 */
export async function aggregateInBatches(
  conn: DuckDBConnection,
  from: string,
  parts: readonly (readonly string[])[],
  perStatement: number,
  head: readonly string[] = [],
  values?: Readonly<Record<string, DuckDBValue>>,
): Promise<{ row: Record<string, unknown>; statements: number }> {
  const row: Record<string, unknown> = {};
  let statements = 0;
  for (let first = 0; first === 0 || first < parts.length; first += perStatement) {
    const select = [...(first === 0 ? head : []), ...parts.slice(first, first + perStatement).flat()];
    if (select.length === 0) break;
    const sql = `SELECT ${select.join(', ')} FROM ${from}`;
    const [batch] = await queryRows(conn, sql, values ? parametersRead(sql, values) : undefined);
    statements++;
    Object.assign(row, batch);
  }
  return { row, statements };
}

/** The named parameters a statement reads (`$name` outside quoted identifiers and strings), or undefined for none. */
function parametersRead(sql: string, values: Readonly<Record<string, DuckDBValue>>): Record<string, DuckDBValue> | undefined {
  const read: Record<string, DuckDBValue> = {};
  let any = false;
  for (const [, name] of sql.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g, ' ').matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (name in values) { read[name] = values[name]; any = true; }
  }
  return any ? read : undefined;
}
