/**
 * Test helpers: typed tables built directly in DuckDB (from vega-datasets files or generated SQL,
 * DuckDB choosing the types) and described by hand as a TypedSource, so these tests need neither
 * staging nor type resolution.
 */
import { fileURLToPath } from 'node:url';
import { queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { TypedSource, TypedTable } from '../../nodes/enrichment/types.ts';

export const VEGA_DIR = fileURLToPath(new URL('../../node_modules/vega-datasets/data/', import.meta.url));

/** Creates `typed_<name>` from a SELECT and describes it; `ids` adds metadata-store ids per column name. */
export async function typedTable(conn: DuckDBConnection, name: string, select: string, ids?: { tableId: string; columns: Record<string, string> }): Promise<TypedTable> {
  const typed = `typed_${name}`;
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(typed)} AS ${select}`);
  const cols = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${quoteIdent(typed)}`);
  const [{ n }] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM ${quoteIdent(typed)}`);
  return {
    name, typedTable: typed, rowCount: Number(n),
    ...(ids ? { tableId: ids.tableId } : {}),
    columns: cols.map((c, i) => ({
      name: c.column_name, originalName: c.column_name, position: i, type: c.column_type,
      ...(ids?.columns[c.column_name] ? { columnId: ids.columns[c.column_name] } : {}),
    })),
  };
}

/** `SELECT * FROM read_csv(<vega file>)`, DuckDB detecting the types. */
export function vegaCsv(file: string): string {
  return `SELECT * FROM read_csv('${VEGA_DIR.replaceAll("'", "''")}${file}')`;
}

export function sourceOf(...tables: TypedTable[]): TypedSource {
  return { sourceName: 'test', tables };
}
