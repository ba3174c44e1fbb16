/**
 * The column statistics role decisions need (rows, nulls, distinct values, min/max, longest text):
 * taken from profiling for the columns typing copied unchanged, computed with ONE aggregate query
 * over the typed table for the others.
 */
import { aggregateInBatches, quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import type { ProfilingResult } from '../../profiling/types.ts';
import type { TypedColumn, TypedTable } from '../types.ts';
import { typeKind } from './concept-matching.ts';
import type { ColumnStats } from './types.ts';

/** Columns per stats query: one scan for all but very wide tables. */
const STATS_BATCH_COLUMNS = 100;

/**
 * Stats for every column of `table`, keyed by column name.
 *
 * @example
 * ```ts
 * const stats = await columnStats(conn, weatherTable); // one query: SELECT count(*), count(DISTINCT "date"), ...
 * stats.date.distinctCount; // 1461
 * ```
 *
 * Profiling runs on the raw tables. Its figures hold for a typed column only when no row went to
 * quarantine (the equal row count shows it) and the column kept its raw type: typing copies such
 * a column unchanged, while a cast one differs from its raw text in min/max ('01/01/2023' ..
 * '31/10/2022' for dates), nulls (null tokens such as 'N/A') and distinct values ('1.0' and '1').
 * Every other column is read from the typed table, all of them in one scan (per 100 columns).
 */
export async function columnStats(duckdb: DuckDBConnection, table: TypedTable, profiling?: ProfilingResult): Promise<Record<string, ColumnStats>> {
  const profile = profiling?.tables[table.name];
  const profiled = (c: TypedColumn) => {
    const p = profile?.rowCount === table.rowCount ? profile.columns[c.name] : undefined;
    return p && sameType(p.rawType, c.type) ? p : undefined;
  };
  const queried = table.columns.filter((c) => !profiled(c));

  // Very wide tables go in batches whose rows merge into one: each exact distinct count holds its
  // own hash table (about 2 MB even on a few rows), 2 GB for 1000 columns in one statement.
  const parts = queried.map((c, i) => {
    const col = quoteIdent(c.name);
    const kind = typeKind(c.type);
    const sel = [`count(${col}) AS "nn${i}"`, `count(DISTINCT ${col}) AS "d${i}"`];
    if (kind !== 'other') sel.push(`CAST(min(${col}) AS VARCHAR) AS "lo${i}"`, `CAST(max(${col}) AS VARCHAR) AS "hi${i}"`);
    if (kind === 'text') sel.push(`max(length(${col})) AS "len${i}"`);
    return sel;
  });
  const { row } = queried.length ? await aggregateInBatches(duckdb, quoteIdent(table.typedTable), parts, STATS_BATCH_COLUMNS, ['count(*) AS "n"']) : { row: {} as Record<string, unknown> };
  const n = Number(row.n ?? 0);
  const position = new Map(queried.map((c, i) => [c.name, i]));

  const out: Record<string, ColumnStats> = {};
  for (const c of table.columns) {
    const p = profiled(c);
    if (p) {
      out[c.name] = {
        rowCount: p.totalCount,
        nullCount: p.nullCount,
        distinctCount: p.distinctCount,
        // The column's own min/max, exact: its DOUBLE view (p.numeric) rounds BIGINT and
        // DECIMAL(38) values and leaves out infinities.
        minValue: p.minValue,
        maxValue: p.maxValue,
        maxLength: typeKind(c.type) === 'text' ? (p.string?.maxLength ?? null) : null,
        from: 'profiling',
      };
      continue;
    }
    const i = position.get(c.name)!;
    const nonNull = Number(row[`nn${i}`] ?? 0);
    const len = row[`len${i}`];
    out[c.name] = {
      rowCount: n,
      nullCount: n - nonNull,
      distinctCount: Number(row[`d${i}`] ?? 0),
      minValue: (row[`lo${i}`] as string | null | undefined) ?? null,
      maxValue: (row[`hi${i}`] as string | null | undefined) ?? null,
      maxLength: len === null || len === undefined ? null : Number(len),
      from: 'query',
    };
  }
  return out;
}

/** DuckDB type names compared as DESCRIBE may spell them (case, spaces in DECIMAL(p, s)). */
function sameType(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toUpperCase() === b.replace(/\s+/g, '').toUpperCase();
}
