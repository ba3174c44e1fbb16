/**
 * The read-only query engine behind `dataraum query` and the MCP `query` tool.
 *
 * Design (defence in depth, each layer enough on its own for the common attacks):
 * 1. Its own DuckDB instance per query, opened on the database file with `access_mode=READ_ONLY`
 *    (writes fail in the storage layer), `enable_external_access=false` (no file, URL, ATTACH or
 *    extension access at all), no extension autoinstall/autoload, and `lock_configuration=true`
 *    (SET/RESET/PRAGMA cannot undo any of this). A fresh instance per query also means a query
 *    never sees state (temp tables, macros, settings) from an earlier one, and the file is only
 *    held (with a shared lock) while a query runs, so an ingest can write between queries.
 * 2. DuckDB's parser (`json_serialize_sql`) proves there is exactly one SELECT/WITH/VALUES
 *    statement, and the AST is walked: tables must be existing typed_* / quarantine_* tables of
 *    the main schema (or CTE names), table functions other than range/generate_series/unnest and
 *    outside-reaching functions (getenv, read_*, duckdb_*, glob, ...) are refused by name.
 * 3. DuckDB's planner (`EXPLAIN (FORMAT json)`): every scan in the physical plan must read an
 *    allowed table, which catches scoping tricks (a CTE named like a table) and views.
 * 4. The statement that runs is the one prepared from the checked text, streamed until the row
 *    cap, and interrupted (`connection.interrupt()`) at the time cap.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { catalogNameOf, checkPlan, checkStatement, isExposedTable, QueryRefusedError, type GuardScope } from './sql-guard.ts';
import { jsonValueConverter, type JsonValue } from './json-values.ts';

export { QueryRefusedError } from './sql-guard.ts';
export type { JsonValue } from './json-values.ts';

export interface ReadOnlyQueryOptions {
  /** Rows returned at most (default 1000); more rows set `truncated`. */
  readonly maxRows?: number;
  /** Milliseconds before the query is interrupted (default 10 000). */
  readonly timeoutMs?: number;
}

export interface QueryColumn {
  readonly name: string;
  /** DuckDB type, e.g. `BIGINT`, `VARCHAR`, `TIMESTAMP`. */
  readonly type: string;
}

export interface ReadOnlyQueryResult {
  readonly columns: QueryColumn[];
  /**
   * One object per row keyed by column name (duplicate names get `_2`, `_3` suffixes in `columns` too).
   * Values read as DuckDB prints them (`2024-01-01 10:00:00.123456`, `infinity`, `nan`); numbers stay
   * numbers where exact, big integers and long decimals are text (`json-values.ts`).
   */
  readonly rows: Record<string, JsonValue>[];
  readonly rowCount: number;
  /** True when the query had more than `maxRows` rows. */
  readonly truncated: boolean;
  readonly elapsedMs: number;
}

/** The query ran past its time cap and was interrupted. */
export class QueryTimeoutError extends Error {
  readonly code = 'QUERY_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`query interrupted after ${timeoutMs} ms (the time cap); aggregate or filter more, or add a LIMIT`);
    this.name = 'QueryTimeoutError';
  }
}

/** The query was allowed but DuckDB failed to run it (bad column, type error, ...). */
export class QueryFailedError extends Error {
  readonly code = 'QUERY_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryFailedError';
  }
}

/**
 * Runs one read-only SELECT over the typed_* / quarantine_* tables of a DuckDB file.
 * Throws `QueryRefusedError` (not allowed, with the reason), `QueryTimeoutError` or `QueryFailedError`.
 *
 * @example
 * ```ts
 * const r = await runReadOnlyQuery('.dataraum/data.duckdb', 'SELECT state, count(*) AS n FROM typed_airports GROUP BY 1 ORDER BY 2 DESC', { maxRows: 5 });
 * r.rows[0];      // { state: 'AK', n: 263 }
 * r.truncated;    // true
 * ```
 */
export async function runReadOnlyQuery(duckdbPath: string, sql: string, options: ReadOnlyQueryOptions = {}): Promise<ReadOnlyQueryResult> {
  const maxRows = options.maxRows ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`runReadOnlyQuery: maxRows must be a whole number >= 1, got ${maxRows}`);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`runReadOnlyQuery: timeoutMs must be > 0, got ${timeoutMs}`);
  if (typeof sql !== 'string') throw new QueryRefusedError('the query must be a string of SQL');
  if (!existsSync(duckdbPath)) throw new QueryFailedError(`no DuckDB database at ${duckdbPath}; ingest something first with \`dataraum run <path>\` (or check --home)`);

  const started = performance.now();
  const instance = await openReadOnly(duckdbPath);
  let conn: DuckDBConnection | undefined;
  try {
    conn = await instance.connect();
    const scope = await exposedScope(conn, duckdbPath);
    await checkStatement(conn, sql, scope);
    const active = conn;
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; active.interrupt(); }, timeoutMs);
    try {
      await checkPlan(conn, sql, scope);
      const prepared = await (await conn.extractStatements(sql)).prepare(0);
      if (prepared.statementType !== 1) throw new QueryRefusedError('only SELECT statements may run');
      if (timedOut) throw new QueryTimeoutError(timeoutMs);
      const reader = await prepared.streamAndReadUntil(maxRows + 1);
      const names = uniqueNames(reader.columnNames());
      const types = reader.columnTypes().map((t) => t.toString());
      const all = reader.convertRows(jsonValueConverter);
      const truncated = all.length > maxRows;
      const rows = all.slice(0, maxRows).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])));
      return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows, rowCount: rows.length, truncated, elapsedMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (timedOut) throw new QueryTimeoutError(timeoutMs);
      if (err instanceof QueryRefusedError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      // The runtime settings are the last line: say so when they, not the guard, stopped a query.
      if (/Permission Error|read-only mode|configuration has been locked/i.test(message)) throw new QueryRefusedError(message.split('\n')[0]!);
      throw new QueryFailedError(`query failed: ${message}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  } finally {
    conn?.closeSync();
    instance.closeSync();
  }
}

/**
 * The exposed tables (typed_*, quarantine_*, raw_*__rejects) of a DuckDB file with their row counts and columns, read on a
 * read-only instance (list_tables and the CLI use it).
 */
export async function listExposedTables(duckdbPath: string): Promise<{ name: string; rowCount: number; columns: QueryColumn[] }[]> {
  if (!existsSync(duckdbPath)) return [];
  const instance = await openReadOnly(duckdbPath);
  const conn = await instance.connect();
  try {
    const tables = (await conn.runAndReadAll(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name",
    )).getRowObjectsJson() as { table_name: string }[];
    const cols = (await conn.runAndReadAll(
      "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index",
    )).getRowObjectsJson() as { table_name: string; column_name: string; data_type: string }[];
    const out = [];
    for (const t of tables.filter((x) => isExposedTable(x.table_name))) {
      const n = (await conn.runAndReadAll(`SELECT count(*) AS n FROM main."${t.table_name.replaceAll('"', '""')}"`)).getRowObjectsJson()[0]!.n;
      out.push({ name: t.table_name, rowCount: Number(n), columns: cols.filter((c) => c.table_name === t.table_name).map((c) => ({ name: c.column_name, type: c.data_type })) });
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function openReadOnly(duckdbPath: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(duckdbPath, {
      access_mode: 'READ_ONLY',
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      lock_configuration: 'true',
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /lock/i.test(message) ? ' (another process is writing it: wait for the running ingest to finish and retry)' : '';
    throw new QueryFailedError(`cannot open ${duckdbPath} read-only: ${message.split('\n')[0]}${hint}`, { cause: err });
  }
}

async function exposedScope(conn: DuckDBConnection, duckdbPath: string): Promise<GuardScope> {
  const rows = (await conn.runAndReadAll(
    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'",
  )).getRowObjectsJson() as { table_name: string }[];
  // Views named typed_* are allowed by name; the plan check then sees what they really scan.
  const views = (await conn.runAndReadAll(
    "SELECT view_name AS table_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal",
  )).getRowObjectsJson() as { table_name: string }[];
  rows.push(...views);
  const allowed = rows.map((r) => r.table_name.toLowerCase()).filter(isExposedTable).sort();
  const current = (await conn.runAndReadAll('SELECT current_database() AS db')).getRowObjectsJson()[0]!.db;
  return { allowedTables: new Set(allowed), catalog: typeof current === 'string' ? current : catalogNameOf(duckdbPath) };
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}
