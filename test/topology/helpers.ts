/**
 * Test helpers: typed tables built directly in DuckDB, and the TypedSource that describes them,
 * read back from DuckDB's catalog (as type resolution would hand it over).
 */
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { queryRows, quoteLiteral } from '../../nodes/duckdb.ts';
import type { TypedSource, TypedTable } from '../../nodes/enrichment/types.ts';

export const VEGA_DIR = 'node_modules/vega-datasets/data/';

/** `typed_<name>` from a vega-datasets CSV, typed by DuckDB's sniffer. */
export async function loadVegaCsv(conn: DuckDBConnection, file: string, name: string): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE "typed_${name}" AS SELECT * FROM read_csv(${quoteLiteral(VEGA_DIR + file)})`);
}

/** The TypedSource of tables `typed_<name>` that exist in `conn`, optionally with store ids. */
export async function typedSourceOf(conn: DuckDBConnection, sourceName: string, names: readonly string[], ids?: (table: string, column?: string) => string | undefined): Promise<TypedSource> {
  const tables: TypedTable[] = [];
  for (const name of names) {
    const typedTable = `typed_${name}`;
    const cols = await queryRows<{ column_name: string; data_type: string; ordinal_position: number }>(conn,
      'SELECT column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position', [typedTable]);
    const [{ n }] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM "${typedTable.replaceAll('"', '""')}"`);
    tables.push({
      name, typedTable, rowCount: Number(n), tableId: ids?.(name),
      columns: cols.map((c) => ({ name: c.column_name, originalName: c.column_name, position: Number(c.ordinal_position) - 1, type: c.data_type, columnId: ids?.(name, c.column_name) })),
    });
  }
  return { sourceName, tables };
}
