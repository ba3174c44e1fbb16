/**
 * Sample values per column for prompts: one DuckDB query per table over its first rows, distinct
 * non-null values cast to text, then passed through the privacy guard so sensitive values leave
 * only as synthetic stand-ins (or not at all).
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../duckdb.ts';
import type { PrivacyGuard } from './privacy.ts';

/** Rows scanned for samples: enough variety, bounded cost on big tables. */
const SCAN_ROWS = 1000;

export async function columnSamples(
  conn: DuckDBConnection,
  table: string,
  typedTable: string,
  columns: readonly string[],
  perColumn: number,
  guard: PrivacyGuard,
): Promise<Record<string, unknown[]>> {
  if (!columns.length || perColumn <= 0) return Object.fromEntries(columns.map((c) => [c, []]));
  const select = columns.map((c, i) => {
    const q = quoteIdent(c);
    return `(list(DISTINCT CAST(${q} AS VARCHAR)) FILTER (WHERE ${q} IS NOT NULL))[1:${perColumn}] AS ${quoteIdent(`s${i}`)}`;
  });
  const [row] = await queryRows<Record<string, string[] | null>>(conn, `SELECT ${select.join(', ')} FROM (SELECT * FROM ${quoteIdent(typedTable)} LIMIT ${SCAN_ROWS})`);
  return Object.fromEntries(columns.map((c, i) => [c, guard.sample(table, c, row?.[`s${i}`] ?? [])]));
}
