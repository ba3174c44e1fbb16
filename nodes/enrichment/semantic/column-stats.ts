/**
 * The column statistics role decisions need (rows, nulls, distinct values, min/max, longest text):
 * taken from profiling when it describes the same rows, otherwise computed with ONE aggregate
 * query over all columns of the typed table.
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import type { ProfilingResult } from '../../profiling/types.ts';
import type { TypedTable } from '../types.ts';
import { typeKind } from './concept-matching.ts';
import type { ColumnStats } from './types.ts';

/**
 * Stats for every column of `table`, keyed by column name.
 *
 * @example
 * ```ts
 * const stats = await columnStats(conn, weatherTable); // one query: SELECT count(*), count(DISTINCT "date"), ...
 * stats.date.distinctCount; // 1461
 * ```
 *
 * Profiling runs on the raw (all-text) tables; its counts still hold for the typed table when no
 * row went to quarantine, which the equal row count shows. Otherwise the typed table is scanned.
 */
export async function columnStats(duckdb: DuckDBConnection, table: TypedTable, profiling?: ProfilingResult): Promise<Record<string, ColumnStats>> {
  const profile = profiling?.tables[table.name];
  const out: Record<string, ColumnStats> = {};
  if (profile && profile.rowCount === table.rowCount && table.columns.every((c) => profile.columns[c.name])) {
    for (const c of table.columns) {
      const p = profile.columns[c.name]!;
      const numeric = p.numeric && typeKind(c.type) !== 'text';
      out[c.name] = {
        rowCount: p.totalCount,
        nullCount: p.nullCount,
        distinctCount: p.distinctCount,
        minValue: numeric ? String(p.numeric!.min) : p.minValue,
        maxValue: numeric ? String(p.numeric!.max) : p.maxValue,
        maxLength: typeKind(c.type) === 'text' ? (p.string?.maxLength ?? null) : null,
        from: 'profiling',
      };
    }
    return out;
  }

  const selects = ['count(*) AS "n"'];
  table.columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    const kind = typeKind(c.type);
    selects.push(`count(${col}) AS "nn${i}"`, `count(DISTINCT ${col}) AS "d${i}"`);
    if (kind !== 'other') selects.push(`CAST(min(${col}) AS VARCHAR) AS "lo${i}"`, `CAST(max(${col}) AS VARCHAR) AS "hi${i}"`);
    if (kind === 'text') selects.push(`max(length(${col})) AS "len${i}"`);
  });
  const [row] = await queryRows<Record<string, string | number | null>>(duckdb, `SELECT ${selects.join(', ')} FROM ${quoteIdent(table.typedTable)}`);
  const n = Number(row?.n ?? 0);
  table.columns.forEach((c, i) => {
    const nonNull = Number(row?.[`nn${i}`] ?? 0);
    const len = row?.[`len${i}`];
    out[c.name] = {
      rowCount: n,
      nullCount: n - nonNull,
      distinctCount: Number(row?.[`d${i}`] ?? 0),
      minValue: (row?.[`lo${i}`] as string | null | undefined) ?? null,
      maxValue: (row?.[`hi${i}`] as string | null | undefined) ?? null,
      maxLength: len === null || len === undefined ? null : Number(len),
      from: 'query',
    };
  });
  return out;
}
