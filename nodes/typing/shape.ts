/**
 * The exact whole-column pass for tables larger than the survey sample: the survey's counting
 * probes (number layouts, strptime formats, JSON, intervals) run on a sample, which only chooses
 * the candidate readings; everything that is reported or that decides a reading's exact form is
 * counted here over every row, in ONE query per batch of columns: non-null and null-token counts,
 * distinct estimate, lengths, leading zeros, the boolean vocabulary, the all-integer check that
 * identifier detection needs, and the fraction/digit widths that fix a DECIMAL's precision.
 * Every expression is cheap or gated by a cheap pre-check, so the pass costs about one scan.
 */
import { quoteIdent } from '../duckdb.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import { escapeRegex, PREFIX_VALUE_TOKENS, UNIT_VALUE_TOKENS } from '../profiling/units.ts';
import { cleanedValue } from './formats.ts';
import { BOOLEAN_TOKENS, type ColumnSurvey, type SurveyColumn } from './survey.ts';

/** What the shape pass must count exactly for one column, decided from its sampled survey. */
export interface ShapeColumn extends SurveyColumn {
  /** Every sampled value is an integer in the plain layout: count them exactly (identifier detection). */
  readonly integerCheck: boolean;
  /** Enough sampled values read as numbers: measure separators, fraction and digit widths exactly. */
  readonly numberWidths: boolean;
}

const PLAIN_INTEGER = '[+-]?[0-9]+';

/** Builds the shape SELECT; read its single row with `mergeShapeRow`. */
export function shapeQuery(table: string, columns: readonly ShapeColumn[], nullTokens: readonly string[]): { sql: string; params: SqlParams } {
  const p = new SqlParams();
  const prefixStrip = p.bind(`^([+-]?)\\s*(${PREFIX_VALUE_TOKENS.map(escapeRegex).join('|')})\\s*`);
  const suffixStrip = p.bind(`\\s*(${UNIT_VALUE_TOKENS.map(escapeRegex).join('|')})$`);
  const plainInt = p.bind(PLAIN_INTEGER);
  const base: string[] = [];
  const aggs: string[] = ['count(*) AS total'];
  const boolList = p.bindList(Object.keys(BOOLEAN_TOKENS));
  columns.forEach((c, i) => {
    const raw = quoteIdent(c.name);
    const v = `v${i}`;
    base.push(`${raw} AS r${i}`, `${cleanedValue(raw, nullTokens, p)} AS ${v}`);
    aggs.push(
      `count(r${i}) AS rn${i}`, `count(${v}) AS n${i}`, `count(CASE WHEN r${i} IS NOT NULL AND ${v} IS NULL AND trim(r${i}) <> '' THEN 1 END) AS nt${i}`,
      `approx_count_distinct(${v}) AS d${i}`, `min(length(${v})) AS lmin${i}`, `max(length(${v})) AS lmax${i}`,
      // Nested CASE: the regex runs only on values starting with '0'.
      `count(CASE WHEN starts_with(${v}, '0') THEN CASE WHEN regexp_full_match(${v}, '0[0-9]+') THEN 1 END END) AS lz${i}`,
      `count(CASE WHEN length(${v}) <= 5 THEN CASE WHEN lower(${v}) IN (${boolList}) THEN 1 END END) AS bc${i}`,
      `histogram(CASE WHEN length(${v}) <= 5 THEN CASE WHEN lower(${v}) IN (${boolList}) THEN lower(${v}) END END) AS bt${i}`,
    );
    // The survey's number text: catalogue prefixes and suffixes stripped; a plain integer is its own number text.
    const k = `(CASE WHEN regexp_full_match(${v}, ${plainInt}) THEN ${v} WHEN regexp_matches(${v}, '[0-9]') THEN regexp_replace(regexp_replace(${v}, ${prefixStrip}, '\\1'), ${suffixStrip}, '') END)`;
    if (c.integerCheck) {
      aggs.push(`count(CASE WHEN regexp_full_match(${v}, ${plainInt}) THEN 1 WHEN regexp_matches(${v}, '[0-9]') THEN CASE WHEN regexp_full_match(regexp_replace(regexp_replace(${v}, ${prefixStrip}, '\\1'), ${suffixStrip}, ''), ${plainInt}) THEN 1 END END) AS ib${i}`);
    }
    if (c.numberWidths) {
      // Plain integers have no separator and no fraction; only other values pay for the regexes.
      const other = `CASE WHEN NOT regexp_full_match(${v}, ${plainInt}) THEN ${k} END`;
      aggs.push(
        `count(CASE WHEN regexp_matches(${other}, '[0-9][.,]|[.,][0-9]') THEN 1 END) AS sep${i}`,
        `coalesce(max(length(regexp_extract(${other}, '[.]([0-9]+)$', 1))), 0) AS sd${i}`,
        `coalesce(max(length(regexp_extract(${other}, ',([0-9]+)$', 1))), 0) AS sc${i}`,
        `coalesce(max(CASE WHEN regexp_full_match(${v}, ${plainInt}) THEN length(${v}) - CASE WHEN regexp_matches(${v}, '^[+-]') THEN 1 ELSE 0 END ELSE length(regexp_replace(${k}, '[^0-9]', '', 'g')) END), 0) AS md${i}`,
      );
    }
  });
  const sql = `SELECT ${aggs.join(',\n ')} FROM (SELECT ${base.join(', ')} FROM ${quoteIdent(table)})`;
  return { sql, params: p };
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
    const tokens = (row[`bt${i}`] as { key: string; value: string | number }[] | null | undefined) ?? [];
    const integerCounts = s.integerCounts.map(scale);
    if (c.integerCheck) integerCounts[0] = num(`ib${i}`);
    return {
      rawNonNull: num(`rn${i}`),
      nonNull: n,
      nullTokenCount: num(`nt${i}`),
      distinct: num(`d${i}`),
      minLength: row[`lmin${i}`] === null ? null : num(`lmin${i}`),
      maxLength: row[`lmax${i}`] === null ? null : num(`lmax${i}`),
      leadingZeros: num(`lz${i}`),
      withSeparator: c.numberWidths ? num(`sep${i}`) : scale(s.withSeparator),
      numberCounts: s.numberCounts.map(scale),
      integerCounts,
      maxScaleDot: c.numberWidths ? num(`sd${i}`) : s.maxScaleDot,
      maxScaleComma: c.numberWidths ? num(`sc${i}`) : s.maxScaleComma,
      maxDigits: c.numberWidths ? num(`md${i}`) : s.maxDigits,
      affixes: {},
      temporalCounts: s.temporalCounts.map(scale),
      booleanTokens: Object.fromEntries(Object.keys(BOOLEAN_TOKENS).flatMap((t) => {
        const e = tokens.find((x) => x.key === t);
        return e ? [[t, Number(e.value)]] : [];
      })),
      booleanCount: num(`bc${i}`),
      jsonCount: scale(s.jsonCount),
      intervalCount: scale(s.intervalCount),
    };
  });
}

/** What to count exactly for a column, from its sampled survey. */
export function shapeColumn(name: string, sampled: ColumnSurvey, minRate: number): ShapeColumn {
  const n = sampled.nonNull;
  return {
    name,
    integerCheck: n > 0 && sampled.integerCounts[0] === n,
    numberWidths: n > 0 && Math.max(...sampled.numberCounts) / n >= minRate,
  };
}
