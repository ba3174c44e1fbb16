/**
 * The inference survey: ONE query over the whole table (per batch of columns) that counts, for
 * every VARCHAR column, how many values each number layout, date/time format, boolean
 * vocabulary, JSON and interval reading accepts, plus the shape facts (lengths, approximate
 * distinct counts, leading zeros, longest fractions) that candidates are built from. Unit and
 * currency affixes come from the sample survey (profiling/sample-survey.ts).
 */
import { quoteIdent } from '../duckdb.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import { stackedSelect } from '../stacked.ts';
import { cleanedValue, NEGATIVE_NUMBER_TEXT, NUMBER_SEPARATORS, numberBodyRegex, parseExpression, surveyNumberText, trailingMinus } from './formats.ts';
import type { ValueFormat } from './types.ts';

export interface TemporalProbe {
  readonly type: 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ' | 'TIME';
  readonly format: ValueFormat;
  /** Which cheap pre-check gates it: `d` date-like start, `t` time-like start. */
  readonly gate: 'd' | 't';
}

const DATE_FORMATS = [
  '%Y-%m-%d', '%Y/%m/%d', '%m/%d/%Y', '%d/%m/%Y', '%d.%m.%Y', '%m-%d-%Y', '%d-%m-%Y', '%m/%d/%y', '%d/%m/%y',
  '%b %d %Y', '%b %d, %Y', '%d %b %Y', '%B %d %Y', '%B %d, %Y', '%d %B %Y', '%d-%b-%Y', '%d-%b-%y',
];
const TIMESTAMP_FORMATS = [
  '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%m/%d/%Y %H:%M:%S', '%d/%m/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%d/%m/%Y %H:%M',
  '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%b %d %Y %H:%M:%S', '%d %b %Y %H:%M:%S',
];
const ZONED_FORMATS = ['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%d %H:%M:%S %z', '%Y-%m-%dT%H:%M:%S.%f%z'];
const TIME_FORMATS = ['%H:%M:%S', '%H:%M', '%H:%M:%S.%f', '%I:%M %p', '%I:%M:%S %p'];

/** Every date/time reading the survey tries. ISO 8601 timestamps use DuckDB's cast (strptime null). */
export const TEMPORAL_PROBES: readonly TemporalProbe[] = [
  ...DATE_FORMATS.map((f) => ({ type: 'DATE' as const, format: { kind: 'date' as const, strptime: f }, gate: 'd' as const })),
  { type: 'TIMESTAMP', format: { kind: 'timestamp', strptime: null }, gate: 'd' },
  ...TIMESTAMP_FORMATS.map((f) => ({ type: 'TIMESTAMP' as const, format: { kind: 'timestamp' as const, strptime: f }, gate: 'd' as const })),
  { type: 'TIMESTAMPTZ', format: { kind: 'timestamptz', strptime: null }, gate: 'd' },
  ...ZONED_FORMATS.map((f) => ({ type: 'TIMESTAMPTZ' as const, format: { kind: 'timestamptz' as const, strptime: f }, gate: 'd' as const })),
  ...TIME_FORMATS.map((f) => ({ type: 'TIME' as const, format: { kind: 'time' as const, strptime: f }, gate: 't' as const })),
];

/** Lower-case boolean tokens and their truth. */
export const BOOLEAN_TOKENS: Readonly<Record<string, boolean>> = {
  true: true, false: false, t: true, f: false, yes: true, no: false, y: true, n: false, '1': true, '0': false, on: true, off: false,
};

// Month words must start like an English month (what %b/%B read), so 'note 12' skips the probes.
const MONTH_WORD = '(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[A-Za-z]{0,6}';
const DATE_GATE = `^([0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}|${MONTH_WORD}\\.? [0-9]{1,2}|[0-9]{1,2}[ -]${MONTH_WORD})`;
const TIME_GATE = '^[0-9]{1,2}:[0-9]{2}';

export interface SurveyColumn {
  readonly name: string;
  /**
   * Probe families to leave out because no surveyed value can match them (from
   * `surveyFamiliesQuery`): `numbers` (no digit), `dates` (nothing date-like), `times`. Their
   * counts are then 0, exactly what the probes would have counted.
   */
  readonly skip?: { readonly numbers?: boolean; readonly dates?: boolean; readonly times?: boolean };
}

export interface ColumnSurvey {
  readonly rawNonNull: number;
  readonly nonNull: number;
  readonly nullTokenCount: number;
  /**
   * Distinct values: exact over a whole (small) table; over a sample and in the shape pass an
   * approx_count_distinct (HyperLogLog, a few percent off either way).
   */
  readonly distinct: number;
  readonly minLength: number | null;
  readonly maxLength: number | null;
  /** Values of the form `0123` (digits with a leading zero). */
  readonly leadingZeros: number;
  /** Values containing `.` or `,` in their number text. */
  readonly withSeparator: number;
  /** Negative numbers written in parentheses `(1,234.50)` and with a trailing minus `5,50-`. */
  readonly negatives: { readonly parentheses: number; readonly trailing: number };
  /** Per NUMBER_SEPARATORS entry: values readable as a number / as an integer. */
  readonly numberCounts: readonly number[];
  readonly integerCounts: readonly number[];
  /** Longest fraction after `.` and after `,`; most digits in a value. */
  readonly maxScaleDot: number;
  readonly maxScaleComma: number;
  readonly maxDigits: number;
  /** Unit/currency tokens written around numbers, with counts (filled from the sample survey). */
  affixes: Readonly<Record<string, number>>;
  /** Per TEMPORAL_PROBES entry: values that parse. */
  readonly temporalCounts: readonly number[];
  /** Boolean tokens seen (lower-case) with counts; `booleanCount` values are tokens. */
  readonly booleanTokens: Readonly<Record<string, number>>;
  readonly booleanCount: number;
  readonly jsonCount: number;
  readonly intervalCount: number;
}

/**
 * Builds the survey SELECT for `columns` of `table`; read its single row with `parseSurveyRow`.
 * With `sample` (a relation holding a sample of the table, see `tableSample`), it surveys the
 * sample instead of the whole table (the strptime probes cost about a microsecond per value each).
 */
export function surveyQuery(table: string, columns: readonly SurveyColumn[], nullTokens: readonly string[], sample?: string, p: SqlParams = new SqlParams()): { sql: string; params: SqlParams } {
  const { from, proj, bind } = surveyRows(table, columns, nullTokens, sample, p);
  const aggs: string[] = ['count(*) AS total'];
  const boolList = p.bindList(Object.keys(BOOLEAN_TOKENS));
  columns.forEach((c, i) => aggs.push(...surveyAggregates(c, `${i}`, sample !== undefined, boolList, bind, p)));
  const sql = `WITH s0 AS MATERIALIZED (SELECT ${from.base.join(', ')} FROM ${from.relation}),
    s AS MATERIALIZED (SELECT ${proj.join(', ')} FROM s0)
    SELECT ${aggs.join(',\n ')} FROM s`;
  return { sql, params: p };
}

/**
 * Columns that can share one stacked survey (`stackedSurveyQuery`): the same probe families left
 * out.
 */
export function surveyStackKey(c: SurveyColumn): string {
  return `${c.skip?.numbers ? 'n' : ''}${c.skip?.dates ? 'd' : ''}${c.skip?.times ? 't' : ''}`;
}

/**
 * `surveyQuery` for a wide table, stacked: the columns (all with one `surveyStackKey`) become
 * (position, value) rows and ONE set of aggregates grouped by position serves them all, so the
 * statement's size, and DuckDB's planning (60-80 ms per 8-column survey whatever the row count),
 * no longer grow with its columns. Every expression reads only the value, so each column gets
 * exactly the figures `surveyQuery` gives it; read the rows with `unstackRows` and then
 * `parseSurveyRow`.
 */
export function stackedSurveyQuery(table: string, columns: readonly SurveyColumn[], nullTokens: readonly string[], sample?: string, p: SqlParams = new SqlParams()): { sql: string; params: SqlParams } {
  const { from, proj, bind } = stackedSurveyRows(table, columns, nullTokens, sample, p);
  const boolList = p.bindList(Object.keys(BOOLEAN_TOKENS));
  const aggs = ['i', 'count(*) AS total', ...surveyAggregates(columns[0], '', sample !== undefined, boolList, bind, p)];
  const sql = `WITH s0 AS MATERIALIZED (SELECT ${from.base.join(', ')} FROM ${from.relation}),
    s AS MATERIALIZED (SELECT ${proj.join(', ')} FROM s0)
    SELECT ${aggs.join(',\n ')} FROM s GROUP BY i`;
  return { sql, params: p };
}

/**
 * The survey aggregates of one column over `r{i}`, `v{i}`, `k{i}`, `gd{i}`, `gt{i}`, named with
 * suffix `i` (`rn{i}`, `nb{i}_{j}`...); the stacked survey passes '' and renames its rows.
 */
function surveyAggregates(c: SurveyColumn, i: string, sampled: boolean, boolList: string, bind: (value: string) => string, p: SqlParams): string[] {
  const aggs: string[] = [];
  const v = `v${i}`;
  const k = `k${i}`;
  aggs.push(
    `count(r${i}) AS rn${i}`, `count(${v}) AS n${i}`, `count(CASE WHEN r${i} IS NOT NULL AND ${v} IS NULL AND trim(r${i}) <> '' THEN 1 END) AS nt${i}`,
    // A whole table is surveyed only up to SURVEY_SAMPLE_ROWS rows, where the exact count is cheap
    // (HyperLogLog can report more distinct values than there are, 73 of 67).
    `${!sampled ? `count(DISTINCT ${v})` : `approx_count_distinct(${v})`} AS d${i}`, `min(length(${v})) AS lmin${i}`, `max(length(${v})) AS lmax${i}`,
    // On a sample, the exact distinct count is cheap and tells repeats apart from HLL noise.
    ...(!sampled ? [] : [`count(DISTINCT ${v}) AS dx${i}`]),
    `count(CASE WHEN starts_with(${v}, '0') AND regexp_full_match(${v}, '0[0-9]+') THEN 1 END) AS lz${i}`,
    // One histogram of the boolean words seen; their total is the boolean count.
    `histogram(CASE WHEN list_contains([${boolList}], lower(${v})) THEN lower(${v}) END) AS bh${i}`,
    `count(CASE WHEN regexp_matches(${v}, '^[\\[{]') AND json_valid(${v}) THEN 1 END) AS js${i}`,
    // The cheap start check keeps plain numbers and dates away from the interval regex.
    `count(CASE WHEN regexp_matches(${v}, '^[+-]?[0-9.]+ *[A-Za-z:]') THEN ${parseExpression(v, 'INTERVAL', { kind: 'interval' }, p)} END) AS iv${i}`,
  );
  if (!c.skip?.numbers) {
    aggs.push(
      `count(CASE WHEN regexp_matches(${k}, '[0-9][.,]|[.,][0-9]') THEN 1 END) AS sep${i}`,
      `coalesce(max(length(regexp_extract(${k}, '[.]([0-9]+)$', 1))), 0) AS sd${i}`,
      `coalesce(max(length(regexp_extract(${k}, ',([0-9]+)$', 1))), 0) AS sc${i}`,
      `coalesce(max(length(regexp_replace(${k}, '[^0-9]', '', 'g'))), 0) AS md${i}`,
      ...negativeCounts(v, k, i, bind),
    );
    NUMBER_SEPARATORS.forEach((sep, j) => {
      aggs.push(
        `count(CASE WHEN regexp_full_match(${k}, ${bind(numberBodyRegex(sep, false))}) THEN 1 END) AS nb${i}_${j}`,
        `count(CASE WHEN regexp_full_match(${k}, ${bind(numberBodyRegex(sep, true))}) THEN 1 END) AS ib${i}_${j}`,
      );
    });
  }
  TEMPORAL_PROBES.forEach((probe, j) => {
    if (probe.gate === 'd' ? c.skip?.dates : c.skip?.times) return;
    const gate = probe.gate === 'd' ? `gd${i}` : `gt${i}`;
    // A strptime format's literal separators must all occur in the value: checking them first
    // spares most failing strptime calls (about a microsecond each)...
    const strptime = 'strptime' in probe.format ? probe.format.strptime : null;
    const literals = strptime ? formatLiterals(strptime) : [];
    // ...and its length must fit the format (a date format never reads a 20-character timestamp).
    const lengths = strptime ? formatLengthRange(strptime) : undefined;
    const cond = [
      gate,
      ...(lengths ? [`length(${v}) BETWEEN ${lengths[0]} AND ${lengths[1]}`] : []),
      ...literals.map((ch) => `contains(${v}, ${bind(ch)})`),
    ].join(' AND ');
    aggs.push(`count(CASE WHEN ${cond} THEN ${parseExpression(v, probe.type, probe.format, p)} END) AS tp${i}_${j}`);
  });
  return aggs;
}

/**
 * Which probe families can match anything at all, per column: values with a digit (numbers),
 * date-like and time-like starts. One cheap query over the same rows as the survey, so the survey
 * can leave out families nothing would match; read it with `parseSurveyFamilies`.
 */
export function surveyFamiliesQuery(table: string, columns: readonly SurveyColumn[], nullTokens: readonly string[], sample?: string, p: SqlParams = new SqlParams()): { sql: string; params: SqlParams } {
  const { from, proj } = surveyRows(table, columns, nullTokens, sample, p);
  const aggs = columns.flatMap((_, i) => [`count(k${i}) AS fk${i}`, `count(CASE WHEN gd${i} THEN 1 END) AS fd${i}`, `count(CASE WHEN gt${i} THEN 1 END) AS ft${i}`]);
  const sql = `SELECT ${aggs.join(', ')} FROM (SELECT ${proj.join(', ')} FROM (SELECT ${from.base.join(', ')} FROM ${from.relation}))`;
  return { sql, params: p };
}

/** `surveyFamiliesQuery` stacked as `stackedSurveyQuery` is; read its rows with `unstackRows`. */
export function stackedSurveyFamiliesQuery(table: string, columns: readonly SurveyColumn[], nullTokens: readonly string[], sample?: string, p: SqlParams = new SqlParams()): { sql: string; params: SqlParams } {
  const { from, proj } = stackedSurveyRows(table, columns, nullTokens, sample, p);
  const sql = `SELECT i, count(k) AS fk, count(CASE WHEN gd THEN 1 END) AS fd, count(CASE WHEN gt THEN 1 END) AS ft FROM (SELECT ${proj.join(', ')} FROM (SELECT ${from.base.join(', ')} FROM ${from.relation})) GROUP BY i`;
  return { sql, params: p };
}

/** The columns with `skip` set from a `surveyFamiliesQuery` row. */
export function parseSurveyFamilies(row: Record<string, unknown>, columns: readonly SurveyColumn[]): SurveyColumn[] {
  return columns.map((c, i) => ({
    ...c,
    skip: { numbers: Number(row[`fk${i}`] ?? 0) === 0, dates: Number(row[`fd${i}`] ?? 0) === 0, times: Number(row[`ft${i}`] ?? 0) === 0 },
  }));
}

/**
 * Aggregates counting the negatives of column `i` written in parentheses (`np{i}`) and with a
 * trailing minus (`nm{i}`): values whose number text `k` came out negative and whose cleaned
 * value `v` has the parenthesis, or the minus at its end (as the rewrite reads it).
 */
export function negativeCounts(v: string, k: string, i: number | string, bind: (value: string) => string, count: (cond: string) => string = (cond) => `count(CASE WHEN ${cond} THEN 1 END)`): string[] {
  const negative = `starts_with(${k}, '-') AND regexp_full_match(${k}, ${bind(NEGATIVE_NUMBER_TEXT)})`;
  return [
    `${count(`contains(${v}, '(') AND ${negative}`)} AS np${i}`,
    `${count(`${trailingMinus(v)} AND ${negative}`)} AS nm${i}`,
  ];
}

/**
 * The rows a survey reads: raw `r{i}` and cleaned `v{i}` values (`base`), then the number text
 * `k{i}` and the date/time gates `gd{i}`/`gt{i}` (`proj`). Two materialized steps in the survey,
 * so each derived value is computed once per row (DuckDB would otherwise inline the cleaned value
 * into every expression that uses it).
 */
function surveyRows(table: string, columns: readonly SurveyColumn[], nullTokens: readonly string[], sample: string | undefined, p: SqlParams) {
  // Bound only where used: DuckDB rejects a statement with an unused parameter.
  const bind = (value: string): string => p.bind(value);
  const base: string[] = [];
  const proj: string[] = [];
  columns.forEach((c, i) => {
    const raw = quoteIdent(c.name);
    const v = `v${i}`;
    base.push(`${raw} AS r${i}`, `${cleanedValue(raw, nullTokens, p)} AS ${v}`);
    // Cheap pre-checks so most values skip the strptime probes.
    proj.push(`r${i}`, v, `${surveyNumberText(v, p)} AS k${i}`, `regexp_matches(${v}, ${bind(DATE_GATE)}) AS gd${i}`, `regexp_matches(${v}, ${bind(TIME_GATE)}) AS gt${i}`);
  });
  return { from: { base, relation: sample ?? quoteIdent(table) }, proj, bind };
}

/**
 * The rows a stacked survey reads: position `i`, raw `r` and cleaned `v` (`base`), then `k`, `gd`
 * and `gt` as `surveyRows` computes them (`proj`).
 */
function stackedSurveyRows(table: string, columns: readonly SurveyColumn[], nullTokens: readonly string[], sample: string | undefined, p: SqlParams) {
  const bind = (value: string): string => p.bind(value);
  const stacked = `(SELECT ${stackedSelect(columns.map((c) => quoteIdent(c.name)), 'r')} FROM ${sample ?? quoteIdent(table)})`;
  const base = ['i', 'r', `${cleanedValue('r', nullTokens, p)} AS v`];
  const proj = ['i', 'r', 'v', `${surveyNumberText('v', p)} AS k`, `regexp_matches(v, ${bind(DATE_GATE)}) AS gd`, `regexp_matches(v, ${bind(TIME_GATE)}) AS gt`];
  return { from: { base, relation: stacked }, proj, bind };
}


/** Characters each strptime directive can read in DuckDB (unpadded numbers, two-digit %Y). */
const DIRECTIVE_WIDTHS: Readonly<Record<string, readonly [number, number]>> = {
  Y: [1, 4], y: [1, 2], m: [1, 2], d: [1, 2], H: [1, 2], I: [1, 2], M: [1, 2], S: [1, 2],
  b: [3, 9], B: [3, 9], f: [1, 9], z: [1, 6], p: [2, 2],
};

/**
 * Shortest and longest value a strptime format can read, with a little slack; undefined when the
 * format has whitespace (DuckDB's strptime lets one space match several) or an unknown directive.
 */
export function formatLengthRange(format: string): [number, number] | undefined {
  let min = 0;
  let max = 0;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch.trim() === '') return undefined;
    if (ch !== '%') { min++; max++; continue; }
    const width = DIRECTIVE_WIDTHS[format[++i]];
    if (!width) return undefined;
    min += width[0];
    max += width[1];
  }
  return [min, max + 2];
}

/** The literal characters of a strptime format (not directives, not whitespace), each once. */
export function formatLiterals(format: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < format.length; i++) {
    if (format[i] === '%') i++;
    else if (format[i].trim() !== '') out.add(format[i]);
  }
  return [...out];
}

/** A `histogram()` of boolean words as token -> count, in BOOLEAN_TOKENS order. */
function booleanHistogram(raw: unknown): Record<string, number> {
  const counts = new Map<string, number>();
  for (const e of (raw as { key: string; value: string | number }[] | null | undefined) ?? []) counts.set(e.key, Number(e.value));
  return Object.fromEntries(Object.keys(BOOLEAN_TOKENS).flatMap((t) => (counts.has(t) ? [[t, counts.get(t)!]] : [])));
}

export function parseSurveyRow(row: Record<string, unknown>, columns: readonly SurveyColumn[]): ColumnSurvey[] {
  const num = (key: string): number => Number(row[key] ?? 0);
  return columns.map((_, i) => {
    const booleanTokens = booleanHistogram(row[`bh${i}`]);
    return {
    rawNonNull: num(`rn${i}`),
    nonNull: num(`n${i}`),
    nullTokenCount: num(`nt${i}`),
    distinct: num(`d${i}`),
    minLength: row[`lmin${i}`] === null ? null : num(`lmin${i}`),
    maxLength: row[`lmax${i}`] === null ? null : num(`lmax${i}`),
    leadingZeros: num(`lz${i}`),
    withSeparator: num(`sep${i}`),
    negatives: { parentheses: num(`np${i}`), trailing: num(`nm${i}`) },
    numberCounts: NUMBER_SEPARATORS.map((_, j) => num(`nb${i}_${j}`)),
    integerCounts: NUMBER_SEPARATORS.map((_, j) => num(`ib${i}_${j}`)),
    maxScaleDot: num(`sd${i}`),
    maxScaleComma: num(`sc${i}`),
    maxDigits: num(`md${i}`),
    affixes: {},
    temporalCounts: TEMPORAL_PROBES.map((_, j) => num(`tp${i}_${j}`)),
    booleanTokens,
    booleanCount: Object.values(booleanTokens).reduce((a, b) => a + b, 0),
    jsonCount: num(`js${i}`),
    intervalCount: num(`iv${i}`),
    };
  });
}
