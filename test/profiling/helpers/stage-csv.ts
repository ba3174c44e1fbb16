/**
 * Test helper: stages a CSV file as an all-VARCHAR `raw_<name>` table with DuckDB's read_csv, the
 * way untyped sources arrive, and describes it as a `StagedTable`. (The real loaders live in
 * nodes/staging; tests here must not depend on them.)
 */
import { fileURLToPath } from 'node:url';
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../../nodes/duckdb.ts';
import type { StagedTable, StagingResult } from '../../../nodes/staging/types.ts';

export const VEGA_DIR = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/', import.meta.url));
export const VEGA_PACKAGE = fileURLToPath(new URL('../../../node_modules/vega-datasets/datapackage.json', import.meta.url));

/** Describes an existing DuckDB table as a staged table. */
export async function describeStaged(conn: DuckDBConnection, name: string, rawTable: string, strength: StagedTable['strength'] = 'untyped', files: string[] = []): Promise<StagedTable> {
  const cols = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${quoteIdent(rawTable)}`);
  const [{ n }] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM ${quoteIdent(rawTable)}`);
  return {
    name, originalName: name, rawTable, rowCount: Number(n), strength,
    columns: cols.map((c, i) => ({ name: c.column_name, originalName: c.column_name, position: i, rawType: c.column_type })),
    rejects: [], files,
  };
}

/** Loads `path` as `raw_<name>` with every column VARCHAR. */
export async function stageCsv(conn: DuckDBConnection, path: string, name: string, delim = ','): Promise<StagedTable> {
  const raw = `raw_${name}`;
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(raw)} AS SELECT * FROM read_csv(${quoteLiteral(path)}, all_varchar = true, header = true, delim = ${quoteLiteral(delim)})`);
  return describeStaged(conn, name, raw, 'untyped', [path]);
}

export function stagingOf(...tables: StagedTable[]): StagingResult {
  return { sourceName: 'test', sourceType: 'csv', tables, warnings: [] };
}
