/**
 * The SQL of temporal profiling. Per table one scan for counts and ranges of all its temporal
 * columns; per column one query over its distinct values that measures every unit at once (the
 * shape), and one that cuts the rows into periods at the chosen unit and returns gaps, trend and
 * autocorrelations (the series). Everything row-sized stays in DuckDB; JS sees one row per query
 * plus at most `maxGaps` gaps.
 */
import { quoteIdent } from '../../duckdb.ts';
import { SqlParams } from '../../profiling/sql-params.ts';
import { momentSql, validSql, type TemporalColumnSpec } from './temporal-columns.ts';
import type { TemporalUnit } from './types.ts';
import { indexSql, labelSql, positionSql, UNITS, type SeasonalLag } from './units.ts';

export interface BuiltQuery {
  readonly sql: string;
  readonly params: SqlParams;
}

/** Counts, distinct counts and ISO min/max of every spec'd column: `t`, then `nn{i}` (non-null), `ok{i}` (valid), `d{i}`, `lo{i}`, `hi{i}` per column. */
export function rangeQuery(typedTable: string, specs: readonly TemporalColumnSpec[]): BuiltQuery {
  const p = new SqlParams();
  const parts = specs.flatMap((s, i) => {
    const c = quoteIdent(s.column.name);
    const ok = validSql(s.kind, c, p);
    const iso = (agg: 'min' | 'max') => {
      switch (s.kind) {
        case 'date': return `strftime(${agg}(${c}) FILTER (WHERE ${ok}), '%Y-%m-%d')`;
        case 'timestamp': return `replace(CAST(${agg}(CAST(${c} AS TIMESTAMP)) FILTER (WHERE ${ok}) AS VARCHAR), ' ', 'T')`;
        // The instant in UTC, whatever zone periods are cut in.
        case 'timestamp_tz': return `replace(CAST(timezone('UTC', ${agg}(${c}) FILTER (WHERE ${ok})) AS VARCHAR), ' ', 'T') || 'Z'`;
        case 'year': return `CAST(${agg}(${c}) FILTER (WHERE ${ok}) AS VARCHAR)`;
      }
    };
    return [
      `count(${c}) AS nn${i}`,
      `count(*) FILTER (WHERE ${ok}) AS ok${i}`,
      `count(DISTINCT ${c}) FILTER (WHERE ${ok}) AS d${i}`,
      `${iso('min')} AS lo${i}`,
      `${iso('max')} AS hi${i}`,
    ];
  });
  return { sql: `SELECT count(*) AS t, ${parts.join(', ')} FROM ${quoteIdent(typedTable)}`, params: p };
}

/** Per unit, what the shape query returns about consecutive distinct values. */
export interface UnitShape {
  readonly unit: TemporalUnit;
  /** Consecutive pairs in the same period (the unit is too coarse when there are many). */
  readonly collisions: number;
  /** Most common positive step between consecutive values, in units; null with one value. */
  readonly step: number | null;
  /** Positive steps (consecutive pairs in different periods). */
  readonly steps: number;
  /** Steps equal to `step`. */
  readonly hits: number;
  /** Mean gap in seconds of the steps equal to `step`. */
  readonly meanGapSeconds: number | null;
  /** Values at the most common position in their period. */
  readonly aligned: number;
  /** Index of the first and last period (of all values, not only the sampled ones). */
  readonly minIndex: number | null;
  readonly maxIndex: number | null;
}

export interface ShapeResult {
  /** Distinct values the shape was measured on (all, or the sampled blocks). */
  readonly values: number;
  /** Consecutive pairs measured. */
  readonly pairs: number;
  readonly units: readonly UnitShape[];
}

/** Consecutive distinct values per sampled block. */
export const SHAPE_BLOCK = 1000;

/**
 * One query over the distinct values: for every unit, collisions, the modal step and its share,
 * mean gap and alignment. Above `sample` distinct values only every m-th block of SHAPE_BLOCK
 * consecutive values is measured (pairs never span blocks), which keeps steps exact and the
 * shares within a fraction of a percent; the first and last period always come from all values.
 */
export function shapeQuery(typedTable: string, spec: TemporalColumnSpec, timeZone: string, distinct: number, sample: number): BuiltQuery {
  const p = new SqlParams();
  const c = quoteIdent(spec.column.name);
  const m = momentSql(spec.kind, 'c', p, timeZone);
  const u = UNITS.map((unit, k) => ({ unit, k }));
  const every = Math.max(1, Math.ceil(distinct / sample));
  const sampled = every > 1
    ? `r AS (SELECT c, row_number() OVER (ORDER BY c) - 1 AS rn FROM v),
    s AS (SELECT c, rn // ${SHAPE_BLOCK} AS block FROM r WHERE (rn // ${SHAPE_BLOCK}) % ${every} = 0),`
    : 's AS (SELECT c, 0 AS block FROM v),';
  const ends = momentSql(spec.kind, 'mm.c', p, timeZone);
  const sql = `
    WITH v AS (SELECT DISTINCT ${c} AS c FROM ${quoteIdent(typedTable)} WHERE ${validSql(spec.kind, c, p)}),
    ${sampled}
    tv AS (SELECT block, ${m.t} AS t, ${m.e} AS e FROM s),
    ix AS (SELECT block, t, e, ${u.map(({ unit, k }) => `${indexSql(unit, { t: 't', e: 'e' })} AS i${k}, ${positionSql(unit, 't')} AS p${k}`).join(', ')} FROM tv),
    x AS (SELECT *, e - lag(e) OVER w AS gap, ${u.map(({ k }) => `i${k} - lag(i${k}) OVER w AS s${k}`).join(', ')} FROM ix WINDOW w AS (PARTITION BY block ORDER BY e)),
    -- The modal step and position per unit, ties to the smaller (DuckDB's mode() breaks ties arbitrarily).
    uv AS (UNPIVOT (SELECT ${u.map(({ k }) => `s${k}, p${k}`).join(', ')} FROM x) ON ${u.map(({ k }) => `s${k}, p${k}`).join(', ')} INTO NAME k VALUE v),
    freq AS (SELECT k, v, count(*) AS cnt FROM uv WHERE k LIKE 'p%' OR v > 0 GROUP BY k, v),
    top AS (SELECT k, first(v ORDER BY cnt DESC, v) AS v FROM freq GROUP BY k),
    m AS (SELECT (SELECT count(*) FROM x) AS n, (SELECT count(gap) FROM x) AS pairs, ${u.map(({ k }) => `max(v) FILTER (WHERE k = 's${k}') AS step${k}, max(v) FILTER (WHERE k = 'p${k}') AS pos${k}`).join(', ')} FROM top),
    mm AS (SELECT c FROM (SELECT min(c) AS c FROM v UNION ALL SELECT max(c) FROM v)),
    ends AS (SELECT ${u.map(({ unit, k }) => `min(${indexSql(unit, { t: ends.t, e: ends.e })}) AS lo${k}, max(${indexSql(unit, { t: ends.t, e: ends.e })}) AS hi${k}`).join(', ')} FROM mm)
    SELECT any_value(m.n) AS n, any_value(m.pairs) AS pairs, ${u.map(({ k }) => [
      `any_value(m.step${k}) AS step${k}`, `count(*) FILTER (WHERE x.s${k} = 0) AS collisions${k}`,
      `count(*) FILTER (WHERE x.s${k} > 0) AS steps${k}`, `count(*) FILTER (WHERE x.s${k} = m.step${k}) AS hits${k}`,
      `avg(x.gap) FILTER (WHERE x.s${k} = m.step${k}) AS gap${k}`, `count(*) FILTER (WHERE x.p${k} = m.pos${k}) AS aligned${k}`,
      `any_value(ends.lo${k}) AS lo${k}`, `any_value(ends.hi${k}) AS hi${k}`,
    ].join(', ')).join(', ')}
    FROM x, m, ends`;
  return { sql, params: p };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function parseShape(row: Record<string, unknown>): ShapeResult {
  return {
    values: Number(row.n ?? 0),
    pairs: Number(row.pairs ?? 0),
    units: UNITS.map((unit, k) => ({
      unit,
      collisions: Number(row[`collisions${k}`] ?? 0),
      step: num(row[`step${k}`]),
      steps: Number(row[`steps${k}`] ?? 0),
      hits: Number(row[`hits${k}`] ?? 0),
      meanGapSeconds: num(row[`gap${k}`]),
      aligned: Number(row[`aligned${k}`] ?? 0),
      minIndex: num(row[`lo${k}`]),
      maxIndex: num(row[`hi${k}`]),
    })),
  };
}

export interface SeriesSpec {
  readonly unit: TemporalUnit;
  readonly step: number;
  readonly minIndex: number;
  readonly maxIndex: number;
  /** Measure column (numeric), or null for row counts. */
  readonly measure: string | null;
  readonly aggregate: 'count' | 'avg' | 'sum';
  readonly maxGaps: number;
  /** Seasonal lags to test and how (`seasonalPlan`); with `withSeries` false neither lags nor trend are computed. */
  readonly lags: readonly SeasonalLag[];
  readonly withSeries: boolean;
}

/**
 * One query at the chosen unit: actual periods, gaps (count, missing total, the first
 * `maxGaps`, the largest), and over the per-period series (filled to every expected period)
 * the least-squares trend and, at each seasonal lag, the autocorrelation of the period-to-period
 * changes less their mean over the surrounding cycle: differencing takes out a straight trend, and
 * the local mean a curved one (growth that speeds up would otherwise correlate with itself at
 * every lag), while a cycle averages out of that mean. Long cycles are measured the same way on
 * block means (`seasonalPlan`).
 */
export function seriesQuery(typedTable: string, spec: TemporalColumnSpec, s: SeriesSpec, timeZone: string): BuiltQuery {
  // Steps and lags are written into the SQL (window offsets and range steps must be constants).
  for (const n of [s.step, ...s.lags.flatMap((l) => [l.block, l.blockLag])]) {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`temporalProfiles: step and lags must be positive integers, got ${n} for column '${spec.column.name}' of ${typedTable}. This is a bug in granularity detection.`);
  }
  const p = new SqlParams();
  const c = quoteIdent(spec.column.name);
  const m = momentSql(spec.kind, c, p, timeZone);
  const k = s.step;
  // NaN and infinities have no place in a mean, a correlation or a fit (DuckDB refuses the variance).
  const measure = s.measure === null ? '' : `, CASE WHEN isfinite(CAST(${quoteIdent(s.measure)} AS DOUBLE)) THEN CAST(${quoteIdent(s.measure)} AS DOUBLE) END AS y`;
  const perValue = s.measure === null ? '' : `, ${s.aggregate === 'sum' ? 'sum' : 'avg'}(y) AS y`;
  const label = (i: string) => labelSql(s.unit, i, m.utcLabels);
  const gapStruct = `struct_pack(start := ${label('gs')}, "end" := ${label('ge')}, missing := missing)`;
  const ctes = [
    `base AS (SELECT ${indexSql(s.unit, m)} AS i${measure} FROM ${quoteIdent(typedTable)} WHERE ${validSql(spec.kind, c, p)})`,
    `per AS (SELECT i, count(*) AS c${perValue} FROM base GROUP BY i)`,
    `st AS (SELECT i, i - lag(i) OVER (ORDER BY i) AS step FROM per)`,
    // A step of at least two periods leaves floor(step / k) - 1 whole periods missing.
    `g AS (SELECT i - step + ${k} AS gs, i - ${k} AS ge, CAST(floor(step / ${k}) AS BIGINT) - 1 AS missing FROM st WHERE step >= ${2 * k})`,
    `gapsum AS (SELECT count(*) AS gap_count, coalesce(sum(missing), 0) AS missing_total,
       coalesce(list_slice(list(${gapStruct} ORDER BY gs), 1, ${p.bind(s.maxGaps)}), []) AS gaps FROM g)`,
    `largest AS (SELECT ${gapStruct} AS largest FROM g ORDER BY missing DESC, gs LIMIT 1)`,
    `actual AS (SELECT count(*) AS actual_periods FROM per)`,
  ];
  let select = 'actual.*, gapsum.*, (SELECT largest FROM largest) AS largest';
  let from = 'actual, gapsum';
  if (s.withSeries) {
    // Bound only here: DuckDB rejects parameters a statement does not use.
    const lo = p.bind(s.minIndex);
    const v = s.measure === null ? 'coalesce(per.c, 0)' : 'per.y';
    ctes.push(
      `filled AS (SELECT r.range AS i, (r.range - ${lo}) // ${k} AS n, ${v} AS v FROM range(${lo}, ${p.bind(s.maxIndex)} + 1, ${k}) r LEFT JOIN per ON per.i = r.range)`,
      `ser AS (SELECT regr_slope(v, n) AS slope, regr_r2(v, n) AS r2, count(v) AS n_v, stddev_pop(v) AS sd_v FROM filled)`,
    );
    select += ', ser.*';
    from += ', ser';
    // Block means and their changes once per block size (the series itself is block 1).
    for (const block of [...new Set(s.lags.map((l) => l.block))]) {
      // Whole blocks only: a short last block would be a mean of fewer periods.
      const series = block === 1 ? 'SELECT n AS k, v FROM filled' : `SELECT n // ${block} AS k, avg(v) AS v FROM filled GROUP BY k HAVING count(*) = ${block}`;
      ctes.push(`b${block} AS (${series})`, `d${block} AS (SELECT k, v - lag(v) OVER (ORDER BY k) AS dv FROM b${block})`);
    }
    s.lags.forEach((l, j) => {
      const half = Math.floor(l.blockLag / 2);
      ctes.push(
        // The local level of the changes: their mean over the surrounding cycle (cut short at the ends).
        `r${j} AS (SELECT k, dv - avg(dv) OVER (ORDER BY k ROWS BETWEEN ${half} PRECEDING AND ${half} FOLLOWING) AS r, max(abs(dv)) OVER () AS scale FROM d${l.block})`,
        // Residuals of a perfectly steady run of changes are rounding noise: zero, not a pattern.
        `e${j} AS (SELECT k, CASE WHEN abs(r) <= 1e-9 * scale THEN 0 ELSE r END AS e FROM r${j})`,
        `a${j} AS (SELECT corr(e, le) AS acf${j}, count(*) FILTER (WHERE e IS NOT NULL AND le IS NOT NULL) AS pairs${j}
           FROM (SELECT e, lead(e, ${l.blockLag}) OVER (ORDER BY k) AS le FROM e${j}))`,
      );
      select += `, a${j}.*`;
      from += `, a${j}`;
    });
  }
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT ${select} FROM ${from}`, params: p };
}
