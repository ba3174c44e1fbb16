/**
 * The exact whole-column pass for tables larger than the survey sample: the survey's counting
 * probes (number layouts, strptime formats, JSON, intervals) run on a sample, which only chooses
 * the candidate readings; everything that is reported or that decides a reading's exact form is
 * counted here over every row, in ONE query per batch of columns: non-null and null-token counts,
 * distinct estimate, lengths, leading zeros, the boolean vocabulary, the integer count that
 * identifier detection weighs the leading zeros against, and the fraction/digit widths that fix a
 * DECIMAL's precision. (Day/month order is settled from the verify pass, which reads every row.)
 * Every expression is cheap or gated by a cheap pre-check, so the pass costs about one scan.
 */
import { quoteIdent } from '../duckdb.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import { cleanedValue, surveyNumberText } from './formats.ts';
import { stackedSelect } from '../stacked.ts';
import { BOOLEAN_TOKENS, negativeCounts, type ColumnSurvey, type SurveyColumn } from './survey.ts';

/** What the shape pass must count exactly for one column, decided from its sampled survey. */
export interface ShapeColumn extends SurveyColumn {
  /** Enough sampled values are integers in the plain layout: count them exactly (identifier detection weighs leading zeros against them). */
  readonly integerCheck: boolean;
  /** Enough sampled values read as numbers: measure separators, fraction and digit widths exactly. */
  readonly numberWidths: boolean;
  /** Few distinct values in the sample: evaluate per distinct value. */
  readonly grouped: boolean;
}

const PLAIN_INTEGER = '[+-]?[0-9]+';
/**
 * Columns whose 10k-row sample has at most this share of distinct values are evaluated per
 * distinct value: 0.99 still groups a column with one value per 14 rows (flights' timestamps,
 * 213k values in 3M rows: 97.7% of a sample distinct, grouped 0.11 s vs 0.19-0.28 s per row),
 * while an all-distinct column shows 100% (or 99.8% for 3M rows) and stays per row.
 */
const GROUPED_DISTINCT_SHARE = 0.99;

/**
 * Builds the shape SELECT; read its single row with `mergeShapeRow`. A column with few distinct
 * values (in the sample) is grouped by its raw values first, so the expressions run once per
 * distinct value and counts are weighted by occurrences (HyperLogLog ignores repeats, so the
 * distinct estimate is the same as over all rows); the other columns are read row by row, with
 * cheap pre-checks in front of every regex.
 */
export function shapeQuery(table: string, columns: readonly ShapeColumn[], nullTokens: readonly string[]): { sql: string; params: SqlParams } {
  const p = new SqlParams();
  const rowAggs: string[] = ['count(*) AS total'];
  const rowBase: string[] = [];
  const grouped: string[] = [];
  columns.forEach((c, i) => {
    const raw = quoteIdent(c.name);
    if (c.grouped) {
      const distinctValues = `SELECT r, ${cleanedValue('r', nullTokens, p)} AS v, c FROM (SELECT ${raw} AS r, count(*) AS c FROM ${quoteIdent(table)} GROUP BY ${raw})`;
      grouped.push(`(SELECT ${shapeAggregates(c, `${i}`, 'r', 'v', 'c', p).join(', ')} FROM (${distinctValues})) g${i}`);
    } else {
      rowBase.push(`${raw} AS r${i}`, `${cleanedValue(raw, nullTokens, p)} AS v${i}`);
      rowAggs.push(...shapeAggregates(c, `${i}`, `r${i}`, `v${i}`, null, p));
    }
  });
  const rows = `(SELECT ${rowAggs.join(', ')} FROM (SELECT ${rowBase.length > 0 ? rowBase.join(', ') : '1'} FROM ${quoteIdent(table)})) t`;
  return { sql: `SELECT * FROM ${[rows, ...grouped].join(', ')}`, params: p };
}

/** Columns that can share one stacked shape statement: the same figures counted the same way. */
export function shapeStackKey(c: ShapeColumn): string {
  return `${c.integerCheck ? 'i' : ''}${c.numberWidths ? 'w' : ''}${c.grouped ? 'g' : ''}`;
}

/**
 * `shapeQuery` for a wide table, stacked (see `stackedSurveyQuery`): columns with one
 * `shapeStackKey` become (position, value) rows, grouped by position (and, for grouped columns,
 * by raw value first). Returns one row per position plus `total`; read it with `unstackRows`
 * (`lmin`, `lmax` as nulls) and `mergeShapeRow`.
 */
export function stackedShapeQuery(table: string, columns: readonly ShapeColumn[], nullTokens: readonly string[]): { sql: string; params: SqlParams } {
  const p = new SqlParams();
  const stacked = `SELECT ${stackedSelect(columns.map((c) => quoteIdent(c.name)), 'r')} FROM ${quoteIdent(table)}`;
  const [c0] = columns;
  if (c0.grouped) {
    const distinctValues = `SELECT i, r, ${cleanedValue('r', nullTokens, p)} AS v, c FROM (SELECT i, r, count(*) AS c FROM (${stacked}) GROUP BY i, r)`;
    return { sql: `SELECT i, sum(c) AS total, ${shapeAggregates(c0, '', 'r', 'v', 'c', p).join(', ')} FROM (${distinctValues}) GROUP BY i`, params: p };
  }
  const rows = `SELECT i, r, ${cleanedValue('r', nullTokens, p)} AS v FROM (${stacked})`;
  return { sql: `SELECT i, count(*) AS total, ${shapeAggregates(c0, '', 'r', 'v', null, p).join(', ')} FROM (${rows}) GROUP BY i`, params: p };
}

/**
 * Shape aggregates of column `c` over rows with raw value `r`, cleaned value `v`, each standing
 * for `weight` rows (NULL: one), named with suffix `i`.
 */
function shapeAggregates(c: ShapeColumn, i: string, r: string, v: string, weight: string | null, p: SqlParams): string[] {
  // Bound only where used: DuckDB rejects a statement with an unused parameter.
  const plainInt = (): string => p.bind(PLAIN_INTEGER);
  const boolList = (): string => p.bindList(Object.keys(BOOLEAN_TOKENS));
  const w = (cond: string): string => (weight === null ? `count(CASE WHEN ${cond} THEN 1 END)` : `coalesce(sum(CASE WHEN ${cond} THEN ${weight} END), 0)`);
  const isBool = `length(${v}) <= 5 AND list_contains([${boolList()}], lower(${v}))`;
  const isInt = (): string => `regexp_full_match(${v}, ${plainInt()})`;
  // The survey's number text; a plain integer is its own.
  const k = (): string => surveyNumberText(v, p);
  const aggs = [
    `${w(`${r} IS NOT NULL`)} AS rn${i}`, `${w(`${v} IS NOT NULL`)} AS n${i}`, `${w(`${r} IS NOT NULL AND ${v} IS NULL AND trim(${r}) <> ''`)} AS nt${i}`,
    `approx_count_distinct(${v}) AS d${i}`, `min(length(${v})) AS lmin${i}`, `max(length(${v})) AS lmax${i}`,
    // Nested CASE: the regex runs only on values starting with '0'.
    `${w(`CASE WHEN starts_with(${v}, '0') THEN regexp_full_match(${v}, '0[0-9]+') END`)} AS lz${i}`,
    `${w(`CASE WHEN length(${v}) <= 5 THEN list_contains([${boolList()}], lower(${v})) END`)} AS bc${i}`,
    weight === null
      ? `histogram(CASE WHEN length(${v}) <= 5 THEN CASE WHEN ${isBool} THEN lower(${v}) END END) AS bt${i}`
      : `list({'key': lower(${v}), 'value': ${weight}}) FILTER (WHERE ${isBool}) AS bt${i}`,
  ];
  if (c.integerCheck) aggs.push(`${w(`CASE WHEN ${isInt()} THEN true ELSE regexp_full_match(${k()}, ${plainInt()}) END`)} AS ib${i}`);
  if (c.numberWidths) {
    // Plain integers have no separator and no fraction; only other values pay for the regexes.
    const other = `CASE WHEN NOT ${isInt()} THEN ${k()} END`;
    aggs.push(
      `${w(`regexp_matches(${other}, '[0-9][.,]|[.,][0-9]')`)} AS sep${i}`,
      `coalesce(max(length(regexp_extract(${other}, '[.]([0-9]+)$', 1))), 0) AS sd${i}`,
      `coalesce(max(length(regexp_extract(${other}, ',([0-9]+)$', 1))), 0) AS sc${i}`,
      `coalesce(max(CASE WHEN ${isInt()} THEN length(${v}) - CASE WHEN starts_with(${v}, '-') OR starts_with(${v}, '+') THEN 1 ELSE 0 END ELSE length(regexp_replace(${k()}, '[^0-9]', '', 'g')) END), 0) AS md${i}`,
      // Exact, so one accounting negative far from the sample still sets the column's style.
      ...negativeCounts(v, other, i, (x) => p.bind(x), w),
    );
  }
  return aggs;
}

/**
 * The whole-column survey of each column: the exact shape counts from `row`, and the sampled
 * probe counts rescaled from the sample's non-null values to the column's, so every rate and tie
 * the candidate rules compare stays what the sample measured.
 */
export function mergeShapeRow(row: Record<string, unknown>, columns: readonly ShapeColumn[], sampled: readonly ColumnSurvey[]): ColumnSurvey[] {
  const num = (key: string): number => Number(row[key] ?? 0);
  return columns.map((c, i) => {
    const s = sampled[i];
    const n = num(`n${i}`);
    const scale = (x: number): number => (s.nonNull > 0 ? Math.round((x * n) / s.nonNull) : 0);
    const tokens = new Map<string, number>();
    for (const e of (row[`bt${i}`] as { key: string; value: string | number }[] | null | undefined) ?? []) tokens.set(e.key, (tokens.get(e.key) ?? 0) + Number(e.value));
    const integerCounts = s.integerCounts.map(scale);
    if (c.integerCheck) integerCounts[0] = num(`ib${i}`);
    return {
      rawNonNull: num(`rn${i}`),
      nonNull: n,
      nullTokenCount: num(`nt${i}`),
      // An estimate: HyperLogLog may overshoot, but a column never has more distinct values than values.
      distinct: Math.min(num(`d${i}`), n),
      minLength: row[`lmin${i}`] === null ? null : num(`lmin${i}`),
      maxLength: row[`lmax${i}`] === null ? null : num(`lmax${i}`),
      leadingZeros: num(`lz${i}`),
      withSeparator: c.numberWidths ? num(`sep${i}`) : scale(s.withSeparator),
      negatives: c.numberWidths
        ? { parentheses: num(`np${i}`), trailing: num(`nm${i}`) }
        : { parentheses: scale(s.negatives.parentheses), trailing: scale(s.negatives.trailing) },
      numberCounts: s.numberCounts.map(scale),
      integerCounts,
      maxScaleDot: c.numberWidths ? num(`sd${i}`) : s.maxScaleDot,
      maxScaleComma: c.numberWidths ? num(`sc${i}`) : s.maxScaleComma,
      maxDigits: c.numberWidths ? num(`md${i}`) : s.maxDigits,
      affixes: {},
      temporalCounts: s.temporalCounts.map(scale),
      booleanTokens: Object.fromEntries(Object.keys(BOOLEAN_TOKENS).flatMap((t) => (tokens.has(t) ? [[t, tokens.get(t)!]] : []))),
      booleanCount: num(`bc${i}`),
      jsonCount: scale(s.jsonCount),
      intervalCount: scale(s.intervalCount),
    };
  });
}

/**
 * What to count exactly for a column, from its sampled survey and the sample's exact distinct
 * count (`surveyQuery` over a sample returns it as `dx{i}`).
 */
export function shapeColumn(name: string, sampled: ColumnSurvey, sampleDistinct: number, minRate: number): ShapeColumn {
  const n = sampled.nonNull;
  return {
    name,
    integerCheck: n > 0 && sampled.integerCounts[0] / n >= minRate,
    numberWidths: n > 0 && Math.max(...sampled.numberCounts) / n >= minRate,
    // Repeats in the sample mean a column with far fewer distinct values than rows.
    grouped: sampleDistinct <= n * GROUPED_DISTINCT_SHARE,
  };
}
