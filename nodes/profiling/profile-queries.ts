/**
 * The SQL behind profiling: one aggregate SELECT over all columns of a table, one UNPIVOT query for
 * top-k values, one query for histograms. Each builder returns SQL + bound values; each parser
 * turns the JSON rows back into numbers.
 */
import { quoteIdent } from '../duckdb.ts';
import { isNestedType, isNumericType, isTextType } from './column-kinds.ts';
import { SqlParams } from './sql-params.ts';
import type { HistogramBin, NumericStats, StringStats, TopValue } from './types.ts';

export interface ProfiledColumn {
  readonly name: string;
  readonly rawType: string;
  /** For text columns: false when a sample showed too few numbers to be worth parsing every value. */
  readonly numbers?: boolean;
}

export interface BuiltQuery {
  readonly sql: string;
  readonly params: SqlParams;
}

/** The value expression a column is profiled through (nested types through their text). */
function valueExpr(c: ProfiledColumn): string {
  return isNestedType(c.rawType) ? `CAST(${quoteIdent(c.name)} AS VARCHAR)` : quoteIdent(c.name);
}

/**
 * DOUBLE view of a column (not yet checked for finiteness), or undefined for columns without
 * numbers: text columns get one unless `c.numbers` is false (a sample showed too few numbers).
 */
function numberExpr(c: ProfiledColumn): string | undefined {
  const q = quoteIdent(c.name);
  if (isNumericType(c.rawType)) return `CAST(${q} AS DOUBLE)`;
  if (c.numbers === false) return undefined;
  // A failing TRY_CAST costs more than these checks, and text that fails one can never cast to a
  // finite number: a ':' or '/' anywhere, or a first character other than a digit, sign, '.' or
  // the whitespace DuckDB trims ('inf'/'nan' start with letters but are not finite anyway).
  if (isTextType(c.rawType)) return `CASE WHEN NOT (contains(${q}, ':') OR contains(${q}, '/') OR NOT (ascii(${q}) BETWEEN 48 AND 57 OR ascii(${q}) IN (43, 45, 46, 32, 9, 10, 11, 12, 13))) THEN TRY_CAST(${q} AS DOUBLE) END`;
  return undefined;
}

/**
 * The projection shared by the aggregate and histogram queries: `v{i}` values, `x{i}` finite
 * numbers. Two levels, so each cast runs once per row (inside a CASE, DuckDB would evaluate it
 * at every use).
 */
function projection(columns: readonly ProfiledColumn[], table: string, only?: ReadonlySet<number>): string {
  // DuckDB does not prune unused projected expressions here, so callers name the columns they read.
  const used = columns.map((c, i) => ({ c, i })).filter(({ i }) => only === undefined || only.has(i));
  const lower = used.flatMap(({ c, i }) => {
    const t = numberExpr(c);
    return [`${valueExpr(c)} AS v${i}`, ...(t ? [`${t} AS t${i}`] : [])];
  });
  const upper = used.flatMap(({ c, i }) => [`v${i}`, ...(numberExpr(c) ? [`CASE WHEN isfinite(t${i}) THEN t${i} END AS x${i}`] : [])]);
  return `SELECT ${upper.join(', ')} FROM (SELECT ${lower.join(', ')} FROM ${quoteIdent(table)})`;
}

export const QUANTILES = [0.25, 0.5, 0.75, 0.95, 0.99] as const;

/**
 * One scan: counts, exact distinct counts, min/max, numeric moments and quantiles, string lengths.
 * Columns flagged in `distinctKnown` skip the distinct count (the top-k query counted their groups).
 */
export function aggregateQuery(table: string, columns: readonly ProfiledColumn[], distinctKnown: readonly boolean[] = []): BuiltQuery {
  const params = new SqlParams();
  const aggs = ['count(*) AS total'];
  columns.forEach((c, i) => {
    aggs.push(`count(v${i}) AS nn${i}`, ...(distinctKnown[i] ? [] : [`count(DISTINCT v${i}) AS d${i}`]), `CAST(min(v${i}) AS VARCHAR) AS mn${i}`, `CAST(max(v${i}) AS VARCHAR) AS mx${i}`);
    if (numberExpr(c)) {
      aggs.push(
        `count(x${i}) AS xn${i}`, `min(x${i}) AS xmin${i}`, `max(x${i}) AS xmax${i}`, `avg(x${i}) AS xavg${i}`,
        `stddev_samp(x${i}) AS xsd${i}`, `quantile_cont(x${i}, [${QUANTILES.join(', ')}]) AS xq${i}`,
      );
    }
    if (isTextType(c.rawType)) aggs.push(`min(length(v${i})) AS lmin${i}`, `max(length(v${i})) AS lmax${i}`, `avg(length(v${i})) AS lavg${i}`);
  });
  return { sql: `SELECT ${aggs.join(', ')} FROM (${projection(columns, table)})`, params };
}

export interface AggregateColumnStats {
  readonly nonNull: number;
  readonly distinct: number;
  readonly min: string | null;
  readonly max: string | null;
  /** Finite numbers among the values (0 for columns without a numeric view). */
  readonly numericCount: number;
  readonly numeric?: Omit<NumericStats, 'source'>;
  readonly string?: StringStats;
}

/** Reads the aggregate row; `distinct[i]`, when given, is column i's distinct count from elsewhere. */
export function parseAggregateRow(row: Record<string, unknown>, columns: readonly ProfiledColumn[], distinct: readonly (number | undefined)[] = []): { total: number; columns: AggregateColumnStats[] } {
  const total = Number(row.total);
  const stats = columns.map((c, i): AggregateColumnStats => {
    const numericCount = row[`xn${i}`] === undefined ? 0 : Number(row[`xn${i}`]);
    const q = row[`xq${i}`] as number[] | null | undefined;
    const numeric = numericCount > 0 && q
      ? {
          numericCount,
          min: Number(row[`xmin${i}`]), max: Number(row[`xmax${i}`]), mean: Number(row[`xavg${i}`]),
          stddev: row[`xsd${i}`] === null ? null : Number(row[`xsd${i}`]),
          p25: q[0], p50: q[1], p75: q[2], p95: q[3], p99: q[4],
        }
      : undefined;
    const string = isTextType(c.rawType) && row[`lmin${i}`] !== null
      ? { minLength: Number(row[`lmin${i}`]), maxLength: Number(row[`lmax${i}`]), avgLength: Number(row[`lavg${i}`]) }
      : undefined;
    return {
      nonNull: Number(row[`nn${i}`]), distinct: distinct[i] ?? Number(row[`d${i}`]),
      min: (row[`mn${i}`] as string | null) ?? null, max: (row[`mx${i}`] as string | null) ?? null,
      numericCount, ...(numeric ? { numeric } : {}), ...(string ? { string } : {}),
    };
  });
  return { total, columns: stats };
}

/**
 * The top-k values of every column in one statement: per column, a GROUP BY over its own values
 * (no UNPIVOT of the whole table into one long column) and the k most frequent, ties by value.
 * Values are compared as text; NULLs are left out. Each row also carries `d`, the column's number
 * of groups: its exact distinct count as text (read it with `parseTopKDistinct`).
 */
export function topKQuery(table: string, columns: readonly ProfiledColumn[], k: number): BuiltQuery {
  const params = new SqlParams();
  const limit = params.bind(k);
  const parts = columns.map((c, i) => {
    const v = `CAST(${quoteIdent(c.name)} AS VARCHAR)`;
    return `(SELECT ${params.bind(`c${i}`)} AS col, val, n, d FROM (SELECT ${v} AS val, count(*) AS n, count(*) OVER () AS d FROM ${quoteIdent(table)} WHERE ${v} IS NOT NULL GROUP BY ${v}) ORDER BY n DESC, val LIMIT ${limit})`;
  });
  const sql = `SELECT col, val, n, d FROM (${parts.join('\n UNION ALL ')}) ORDER BY col, n DESC, val`;
  return { sql, params };
}

/** Per column, the number of distinct non-null text values the top-k query grouped (0 when it returned no rows). */
export function parseTopKDistinct(rows: readonly { col: string; d: string | number }[], columnCount: number): number[] {
  const out = new Array<number>(columnCount).fill(0);
  for (const r of rows) out[Number(r.col.slice(1))] = Number(r.d);
  return out;
}

export function parseTopKRows(rows: readonly { col: string; val: string; n: string | number }[], columnCount: number, totalRows: number): TopValue[][] {
  const out: TopValue[][] = Array.from({ length: columnCount }, () => []);
  for (const r of rows) {
    const i = Number(r.col.slice(1));
    const count = Number(r.n);
    out[i].push({ value: r.val, count, percentage: totalRows > 0 ? count / totalRows : 0 });
  }
  return out;
}

export interface HistogramSpec {
  /** Index of the column in the profiled column list. */
  readonly index: number;
  readonly min: number;
  readonly max: number;
}

/** One scan: equal-width bins for each numeric column (values above the last edge fall in the last bin). */
export function histogramQuery(table: string, columns: readonly ProfiledColumn[], specs: readonly HistogramSpec[], buckets: number): BuiltQuery {
  const params = new SqlParams();
  const b = `CAST(${params.bind(buckets)} AS INTEGER)`;
  const aggs = specs.map(({ index, min, max }) => {
    const width = (max - min) / buckets;
    const bin = `least(CAST(floor((x${index} - ${params.bind(min)}) / ${params.bind(width)}) AS INTEGER), ${b} - 1)`;
    return `histogram(CASE WHEN x${index} IS NOT NULL THEN ${bin} END) AS h${index}`;
  });
  return { sql: `SELECT ${aggs.join(', ')} FROM (${projection(columns, table, new Set(specs.map((s) => s.index)))})`, params };
}

export function parseHistogram(raw: unknown, min: number, max: number, buckets: number): HistogramBin[] {
  const counts = new Array<number>(buckets).fill(0);
  for (const e of (raw as { key: string | number; value: string | number }[] | null) ?? []) counts[Number(e.key)] += Number(e.value);
  const width = (max - min) / buckets;
  return counts.map((count, k) => ({ lower: min + k * width, upper: k === buckets - 1 ? max : min + (k + 1) * width, count }));
}
