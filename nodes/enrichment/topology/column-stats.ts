/**
 * The column facts foreign-key detection prunes on, computed in DuckDB with one aggregate query per
 * table (per 100 columns of a wide one: non-null and exact distinct counts, min/max), plus
 * two-column unique keys for tables that have no single-column one (one more query per such table).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { aggregateInBatches, queryRows, quoteIdent } from '../../duckdb.ts';
import type { TypedSource, TypedTable } from '../types.ts';

/** Types a key can have; values of one family compare with `=` in DuckDB. Others never take part. */
export type KeyFamily = 'integer' | 'string' | 'date' | 'uuid';

/**
 * The key family of a DuckDB type, or null for types that are never keys (floating point,
 * decimals with a scale, booleans, timestamps, nested types, blobs).
 */
export function _keyFamily(duckdbType: string): KeyFamily | null {
  const t = duckdbType.toUpperCase().replace(/\s+/g, '');
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|INT[1248]|LONG|SHORT)$/.test(t)) return 'integer';
  if (/^(DECIMAL|NUMERIC)\(\d+,0\)$/.test(t)) return 'integer';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|NVARCHAR)(\(\d+\))?$/.test(t)) return 'string';
  if (t === 'DATE') return 'date';
  if (t === 'UUID') return 'uuid';
  return null;
}

export interface ColumnStat {
  readonly table: string;
  readonly typedTable: string;
  readonly column: string;
  readonly position: number;
  readonly type: string;
  readonly family: KeyFamily;
  readonly rowCount: number;
  readonly nonNull: number;
  readonly distinct: number;
  /** Min/max as text (any family). */
  readonly min: string | null;
  readonly max: string | null;
  /** Min/max as numbers, for the integer family and for text whose every value reads as an integer. */
  readonly minNum: number | null;
  readonly maxNum: number | null;
  /** Integer family, or text holding only integers (an id column typed as text, e.g. fixed-width ids). */
  readonly numeric: boolean;
  /** Text whose values contain spaces (names, formatted dates, prose): not code-like. */
  readonly spaced: boolean;
  /** Text whose every value reads as a date or timestamp: a calendar, dense like dates. */
  readonly dateText: boolean;
  /** Every non-null value is different (and there is at least one). */
  readonly unique: boolean;
}

export interface CompositeKey {
  readonly table: string;
  readonly typedTable: string;
  readonly columns: readonly [string, string];
  readonly rowCount: number;
}

export interface SourceStats {
  /** `table` -> `column` -> stats, for key-family columns only. */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, ColumnStat>>;
  readonly compositeKeys: readonly CompositeKey[];
  readonly queries: { columnStats: number; compositeKeys: number };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Floating-point and scaled decimal types: keys only when every value is whole (ids read into DOUBLE because of NULLs, e.g. from pandas). */
export function _isFractionalType(duckdbType: string): boolean {
  const t = duckdbType.toUpperCase().replace(/\s+/g, '');
  return /^(DOUBLE|FLOAT|REAL|FLOAT4|FLOAT8)$/.test(t) || /^(DECIMAL|NUMERIC)\(\d+,[1-9]\d*\)$/.test(t);
}

/** Could every value of a text column read as an integer / a date? Judged on min and max first (cheap), verified after. */
const INTEGER_TEXT = /^-?\d+$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/**
 * Columns per column-stats statement: a 1000-column table's one statement plans for seconds, and
 * every exact distinct count holds its own state.
 */
const STATS_BATCH_COLUMNS = 100;

async function tableStats(duckdb: DuckDBConnection, table: TypedTable): Promise<{ stats: Map<string, ColumnStat>; queries: number }> {
  const cols = table.columns.flatMap((c) => {
    const family = _keyFamily(c.type) ?? (_isFractionalType(c.type) ? 'integer' : null);
    return family ? [{ ...c, family, fractional: _isFractionalType(c.type) }] : [];
  });
  const out = new Map<string, ColumnStat>();
  if (!cols.length) return { stats: out, queries: 0 };
  const from = quoteIdent(table.typedTable);
  const parts = cols.map((c, i) => {
    const q = quoteIdent(c.name);
    const select = [`count(${q}) AS "nn${i}"`, `count(DISTINCT ${q}) AS "d${i}"`, `CAST(min(${q}) AS VARCHAR) AS "lo${i}"`, `CAST(max(${q}) AS VARCHAR) AS "hi${i}"`];
    if (c.family === 'integer') select.push(`CAST(min(${q}) AS DOUBLE) AS "lon${i}"`, `CAST(max(${q}) AS DOUBLE) AS "hin${i}"`);
    // Whole floats compare with integers as they are (1.0 = 1); any fraction rules the column out.
    if (c.fractional) select.push(`count(*) FILTER (WHERE isfinite(${q}) AND ${q} = round(${q})) AS "wh${i}"`);
    if (c.family === 'string') select.push(`count(*) FILTER (WHERE contains(${q}, ' ')) AS "sp${i}"`);
    return select;
  });
  const { row, statements } = await aggregateInBatches(duckdb, from, parts, STATS_BATCH_COLUMNS, ['count(*) AS "n"']);
  let queries = statements;

  // Text that may hold only integers (ids typed as text: they still compare with integer ids) or
  // only dates (a calendar). Casting every value is costly, so only columns whose min and max
  // already read that way are verified, in one more query.
  const shape = new Map<number, { int: boolean; date: boolean }>();
  cols.forEach((c, i) => {
    const [lo, hi] = [strOrNull(row[`lo${i}`]), strOrNull(row[`hi${i}`])];
    if (c.family !== 'string' || lo === null || hi === null) return;
    const int = INTEGER_TEXT.test(lo) && INTEGER_TEXT.test(hi);
    const date = DATE_TEXT.test(lo) && DATE_TEXT.test(hi);
    if (int || date) shape.set(i, { int, date });
  });
  let verified: Record<string, unknown> = {};
  if (shape.size) {
    const checks = [...shape].map(([i, s]) => {
      const q = quoteIdent(cols[i].name);
      const n = `TRY_CAST(${q} AS BIGINT)`;
      return s.int
        ? [`count(${n}) AS "ti${i}"`, `CAST(min(${n}) AS DOUBLE) AS "lon${i}"`, `CAST(max(${n}) AS DOUBLE) AS "hin${i}"`]
        : [`count(TRY_CAST(${q} AS TIMESTAMP)) AS "dt${i}"`];
    });
    const checked = await aggregateInBatches(duckdb, from, checks, STATS_BATCH_COLUMNS);
    verified = checked.row;
    queries += checked.statements;
  }

  const n = num(row.n);
  cols.forEach((c, i) => {
    const nonNull = num(row[`nn${i}`]);
    if (c.fractional && (nonNull === 0 || num(row[`wh${i}`]) !== nonNull)) return;
    const distinct = num(row[`d${i}`]);
    const numeric = c.family === 'integer' || (nonNull > 0 && shape.get(i)?.int === true && num(verified[`ti${i}`]) === nonNull);
    const nums = c.family === 'integer' ? row : verified;
    out.set(c.name, {
      table: table.name, typedTable: table.typedTable, column: c.name, position: c.position, type: c.type, family: c.family,
      rowCount: n, nonNull, distinct, min: strOrNull(row[`lo${i}`]), max: strOrNull(row[`hi${i}`]),
      minNum: numeric ? numOrNull(nums[`lon${i}`]) : null, maxNum: numeric ? numOrNull(nums[`hin${i}`]) : null, numeric,
      spaced: c.family === 'string' && num(row[`sp${i}`]) > 0,
      dateText: nonNull > 0 && shape.get(i)?.date === true && num(verified[`dt${i}`]) === nonNull,
      unique: nonNull > 0 && distinct === nonNull,
    });
  });
  return { stats: out, queries };
}

/** Two-column unique keys among the (fully non-null) key columns of a table without a single-column key. */
async function compositeKeys(duckdb: DuckDBConnection, table: TypedTable, stats: ReadonlyMap<string, ColumnStat>, maxColumns: number): Promise<CompositeKey[] | null> {
  const all = [...stats.values()];
  if (!all.length || all.some((s) => s.unique) || all[0].rowCount < 2) return null;
  // Dates are left out: `(emp_no, from_date)` keys version history, and history tables share them by coincidence.
  const cols = all.filter((s) => s.family !== 'date' && s.nonNull === s.rowCount && s.distinct > 1).sort((a, b) => a.position - b.position).slice(0, maxColumns);
  const pairs: [ColumnStat, ColumnStat][] = [];
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      // A pair can only be unique if its distinct combinations can reach the row count.
      if (cols[i].distinct * cols[j].distinct >= cols[i].rowCount) pairs.push([cols[i], cols[j]]);
    }
  }
  if (!pairs.length) return null;
  const select = pairs.map(([a, b], k) => `count(DISTINCT (${quoteIdent(a.column)}, ${quoteIdent(b.column)})) AS "p${k}"`);
  const [row] = await queryRows<Record<string, unknown>>(duckdb, `SELECT ${select.join(', ')} FROM ${quoteIdent(table.typedTable)}`);
  return pairs.flatMap(([a, b], k) => (num(row[`p${k}`]) === a.rowCount
    ? [{ table: table.name, typedTable: table.typedTable, columns: [a.column, b.column] as [string, string], rowCount: a.rowCount }]
    : []));
}

/**
 * Column stats of every table of the source and the composite keys of tables without a single
 * key column.
 */
export async function _sourceStats(typedSource: TypedSource, duckdb: DuckDBConnection, maxCompositeColumns: number): Promise<SourceStats> {
  const columns = new Map<string, Map<string, ColumnStat>>();
  const composites: CompositeKey[] = [];
  let columnStats = 0;
  let compositeQueries = 0;
  for (const table of typedSource.tables) {
    let stats: Map<string, ColumnStat>;
    try {
      const measured = await tableStats(duckdb, table);
      stats = measured.stats;
      columnStats += measured.queries;
    } catch (error) {
      throw new Error(`topology: could not compute column stats of table '${table.name}' (DuckDB table ${table.typedTable}): ${(error as Error).message}. Check that the typed table exists and its columns match the TypedSource.`, { cause: error });
    }
    columns.set(table.name, stats);
    const keys = await compositeKeys(duckdb, table, stats, maxCompositeColumns);
    if (keys) { compositeQueries++; composites.push(...keys); }
  }
  return { columns, compositeKeys: composites, queries: { columnStats, compositeKeys: compositeQueries } };
}

/**
 * How a child's values compare with a parent's: directly (same family), or as text when one side
 * is an integer and the other text holding integers (or a uuid and text). Null: not comparable.
 */
export type Comparison = 'same' | 'child_as_text' | 'parent_as_text';

export function _comparison(child: ColumnStat, parent: ColumnStat): Comparison | null {
  if (child.family === parent.family) return 'same';
  if (child.family === 'integer' && parent.family === 'string' && parent.numeric) return 'child_as_text';
  if (child.family === 'string' && child.numeric && parent.family === 'integer') return 'parent_as_text';
  if (child.family === 'uuid' && parent.family === 'string') return 'child_as_text';
  if (child.family === 'string' && parent.family === 'uuid') return 'parent_as_text';
  return null;
}
