/**
 * One query over a reservoir sample of a table: pattern match rates, value unit affixes and the
 * share of values that read as numbers, for each VARCHAR column. Shared by profiling and type
 * inference.
 *
 * @example
 * ```ts
 * const survey = await sampleSurvey(conn, 'raw_customers', ['email', 'weight'], 10_000);
 * survey.email.patterns[0]; // { pattern: 'email', matchRate: 0.998, sampleSize: 10000 }
 * survey.weight.affix;      // { token: 'kg', rate: 1 }
 * ```
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../duckdb.ts';
import { stackedColumnsPerStatement, stackedSelect, unstackRows } from '../stacked.ts';
import { PATTERNS } from './patterns.ts';
import { SqlParams } from './sql-params.ts';
import { tableSample } from './table-sample.ts';
import type { PatternMatch } from './types.ts';
import { escapeRegex, PREFIX_VALUE_TOKENS, UNIT_VALUE_TOKENS } from './units.ts';

/** Patterns matching fewer sampled values than this are not reported. */
export const MIN_PATTERN_RATE = 0.05;

export interface ColumnSampleSurvey {
  /** Non-empty sampled values. */
  readonly sampled: number;
  /** Patterns with match rate >= MIN_PATTERN_RATE, best first (catalogue order on ties). */
  readonly patterns: PatternMatch[];
  /** The most frequent unit/currency token written around a number, and its share of sampled values. */
  readonly affix?: { readonly token: string; readonly rate: number };
  /** Share of non-empty sampled values that cast to a finite DOUBLE (asked for with `numbers`). */
  readonly numericRate?: number;
}

/** What a sample survey measures. */
export interface SampleSurveyWhat {
  readonly patterns?: boolean;
  readonly units?: boolean;
  readonly numbers?: boolean;
}

/** A sign: `+`, `-` or U+2212. */
const SIGN = '[+\\-\\x{2212}]?';
const NUMBER_BODY = `${SIGN}[0-9][0-9.,\\x{00A0}\\x{202F} ]*`;

/**
 * SQL regex pieces matching a number with a known unit suffix or currency prefix; group 1 is the
 * token. Accounting negatives count too: `(1,234.50 €)`, `($5)`, `$(5)`, `5,50- €`.
 */
export function affixRegexes(): { suffix: string; prefix: string } {
  const suffix = `\\(?${NUMBER_BODY}-?\\s*(${UNIT_VALUE_TOKENS.map(escapeRegex).join('|')})\\)?`;
  const prefix = `\\(?${SIGN}(${PREFIX_VALUE_TOKENS.map(escapeRegex).join('|')})\\s*\\(?${NUMBER_BODY}\\)?-?`;
  return { suffix, prefix };
}

/**
 * Up to this many columns are surveyed in one row (`sampleSurveyQuery`), what narrow tables get;
 * more go stacked (`stackedSampleSurveyQuery`), whose planning does not grow with its columns, in
 * statements of at most 200 columns and about two million sampled values.
 */
export const SURVEY_ROW_COLUMNS = 32;

/** Columns per stacked survey statement for a sample of `sampleSize` rows. */
const stackColumns = (sampleSize: number): number => stackedColumnsPerStatement(sampleSize, 200);

/** The statements `sampleSurvey` runs for `columns` columns none of which it surveyed before. */
export function sampleSurveyStatements(columns: number, sampleSize: number): number {
  if (columns === 0 || sampleSize <= 0) return 0;
  return columns <= SURVEY_ROW_COLUMNS ? 1 : Math.ceil(columns / stackColumns(sampleSize));
}

/**
 * What each connection has surveyed, per sample table and column: profiling surveys every text
 * column and typing asks again for its batches, over the same sample (see `tableSample`, whose
 * table name changes when the table is re-staged), so the second ask is answered from here.
 */
const surveyed = new WeakMap<DuckDBConnection, Map<string, { readonly what: SampleSurveyWhat; readonly survey: ColumnSampleSurvey }>>();

const covers = (have: SampleSurveyWhat, want: SampleSurveyWhat): boolean =>
  (!want.patterns || !!have.patterns) && (!want.units || !!have.units) && (!want.numbers || !!have.numbers);

/**
 * Runs the sample survey for the given VARCHAR columns in ONE query (nothing when none or
 * sampleSize 0; more than `SURVEY_ROW_COLUMNS` stacked, in a few); columns this connection
 * already surveyed on the same sample are not asked again.
 */
export async function sampleSurvey(
  conn: DuckDBConnection,
  table: string,
  columns: readonly string[],
  sampleSize: number,
  what: SampleSurveyWhat = { patterns: true, units: true },
): Promise<Record<string, ColumnSampleSurvey>> {
  if (columns.length === 0 || sampleSize <= 0 || (!what.patterns && !what.units && !what.numbers)) return {};
  const sample = await tableSample(conn, table, sampleSize);
  let memo = surveyed.get(conn);
  if (!memo) surveyed.set(conn, (memo = new Map()));
  const key = (column: string) => `${sample}\u0000${column}`;
  const missing = columns.filter((c) => {
    const hit = memo.get(key(c));
    return !hit || !covers(hit.what, what);
  });
  if (missing.length > 0 && missing.length <= SURVEY_ROW_COLUMNS) {
    const p = new SqlParams();
    const [row] = await queryRows<Record<string, unknown>>(conn, sampleSurveyQuery(sample, missing, what, p), p.values);
    const fresh = parseSampleSurveyRow(row, missing, what);
    for (const c of missing) memo.set(key(c), { what, survey: fresh[c] });
  } else {
    const perStatement = stackColumns(sampleSize);
    for (let first = 0; first < missing.length; first += perStatement) {
      const batch = missing.slice(first, first + perStatement);
      const p = new SqlParams();
      const rows = await queryRows<Record<string, unknown>>(conn, stackedSampleSurveyQuery(sample, batch, what, p), p.values);
      const fresh = parseSampleSurveyRow(stackedSampleSurveyRow(rows, batch, what), batch, what);
      for (const c of batch) memo.set(key(c), { what, survey: fresh[c] });
    }
  }
  const out: Record<string, ColumnSampleSurvey> = {};
  for (const c of columns) {
    const { survey } = memo.get(key(c))!;
    // Only what was asked for: a survey made for more (numbers) answers a narrower ask too.
    out[c] = {
      sampled: survey.sampled,
      patterns: what.patterns ? survey.patterns : [],
      ...(what.units && survey.affix ? { affix: survey.affix } : {}),
      ...(what.numbers && survey.numericRate !== undefined ? { numericRate: survey.numericRate } : {}),
    };
  }
  return out;
}

/**
 * The sample survey SELECT (one row) over `sample`, a relation holding the sampled rows (see
 * `tableSample`), binding its values into `p`; callers that fold it into a larger statement share
 * one SqlParams. Read the row with `parseSampleSurveyRow`.
 */
export function sampleSurveyQuery(
  sample: string,
  columns: readonly string[],
  what: SampleSurveyWhat,
  p: SqlParams,
): string {
  const aggs = columns.flatMap((_, i) => surveyAggregates(`t${i}`, i, what, p));
  return `SELECT ${aggs.join(', ')} FROM (SELECT ${columns.map((c, i) => `trim(${quoteIdent(c)}) AS t${i}`).join(', ')} FROM ${sample})`;
}

/**
 * The same survey for many columns, stacked: every column's values become (position, value) rows
 * and one set of aggregates, grouped by position, serves them all. Its size (and DuckDB's planning
 * time, several milliseconds a column in the one-row form) no longer grows with the columns.
 * One row per column with a value; read them with `stackedSampleSurveyRow`.
 */
export function stackedSampleSurveyQuery(
  sample: string,
  columns: readonly string[],
  what: SampleSurveyWhat,
  p: SqlParams,
): string {
  // NULLs are left out: no aggregate counts them.
  const stacked = `SELECT ${stackedSelect(columns.map(quoteIdent), 'v')} FROM ${sample}`;
  return `SELECT i, ${surveyAggregates('t', '', what, p).join(', ')} FROM (SELECT i, trim(v) AS t FROM (${stacked}) WHERE v IS NOT NULL) GROUP BY i`;
}

/** The rows of `stackedSampleSurveyQuery` as the one row of `sampleSurveyQuery`, for `parseSampleSurveyRow`. */
export function stackedSampleSurveyRow(rows: readonly Record<string, unknown>[], columns: readonly string[], what: SampleSurveyWhat): Record<string, unknown> {
  // A column without a sampled value: what the one-row form counts for it.
  const none: Record<string, unknown> = { n: 0 };
  if (what.patterns) PATTERNS.forEach((_p, j) => { none[`m_${j}`] = 0; });
  if (what.units) none.u = null;
  if (what.numbers) none.x = 0;
  return unstackRows(rows, columns.length, none);
}

/** The survey's aggregates over the value `v`, named `n{i}`, `m{i}_{j}`, `u{i}`, `x{i}`. */
function surveyAggregates(v: string, i: number | '', what: SampleSurveyWhat, p: SqlParams): string[] {
  const aggs = [`count(NULLIF(${v}, '')) AS n${i}`];
  if (what.patterns) {
    PATTERNS.forEach((pat, j) => aggs.push(`count(CASE WHEN ${pat.gate(v)} AND regexp_full_match(${v}, ${p.bind(pat.regex)}) THEN 1 END) AS m${i}_${j}`));
  }
  if (what.units) {
    const { suffix, prefix } = affixRegexes();
    const tok = `coalesce(NULLIF(regexp_extract(${v}, ${p.bind(`^${suffix}$`)}, 1), ''), NULLIF(regexp_extract(${v}, ${p.bind(`^${prefix}$`)}, 1), ''))`;
    aggs.push(`histogram(${tok}) AS u${i}`);
  }
  if (what.numbers) aggs.push(`count(CASE WHEN isfinite(TRY_CAST(${v} AS DOUBLE)) THEN 1 END) AS x${i}`);
  return aggs;
}

/** Reads the row of `sampleSurveyQuery` back into per-column surveys. */
export function parseSampleSurveyRow(
  row: Record<string, unknown>,
  columns: readonly string[],
  what: SampleSurveyWhat,
): Record<string, ColumnSampleSurvey> {
  const out: Record<string, ColumnSampleSurvey> = {};
  columns.forEach((c, i) => {
    const sampled = Number(row[`n${i}`]);
    const patterns: PatternMatch[] = [];
    if (what.patterns && sampled > 0) {
      PATTERNS.forEach((pat, j) => {
        const rate = Number(row[`m${i}_${j}`]) / sampled;
        if (rate >= MIN_PATTERN_RATE) patterns.push({ pattern: pat.name, matchRate: round4(rate), sampleSize: sampled });
      });
      patterns.sort((a, b) => b.matchRate - a.matchRate);
    }
    let affix: ColumnSampleSurvey['affix'];
    const hist = row[`u${i}`] as { key: string; value: string | number }[] | null | undefined;
    if (what.units && hist && sampled > 0) {
      let best: { key: string; value: string | number } | undefined;
      for (const e of hist) if (!best || Number(e.value) > Number(best.value)) best = e;
      if (best) affix = { token: best.key, rate: round4(Number(best.value) / sampled) };
    }
    const numericRate = what.numbers ? (sampled > 0 ? Number(row[`x${i}`]) / sampled : 0) : undefined;
    out[c] = { sampled, patterns, ...(affix ? { affix } : {}), ...(numericRate !== undefined ? { numericRate } : {}) };
  });
  return out;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
