/**
 * The SQL behind profiling: one grouped SELECT for everything, histograms included (each column
 * grouped by its own values; a wide table stacked, in batches of columns). Each builder returns
 * SQL + bound values; each parser turns the JSON rows back into numbers.
 */
import { quoteIdent } from '../duckdb.ts';
import { stackedColumnsPerStatement, stackedSelect, unstackRows } from '../stacked.ts';
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
function numberExpr(c: ProfiledColumn, q: string = quoteIdent(c.name)): string | undefined {
  if (isNumericType(c.rawType)) return `CAST(${q} AS DOUBLE)`;
  if (c.numbers === false) return undefined;
  // A failing TRY_CAST costs more than these checks, and text that fails one can never cast to a
  // finite number: a ':' or '/' anywhere, or a first character other than a digit, sign, '.' or
  // the whitespace DuckDB trims ('inf'/'nan' start with letters but are not finite anyway).
  if (isTextType(c.rawType)) return `CASE WHEN NOT (contains(${q}, ':') OR contains(${q}, '/') OR NOT (ascii(${q}) BETWEEN 48 AND 57 OR ascii(${q}) IN (43, 45, 46, 32, 9, 10, 11, 12, 13))) THEN TRY_CAST(${q} AS DOUBLE) END`;
  return undefined;
}

export const QUANTILES = [0.25, 0.5, 0.75, 0.95, 0.99] as const;

/**
 * Aggregates of QUANTILES over rows of distinct values `x` with counts, as quantile_cont computes
 * them over the rows: position h = q (N - 1) in the sorted values; the value at 0-based position p
 * is the smallest x whose running count `cum` passes p; between two positions, linear. `xtotal` is
 * N as a window value (the same on every row): inside FILTER the row's, outside any one of them.
 */
function weightedQuantiles(): string[] {
  const at = (pos: string) => `min(x) FILTER (WHERE cum > ${pos})`;
  return QUANTILES.map((q) => {
    const h = `(${q} * (xtotal - 1))`;
    const hAll = `(${q} * (any_value(xtotal) - 1))`;
    return `${at(`floor(${h})`)} + (${hAll} - floor(${hAll})) * (${at(`ceil(${h})`)} - ${at(`floor(${h})`)})`;
  });
}

/**
 * The widest table profiled with one grouped profile statement. Each column adds up to five
 * cross-joined items to it, and DuckDB's binder refuses past about a thousand
 * (max_expression_depth); it also plans slower than linearly well before that (190 columns: 20 s
 * on 20 rows), and even in batches of 32 a column costs about 20 ms of planning. Wider tables go
 * stacked (`stackedProfileQuery`). Narrow tables, the common case, keep their one statement.
 */
export const PROFILE_BATCH_COLUMNS = 32;

/** Columns per stacked profile statement for a table of `rows` rows (see stackedColumnsPerStatement). */
export const stackedProfileColumns = (rows: number): number => stackedColumnsPerStatement(rows, 100);

/**
 * Everything profiling reports per column but histograms, in one statement that groups each column by
 * its own values once (DuckDB reads only that column): counts, exact distinct counts, min/max,
 * string lengths, numeric moments and exact quantiles (quantile_cont's interpolation over the
 * values sorted with their counts), and the top `k` values (ties by value). Expressions then run
 * once per distinct value instead of once per row. Read it with `parseAggregateRow` and
 * `parseGroupedTopK`. `first` offsets the names (`nn{first + i}`...), so the rows of statements
 * over parts of a table merge into one (`Object.assign`); a wide table goes stacked instead
 * (`stackedProfileQuery`).
 */
export function groupedProfileQuery(table: string, columns: readonly ProfiledColumn[], k: number, buckets = 0, first = 0): BuiltQuery {
  const params = new SqlParams();
  // Bound on first use: DuckDB rejects a statement with a parameter it never reads (a table
  // without numeric columns has no histogram).
  let bucketsParam: string | undefined;
  const b = buckets > 0 ? () => (bucketsParam ??= `CAST(${params.bind(buckets)} AS INTEGER)`) : undefined;
  const t = quoteIdent(table);
  const ctes: string[] = [];
  const parts: string[] = [`(SELECT count(*) AS total FROM ${t}) t`];
  const limit = k > 0 ? params.bind(k) : undefined;
  columns.forEach((c, pos) => {
    const i = first + pos;
    const x = numberExpr(c, 'v');
    const g = `g${i}`;
    // v: the value as profiled; n: its rows; x: its finite DOUBLE reading (NULL if none).
    const grouped = `SELECT ${valueExpr(c)} AS v, count(*) AS n FROM ${t} WHERE ${quoteIdent(c.name)} IS NOT NULL GROUP BY ALL`;
    ctes.push(x ? `${g} AS MATERIALIZED (SELECT v, n, CASE WHEN isfinite(t) THEN t END AS x FROM (SELECT v, n, ${x} AS t FROM (${grouped})))` : `${g} AS MATERIALIZED (${grouped})`);
    const aggs = [`coalesce(sum(n), 0) AS nn${i}`, `count(*) AS d${i}`, `CAST(min(v) AS VARCHAR) AS mn${i}`, `CAST(max(v) AS VARCHAR) AS mx${i}`];
    if (isTextType(c.rawType)) aggs.push(`min(length(v)) AS lmin${i}`, `max(length(v)) AS lmax${i}`, `sum(length(v) * n) / sum(n) AS lavg${i}`);
    parts.push(`(SELECT ${aggs.join(', ')} FROM ${g}) a${i}`);
    if (limit) parts.push(`(SELECT list({'val': val, 'n': n}) AS top${i} FROM (SELECT CAST(v AS VARCHAR) AS val, n FROM ${g} ORDER BY n DESC, val LIMIT ${limit})) k${i}`);
    if (x) {
      const qs = weightedQuantiles();
      const windowed = `SELECT x, n, sum(n) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) AS cum, sum(n) OVER () AS xtotal, sum(x * n) OVER () / sum(n) OVER () AS m FROM ${g} WHERE x IS NOT NULL`;
      const stats = [
        `sum(n) AS xn${i}`, `min(x) AS xmin${i}`, `max(x) AS xmax${i}`, `sum(x * n) / sum(n) AS xavg${i}`,
        `CASE WHEN sum(n) > 1 THEN sqrt(sum(n * (x - m) * (x - m)) / (sum(n) - 1)) END AS xsd${i}`,
        ...qs.map((q, j) => `${q} AS q${j}`),
      ];
      // (The quantile list is built a level up: DuckDB won't bind aggregates inside a list here.)
      parts.push(`(SELECT * EXCLUDE (${qs.map((_, j) => `q${j}`).join(', ')}), [${qs.map((_, j) => `q${j}`).join(', ')}] AS xq${i} FROM (SELECT ${stats.join(', ')} FROM (${windowed}))) x${i}`);
      if (b) {
        // Equal-width bins between min and max (values at the top edge fall in the last bin).
        const bin = `CASE WHEN mx > mn THEN least(CAST(floor((x - mn) / ((mx - mn) / CAST(${b()} AS DOUBLE))) AS INTEGER), ${b()} - 1) END`;
        parts.push(`(SELECT list({'key': bin, 'value': c}) AS h${i} FROM (SELECT bin, sum(n) AS c FROM (SELECT n, ${bin} AS bin FROM (SELECT x, n, min(x) OVER () AS mn, max(x) OVER () AS mx FROM ${g} WHERE x IS NOT NULL)) WHERE bin IS NOT NULL GROUP BY bin)) h${i}`);
      }
    }
  });
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT * FROM ${parts.join(',\n')}`, params };
}

/**
 * Columns that can share one stacked statement (see `stackedProfileQuery`): the same value type
 * and the same numeric reading.
 */
export function stackKey(c: ProfiledColumn): string {
  return `${c.rawType}\u0000${numberExpr(c, 'v') ?? ''}`;
}

/**
 * The figures of `groupedProfileQuery` for a batch of columns with one `stackKey`, stacked: each
 * column's values become (position, value) rows and ONE grouping, one top-k, one quantile and one
 * histogram pass serve every column. The statement's size no longer grows with its columns, and
 * neither does DuckDB's planning, which in the per-column form costs about 20 ms a column whatever
 * the row count (the whole of a 1000-column x 20-row profile). Returns one row per column that has
 * values (`i`: the column's position in `entries`' `index`) plus `total`; read it with
 * `stackedProfileRow`, which names everything as the grouped profile does.
 */
export function stackedProfileQuery(table: string, entries: readonly { readonly column: ProfiledColumn; readonly index: number }[], k: number, buckets = 0): BuiltQuery {
  const params = new SqlParams();
  const t = quoteIdent(table);
  const [{ column: c0 }] = entries;
  const x = numberExpr(c0, 'v');
  const text = isTextType(c0.rawType);
  // Positions are our own integers; the values come from the columns, NULLs left out as the
  // grouped profile's WHERE does.
  const stacked = `SELECT ${stackedSelect(entries.map((e) => valueExpr(e.column)), 'v', entries.map((e) => e.index))} FROM ${t}`;
  const grouped = `SELECT i, v, count(*) AS n FROM (${stacked}) WHERE v IS NOT NULL GROUP BY ALL`;
  const ctes = [x ? `g AS MATERIALIZED (SELECT i, v, n, CASE WHEN isfinite(t) THEN t END AS x FROM (SELECT i, v, n, ${x} AS t FROM (${grouped})))` : `g AS MATERIALIZED (${grouped})`];
  const aggs = ['i', 'coalesce(sum(n), 0) AS nn', 'count(*) AS d', 'CAST(min(v) AS VARCHAR) AS mn', 'CAST(max(v) AS VARCHAR) AS mx'];
  if (text) aggs.push('min(length(v)) AS lmin', 'max(length(v)) AS lmax', 'sum(length(v) * n) / sum(n) AS lavg');
  ctes.push(`a AS (SELECT ${aggs.join(', ')} FROM g GROUP BY i)`);
  const joins = ['a'];
  if (k > 0) {
    ctes.push(`k AS (SELECT i, list({'val': val, 'n': n} ORDER BY n DESC, val) AS top FROM (SELECT i, CAST(v AS VARCHAR) AS val, n FROM g QUALIFY row_number() OVER (PARTITION BY i ORDER BY n DESC, val) <= ${params.bind(k)}) GROUP BY i)`);
    joins.push('k');
  }
  if (x) {
    // The grouped profile's quantiles and moments, per partition.
    const qs = weightedQuantiles();
    const windowed = `SELECT i, x, n, sum(n) OVER (PARTITION BY i ORDER BY x ROWS UNBOUNDED PRECEDING) AS cum, sum(n) OVER (PARTITION BY i) AS xtotal, sum(x * n) OVER (PARTITION BY i) / sum(n) OVER (PARTITION BY i) AS m FROM g WHERE x IS NOT NULL`;
    const stats = [
      'i', 'sum(n) AS xn', 'min(x) AS xmin', 'max(x) AS xmax', 'sum(x * n) / sum(n) AS xavg',
      'CASE WHEN sum(n) > 1 THEN sqrt(sum(n * (x - m) * (x - m)) / (sum(n) - 1)) END AS xsd',
      ...qs.map((q, j) => `${q} AS q${j}`),
    ];
    ctes.push(`x AS (SELECT * EXCLUDE (${qs.map((_, j) => `q${j}`).join(', ')}), [${qs.map((_, j) => `q${j}`).join(', ')}] AS xq FROM (SELECT ${stats.join(', ')} FROM (${windowed}) GROUP BY i))`);
    joins.push('x');
    if (buckets > 0) {
      const b = `CAST(${params.bind(buckets)} AS INTEGER)`;
      const bin = `CASE WHEN mx > mn THEN least(CAST(floor((x - mn) / ((mx - mn) / CAST(${b} AS DOUBLE))) AS INTEGER), ${b} - 1) END`;
      ctes.push(`h AS (SELECT i, list({'key': bin, 'value': c}) AS h FROM (SELECT i, bin, sum(n) AS c FROM (SELECT i, n, ${bin} AS bin FROM (SELECT i, x, n, min(x) OVER (PARTITION BY i) AS mn, max(x) OVER (PARTITION BY i) AS mx FROM g WHERE x IS NOT NULL)) WHERE bin IS NOT NULL GROUP BY i, bin) GROUP BY i)`);
      joins.push('h');
    }
  }
  // The count comes first so that a batch whose columns are all NULL still returns it.
  const from = joins.map((j, n) => (n === 0 ? `LEFT JOIN ${j} ON true` : `LEFT JOIN ${j} USING (i)`)).join(' ');
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT * FROM (SELECT count(*) AS total FROM ${t}) ${from}`, params };
}

/**
 * The rows of a `stackedProfileQuery` named as `groupedProfileQuery` names its row, so the same
 * parsers read both. A column without values gets what the grouped profile reports for it.
 */
export function stackedProfileRow(rows: readonly Record<string, unknown>[], entries: readonly { readonly index: number }[]): Record<string, unknown> {
  return unstackRows(rows, entries.map((e) => e.index), { nn: 0, d: 0, mn: null, mx: null, top: null, lmin: null, lmax: null, lavg: null });
}

/** The top values of a `groupedProfileQuery` row, per column, with their share of all rows. */
export function parseGroupedTopK(row: Record<string, unknown>, columnCount: number, totalRows: number): TopValue[][] {
  return Array.from({ length: columnCount }, (_, i) =>
    ((row[`top${i}`] as { val: string; n: string | number }[] | null | undefined) ?? []).map((e) => {
      const count = Number(e.n);
      return { value: e.val, count, percentage: totalRows > 0 ? count / totalRows : 0 };
    }));
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

/** Reads the grouped profile row's counts and statistics. */
export function parseAggregateRow(row: Record<string, unknown>, columns: readonly ProfiledColumn[]): { total: number; columns: AggregateColumnStats[] } {
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
      nonNull: Number(row[`nn${i}`]), distinct: Number(row[`d${i}`]),
      min: (row[`mn${i}`] as string | null) ?? null, max: (row[`mx${i}`] as string | null) ?? null,
      numericCount, ...(numeric ? { numeric } : {}), ...(string ? { string } : {}),
    };
  });
  return { total, columns: stats };
}

export function parseHistogram(raw: unknown, min: number, max: number, buckets: number): HistogramBin[] {
  const counts = new Array<number>(buckets).fill(0);
  for (const e of (raw as { key: string | number; value: string | number }[] | null) ?? []) counts[Number(e.key)] += Number(e.value);
  const width = (max - min) / buckets;
  return counts.map((count, k) => ({ lower: min + k * width, upper: k === buckets - 1 ? max : min + (k + 1) * width, count }));
}
