/**
 * A repeatable reservoir sample of a raw table, drawn once per connection and reused by every
 * survey that samples it (profiling's sample survey, typing's probes and pattern survey): each
 * would otherwise scan the whole table to draw the same rows. It is a temporary table named after
 * the raw relation's catalog oid, so a re-staged table (a new relation, a new oid) gets a new
 * sample, and it goes away with the connection.
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../duckdb.ts';

/** The seed every sample of a table is drawn with: the same rows on every run. */
const SEED = 42;

/**
 * The quoted name of a temporary table holding a reservoir sample of `rows` rows of `table` (all
 * of it when it is smaller).
 */
export async function tableSample(conn: DuckDBConnection, table: string, rows: number): Promise<string> {
  const n = Math.max(1, Math.floor(rows));
  // Whether the sample exists comes with the oid: a CREATE ... IF NOT EXISTS binds its SELECT *
  // even when it has nothing to do, which over a 1000-column table costs more than the lookup,
  // and a wide table asks once per batch of columns.
  const [found] = await queryRows<{ oid: string | number; present: boolean }>(
    conn,
    `SELECT oid, EXISTS (SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = concat('__dataraum_sample_', oid, '_', $2::BIGINT)) AS present
     FROM (SELECT table_oid AS oid FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = $1
           UNION ALL
           SELECT view_oid FROM duckdb_views() WHERE database_name = current_database() AND schema_name = current_schema() AND view_name = $1)`,
    [table, n],
  );
  // A missing table falls through to the CREATE, whose error names it.
  const name = quoteIdent(`__dataraum_sample_${found?.oid ?? 'missing'}_${n}`);
  if (found?.present) return name;
  // The sample size is an integer constant; DuckDB's SAMPLE clause takes no parameters.
  await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ${name} AS SELECT * FROM ${quoteIdent(table)} USING SAMPLE reservoir(${n} ROWS) REPEATABLE (${SEED})`);
  return name;
}
