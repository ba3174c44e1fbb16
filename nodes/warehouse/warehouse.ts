/**
 * The DuckDB warehouse every ingest step reads and writes: raw_*, typed_* and quarantine_*
 * tables. A resource: opened on every run, never cached or checkpointed.
 */
import { DEFAULT_DUCKDB_PATH, openDuckDB, type DuckDBConnection } from '../duckdb.ts';

/**
 * A connection to the DuckDB database file (default `.dataraum/data.duckdb`).
 * @tag module=warehouse
 * @cache ignore
 */
export async function duckdb(duckdbPath: string = DEFAULT_DUCKDB_PATH): Promise<DuckDBConnection> {
  return openDuckDB(duckdbPath);
}
