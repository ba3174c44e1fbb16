/**
 * Reading a staged table's raw rows together with their position in the source: a DuckDB table
 * numbers its rows with `rowid`, a raw Parquet file with `file_row_number` (a column the view
 * over it does not pass through, so the file is read directly).
 */
import { quoteIdent, quoteLiteral } from '../duckdb.ts';
import type { StagedTable } from './types.ts';

export interface RawRows {
  /** A FROM item yielding the raw columns (and `rowId`). */
  readonly from: string;
  /** The 0-based row number in the source, usable in the SELECT over `from`. */
  readonly rowId: string;
}

export function rawRows(table: Pick<StagedTable, 'rawTable' | 'rawFile'>): RawRows {
  return table.rawFile !== undefined
    ? { from: `read_parquet(${quoteLiteral(table.rawFile)})`, rowId: 'file_row_number' }
    : { from: quoteIdent(table.rawTable), rowId: 'rowid' };
}

/** The 1-based row number reported to people (failed examples, quarantine `_row_number`). */
export function rowNumberSql(rows: RawRows): string {
  return `(${rows.rowId} + 1)`;
}

/** What to do when a staged table's raw data can't be read. */
export const RAW_DATA_HINT =
  "Check that the raw table exists (with its Parquet file, for CSV/TSV) and matches the staged columns; re-stage the source if not ('dataraum run <source> --no-cache' stages it again).";

/** DuckDB errors meaning the raw table, its Parquet file or one of its columns is gone. */
const MISSING_RAW = /Catalog Error|IO Error|No files found|does not exist|not found|Referenced column/i;

/**
 * Runs `work`, a query over a staged table's raw data; a failure names the node, the query, the
 * table and the way out.
 */
export async function readingRaw<T>(node: string, table: Pick<StagedTable, 'name' | 'rawTable'>, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const message = (err as Error).message;
    // Re-staging helps only when the raw data is missing or no longer matches; other failures are ours.
    const hint = MISSING_RAW.test(message) ? RAW_DATA_HINT : 'This is a dataraum bug, not a problem with the data: please report it with this message.';
    throw new Error(`${node}: the ${what} query on ${table.rawTable} (table '${table.name}') failed: ${message}. ${hint}`, { cause: err });
  }
}
