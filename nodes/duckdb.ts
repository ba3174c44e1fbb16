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

/** Opens (or creates) a DuckDB database file, or an in-memory one for ':memory:'. */
export async function openDuckDB(path: string = DEFAULT_DUCKDB_PATH): Promise<DuckDBConnection> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'true' });
  return instance.connect();
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
